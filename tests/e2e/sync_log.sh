#!/bin/sh
# The merge log is hash-chained: an entry edited with sqlite3 is named by log --verify.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
mkdir b
for i in 1 2 3; do
	gw --db t1.db record A1 --outcome not-home --at "2023-11-14T1${i}:00Z" >/dev/null
	gw --db t1.db export -o b >/dev/null
done
gw --db office.db merge b/*.gwb >/dev/null
printf 'garbage' >b/junk.gwb
expect_rc 1 gw --db office.db merge b/junk.gwb
expect_grep "truncated\|not a gaswalk bundle" "$T/err"
gw --db office.db log >log.out
expect_eq "$(wc -l <log.out)" 4 "log entries"
expect_grep "rejected" log.out
gw --db office.db log --verify >v.out
expect_grep "chain intact" v.out

sqlite3 office.db "UPDATE merge_log SET detail = '0 new visits' WHERE id = 2"
expect_rc 1 gw --db office.db log --verify
expect_grep "entry 2 does not match" "$T/err"
# an entry removed from the middle breaks the link of the next one
sqlite3 office.db "UPDATE merge_log SET detail = (SELECT detail FROM merge_log WHERE id = 1) WHERE id = 2"
cp office.db o2.db
sqlite3 o2.db "DELETE FROM merge_log WHERE id = 2"
expect_rc 1 gw --db o2.db log --verify
expect_grep "entry 3 does not match" "$T/err"
echo ok
