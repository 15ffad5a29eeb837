#!/bin/sh
# Void records (sync format 2): a terminal voids its own mistaken visit, which leaves the
# fold and the conflict it was in, at the office as on the terminal; an office's void
# reaches the district before the visit it cancels (its own feed goes first in a
# roll-up) and still applies; the notice, quick-entry and supply-hazard fields travel.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
make_ledger t2.db device "T2"
gw --db office.db enroll "$(gw --db t2.db key show | head -n 1)" --name T2 >/dev/null
gw --db t2.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db office.db assign --device "$(id_of t2.db)" --compound C1 -o p2.gwp >/dev/null
gw --db t2.db load p2.gwp >/dev/null
T2_ID=$(id_of t2.db)

# two terminals disagree on A1 from the same base: a conflict at the office
gw --db t1.db record A1 --outcome entered --hose metal --valve absent --at 2023-11-14T09:00Z >/dev/null
gw --db t2.db record A1 --outcome entered --hose metal --valve ok --notice --at 2023-11-14T10:00Z >/dev/null
gw --db t2.db record A2 --outcome entered --hazard H01:1 --supply stopped --supply-hazard H01 \
	--at 2023-11-14T10:30Z >/dev/null
gw --db t2.db record A3 --outcome entered --quick --hose metal --at 2023-11-14T10:40Z >/dev/null
mkdir b
gw --db t1.db export -o b >/dev/null && gw --db t2.db export -o b >/dev/null
gw --db office.db merge b/*.gwb >/dev/null
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM conflict")" 1 "conflict found"
expect_eq "$(sqlite3 office.db "SELECT notice FROM visit WHERE device = '$T2_ID' AND seq = 1")" 1 "notice travelled"
expect_eq "$(sqlite3 office.db "SELECT supply_hazard FROM visit WHERE device = '$T2_ID' AND seq = 2")" H01 "supply hazard travelled"
expect_eq "$(sqlite3 office.db "SELECT entry_mode FROM visit WHERE device = '$T2_ID' AND seq = 3")" quick "entry mode travelled"

# a terminal cannot void another's visit; it voids its own, with a reason
expect_rc 1 gw --db t1.db void "$T2_ID/1" --reason "not mine"
expect_grep "gaswalk: visit $T2_ID/1: a terminal voids only its own visits" "$T/err"
expect_rc 2 gw --db t1.db void "$T1_ID/1"
expect_rc 0 gw --db t1.db void "T1/1" --reason "wrong door"
expect_grep "voided visit $T1_ID/1 of A1 (void $T1_ID/2)" "$T/out"
expect_rc 1 gw --db t1.db void "$T1_ID/1" --reason "again"
expect_grep "visit $T1_ID/1 is voided already" "$T/err"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM status WHERE account = 'A1'")" 0 "voided visit left out on the terminal"
gw --db t1.db export -o b >/dev/null
expect_rc 0 gw --db office.db merge "$(ls b/*"$T1_ID"*.gwb | tail -n 1)"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM conflict")" 0 "the conflict went with the voided visit"
expect_eq "$(sqlite3 office.db "SELECT valve || ':' || visits FROM status WHERE account = 'A1'")" "ok:1" "status from the other visit"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit")" 4 "the voided visit stays in the ledger"

# an office voids a terminal's visit of its territory; at the district the void comes first
gw --db district.db init --office "District" --district >/dev/null
gw --db district.db enroll "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null
expect_rc 0 gw --db office.db void "$T2_ID/3" --reason "a quick visit at the wrong door"
mkdir r && gw --db office.db export -o r >/dev/null
expect_rc 0 gw --db district.db merge r/*.gwb
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit_void")" 2 "both voids at the district"
expect_eq "$(sqlite3 district.db "SELECT COUNT(*) FROM status WHERE account = 'A3'")" 0 "A3's only visit voided"
for a in A1 A2 A3; do
	expect_eq "$(sqlite3 district.db "SELECT state || visits FROM status WHERE account = '$a'")" \
		"$(sqlite3 office.db "SELECT state || visits FROM status WHERE account = '$a'")" "status of $a"
done
echo ok
