#!/bin/sh
# Compound plans travel: up to the district in the subdistrict office's roll-up, and down
# to the terminal in its assignment pack, where the route reads the month's plan.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
gw --db district.db init --office "District" --district >/dev/null
enroll_early district.db "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null

printf 'subdistrict,compound,month,households\nLSZ,C1,2023-11,3\nLSZ,C1,2023-12,1\nLSZ,C2,2023-11,1\n' >plan.csv
expect_rc 0 gw --db office.db plan import plan.csv
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --at 2023-11-02T09:00 >/dev/null
mkdir b r
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*.gwb >/dev/null
gw --db office.db export -o r >/dev/null
expect_rc 0 gw --db district.db merge r/*.gwb
expect_eq "$(sqlite3 district.db "SELECT group_concat(subdistrict || '/' || compound || '/' || month || '=' || households, ' ') FROM (SELECT * FROM plan ORDER BY 1, 2, 3)")" \
	"LSZ/C1/2023-11=3 LSZ/C1/2023-12=1 LSZ/C2/2023-11=1" "plans at the district"
expect_eq "$(sqlite3 district.db "SELECT DISTINCT origin FROM plan")" "$OFFICE_ID" "plans say where they came from"
# the district's plan report counts the subdistrict's households against them
gw --db district.db --lang en report plan --month 2023-11 --as-of 2023-11-30 --format csv >plan.csv.out
expect_grep '^Linshanzhai,,C1,4,3,1,33.3%,3,1,33.3%,behind plan' plan.csv.out

# down to the terminal with its assignment: the route's plan beside the compound
gw --db office.db assign --device "$T1_ID" --compound C1 -o pack2.gwp >/dev/null
expect_rc 0 gw --db t1.db load pack2.gwp
expect_eq "$(sqlite3 t1.db "SELECT households FROM plan WHERE compound = 'C1' AND month = '2023-11'")" 3 "plan on the terminal"
echo "ok plans travel"
