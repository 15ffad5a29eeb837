#!/bin/sh
# The test runner behind 'make check': every cmocka unit binary, then every
# end-to-end script in tests/e2e (each runs the real binary). Ends with the
# summary line "N passed, N failed".
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export GASWALK="$ROOT/$BUILD/test-bin/gaswalk" GASWALK_ROOT="$ROOT" BUILD
# VALGRIND=1: every unit test and every gaswalk the scripts run goes through valgrind
WRAP=""
if [ -n "${VALGRIND:-}" ]; then
	WRAP="$ROOT/tests/valgrind.sh"
	mkdir -p "$ROOT/$BUILD"
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$WRAP" "$ROOT/$BUILD/test-bin/gaswalk" > "$ROOT/$BUILD/gaswalk-vg"
	chmod +x "$ROOT/$BUILD/gaswalk-vg"
	export GASWALK="$ROOT/$BUILD/gaswalk-vg" KILL_TRIALS=20
fi
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai
passed=0 failed=0 failures=""
log_dir="$ROOT/$BUILD/test-logs"
rm -rf "$log_dir" && mkdir -p "$log_dir/unit" "$log_dir/e2e"

run_one() { # name command...
	name=$1; shift
	mkdir -p "$log_dir/$(dirname "$name")"
	if "$@" >"$log_dir/$name.log" 2>&1; then
		passed=$((passed + 1)); echo "PASS $name"
	else
		failed=$((failed + 1)); failures="$failures $name"; echo "FAIL $name"
		tail -n 30 "$log_dir/$name.log" | sed 's/^/    /'
	fi
}

for t in "$ROOT/$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" $WRAP "$t"
done
for t in "$ROOT"/tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	[ "$(basename "$t")" = lib.sh ] && continue
	if [ -n "$ONLY" ] && ! echo "$t" | grep -q "$ONLY"; then continue; fi
	run_one "e2e/$(basename "$t" .sh)" sh "$t"
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
