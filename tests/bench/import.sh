# Bench: 'gaswalk import' of a 300,000-row customer list against the sqlite3 shell's
# '.import' of the same file into a bare table with the same primary key (account TEXT
# PRIMARY KEY), in the same run, on a list sorted by account and on the same list
# shuffled; and gaswalk's peak memory, also for a city-sized list of 3,000,000 rows
# (shuffled: the worst case for finding duplicates). Prints:
#   import 300000 rows sorted:   gaswalk 1.41 s (CPU 1.30 s), sqlite3 .import 1.02 s (CPU 1.00 s), ratio 1.38 (CPU 1.30); peak RSS 41.2 MB
#   import 300000 rows shuffled: gaswalk 2.90 s (CPU 2.40 s), sqlite3 .import 3.10 s (CPU 2.90 s), ratio 0.94 (CPU 0.83); peak RSS 52.0 MB
#   import 3000000 rows shuffled: peak RSS 58.3 MB (target < 64 MB)
# Each timing: best of three runs, each into a fresh database. ROWS=N and CITY_ROWS=N
# change the sizes (CITY_ROWS=0 skips the city-sized list).
. "$(dirname "$0")/lib.sh"
ROWS=${ROWS:-300000}
CITY_ROWS=${CITY_ROWS:-3000000}
[ -x /usr/bin/time ] || { echo "bench/import: /usr/bin/time missing (make test-deps)" >&2; exit 1; }

# gen N OUT: the list (tests/bench/gen-list.awk: the district's own subdistricts, read
# from data/subdistricts.tsv, so that the import's subdistrict check accepts them),
# accounts in a scrambled order; OUT.sorted: the same lines sorted by account.
gen() {
	awk -v rows="$1" -f "$GASWALK_ROOT/tests/bench/gen-list.awk" "$GASWALK_ROOT/data/subdistricts.tsv" >"$2"
	{ head -n 1 "$2"; tail -n +2 "$2" | LC_ALL=C sort -t, -k1,1; } >"$2.sorted"
}
fresh_gaswalk() {
	rm -f "$B"/gw.db*
	"$GASWALK" --db "$B/gw.db" init --office bench >/dev/null
}
fresh_sqlite() {
	rm -f "$B"/bare.db*
	sqlite3 "$B/bare.db" "PRAGMA journal_mode = WAL; CREATE TABLE household(
		account TEXT PRIMARY KEY, category, gas, new_build, sector, name, phone,
		subdistrict, community, compound, building, unit, floor, room) WITHOUT ROWID" >/dev/null
}
# best_of3 PREPARE COMMAND...: "WALL CPU" — the best wall-clock seconds and the best
# CPU seconds (user + system) of three runs, each after PREPARE. CPU time is printed
# too because these machines are shared: the wall clock also counts other people's work.
best_of3() {
	prep=$1; shift
	for i in 1 2 3; do
		"$prep"
		/usr/bin/time -f "%e %U %S" -o "$B/time.txt" "$@" >/dev/null 2>&1
		cat "$B/time.txt"
	done | awk '{ c = $2 + $3; if (NR == 1 || $1 < w) w = $1; if (NR == 1 || c < u) u = c }
		END { printf "%.3f %.3f\n", w, u }'
}
# one FILE LABEL ROWS: gaswalk and sqlite3 on the same file, side by side
one() {
	gw_s=$(best_of3 fresh_gaswalk "$GASWALK" --db "$B/gw.db" import "$1")
	n=$(sqlite3 "$B/gw.db" "SELECT count(*) FROM household")
	sq_s=$(best_of3 fresh_sqlite sqlite3 "$B/bare.db" ".import --csv --skip 1 $1 household")
	m=$(sqlite3 "$B/bare.db" "SELECT count(*) FROM household")
	[ "$n" = "$3" ] && [ "$m" = "$3" ] || { echo "bench/import: rows $n / $m, expected $3" >&2; exit 1; }
	fresh_gaswalk
	kb=$(peak_kb "$GASWALK" --db "$B/gw.db" import "$1")
	echo "$3 $2 $gw_s $sq_s $kb" | awk '{
		printf "import %d rows %-9s gaswalk %.2f s (CPU %.2f s), sqlite3 .import %.2f s (CPU %.2f s), ratio %.2f (CPU %.2f); peak RSS %.1f MB\n",
			$1, $2 ":", $3, $4, $5, $6, $3 / $5, $4 / $6, $7 / 1024
	}'
}

gen "$ROWS" "$B/list.csv"
one "$B/list.csv.sorted" sorted "$ROWS"
one "$B/list.csv" shuffled "$ROWS"
rm -f "$B"/list.csv*
if [ "$CITY_ROWS" -gt 0 ]; then
	gen "$CITY_ROWS" "$B/city.csv"
	rm -f "$B/city.csv.sorted"
	fresh_gaswalk
	kb=$(peak_kb "$GASWALK" --db "$B/gw.db" import "$B/city.csv")
	n=$(sqlite3 "$B/gw.db" "SELECT count(*) FROM household")
	[ "$n" = "$CITY_ROWS" ] || { echo "bench/import: city rows $n, expected $CITY_ROWS" >&2; exit 1; }
	echo "$CITY_ROWS $kb" | awk '{ printf "import %d rows shuffled: peak RSS %.1f MB (target < 64 MB)\n", $1, $2 / 1024 }'
fi
