#!/bin/sh
# The merge log's head goes up in every roll-up and comes back in every pack: the
# district keeps the last head it witnessed, the sub-office the one echoed to it. Each
# roll-up also carries the log entries since the echoed head (all of them when none is
# echoed), and the district accepts the new head only if those entries extend the one
# it witnessed. A log cut, or cut and written again by gaswalk itself (every entry
# chained and signed anew), after its head went up is named by log --verify against
# the echo, by log --verify --against the district's witness line, and its next
# roll-up is refused; so is one cut and padded back past the witnessed count. A
# replayed roll-up is "already merged".
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
expect_eq "$(cat "$T/err")" "gaswalk: held: log of $S_ID does not extend the head witnessed at 3: its head counts 2 entries (the log was cut, or this roll-up is older than one merged here); if $S_ID restored its ledger from a backup, accept it with a reason; otherwise reject it" "cut log's roll-up"

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
# the echo deleted from its ledger: log --verify says the witness is missing (not "never
# witnessed"), and the district's witness line still holds it to it
sqlite3 re.db "DELETE FROM log_echo"
expect_rc 1 gw --db re.db log --verify
expect_eq "$(cat "$T/err")" "gaswalk: merge log: the witnessed head is missing: District ($D_ID) echoed entry 3 of this log in a pack loaded here, but no echo is kept now (deleted); check the log against the district's copy: gaswalk log --verify --against LINE, with this ledger's line from 'gaswalk log --witnesses' at District ($D_ID)" "echo deleted"
expect_grep "^merge log: chain intact, 3 entries, 3 signed" "$T/out"
# ... and with that note gone too, the roll-ups the district acknowledged still tell
sqlite3 re.db "DELETE FROM meta WHERE key = 'log_echo_last'"
expect_rc 1 gw --db re.db log --verify
expect_eq "$(cat "$T/err")" "gaswalk: merge log: the witnessed head is missing: District ($D_ID) acknowledged this office's roll-ups up to 1, each carrying its log head, but no echo of it is kept here (deleted); check the log against the district's copy: gaswalk log --verify --against LINE, with this ledger's line from 'gaswalk log --witnesses' at District ($D_ID)" "echo and note deleted"
expect_rc 1 gw --db re.db log --verify --against "$WITNESS"
# with no echo, its roll-up carries the whole log: entry 3 is not the one witnessed
mkdir rr
gw --db re.db export -o rr >/dev/null
expect_rc 1 gw --db district.db merge rr/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: log of $S_ID does not extend the head witnessed at 3: its entry 3 is not the one witnessed (the log was cut or rewritten after that head went up); if $S_ID restored its ledger from a backup, accept it with a reason; otherwise reject it" "rewritten log's roll-up"

# the attack: the clerk cuts the log after its head went up (the rejection and the merge
# before it), then pads it back past the witnessed count with entries gaswalk signs
# with the office's key (twelve merges of a file that does not exist), and sends a
# roll-up with a self-check: its entries from the echoed head on do not chain from the
# witnessed entry 3
copy office.db pad.db
sqlite3 pad.db "DELETE FROM merge_log WHERE id >= 2"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	expect_rc 1 gw --db pad.db merge nosuch.gwb
done
expect_eq "$(sqlite3 pad.db "SELECT count(*) || ' ' || sum(sig IS NOT NULL) FROM merge_log")" "13 13" "padded log"
gw --db pad.db log --verify --against "$(gw --db pad.db log --head)" >v.out
expect_grep "chain intact, 13 entries, 13 signed" v.out
gw --db pad.db record A4 --outcome not-home --role self-check --at 2023-11-15T06:00 >/dev/null
mkdir rp
gw --db pad.db export -o rp >/dev/null
expect_rc 1 gw --db district.db verify rp/*.gwb
expect_grep "log of $S_ID does not extend the head witnessed at 3: its entry 3 is not the one witnessed" "$T/err"
expect_rc 1 gw --db district.db merge rp/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: log of $S_ID does not extend the head witnessed at 3: its entry 3 is not the one witnessed (the log was cut or rewritten after that head went up); if $S_ID restored its ledger from a backup, accept it with a reason; otherwise reject it" "padded log's roll-up"
expect_grep "held whole as 3 (device [^,]*$S_ID[^,]*, bundle 2); see 'gaswalk held'$" "$T/out"
# the same with the echo deleted first (the roll-up then carries the whole log)
sqlite3 pad.db "DELETE FROM log_echo"
mkdir rp2
gw --db pad.db export -o rp2 >/dev/null
expect_rc 1 gw --db district.db merge rp2/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: log of $S_ID does not extend the head witnessed at 3: its entry 3 is not the one witnessed (the log was cut or rewritten after that head went up); if $S_ID restored its ledger from a backup, accept it with a reason; otherwise reject it" "padded log's roll-up, no echo"
# ... or with no log entries in the roll-up (an echo of the padded head put in its
# ledger, so that export sends none): the entries after the witnessed head are missing
sqlite3 pad.db "INSERT INTO log_echo(by_device, count, hash, sig, at)
	SELECT '$D_ID', id, hash, sig, 0 FROM merge_log ORDER BY id DESC LIMIT 1"
mkdir rp3
gw --db pad.db export -o rp3 >/dev/null
expect_rc 1 gw --db district.db merge rp3/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: log of $S_ID does not extend the head witnessed at 3: entries 4..13 are not in the roll-up; if $S_ID restored its ledger from a backup, accept it with a reason; otherwise reject it" "padded log's roll-up without entries"
canonical district.db >after.txt
cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "the district's ledger changed"; }
expect_eq "$(gw --db district.db log --witnesses | grep -c ":$S_ID:3:")" 1 "witness kept at 3"
# each is held for the district's clerk, nothing of it merged; the clerk rejects them
expect_eq "$(gw --db district.db held | grep -c "log of $S_ID does not extend the head witnessed at 3")" 5 "five roll-ups held"
for i in 1 2 3 4 5; do
	expect_rc 0 gw --db district.db held reject "$i" --reason "the log was cut, not restored"
done
expect_eq "$(gw --db district.db held | wc -l)" 0 "nothing held after the decisions"
canonical district.db >after.txt
cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "the district's ledger changed"; }
expect_eq "$(gw --db district.db log --witnesses | grep -c ":$S_ID:3:")" 1 "witness still at 3"

# an honest roll-up beside them merges: its entries 4 and 5 chain from the witnessed
# entry 3, 5 a rejection whose line was cut inside a character (a long Chinese path:
# not UTF-8, it goes up in hex)
gw --db office.db merge b/*-000003.gwb >/dev/null
LONG=$(python3 -c "print('a' + '/'.join(['林山寨街道' * 6] * 6))")
expect_rc 1 gw --db office.db merge "$LONG/x.gwb"
python3 - office.db <<'PY' || fail "entry 5's detail is UTF-8: the test needs one that is not"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.text_factory = bytes
d = db.execute("SELECT detail FROM merge_log WHERE id = 5").fetchone()[0]
try:
    d.decode('utf-8')
except UnicodeDecodeError:
    sys.exit(0)
sys.exit(1)
PY
gw --db office.db record A4 --outcome not-home --role self-check --at 2023-11-15T07:00 >/dev/null
mkdir h
gw --db office.db export -o h >/dev/null
gw --db district.db verify h/*.gwb >/dev/null
expect_eq "$(gw --db district.db log --witnesses | grep -c ":$S_ID:3:")" 1 "verify keeps no head"
gw --db district.db merge h/*.gwb >m.out
expect_grep "merged (device Subdistrict A ($S_ID)" m.out
expect_grep "gaswalk-loghead1:$S_ID:5:" "$(gw --db district.db log --witnesses >w.out; echo w.out)"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit WHERE account = 'A4' AND role = 'self-check'")" 1 "honest self-check counted"

# replayed: the first roll-up and the honest one merged again are "already merged"
# (exit 0), not refused as a cut log
gw --db district.db merge r/*.gwb >m.out
expect_grep "already merged (device Subdistrict A ($S_ID), bundle 1); nothing changed" m.out
gw --db district.db merge h/*.gwb >m.out
expect_grep "already merged (device Subdistrict A ($S_ID), bundle 2); nothing changed" m.out
expect_grep "gaswalk-loghead1:$S_ID:5:" "$(gw --db district.db log --witnesses >w.out; echo w.out)"

# the honest restore: the sub-office's ledger is copied back from a backup taken before
# its last roll-up. Its next roll-up's log does not extend the head witnessed then: it
# is held with the exact line and the next step; the district's clerk accepts it with a
# reason, it merges, the witness is re-based on its head (written to the district's
# signed log), and the roll-up after it merges as usual.
copy office.db backup.db
gw --db t1.db record A1 --outcome refused --at 2023-11-15T08:00 >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*-000004.gwb >/dev/null
mkdir r3
gw --db office.db export -o r3 >/dev/null
gw --db district.db merge r3/*.gwb >m.out
expect_grep "merged (device [^,]*$S_ID" m.out
expect_grep "gaswalk-loghead1:$S_ID:6:" "$(gw --db district.db log --witnesses >w.out; echo w.out)"
OLD6=$(sqlite3 office.db "SELECT hash FROM merge_log WHERE id = 6")
copy backup.db office.db # the sub-office's disk failed: last week's backup restored
gw --db t1.db record A1 --outcome refused --at 2023-11-15T09:00 >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*-000005.gwb >/dev/null
mkdir r4
gw --db office.db export -o r4 >/dev/null
canonical district.db >before.txt
expect_rc 1 gw --db district.db merge r4/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: log of $S_ID does not extend the head witnessed at 6: its entry 6 is not the one witnessed (the log was cut or rewritten after that head went up); if $S_ID restored its ledger from a backup, accept it with a reason; otherwise reject it" "restored office's roll-up held"
HR=$(sqlite3 district.db "SELECT id FROM held WHERE decision IS NULL")
expect_eq "$HR" 6 "one roll-up held"
canonical district.db >after.txt
cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "a held roll-up changed the district"; }
expect_rc 0 gw --db district.db held accept "$HR" --reason "LSZ restored its ledger from the backup of the 15th"
expect_grep "held bundle $HR accepted and merged: 1 new visits" "$T/out"
expect_eq "$(sqlite3 district.db "SELECT count(*) FROM visit WHERE device = '$T1_ID' AND seq = 5")" 1 "the restored office's roll-up merged"
NEW6=$(sqlite3 office.db "SELECT hash FROM merge_log WHERE id = 6")
expect_grep "gaswalk-loghead1:$S_ID:6:$NEW6:" "$(gw --db district.db log --witnesses >w.out; echo w.out)"
expect_eq "$(sqlite3 district.db "SELECT result || ': ' || detail FROM merge_log WHERE result = 'rebased'")" \
	"rebased: witness of $S_ID re-based from entry 6, $(echo "$OLD6" | cut -c1-16) to entry 6, $(echo "$NEW6" | cut -c1-16) (held bundle $HR accepted): LSZ restored its ledger from the backup of the 15th" "re-basing logged"
expect_eq "$(sqlite3 district.db "SELECT result FROM merge_log ORDER BY id DESC LIMIT 3" | tr '\n' ' ')" "accepted rebased merged " "re-basing and acceptance logged after the merge"
gw --db district.db log --verify >v.out
expect_grep "^merge log: chain intact" v.out
gw --db district.db log >l.out
expect_grep "rebased.*witness of $S_ID re-based from entry 6" l.out
# the next roll-up extends the re-based head and merges as usual
gw --db t1.db record A1 --outcome refused --at 2023-11-15T10:00 >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*-000006.gwb >/dev/null
mkdir r5
gw --db office.db export -o r5 >/dev/null
expect_rc 0 gw --db district.db merge r5/*.gwb
expect_grep "merged (device [^,]*$S_ID[^,]*, bundle [0-9]*): 1 new visits" "$T/out"
expect_grep "gaswalk-loghead1:$S_ID:7:" "$(gw --db district.db log --witnesses >w.out; echo w.out)"

# the district restored from a backup taken before the sub-office's last roll-up: the
# witness it has is older than the head it echoed to the sub-office since, so the
# sub-office's next roll-up leaves out entries the restored district never saw; held
# (not refused for ever), accepted with a reason, re-based, merged
copy district.db dback.db
gw --db t1.db record A1 --outcome refused --at 2023-11-15T11:00 >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*-000007.gwb >/dev/null
mkdir r6 r7
gw --db office.db export -o r6 >/dev/null
gw --db district.db merge r6/*.gwb >/dev/null
gw --db district.db assign --device "$S_ID" -o ack2.gwp >/dev/null
gw --db office.db load ack2.gwp >/dev/null
expect_eq "$(sqlite3 office.db "SELECT count FROM log_echo")" 8 "the office's echo"
copy dback.db district.db # the district's disk failed: the backup restored (witness 7)
gw --db t1.db record A1 --outcome refused --at 2023-11-15T12:00 >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*-000008.gwb >/dev/null
gw --db office.db export -o r7 >/dev/null
expect_rc 1 gw --db district.db merge r7/*.gwb
expect_eq "$(cat "$T/err")" "gaswalk: held: log of $S_ID does not extend the head witnessed at 7: entries 8..8 are not in the roll-up; if $S_ID restored its ledger from a backup, accept it with a reason; otherwise reject it" "restored district: roll-up held"
HR=$(sqlite3 district.db "SELECT id FROM held WHERE decision IS NULL")
expect_rc 0 gw --db district.db held accept "$HR" --reason "the district restored its ledger from a backup"
expect_grep "held bundle $HR accepted and merged: 2 new visits" "$T/out"
expect_eq "$(sqlite3 district.db "SELECT detail FROM merge_log WHERE result = 'rebased' ORDER BY id DESC LIMIT 1" | cut -d' ' -f1-7)" \
	"witness of $S_ID re-based from entry 7," "re-based from the restored witness"
expect_grep "gaswalk-loghead1:$S_ID:9:" "$(gw --db district.db log --witnesses >w.out; echo w.out)"

# a roll-up held for its time (made with the sub-office's clock three days fast) and
# accepted only after a later roll-up merged: its head is now older than the witnessed
# one, so the acceptance holds it again with the log's line as its new reason (logged),
# nothing merged; the clerk then rejects it
gw --db t1.db record A1 --outcome refused --at 2023-11-15T13:00 >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*-000009.gwb >/dev/null
mkdir r8 r9
GASWALK_NOW=$((GASWALK_NOW + 259200)) gw --db office.db export -o r8 >/dev/null
expect_rc 1 gw --db district.db merge r8/*.gwb
expect_grep "gaswalk: held: bundle [0-9]* of $S_ID was created 3 days 0 h after this office's clock" "$T/err"
HT=$(sqlite3 district.db "SELECT id FROM held WHERE decision IS NULL")
gw --db t1.db record A1 --outcome refused --at 2023-11-15T14:00 >/dev/null
gw --db t1.db export -o b >/dev/null
gw --db office.db merge b/*-000010.gwb >/dev/null
gw --db office.db export -o r9 >/dev/null
expect_rc 0 gw --db district.db merge r9/*.gwb
expect_grep "gaswalk-loghead1:$S_ID:11:" "$(gw --db district.db log --witnesses >w.out; echo w.out)"
canonical district.db >before.txt
expect_rc 1 gw --db district.db held accept "$HT" --reason "the office's clock was fast"
AGAIN="log of $S_ID does not extend the head witnessed at 11: its head counts 10 entries (the log was cut, or this roll-up is older than one merged here); if $S_ID restored its ledger from a backup, accept it with a reason; otherwise reject it"
expect_eq "$(cat "$T/err")" "gaswalk: held bundle $HT is held again: $AGAIN" "held again"
expect_eq "$(sqlite3 district.db "SELECT reason FROM held WHERE id = $HT AND decision IS NULL")" "$AGAIN" "its new reason"
expect_eq "$(sqlite3 district.db "SELECT result || ': ' || detail FROM merge_log ORDER BY id DESC LIMIT 1")" "held: $AGAIN" "held again, logged"
canonical district.db >after.txt
cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "held again changed the district"; }
expect_rc 0 gw --db district.db held reject "$HT" --reason "older than the roll-up merged since"
expect_grep "gaswalk-loghead1:$S_ID:11:" "$(gw --db district.db log --witnesses >w.out; echo w.out)"
echo ok
