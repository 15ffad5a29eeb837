#!/bin/sh
# Settings and catalog changes made at the office reach a terminal in its assignment pack,
# with their scope: a terminal-local setting never travels, and the terminal keeps its own.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

setup_office_terminal
expect_eq "$(sqlite3 t1.db "SELECT value FROM setting WHERE key = 'rectify_days_grade2'")" 30 "default before"
expect_rc 0 gw --db t1.db settings idle_lock_minutes 3
expect_rc 0 gw --db office.db settings rectify_days_grade2 14
expect_rc 0 gw --db office.db settings plan_behind_percent 10
expect_rc 0 gw --db office.db settings idle_lock_minutes 9
printf 'code,item,name,brand,model,standard,price\nA-X9,alarm,家用燃气报警器,安泰,AT-9,GB 15322.2,158.50\n' > catalog.csv
expect_rc 0 gw --db office.db catalog import catalog.csv
expect_rc 0 gw --db office.db assign --device "$T1_ID" --compound C1 -o pack2.gwp
expect_rc 0 gw --db t1.db load pack2.gwp

expect_eq "$(sqlite3 t1.db "SELECT value FROM setting WHERE key = 'rectify_days_grade2'")" 14 "district-wide setting reached the terminal"
expect_eq "$(sqlite3 t1.db "SELECT value FROM setting WHERE key = 'plan_behind_percent'")" 10 "office setting reached the terminal"
expect_eq "$(sqlite3 t1.db "SELECT value FROM setting WHERE key = 'idle_lock_minutes'")" 3 "terminal-local setting kept"
expect_eq "$(sqlite3 t1.db "SELECT origin FROM setting_origin WHERE key = 'plan_behind_percent'")" office "origin recorded"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM setting_log WHERE key = 'rectify_days_grade2' AND new = '14'")" 1 "arrival logged"
expect_eq "$(sqlite3 t1.db "SELECT item || ' ' || price_fen FROM catalog WHERE code = 'A-X9'")" "alarm 15850" "catalog reached the terminal"
gw --db t1.db settings rectify_days_grade2 > show.txt
expect_grep "scope: district-wide" show.txt
# the terminal may not change what the office sets
expect_rc 1 gw --db t1.db settings rectify_days_grade2 20
# a later pack with the same values changes nothing and logs nothing new
n=$(sqlite3 t1.db "SELECT count(*) FROM setting_log")
expect_rc 0 gw --db office.db assign --device "$T1_ID" --compound C1 -o pack3.gwp
expect_rc 0 gw --db t1.db load pack3.gwp
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM setting_log")" "$n" "no new log entries"
echo "ok settings and catalog through a pack"
