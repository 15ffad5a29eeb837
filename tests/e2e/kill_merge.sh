# Power loss at the office: SIGKILL 'gaswalk merge' of many bundles at random moments,
# 200 times. After each kill the ledger passes integrity_check, every bundle the merge
# had reported merged is there whole (and no bundle is there in part), and merging
# again completes, changes nothing a third time, and gives the canonical dump of an
# uninterrupted merge.
# A killed process loses nothing the kernel already has, whether or not it reached the
# disk: the trials run in memory (/dev/shm) when they can, so fsync costs no time.
[ -w /dev/shm ] && TMPDIR=/dev/shm
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"
. "$GASWALK_ROOT/tests/e2e/bundles.inc"
TRIALS=${KILL_TRIALS:-200}
TERMINALS=6

# under valgrind every run takes a second or more: fewer, smaller bundles
[ -z "${VALGRIND:-}" ] || TERMINALS=2
make_bundles $TERMINALS $((TERMINALS * 10))
nb=$(ls bundles | wc -l)
cp office.db pristine.db
# the reference: one uninterrupted merge
t0=$(date +%s%N)
gw --db office.db merge bundles/*.gwb > ref.out
span=$(( ($(date +%s%N) - t0) / 1000000 + 5 )) # ms: the kills land anywhere in a merge
canonical office.db > ref.canon
nvisits=$(sqlite3 office.db "SELECT count(*) FROM visit")
[ "$nvisits" -gt 0 ] || fail "the reference merge stored no visits"
rm -f office.db-wal office.db-shm

# the visits each bundle brings, by note prefix "tN-bB" (terminal N, its bundle B)
by_bundle() { sqlite3 -separator ' ' "$1" "SELECT substr(note, 1, instr(note, '-b') + 2) AS p, count(*) FROM visit GROUP BY p ORDER BY p"; }
by_bundle office.db > ref.counts
rm -f devmap; t=0
while [ $t -lt $TERMINALS ]; do echo "$(id_of t$t.db) t$t" >> devmap; t=$((t + 1)); done

partial=0 lost=0 mismatched=0 reported_total=0 completed_before_kill=0 rerun_failed=0
trial=0
while [ $trial -lt "$TRIALS" ]; do
	trial=$((trial + 1))
	cp pristine.db office.db
	rm -f office.db-wal office.db-shm
	"$GASWALK" --db office.db merge bundles/*.gwb > merge.out 2>/dev/null &
	pid=$!
	# 0 to the length of a whole merge, then the power goes
	r=$(( $(od -An -N2 -tu2 /dev/urandom) % span ))
	[ $r -lt 1 ] || sleep "$(printf '%d.%03d' $((r / 1000)) $((r % 1000)))"
	kill -9 $pid 2>/dev/null || true
	if wait $pid 2>/dev/null; then completed_before_kill=$((completed_before_kill + 1)); fi
	[ "$(sqlite3 office.db "PRAGMA integrity_check")" = ok ] || fail "trial $trial: integrity_check"
	# a bundle is there whole or not at all
	by_bundle office.db > got.counts
	partial=$((partial + $(awk 'NR == FNR { want[$1] = $2; next } $2 != want[$1] { n++ } END { print n + 0 }' ref.counts got.counts)))
	# and every bundle reported merged is there: "FILE: merged (device NAME (D), bundle B): ..."
	sed -n 's/.*: merged (device .*(\([0-9A-Za-z]*\)), bundle \([0-9]*\)).*/\1 \2/p' merge.out > reported
	lost=$((lost + $(awk 'FILENAME == "devmap" { t[$1] = $2; next }
		FILENAME == "got.counts" { have[$1] = 1; next }
		!have[t[$1] "-b" $2] { n++ } END { print n + 0 }' devmap got.counts reported)))
	reported_total=$((reported_total + $(wc -l < reported)))
	# merging again completes and gives the reference
	if ! "$GASWALK" --db office.db merge bundles/*.gwb > again.out 2>again.err; then
		rerun_failed=$((rerun_failed + 1)); cat again.err >&2
	fi
	canonical office.db > got.canon
	cmp -s got.canon ref.canon || mismatched=$((mismatched + 1))
done
echo "kill test (merge): $TRIALS trials of $nb bundles ($nvisits visits), $reported_total bundle merges reported before the kill, $completed_before_kill merges finished first, $lost lost, $partial bundles in part, $mismatched different from an uninterrupted merge, $rerun_failed re-runs failed"
expect_eq "$lost" 0 "bundles reported merged but lost"
expect_eq "$partial" 0 "bundles merged in part"
expect_eq "$mismatched" 0 "ledgers different from an uninterrupted merge"
expect_eq "$rerun_failed" 0 "merges that did not complete when run again"
# a third merge changes nothing
gw --db office.db merge bundles/*.gwb > third.out
canonical office.db > third.canon
cmp -s third.canon ref.canon || fail "a third merge changed the ledger"
expect_eq "$(grep -c 'already merged' third.out)" "$nb" "bundles already merged on the third run"
echo ok
