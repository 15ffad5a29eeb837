#!/bin/sh
# make bench: every benchmark piece in tests/bench/*.sh, each measuring gaswalk side
# by side with the baseline its issue names, in one run, and printing ratios.
# Timings are never asserted: these machines are shared and noisy.
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export GASWALK="$ROOT/$BUILD/test-bin/gaswalk" GASWALK_ROOT="$ROOT" BUILD
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai
out="$ROOT/$BUILD/bench.txt"
: > "$out"
status=0
for b in "$ROOT"/tests/bench/*.sh; do
	case "$(basename "$b")" in run.sh | lib.sh) continue ;; esac
	if [ -n "${ONLY:-}" ] && ! echo "$b" | grep -q "$ONLY"; then continue; fi
	echo "== $(basename "$b" .sh)" | tee -a "$out"
	sh "$b" 2>&1 | tee -a "$out" || status=1
done
echo "results in $out"
exit $status
