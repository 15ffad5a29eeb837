# Shared helpers for benchmark pieces (sourced).
set -eu
: "${GASWALK:?run through make bench}"
B=$(mktemp -d "${TMPDIR:-/tmp}/gaswalk-bench.XXXXXX")
trap 'rm -rf "$B"' EXIT
# secs COMMAND...: wall-clock seconds of one run, as a decimal
secs() {
	s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
	echo "$s $e" | awk '{printf "%.3f", $2 - $1}'
}
# best3 COMMAND...: the best of three runs (less noise on a shared machine)
best3() {
	a=$(secs "$@"); b=$(secs "$@"); c=$(secs "$@")
	printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | head -1
}
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "inf" }'; }
# peak_kb COMMAND...: peak resident memory in KB (GNU time)
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
