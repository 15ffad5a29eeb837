#!/bin/sh
# The merge log's head goes up in every roll-up and comes back in every pack: the
# district keeps the last head it witnessed, the sub-office the one echoed to it. A log
# cut, or cut and written again by gaswalk itself (every entry chained and signed anew),
# after its head went up is named by log --verify against the echo, by log --verify
# --against the district's witness line, and its next roll-up is refused.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

copy() { # FROM TO: a ledger and its key file
	sqlite3 "$1" ".backup $2"
	cp "$1.key" "$2.key"
	chmod 600 "$2.key"
}

setup_office_terminal
sqlite3 office.db "UPDATE household SET subdistrict = '林山寨街道'"
gw --db district.db init --office District --district >/dev/null
add_households district.db
sqlite3 district.db "UPDATE household SET subdistrict = '林山寨街道'"
D_ID=$(id_of district.db)
S_ID=$OFFICE_ID
gw --db district.db enroll "$(gw --db office.db key show | head -n 1)" --name "Subdistrict A" \
	--office --subdistrict LSZ >/dev/null
gw --db office.db trust "$(gw --db district.db key show | head -n 1)" >/dev/null

mkdir b
for i in 1 2 3; do
	gw --db t1.db record A1 --outcome not-home --at "2023-11-15T0${i}:00" >/dev/null
	gw --db t1.db export -o b >/dev/null
done
gw --db office.db merge b/*-000001.gwb b/*-000002.gwb >/dev/null
printf 'garbage' >junk.gwb
expect_rc 1 gw --db office.db merge junk.gwb
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM merge_log")" 3 "entries before the roll-up"

# up: the roll-up carries the head, the district keeps it
mkdir r
gw --db office.db export -o r >/dev/null
gw --db district.db merge r/*.gwb >/dev/null
gw --db district.db log --witnesses >w.out
expect_grep "^Subdistrict A ($S_ID) .* gaswalk-loghead1:$S_ID:3:" w.out
WITNESS=$(grep -o "gaswalk-loghead1:$S_ID:.*" w.out)
# down: the district's next pack echoes it; the sub-office checks its log against it
gw --db district.db assign --device "$S_ID" -o ack.gwp >/dev/null
gw --db office.db load ack.gwp >/dev/null
gw --db office.db log --verify >v.out
expect_grep "^merge log: chain intact, 3 entries, 3 signed by this ledger's key$" v.out
expect_grep "^merge log: matches the head District ($D_ID) witnessed (echoed .*): entry 3, " v.out
gw --db office.db log --verify --against "$WITNESS" >v.out
expect_grep "^merge log: matches the head given: entry 3, " v.out
canonical district.db >before.txt

# the rejection cut from the end of the sub-office's log
copy office.db cut.db
sqlite3 cut.db "DELETE FROM merge_log WHERE id = 3"
expect_rc 1 gw --db cut.db log --verify
expect_eq "$(cat "$T/err")" "gaswalk: merge log: 2 entries, but District ($D_ID) witnessed 3 (cut after its head went up)" "cut log"
expect_rc 1 gw --db cut.db log --verify --against "$WITNESS"
expect_eq "$(cat "$T/err")" "gaswalk: merge log: 2 entries, but the head given counts 3 (cut after that head)" "cut log, head given"
# ... and its next roll-up is refused at the district
gw --db cut.db record A4 --outcome not-home --role self-check --at 2023-11-15T05:00 >/dev/null
mkdir rc
gw --db cut.db export -o rc >/dev/null
expect_rc 1 gw --db district.db merge rc/*.gwb
expect_grep "merge log of $S_ID cut: its head counts 2 entries, 3 were witnessed" "$T/err"

# cut, then written again by gaswalk itself: chain and signatures hold, the witness does not
copy office.db re.db
sqlite3 re.db "DELETE FROM merge_log WHERE id = 3"
gw --db re.db merge b/*-000003.gwb >/dev/null
gw --db re.db log --verify --against "$(gw --db re.db log --head)" >v.out
expect_grep "chain intact, 3 entries, 3 signed" v.out
expect_rc 1 gw --db re.db log --verify
expect_eq "$(cat "$T/err")" "gaswalk: merge log: entry 3 is not the one District ($D_ID) witnessed (rewritten after its head went up)" "rewritten log"
expect_rc 1 gw --db re.db log --verify --against "$WITNESS"
expect_eq "$(cat "$T/err")" "gaswalk: merge log: entry 3 is not the one in the head given (rewritten after that head)" "rewritten log, head given"
# even with the echo deleted from its ledger, the district's witness line still holds it to it
sqlite3 re.db "DELETE FROM log_echo"
gw --db re.db log --verify >v.out
expect_grep "no witnessed head to check against" v.out
expect_rc 1 gw --db re.db log --verify --against "$WITNESS"
mkdir rr
gw --db re.db export -o rr >/dev/null
expect_rc 1 gw --db district.db merge rr/*.gwb
expect_grep "merge log of $S_ID rewritten: entry 3 differs from the one witnessed" "$T/err"
canonical district.db >after.txt
cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "the district's ledger changed"; }
echo ok
