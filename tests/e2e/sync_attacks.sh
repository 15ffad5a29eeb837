#!/bin/sh
# Replay, reorder, gap, fork, unknown and revoked devices, a bundle sealed to
# another office: each merged or rejected as it should, and logged.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
mkdir b1 b2
rec() { gw --db "$1" record "$2" --outcome not-home --at "$3" >/dev/null; }
# four bundles from t1, one visit each
for i in 1 2 3 4; do
	rec t1.db A1 "2023-11-0${i}T09:00"
	gw --db t1.db export -o b1 >/dev/null
done
B() { ls b1/*-00000"$1".gwb; }

# reorder and gap: 3 first (gap 1..2 reported), then 1, then 4, then 2
gw --db office.db merge "$(B 3)" >m.out
expect_grep "merged (device $T1_ID, bundle 3)" m.out
expect_grep "gap: bundles 1..2 of $T1_ID not merged yet" m.out
gw --db office.db merge "$(B 1)" "$(B 4)" "$(B 2)" >m.out
expect_eq "$(grep -c 'merged (device' m.out)" 3 "reordered bundles merged"
expect_eq "$(sqlite3 office.db 'SELECT count(*) FROM visit')" 4 "visits after reorder"
# the same in order into a second office-like copy gives the same ledger: see sync_conflicts

# replay
gw --db office.db merge "$(B 2)" >m.out
expect_grep "already merged" m.out

# fork: a clone of t1 (same keys and id) writes its own bundle 5 and so does t1
cp t1.db clone.db; cp t1.db.key clone.db.key
rec t1.db A1 2023-11-10T09:00
gw --db t1.db export -o b1 >/dev/null
rec clone.db A3 2023-11-10T10:00
gw --db clone.db export -o b2 >/dev/null
gw --db office.db merge b1/*-000005.gwb >/dev/null
canonical office.db >before.txt
expect_rc 1 gw --db office.db merge b2/*-000005.gwb
expect_grep "FORK" "$T/err"
expect_grep "rejected" "$T/out"
canonical office.db >after.txt
cmp -s before.txt after.txt || fail "a fork changed the ledger"
# a broken previous-hash link is a fork too (clone's bundle 6 follows its own 5)
rec clone.db A3 2023-11-11T10:00
gw --db clone.db export -o b2 >/dev/null
expect_rc 1 gw --db office.db merge b2/*-000006.gwb
expect_grep "FORK.*does not follow" "$T/err"

# unknown device
make_ledger t2.db device "T2"
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
sqlite3 t2.db "INSERT INTO household(account, category, gas) VALUES ('A1','residential','pipeline')"
rec t2.db A1 2023-11-12T09:00
gw --db t2.db export -o b2 >/dev/null
T2B=$(ls b2/*"$(id_of t2.db)"*.gwb)
expect_rc 1 gw --db office.db verify "$T2B"
expect_grep "unknown device" "$T/err"
expect_rc 1 gw --db office.db merge "$T2B"
expect_grep "unknown device" "$T/err"

# revoked: bundles merged before stay, new ones are refused
gw --db office.db revoke "$T1_ID" >/dev/null
rec t1.db A1 2023-11-13T09:00
gw --db t1.db export -o b1 >/dev/null
expect_rc 1 gw --db office.db merge b1/*-000006.gwb
expect_grep "revoked" "$T/err"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit WHERE device='$T1_ID'")" 5 "merged visits stay"

# sealed to another office
make_ledger other.db office "Office B"
gw --db t2.db trust-replace "$(gw --db other.db key show | head -n 1)" --yes >/dev/null
gw --db office.db enroll "$(gw --db t2.db key show | head -n 1)" --name T2 >/dev/null
rec t2.db A1 2023-11-14T09:00
gw --db t2.db export -o b2 >/dev/null
expect_rc 1 gw --db office.db merge "$(ls b2/*"$(id_of t2.db)"*-000002.gwb)"
expect_grep "sealed to another ledger" "$T/err"

# a pack from an office the terminal does not trust
gw --db other.db enroll "$(gw --db t1.db key show | head -n 1)" --name T1 >/dev/null
sqlite3 other.db "INSERT INTO household(account, category, gas, compound) VALUES ('Z1','residential','pipeline','CZ')"
gw --db other.db assign --device "$T1_ID" --compound CZ -o bad.gwp >/dev/null
expect_rc 1 gw --db t1.db load bad.gwp
expect_grep "but this ledger trusts office $OFFICE_ID" "$T/err"
# ... not even with --trust and the right fingerprint: t1 trusts an office already
# (replacing it is trust-replace; tests/e2e/trust_attacks.sh)
FPR=$(gw --db other.db key show | sed -n 2p | sed 's/.*fingerprint //')
expect_rc 1 gw --db t1.db load bad.gwp --trust "$FPR"
expect_grep "replacing the trusted office is done only with 'gaswalk trust-replace'" "$T/err"

# every merge and rejection is in the log, and the chain holds
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM merge_log WHERE result='merged'")" 5 "merged entries"
[ "$(sqlite3 office.db "SELECT count(*) FROM merge_log WHERE result='rejected'")" -ge 5 ] || fail "rejections not logged"
gw --db office.db log --verify >log.out
expect_grep "chain intact" log.out
echo ok
