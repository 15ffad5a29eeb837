# Many writers on one ledger at once: 8 'gaswalk record' loops in parallel while a
# reader holds one long read transaction, 'gaswalk list' reads in a loop and the TUI
# is open. No "database is locked", no lost write, sequence numbers unique; the
# reader's snapshot does not move and does not block the writers; the TUI shows
# what the others wrote once it redraws.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"
WRITERS=8 EACH=25
# under valgrind a write takes a hundred times longer: fewer writers, so none waits
# past the 10 s busy timeout behind the others
[ -z "${VALGRIND:-}" ] || { WRITERS=3 EACH=6; }

make_ledger
for n in 1 2 3 4 5 6 7 8; do add_home "C$n" "住户$n" 并发小区 1 1 1 "10$n"; done
remember_who W01 inspect
start_tui 40 15 --lang en tui
wait_for "today"
keys C1 Enter
wait_for "Visits     0"

# a reader that holds one snapshot until the writers are done
{ echo "BEGIN; SELECT count(*) FROM visit;"
  echo ".shell touch reader.started"
  while [ ! -e writers.done ]; do sleep 0.05; done
  echo "SELECT count(*) FROM visit; COMMIT;"; } | sqlite3 gaswalk.db > reader.out 2>&1 &
reader=$!
# the writers start once the reader holds its snapshot (it may be slower to start)
while [ ! -e reader.started ]; do sleep 0.05; done
# and one that opens the ledger again and again
{ while [ ! -e writers.done ]; do "$GASWALK" list > /dev/null 2>>list.err || echo fail >> list.err; done; } &
lister=$!

writer() { # N: EACH visits on household CN
	k=0
	while [ $k -lt $EACH ]; do
		k=$((k + 1))
		"$GASWALK" record "C$1" --outcome entered --hose metal --note "w$1-$k" \
			>/dev/null 2>>"writer.$1.err" || echo "exit $?" >> "writer.$1.err"
	done
}
pids=""
n=0
while [ $n -lt $WRITERS ]; do
	n=$((n + 1))
	writer $n &
	pids="$pids $!"
done
# the TUI is used meanwhile
for _ in 1 2 3 4 5; do keys Escape; wait_for "today"; keys C1 Enter; wait_for "Visits"; done
for p in $pids; do wait "$p"; done
touch writers.done
wait $reader $lister

cat writer.*.err list.err > errors 2>/dev/null || true
if grep -q . errors; then cat errors >&2; fail "a writer or reader failed"; fi
total=$((WRITERS * EACH))
expect_eq "$(sql "SELECT count(*) FROM visit")" "$total" "visits written"
expect_eq "$(sql "SELECT count(*) FROM visit WHERE note LIKE 'w1-%'")" "$EACH" "visits of C1"
expect_eq "$(sql "SELECT count(DISTINCT note) FROM visit")" "$total" "distinct visits"
expect_eq "$(sql "SELECT count(DISTINCT seq) || ' ' || min(seq) || ' ' || max(seq) FROM visit")" \
	"$total 1 $total" "sequence numbers"
expect_eq "$(sql "SELECT sum(visits) FROM status")" "$total" "statuses count every visit"
expect_eq "$(sed -n 1p reader.out)" 0 "the reader's snapshot before"
expect_eq "$(sed -n 2p reader.out)" 0 "the reader's snapshot after (it never moved)"
expect_eq "$(sql "PRAGMA integrity_check")" ok "integrity"

# the TUI redraws with what the others wrote (one more visit after its last load)
wait_for "Visits     "
gw record C1 --outcome vacant >/dev/null
keys Down
wait_for "Visits     $((EACH + 1))"
keys Escape
wait_for "today $WRITERS"
echo "concurrency: $WRITERS writers x $EACH visits, 1 long reader, list loop, TUI open: $total visits, 0 errors"
