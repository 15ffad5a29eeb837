# gaswalk demo: a deterministic district with every outcome, refused on an existing ledger.
. "$(dirname "$0")/lib.sh"
export GASWALK_NOW=1700000000

dump() { sqlite3 "$1" "SELECT * FROM household ORDER BY account; SELECT device, seq, account, actor, role, at, outcome, hose, valve, alarm, shutoff FROM visit ORDER BY device, seq; SELECT * FROM status ORDER BY account;"; }

expect_rc 0 gw --db a.db demo --households 600 --seed 7 --no-tui
expect_grep "600 households" "$T/out"
expect_rc 0 gw --db b.db demo --households 600 --seed 7 --no-tui
expect_rc 0 gw --db c.db demo --households 600 --seed 8 --no-tui
[ "$(dump a.db | md5sum)" = "$(dump b.db | md5sum)" ] || fail "same seed, different district"
[ "$(dump a.db | md5sum)" != "$(dump c.db | md5sum)" ] || fail "different seeds, same district"

DB=a.db
expect_eq "$(sql "SELECT count(*) FROM household")" 600 "households"
expect_eq "$(sql "SELECT count(DISTINCT subdistrict) FROM household")" 14 "all 14 subdistricts"
for o in entered not-home refused vacant; do
	[ "$(sql "SELECT count(*) FROM visit WHERE outcome = '$o'")" -gt 0 ] || fail "no $o visit"
done
for s in compliant pending hazard_open refused; do
	[ "$(sql "SELECT count(*) FROM status WHERE state = '$s'")" -gt 0 ] || fail "no $s household"
done
[ "$(sql "SELECT count(*) FROM household WHERE account NOT IN (SELECT account FROM status)")" -gt 0 ] || fail "nobody never reached"
[ "$(sql "SELECT count(*) FROM household WHERE category = 'non_residential'")" -gt 0 ] || fail "no non-residential"
[ "$(sql "SELECT count(*) FROM household WHERE gas = 'lpg'")" -gt 0 ] || fail "no LPG"
expect_eq "$(sql "SELECT count(*) FROM household WHERE category = 'non_residential' AND sector IS NULL")" 0 "sectors"
# the summary's numbers are the ledger's
compliant=$(sql "SELECT count(*) FROM status WHERE state = 'compliant'")
gw --db a.db demo --no-tui 2>"$T/err" && fail "demo over an existing ledger"
expect_grep "already exists" "$T/err"
expect_rc 0 gw --db d.db demo --households 600 --seed 7 --no-tui
expect_grep "compliant: $compliant" "$T/out"
gw --db d.db --lang zh demo --no-tui 2>/dev/null || true
expect_rc 0 gw --db e.db --lang zh demo --households 100 --no-tui
expect_grep "已达标" "$T/out"
expect_rc 2 gw --db f.db demo --households zero
echo ok
