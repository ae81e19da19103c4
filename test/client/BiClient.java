// A BI tool's view of the ideal_bi schema, through pgJDBC: list the views
// and their columns with DatabaseMetaData (getTables, getColumns, as Tableau,
// Metabase or DBeaver do), read every view, and check that every column has
// a standard SQL type, a comment, and that chosen values are as expected.
// Also reads the extension's own types directly, to show they arrive as text.
//
// Usage: java -cp postgresql.jar:DIR BiClient DATABASE EXPECTATIONS
// Connection from PGHOST, PGPORT, PGUSER, PGPASSWORD.  Prints TAP.
//
// EXPECTATIONS holds tab-separated lines, written by the calling suite from
// sources independent of the extension (the sample CSV files, the YAML
// methodology, the published GI-TOC scores):
//   view  NAME                              a view the schema must have
//   rows  NAME  COUNT                       rows the view must return
//   check LANG  DESCRIPTION  EXPECTED  SQL  SQL's single value, read with
//                                           getString, must equal EXPECTED

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

public final class BiClient {
	// java.sql.Types a BI tool maps without help
	private static final Set<Integer> STANDARD_TYPES = Set.of(
		Types.VARCHAR, Types.LONGVARCHAR, Types.CHAR, Types.INTEGER,
		Types.NUMERIC, Types.DECIMAL, Types.BIT, Types.BOOLEAN, Types.DATE,
		Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE);
	// the PostgreSQL types the BI views may use
	private static final Set<String> STANDARD_TYPE_NAMES = Set.of(
		"text", "int4", "numeric", "bool", "date", "timestamptz");
	// views every release must keep, under these names
	private static final List<String> CORE_VIEWS = List.of(
		"methodology", "cycle", "member", "crime_area", "indicator",
		"composite", "criminal_group", "observation", "subject_score",
		"regional_picture", "group_ranking", "threat_level");

	private final String url;
	private final Map<String, Connection> connections = new HashMap<>();
	private int test = 0;
	private int failed = 0;

	private BiClient(String url) {
		this.url = url;
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: BiClient DATABASE EXPECTATIONS");
			System.exit(2);
		}
		String host = env("PGHOST", "localhost");
		String port = env("PGPORT", "5432");
		BiClient c = new BiClient("jdbc:postgresql://" + host + ":" + port
								  + "/" + args[0]);
		int failed = c.run(Path.of(args[1]));
		System.exit(failed == 0 ? 0 : 1);
	}

	private static String env(String name, String dflt) {
		String v = System.getenv(name);
		return v == null || v.isEmpty() ? dflt : v;
	}

	// One connection per output language, as a BI data source would set it.
	private Connection conn(String lang) throws SQLException {
		Connection c = connections.get(lang);
		if (c == null) {
			Properties p = new Properties();
			p.setProperty("user", env("PGUSER", "postgres"));
			String pw = System.getenv("PGPASSWORD");
			if (pw != null)
				p.setProperty("password", pw);
			p.setProperty("options", "-c ideal.language=" + lang);
			p.setProperty("ApplicationName", "ideal BiClient");
			c = DriverManager.getConnection(url, p);
			connections.put(lang, c);
		}
		return c;
	}

	private void ok(boolean pass, String name, String diag) {
		test++;
		System.out.println((pass ? "ok " : "not ok ") + test + " - " + name);
		if (!pass) {
			failed++;
			if (diag != null)
				for (String l : diag.split("\n"))
					System.err.println("# " + l);
		}
	}

	private int run(Path expectations) throws IOException, SQLException {
		Set<String> views = new TreeSet<>();
		Map<String, Long> rows = new TreeMap<>();
		List<String[]> checks = new ArrayList<>();
		for (String line : Files.readAllLines(expectations, StandardCharsets.UTF_8)) {
			if (line.isEmpty() || line.startsWith("#"))
				continue;
			String[] f = line.split("\t", -1);
			switch (f[0]) {
				case "view" -> views.add(f[1]);
				case "rows" -> rows.put(f[1], Long.parseLong(f[2]));
				case "check" -> checks.add(f);
				default -> throw new IOException("bad expectation line: " + line);
			}
		}

		Connection en = conn("en");
		DatabaseMetaData md = en.getMetaData();
		ok(md.getDriverName().contains("PostgreSQL"),
		   "connected through " + md.getDriverName() + " " + md.getDriverVersion(),
		   null);

		// the views, as a BI tool's schema browser lists them
		Map<String, String> listed = new TreeMap<>();
		try (ResultSet rs = md.getTables(null, "ideal_bi", "%", new String[] {"VIEW"})) {
			while (rs.next())
				listed.put(rs.getString("TABLE_NAME"), rs.getString("REMARKS"));
		}
		ok(listed.keySet().equals(views),
		   "getTables lists the " + views.size() + " views of ideal_bi",
		   "listed:   " + listed.keySet() + "\nexpected: " + views);
		ok(listed.keySet().containsAll(CORE_VIEWS),
		   "the core views keep their names",
		   "missing: " + missing(CORE_VIEWS, listed.keySet()));
		List<String> uncommented = new ArrayList<>();
		for (Map.Entry<String, String> e : listed.entrySet())
			if (e.getValue() == null || e.getValue().isBlank())
				uncommented.add(e.getKey());
		ok(uncommented.isEmpty(), "getTables reports a description of every view",
		   "no REMARKS: " + uncommented);

		for (String view : listed.keySet()) {
			checkColumns(md, view);
			readView(en, view, rows.get(view));
		}

		for (String[] c : checks)
			checkValue(c[1], c[2], c[3], c[4]);

		customTypes();

		for (Connection c : connections.values())
			c.close();
		System.out.println("1.." + test);
		return failed;
	}

	private static List<String> missing(List<String> want, Set<String> have) {
		List<String> m = new ArrayList<>();
		for (String w : want)
			if (!have.contains(w))
				m.add(w);
		return m;
	}

	// getColumns: every column standard-typed and described.
	private void checkColumns(DatabaseMetaData md, String view) throws SQLException {
		List<String> bad = new ArrayList<>();
		int n = 0;
		try (ResultSet rs = md.getColumns(null, "ideal_bi", view, "%")) {
			while (rs.next()) {
				n++;
				String col = rs.getString("COLUMN_NAME");
				int type = rs.getInt("DATA_TYPE");
				String typeName = rs.getString("TYPE_NAME");
				String remarks = rs.getString("REMARKS");
				if (!STANDARD_TYPES.contains(type) || !STANDARD_TYPE_NAMES.contains(typeName))
					bad.add(col + ": java.sql.Types " + type + " (" + typeName + ")");
				if (remarks == null || remarks.isBlank())
					bad.add(col + ": no description");
				if (!col.matches("[a-z][a-z0-9_]*"))
					bad.add(col + ": not a plain lower-case name");
			}
		}
		ok(n > 0 && bad.isEmpty(),
		   "getColumns on ideal_bi." + view + ": " + n
		   + " columns, standard types, described", String.join("\n", bad));
	}

	// Reads a view whole, as a dashboard refresh does.
	private void readView(Connection c, String view, Long expected) throws SQLException {
		List<String> bad = new ArrayList<>();
		long n = 0;
		try (Statement st = c.createStatement();
			 ResultSet rs = st.executeQuery("SELECT * FROM ideal_bi." + view)) {
			ResultSetMetaData m = rs.getMetaData();
			int cols = m.getColumnCount();
			for (int i = 1; i <= cols; i++)
				if (!STANDARD_TYPES.contains(m.getColumnType(i)))
					bad.add(m.getColumnName(i) + ": result type " + m.getColumnType(i)
							+ " (" + m.getColumnTypeName(i) + ")");
			while (rs.next()) {
				n++;
				for (int i = 1; i <= cols; i++) {
					Object o = rs.getObject(i);
					if (o != null && !(o instanceof String || o instanceof Integer
									   || o instanceof BigDecimal || o instanceof Boolean
									   || o instanceof Timestamp || o instanceof java.sql.Date)) {
						bad.add(m.getColumnName(i) + ": value of " + o.getClass().getName());
						break;
					}
				}
				if (bad.size() > 5)
					break;
			}
		}
		if (expected != null && n != expected)
			bad.add(n + " rows read, " + expected + " expected");
		ok(bad.isEmpty(), "read ideal_bi." + view + ": " + n + " rows"
		   + (expected != null ? " as expected" : ""), String.join("\n", bad));
	}

	private void checkValue(String lang, String what, String expected, String sql)
		throws SQLException {
		String got;
		try (Statement st = conn(lang).createStatement();
			 ResultSet rs = st.executeQuery(sql)) {
			got = rs.next() ? rs.getString(1) : "(no row)";
		}
		ok(expected.equals(got), what + " [" + lang + "]",
		   "got:      " + got + "\nexpected: " + expected + "\nquery:    " + sql);
	}

	// The extension's own types, read directly: the driver knows nothing of
	// them (Types.OTHER), yet getString gives their text form.
	private void customTypes() throws SQLException {
		String sql = "SELECT 'MEX'::ideal.country, 'muy alta'::ideal.threat_level,"
			+ " 'eu:b2:h1'::ideal.grading,"
			+ " (SELECT ideal.summarize(v) FROM (VALUES (1.5::float8), (3)) t(v))";
		for (String lang : List.of("en", "es", "pt")) {
			try (Statement st = conn(lang).createStatement();
				 ResultSet rs = st.executeQuery(sql)) {
				rs.next();
				ResultSetMetaData m = rs.getMetaData();
				String level = Map.of("en", "very high", "es", "muy alto",
									  "pt", "muito alto").get(lang);
				if (lang.equals("en")) {
					List<String> types = new ArrayList<>();
					for (int i = 1; i <= 4; i++)
						types.add(m.getColumnTypeName(i) + "=" + m.getColumnType(i));
					boolean allOther = true;
					for (int i = 1; i <= 4; i++)
						allOther &= m.getColumnType(i) == Types.OTHER;
					ok(allOther, "custom types are Types.OTHER to the driver "
					   + types, null);
					ok("MX".equals(rs.getString(1)),
					   "ideal.country arrives as text: " + rs.getString(1), null);
					String s = rs.getString(4);
					ok(s != null && s.startsWith("n=2 unknown=0 graded=0 w=2 wv=4.5 ")
					   && s.endsWith(" min=1.5 max=3"),
					   "ideal.threat_summary arrives as its text form", "got: " + s);
				}
				ok(level.equals(rs.getString(2)),
				   "ideal.threat_level arrives as text in " + lang + ": "
				   + rs.getString(2), "expected: " + level);
				if (lang.equals("en"))
					ok("EU:B2:H1".equals(rs.getString(3)),
					   "ideal.grading arrives as its canonical text: "
					   + rs.getString(3), null);
			}
		}
	}
}
