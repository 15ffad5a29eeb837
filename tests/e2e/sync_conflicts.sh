#!/bin/sh
# Two terminals, one household, conflicting visits merged in both orders: the
# same ledger, one conflict listed; resolve settles it; an install is not undone
# by an inspector who did not know of it.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
make_ledger t2.db device "T2"
T2_ID=$(id_of t2.db)
enroll_early office.db "$(gw --db t2.db key show | head -n 1)" --name "Terminal 2" >/dev/null
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db office.db assign --device "$T2_ID" --compound C1 -o pack2.gwp >/dev/null
gw --db t2.db load pack2.gwp >/dev/null
VALVE=$(sqlite3 t1.db "SELECT code FROM catalog WHERE item='valve' LIMIT 1")

# A1: both inspect from the same (empty) base and disagree on the valve and hose
gw --db t1.db record A1 --outcome entered --valve ok --hose metal --at 2023-11-02T09:00 >/dev/null
gw --db t2.db record A1 --outcome entered --valve absent --hose metal --at 2023-11-02T10:00 >/dev/null
# A4: the installer fits a valve at 10:00; the inspector, not knowing, saw none at 11:00
gw --db t1.db record A4 --outcome entered --install "valve:$VALVE:SN-9:120" --hose metal --at 2023-11-03T10:00 >/dev/null
gw --db t2.db record A4 --outcome entered --valve absent --hose metal --at 2023-11-03T11:00 >/dev/null
mkdir b
gw --db t1.db export -o b >/dev/null
gw --db t2.db export -o b >/dev/null
B1=$(ls b/*"$T1_ID"*.gwb)
B2=$(ls b/*"$T2_ID"*.gwb)

cp office.db office2.db; cp office.db.key office2.db.key
gw --db office.db merge "$B1" "$B2" >m1.out
gw --db office2.db merge "$B2" "$B1" >m2.out
expect_grep "new conflicts" m1.out
canonical office.db >one.txt
canonical office2.db >two.txt
cmp -s one.txt two.txt || { diff one.txt two.txt >&2; fail "merge order changed the ledger"; }

gw --db office.db conflicts --json >c.json
expect_eq "$(python3 -c 'import json,sys; d=json.load(open("c.json")); print(len(d), sorted(c["account"] for c in d))')" \
	"2 ['A1', 'A4']" "conflicts listed"
expect_eq "$(python3 -c 'import json; d=json.load(open("c.json")); print([c["fields"] for c in d if c["account"]=="A1"][0])')" \
	valve "A1 conflict fields"
# displayed status: the later observation (fold order) for A1, the install for A4
expect_eq "$(sqlite3 office.db "SELECT valve FROM status WHERE account='A1'")" absent "A1 valve before resolve"
expect_eq "$(sqlite3 office.db "SELECT valve FROM status WHERE account='A4'")" ok "install kept"

# resolve keeps t1's visit: t2's observation is set aside
ID=$(python3 -c 'import json; d=json.load(open("c.json")); print([c["id"] for c in d if c["account"]=="A1"][0])')
gw --db office.db resolve "$ID" --keep "$T1_ID/1" >r.out
expect_grep "resolved" r.out
expect_eq "$(sqlite3 office.db "SELECT valve FROM status WHERE account='A1'")" ok "A1 valve after resolve"
expect_eq "$(gw --db office.db status A1 --json | python3 -c "import json,sys; print(json.load(sys.stdin)['status']['valve'])")" ok "status shows the resolution"
expect_eq "$(sqlite3 office.db "SELECT keep_device FROM conflict WHERE id=$ID")" "$T1_ID" "resolution recorded"
gw --db office.db conflicts >c.txt
expect_eq "$(grep -c '^conflict' c.txt)" 1 "one open conflict left"
expect_rc 1 gw --db office.db resolve "$ID" --keep "$T1_ID/99"
expect_grep "not one of its two visits" "$T/err"
expect_rc 2 gw --db office.db resolve "$ID"
echo ok
