# The office at its busiest: two merges of the same bundles at once (one in reverse
# order), with reports read in a loop meanwhile. No "database is locked", no report
# failing, every bundle merged exactly once, and the ledger equal to one plain merge.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"
. "$GASWALK_ROOT/tests/e2e/bundles.inc"

if [ -z "${VALGRIND:-}" ]; then make_bundles 6; else make_bundles 2 20; fi # valgrind: smaller
nb=$(ls bundles | wc -l)
cp office.db office.db.key ref/ 2>/dev/null || { mkdir ref; cp office.db office.db.key ref/; }
gw --db ref/office.db merge bundles/*.gwb > /dev/null
canonical ref/office.db > ref.canon

reports() { # until merges.done: reports of several kinds and formats
	n=0
	while [ ! -e merges.done ]; do
		n=$((n + 1))
		for k in weekly overdue ranking; do
			"$GASWALK" --db office.db report $k --format csv > /dev/null 2>> reports.err ||
				echo "report $k failed" >> reports.err
		done
	done
	echo $n > reports.n
}
reports &
rpid=$!
"$GASWALK" --db office.db merge bundles/*.gwb > m1.out 2> m1.err &
m1=$!
"$GASWALK" --db office.db merge $(ls bundles/*.gwb | sort -r) > m2.out 2> m2.err &
m2=$!
rc1=0 rc2=0
wait $m1 || rc1=$?
wait $m2 || rc2=$?
touch merges.done
wait $rpid

cat m1.err m2.err reports.err >&2 2>/dev/null || true
expect_eq "$rc1 $rc2" "0 0" "exit status of the two merges"
! grep -q . m1.err m2.err reports.err || fail "errors from merges or reports"
merged=$(cat m1.out m2.out | grep -c ': merged (' || true)
already=$(cat m1.out m2.out | grep -c ': already merged' || true)
expect_eq "$merged" "$nb" "bundles merged (by one merge or the other)"
expect_eq "$already" "$nb" "bundles found already merged"
canonical office.db > got.canon
cmp -s got.canon ref.canon || fail "two merges at once differ from one merge"
expect_eq "$(sqlite3 office.db "PRAGMA integrity_check")" ok "integrity"
gw --db office.db log --verify > /dev/null
echo "concurrency (office): 2 merges of $nb bundles at once, $(cat reports.n) rounds of 3 reports meanwhile: $merged merged, $already already merged, 0 errors"
