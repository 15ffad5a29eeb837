# Shared helpers for the end-to-end scripts (sourced, not run).
set -eu
: "${GASWALK:?run through make check}"
T=$(mktemp -d "${TMPDIR:-/tmp}/gaswalk-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"
gw() { "$GASWALK" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
# expect_rc RC command... : runs the command and checks its exit status
expect_rc() {
	want=$1; shift
	set +e; "$@" >"$T/out" 2>"$T/err"; got=$?; set -e
	[ "$got" = "$want" ] || { cat "$T/err" >&2; fail "$*: exit $got, expected $want"; }
}
# expect_grep PATTERN FILE
expect_grep() { grep -q -- "$1" "$2" || { cat "$2" >&2; fail "'$1' not in $2"; }; }
# with a busy timeout: a check right after a kill may meet a ledger another process is
# still opening or recovering; it then waits instead of failing with "database is locked"
sql() { sqlite3 -cmd '.timeout 10000' "${DB:-gaswalk.db}" "$@"; }
