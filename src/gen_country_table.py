#!/usr/bin/env python3
"""Generate src/country_table.c from Debian's iso-codes data.

Usage:
    python3 src/gen_country_table.py [OUTPUT.c]

Writes the C table to OUTPUT.c, or to stdout when no path is given.
Statistics (translation fallbacks, data version) go to stderr.

Inputs (Debian package "iso-codes"; override the locations with the
environment variables ISO_CODES_JSON, ISO_CODES_LOCALEDIR and
ISO_CODES_PC if needed):

    /usr/share/iso-codes/json/iso_3166-1.json
    /usr/share/locale/<lang>/LC_MESSAGES/iso_3166-1.mo   (lang: es, pt)
    /usr/share/pkgconfig/iso-codes.pc                    (data version)

Name selection, per entry:
    English:    "common_name" if present, else "name".
    Spanish/Portuguese: the translation of "common_name" if the catalogue
                has one, else the translation of "name", else the English
                name.

Standard library only.
"""

import gettext
import json
import os
import sys

JSON_PATH = os.environ.get("ISO_CODES_JSON",
                           "/usr/share/iso-codes/json/iso_3166-1.json")
LOCALEDIR = os.environ.get("ISO_CODES_LOCALEDIR", "/usr/share/locale")
PC_PATH = os.environ.get("ISO_CODES_PC", "/usr/share/pkgconfig/iso-codes.pc")
DOMAIN = "iso_3166-1"

# (struct field suffix, locale directory); the first locale found is used.
LANGUAGES = [
    ("es", ["es"]),
    ("pt", ["pt", "pt_BR"]),
]

TAB_WIDTH = 4                   # PostgreSQL convention
SOFT_LIMIT = 80                 # target width for wrapped lines
HARD_LIMIT = 100                # wrap an entry only beyond this width
EXPECTED_COUNT = 249


class _Missing(gettext.NullTranslations):
    """Fallback that makes a missing message visible as None."""

    def gettext(self, message):
        return None


def load_catalogue(candidates):
    """Return (locale, translations) for the first catalogue that exists."""
    for loc in candidates:
        path = os.path.join(LOCALEDIR, loc, "LC_MESSAGES", DOMAIN + ".mo")
        if os.path.exists(path):
            with open(path, "rb") as f:
                trans = gettext.GNUTranslations(f)
            trans.add_fallback(_Missing())
            return loc, trans
    sys.exit("gen_country_table: no %s catalogue among %s under %s"
             % (DOMAIN, ", ".join(candidates), LOCALEDIR))


def lookup(trans, msgid):
    """Translation of msgid, or None if the catalogue has none."""
    if not msgid:
        return None
    result = trans.gettext(msgid)
    return result if result else None


def iso_codes_version():
    try:
        with open(PC_PATH, encoding="utf-8") as f:
            for line in f:
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def c_string(s):
    """Quote s as a C string literal; UTF-8 is kept as is."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            # Octal, always three digits, so a following digit is safe.
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def width(line):
    """Display width of line, tabs expanded, one column per code point."""
    return len(line.expandtabs(TAB_WIDTH))


def format_entry(fields):
    """Format one initialiser, wrapping it if it would exceed HARD_LIMIT."""
    one_line = "\t{" + ", ".join(fields) + "},"
    if width(one_line) <= HARD_LIMIT:
        return [one_line]

    # Greedy fill: as many fields per line as fit in SOFT_LIMIT columns;
    # continuation lines are indented to just inside the opening brace.
    lines = []
    current = "\t{" + fields[0]
    for i, field in enumerate(fields[1:], start=1):
        tail = "}," if i == len(fields) - 1 else ","
        candidate = current + ", " + field
        if width(candidate + tail) <= SOFT_LIMIT:
            current = candidate
        else:
            lines.append(current + ",")
            current = "\t " + field
    lines.append(current + "},")
    return lines


def main(argv):
    if len(argv) > 2:
        sys.exit("usage: gen_country_table.py [OUTPUT.c]")

    with open(JSON_PATH, encoding="utf-8") as f:
        entries = json.load(f)["3166-1"]

    catalogues = [(field, *load_catalogue(cands)) for field, cands in LANGUAGES]
    fallbacks = {field: [] for field, _, _ in catalogues}
    version = iso_codes_version()

    rows = []
    for e in entries:
        alpha2 = e["alpha_2"]
        alpha3 = e["alpha_3"]
        numeric = int(e["numeric"], 10)
        if not (len(alpha2) == 2 and alpha2.isascii() and alpha2.isupper()):
            sys.exit("gen_country_table: bad alpha_2 %r" % alpha2)
        if not (len(alpha3) == 3 and alpha3.isascii() and alpha3.isupper()):
            sys.exit("gen_country_table: bad alpha_3 %r" % alpha3)
        if not 1 <= numeric <= 999:
            sys.exit("gen_country_table: bad numeric %r" % e["numeric"])

        common = e.get("common_name")
        name_en = common or e["name"]
        names = [name_en]
        for field, _loc, trans in catalogues:
            name = lookup(trans, common) or lookup(trans, e["name"])
            if name is None:
                name = name_en
                fallbacks[field].append(alpha2)
            names.append(name)
        rows.append((alpha2, alpha3, numeric, names))

    rows.sort(key=lambda r: r[0])

    for key, label in ((0, "alpha_2"), (1, "alpha_3"), (2, "numeric")):
        values = [r[key] for r in rows]
        if len(set(values)) != len(values):
            sys.exit("gen_country_table: duplicate %s values" % label)
    if len(rows) != EXPECTED_COUNT:
        print("gen_country_table: warning: %d entries, expected %d"
              % (len(rows), EXPECTED_COUNT), file=sys.stderr)

    locales = ", ".join("%s from locale %s" % (field, loc)
                        for field, loc, _ in catalogues)
    out = []
    out.append("/*")
    out.append(" * country_table.c")
    out.append(" *\t\tISO 3166-1 code table (%d entries, sorted by alpha2)."
               % len(rows))
    out.append(" *")
    out.append(" * GENERATED FILE -- do not edit by hand.  Regenerate with")
    out.append(" *\t\tpython3 src/gen_country_table.py src/country_table.c")
    out.append(" * from iso-codes %s (Debian package iso-codes): %s and the"
               % (version, os.path.basename(JSON_PATH)))
    out.append(" * %s gettext catalogues (%s)." % (DOMAIN, locales))
    out.append(" */")
    out.append('#include "country_table.h"')
    out.append("")
    out.append("const IdealCountry ideal_countries[] = {")
    for alpha2, alpha3, numeric, names in rows:
        fields = [str(numeric), c_string(alpha2), c_string(alpha3)]
        fields += [c_string(n) for n in names]
        out.extend(format_entry(fields))
    out.append("};")
    out.append("")
    out.append("const int\tideal_country_count =")
    out.append("\t(int) (sizeof(ideal_countries) / sizeof(ideal_countries[0]));")
    text = "\n".join(out) + "\n"

    if len(argv) == 2:
        with open(argv[1], "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    else:
        sys.stdout.write(text)

    print("gen_country_table: iso-codes %s, %d entries" % (version, len(rows)),
          file=sys.stderr)
    for field, loc, _ in catalogues:
        missing = fallbacks[field]
        print("gen_country_table: %s (locale %s): %d English fallbacks%s"
              % (field, loc, len(missing),
                 (": " + " ".join(missing)) if missing else ""),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
