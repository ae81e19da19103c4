# TAP helpers for the shell suites in test/shell (sourced).
#   ok CONDITION-EXIT-STATUS NAME   e.g.  cmp -s a b; ok $? "a equals b"
#   is GOT EXPECTED NAME
#   diag TEXT...                    comment lines
#   done_testing                    prints the plan; exit status = failures
tap_n=0
tap_failed=0

ok() {
	local status=$1
	shift
	tap_n=$((tap_n + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $tap_n - $*"
	else
		echo "not ok $tap_n - $*"
		tap_failed=$((tap_failed + 1))
	fi
}

is() {
	local got=$1 expected=$2
	shift 2
	if [ "$got" == "$expected" ]; then
		ok 0 "$*"
	else
		ok 1 "$*"
		diag "got:      $got"
		diag "expected: $expected"
	fi
}

# a test that is expected to fail until the named work is done (TAP TODO)
todo_ok() {
	local status=$1 reason=$2
	shift 2
	tap_n=$((tap_n + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $tap_n - $* # TODO $reason"
	else
		echo "not ok $tap_n - $* # TODO $reason"
	fi
}

# diagnostics go to standard error, where prove shows them without -v
diag() {
	printf '%s\n' "$@" | sed 's/^/# /' >&2
}

# notes about TODO tests stay on standard output (shown with -v only)
note() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# Stop the suite: report what broke as a failed test and print the plan.
bail() {
	ok 1 "$*"
	done_testing
	exit 1
}
