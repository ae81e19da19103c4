#!/usr/bin/env bash
# Packaging: META.json valid under the PGXN Meta Spec 1.0.0; `make dist`
# builds a release tarball of the committed tree that holds what PGXS needs
# and builds on its own; `make installcheck` from that tarball runs the
# pg_regress suites against the running server, as packagers do.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/client/tap.sh"
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- META.json ---------------------------------------------------------------
# The rules of PGXN Meta Spec 1.0.0 (https://pgxn.org/meta/spec.txt), checked
# with core Perl only; prints one line per violation.
errors=$(perl -MJSON::PP -e '
use strict;
use warnings;
my @err;
sub err { push @err, join("", @_) }
local $/;
open my $fh, "<", "META.json" or die "cannot open META.json: $!\n";
my $m = eval { JSON::PP->new->decode(<$fh>) };
if (!$m) { print "not valid JSON: $@"; exit 0 }
my $semver = qr/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
my $range1 = qr/^((?:[=!]=|[<>]=?)\s*)?(\d+\.\d+\.\d+\S*)$/;
my %license = map { $_ => 1 } qw(agpl_3 apache_1_1 apache_2_0 artistic_1
	artistic_2 bsd freebsd gfdl_1_2 gfdl_1_3 gpl_1 gpl_2 gpl_3 lgpl_2_1
	lgpl_3_0 mit mozilla_1_0 mozilla_1_1 openssl perl_5 postgresql qpl_1_0
	ssleay sun zlib open_source restricted unrestricted unknown);
sub custom { $_[0] =~ /^[xX]_./ }
sub is_str { defined $_[0] && !ref $_[0] && length $_[0] }
sub term { is_str($_[0]) && $_[0] =~ /^[^\/\\\s[:cntrl:]]{2,}$/ }
sub path { is_str($_[0]) && $_[0] !~ m{^/} && $_[0] !~ m{(^|/)\.\.(/|$)} && $_[0] !~ /\\/ }
sub keys_ok {
	my ($where, $h, @allowed) = @_;
	my %a = map { $_ => 1 } @allowed;
	for (sort keys %$h) { err("$where: unknown key \"$_\"") unless $a{$_} || custom($_) }
}
sub range_ok {
	my $v = shift;
	return 1 if defined $v && !ref $v && ($v eq "0" || $v eq 0);
	return 0 unless is_str($v);
	for my $part (split /\s*,\s*/, $v) {
		my ($op, $ver) = $part =~ $range1 or return 0;
		return 0 unless $ver =~ $semver;
	}
	return 1;
}
err("not a JSON object") unless ref $m eq "HASH";
for (qw(name version abstract maintainer license provides meta-spec)) {
	err("required key \"$_\" missing") unless exists $m->{$_};
}
keys_ok("top level", $m, qw(name version abstract maintainer license provides
	meta-spec description generated_by tags no_index prereqs release_status resources));
err("name must be a term (2+ characters, no slash, backslash, space or control)") unless term($m->{name});
err("version \"$m->{version}\" is not a semantic version") unless is_str($m->{version}) && $m->{version} =~ $semver;
err("abstract must be a non-empty string") unless is_str($m->{abstract});
for my $k (qw(description generated_by)) {
	err("$k must be a non-empty string") if exists $m->{$k} && !is_str($m->{$k});
}
my $mt = $m->{maintainer};
err("maintainer must be a string or a non-empty list of strings")
	unless is_str($mt) || (ref $mt eq "ARRAY" && @$mt && !grep { !is_str($_) } @$mt);
my $l = $m->{license};
if (ref $l eq "ARRAY") { err("license list is empty") unless @$l; err("unknown license \"$_\"") for grep { !$license{$_} } @$l }
elsif (ref $l eq "HASH") { err("license map is empty") unless %$l; err("license \"$_\" needs a URI") for grep { $l->{$_} !~ m{^[a-z][a-z0-9+.-]*:} } keys %$l }
else { err("unknown license \"" . ($l // "") . "\"") unless defined $l && $license{$l} }
my $ms = $m->{"meta-spec"};
if (ref $ms ne "HASH") { err("meta-spec must be an object") }
else {
	keys_ok("meta-spec", $ms, qw(version url));
	err("meta-spec version must be 1.0.x") unless is_str($ms->{version}) && $ms->{version} =~ /^1\.0\.\d+$/;
	err("meta-spec url must be the spec address") if exists $ms->{url} && $ms->{url} !~ m{^https?://pgxn\.org/meta/spec\.txt$};
}
my $p = $m->{provides};
if (ref $p ne "HASH" || !%$p) { err("provides must be a non-empty object") }
else {
	for my $ext (sort keys %$p) {
		my $e = $p->{$ext};
		err("provides: \"$ext\" is not a term") unless term($ext);
		if (ref $e ne "HASH") { err("provides.$ext must be an object"); next }
		keys_ok("provides.$ext", $e, qw(file version abstract docfile));
		err("provides.$ext.file missing or not a relative path") unless path($e->{file});
		err("provides.$ext.version is not a semantic version") unless is_str($e->{version}) && $e->{version} =~ $semver;
		err("provides.$ext.docfile is not a relative path") if exists $e->{docfile} && !path($e->{docfile});
		err("provides.$ext.abstract must be a non-empty string") if exists $e->{abstract} && !is_str($e->{abstract});
		for my $f (qw(file docfile)) {
			err("provides.$ext.$f: no file $e->{$f} in the distribution") if path($e->{$f}) && !-f $e->{$f};
		}
	}
}
if (exists $m->{tags}) {
	my $t = $m->{tags};
	if (ref $t ne "ARRAY" || !@$t) { err("tags must be a non-empty list") }
	else { err("bad tag \"$_\"") for grep { !is_str($_) || length($_) < 2 || length($_) > 255 || m{[/\\[:cntrl:]]} } @$t }
}
if (exists $m->{release_status}) {
	err("release_status must be stable, testing or unstable") unless ($m->{release_status} // "") =~ /^(stable|testing|unstable)$/;
}
if (exists $m->{no_index}) {
	my $n = $m->{no_index};
	if (ref $n ne "HASH") { err("no_index must be an object") }
	else {
		keys_ok("no_index", $n, qw(file directory));
		err("no_index needs file or directory") unless exists $n->{file} || exists $n->{directory};
		for my $k (grep { exists $n->{$_} } qw(file directory)) {
			my @v = ref $n->{$k} eq "ARRAY" ? @{$n->{$k}} : ($n->{$k});
			err("no_index.$k: bad path") if !@v || grep { !path($_) } @v;
		}
	}
}
if (exists $m->{prereqs}) {
	my $pr = $m->{prereqs};
	if (ref $pr ne "HASH" || !%$pr) { err("prereqs must be a non-empty object") }
	else {
		keys_ok("prereqs", $pr, qw(configure build test runtime develop));
		for my $phase (grep { !custom($_) } sort keys %$pr) {
			my $ph = $pr->{$phase};
			if (ref $ph ne "HASH" || !%$ph) { err("prereqs.$phase must be a non-empty object"); next }
			keys_ok("prereqs.$phase", $ph, qw(requires recommends suggests conflicts));
			for my $rel (grep { !custom($_) } sort keys %$ph) {
				my $r = $ph->{$rel};
				if (ref $r ne "HASH") { err("prereqs.$phase.$rel must be an object"); next }
				for my $name (sort keys %$r) {
					err("prereqs.$phase.$rel: \"$name\" is not a term") unless term($name);
					err("prereqs.$phase.$rel.$name: bad version range \"$r->{$name}\"") unless range_ok($r->{$name});
				}
			}
		}
	}
}
if (exists $m->{resources}) {
	my $r = $m->{resources};
	if (ref $r ne "HASH" || !%$r) { err("resources must be a non-empty object") }
	else {
		keys_ok("resources", $r, qw(homepage bugtracker repository));
		err("resources.homepage must be a URI") if exists $r->{homepage} && ($r->{homepage} // "") !~ m{^[a-z][a-z0-9+.-]*:};
		if (exists $r->{bugtracker}) {
			my $b = $r->{bugtracker};
			if (ref $b ne "HASH") { err("resources.bugtracker must be an object") }
			else {
				keys_ok("resources.bugtracker", $b, qw(web mailto));
				err("resources.bugtracker needs web or mailto") unless exists $b->{web} || exists $b->{mailto};
			}
		}
		if (exists $r->{repository}) {
			my $rp = $r->{repository};
			if (ref $rp ne "HASH") { err("resources.repository must be an object") }
			else {
				keys_ok("resources.repository", $rp, qw(url web type));
				err("resources.repository needs web, or url and type")
					unless exists $rp->{web} || (exists $rp->{url} && exists $rp->{type});
			}
		}
	}
}
print "$_\n" for @err;
' 2>&1)
ok "$([ -z "$errors" ]; echo $?)" "META.json follows the PGXN Meta Spec 1.0.0"
[ -z "$errors" ] || diag "$errors"
version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" ideal.control)
is "$(perl -MJSON::PP -e 'local $/; open my $f, "<", "META.json"; print decode_json(<$f>)->{version}')" \
	"$version" "META.json's version is ideal.control's default_version"

# --- make dist -----------------------------------------------------------------
if ! git -C "$root" rev-parse --verify -q HEAD >/dev/null 2>&1; then
	for t in "make dist" "tarball contents" "tarball builds" "installcheck"; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $t: not a git checkout"
	done
	done_testing
	exit
fi
make -s dist DISTDIR="$tmp" >"$tmp/dist.out" 2>&1
ok $? "make dist writes ideal-$version.tar.gz"
[ -s "$tmp/dist.out" ] && diag "$(cat "$tmp/dist.out")"
tarball=$tmp/ideal-$version.tar.gz
list=$(tar tzf "$tarball" 2>/dev/null)
missing=
for f in Makefile ideal.control META.json README.md CHANGELOG.md \
	"sql/ideal--$version.sql" src/ideal.c yaml/ideal-2.0.yaml; do
	grep -qx "ideal-$version/$f" <<<"$list" || missing="$missing $f"
done
for f in $(git ls-tree -r --name-only HEAD -- src yaml sql expected | grep -E '\.(c|h|yaml|sql|out)$'); do
	grep -qx "ideal-$version/$f" <<<"$list" || missing="$missing $f"
done
built=$(echo "$list" | grep -E '\.(o|so|bc)$|/results/|regression\.(diffs|out)$')
ok "$([ -z "$missing$built" ]; echo $?)" "the tarball holds every committed source, script, YAML file and test output, and no build product ($(echo "$list" | grep -cv '/$') files)"
[ -z "$missing" ] || diag "missing:$missing"
[ -z "$built" ] || diag "built files: $built"

mkdir -p "$tmp/x" && tar xzf "$tarball" -C "$tmp/x"
dir=$tmp/x/ideal-$version
make -C "$dir" -s >"$tmp/build.out" 2>&1
st=$?
ok "$([ "$st" -eq 0 ] && [ -f "$dir/ideal.so" ]; echo $?)" "the unpacked tarball builds with PGXS (make)"
[ "$st" -eq 0 ] || diag "$(tail -n 20 "$tmp/build.out")"
warnings=$(grep -c 'warning:' "$tmp/build.out")
is "$warnings" 0 "and compiles without warnings"

# installcheck from the tarball needs the installed extension to be the one
# the tarball holds: true in CI (a clean clone), not with uncommitted work
installed=$(pg_config --sharedir)/extension/ideal--$version.sql
if cmp -s "$installed" "$dir/sql/ideal--$version.sql"; then
	make -C "$dir" -s installcheck >"$tmp/check.out" 2>&1
	st=$?
	ok "$st" "make installcheck from the unpacked tarball, against the running server ($(grep -cE '\.\.\. ok|^ok ' "$tmp/check.out") suites)"
	[ "$st" -eq 0 ] || diag "$(tail -n 20 "$tmp/check.out")"
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP installcheck from the tarball: the installed extension is not the committed one (uncommitted work)"
fi

done_testing
