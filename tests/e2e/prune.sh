#!/bin/sh
# Only what the week needs: a pack declares the terminal's whole assignment; households
# no longer assigned leave the terminal with their visits once the office has
# acknowledged every record of theirs, and nothing of them stays in the ledger file,
# its WAL or its free pages. One with a visit not yet acknowledged stays until it is.
# Their photo files leave the camera folder too, and only those: not a file a kept
# visit also carries, nor a new photo that took a pruned one's name.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"
setup_office_terminal # t1 trusts the office and holds C1 (A1..A4); C2 is B1 赵六
gw --db office.db assign --device "$T1_ID" --compound C1 --compound C2 -o both.gwp >/dev/null
gw --db t1.db load both.gwp >/dev/null
sqlite3 office.db "UPDATE household SET phone = '13912345678' WHERE account = 'B1'"
gw --db office.db assign --device "$T1_ID" --compound C1 --compound C2 -o both2.gwp >/dev/null
gw --db t1.db load both2.gwp >/dev/null
expect_eq "$(sqlite3 t1.db "SELECT name || phone FROM household WHERE account = 'B1'")" "赵六13912345678" "B1 assigned"
rec() { gw --db t1.db record "$@" --outcome entered --hose metal --valve ok >/dev/null; }
mkdir camera # the terminal's camera folder: "camera" beside the ledger
for i in 1 2 3 4 9; do echo "photo $i" >camera/IMG_000$i.jpg; done
rec B1 --note "note-B1-first" --at 2023-11-15T07:00 --photo camera/IMG_0001.jpg --photo camera/IMG_0004.jpg
rec A1 --note "note-A1" --at 2023-11-15T07:10 --photo camera/IMG_0002.jpg --photo camera/IMG_0004.jpg
mkdir usb
gw --db t1.db export -o usb >/dev/null
gw --db office.db merge usb/*.gwb >/dev/null
# a second visit of B1, not yet sent when C2 is taken away
rec B1 --note "note-B1-unsent" --at 2023-11-15T07:20 --photo camera/IMG_0003.jpg
gw --db office.db assign --device "$T1_ID" --compound C1 -o c1.gwp >/dev/null
gw --db t1.db load c1.gwp >l.out
expect_grep "^1 households no longer assigned kept until the office acknowledges their visits" l.out
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM visit WHERE account = 'B1'")" 2 "B1 kept with its unsent visit"
# sent and acknowledged: the next pack takes it away, and every trace with it
gw --db t1.db export -o usb >/dev/null
gw --db office.db merge usb/*-000002.gwb >/dev/null
echo "a new photo 3" >camera/IMG_0003.jpg # the camera's counter started again
gw --db office.db assign --device "$T1_ID" --compound C1 -o c1b.gwp >/dev/null
gw --db t1.db load c1b.gwp >l2.out
# searched before sqlite3 opens the ledger (it would fold the WAL in)
[ -e t1.db-wal ] && cp t1.db-wal wal.copy
for f in t1.db wal.copy; do
	[ -e "$f" ] || continue
	for s in 赵六 13912345678 note-B1-first note-B1-unsent IMG_0001; do
		grep -q "$s" "$f" && fail "$s still in $f"
	done
done
expect_grep "^1 households no longer assigned removed with their 2 visits (freed pages overwritten)" l2.out
expect_grep "^1 of their photos deleted from the camera folder" l2.out
expect_eq "$(ls camera | tr '\n' ' ')" "IMG_0002.jpg IMG_0003.jpg IMG_0004.jpg IMG_0009.jpg " "the camera folder after pruning"
expect_eq "$(cat camera/IMG_0003.jpg)" "a new photo 3" "the new photo under a pruned one's name"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM meta WHERE key = 'prune_photos'")" 0 "the list of photos to delete, gone"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM household WHERE account = 'B1'")" 0 "B1 gone"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM visit WHERE account = 'B1'")" 0 "its visits gone"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM household")" 4 "C1 stays"
expect_eq "$(sqlite3 t1.db "SELECT note FROM visit WHERE account = 'A1'")" "note-A1" "A1's visit stays"
expect_eq "$(sqlite3 t1.db "PRAGMA freelist_count")" 0 "no free pages left"
# a kill after the deletion committed leaves its list of photo files: the next pack
# deletes them (the state such a kill leaves, made by hand: kill_prune's window is small)
echo "a photo of a pruned visit" >camera/IMG_0005.jpg
sqlite3 t1.db "INSERT INTO meta(key, value) VALUES ('prune_photos', json_array(json_array('IMG_0005.jpg', $(stat -c %s camera/IMG_0005.jpg), '$(python3 -c "import hashlib; print(hashlib.blake2b(open('camera/IMG_0005.jpg', 'rb').read(), digest_size=32).hexdigest())")')))"
gw --db office.db assign --device "$T1_ID" --compound C1 -o c1c.gwp >/dev/null
gw --db t1.db load c1c.gwp >l3.out
expect_grep "^1 of their photos deleted from the camera folder" l3.out
[ ! -e camera/IMG_0005.jpg ] || fail "a photo listed before a kill was not deleted"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM meta WHERE key = 'prune_photos'")" 0 "the list, gone after the next pack"
# a photo file that cannot be checked or deleted is named on stderr; the load succeeds
mv camera camera.d && echo "not a folder" >camera
sqlite3 t1.db "INSERT INTO meta(key, value) VALUES ('prune_photos', json_array(json_array('IMG_0006.jpg', 5, 'ab')))"
gw --db office.db assign --device "$T1_ID" --compound C1 -o c1d.gwp >/dev/null
expect_rc 0 gw --db t1.db load c1d.gwp
expect_eq "$(cat "$T/err")" "gaswalk: camera/IMG_0006.jpg: Not a directory; photos of households no longer assigned not deleted: 1" "a photo not deleted"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM meta WHERE key = 'prune_photos'")" 0 "the list, gone after it was tried"
rm camera && mv camera.d camera
# the office kept everything
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit WHERE account = 'B1'")" 2 "the office holds B1's visits"
# the terminal still works on what it holds
rec A2 --note "note-A2" --at 2023-11-15T07:30
gw --db t1.db export -o usb >x.out
expect_grep "1 visits" x.out
# After new keys (key new, enroll --successor): once the office holds every visit of a
# household no longer assigned — under the old id (acknowledged before the key was
# lost) and under the new one (the records the old key had not had acknowledged, carried
# by the successor's first bundle) — it goes like any other; while a visit is really
# unacknowledged it stays.
mkdir succ && cd succ
setup_office_terminal
sqlite3 office.db "UPDATE household SET name = '刘洋', phone = '13987654321', building = '幸福小区' WHERE account = 'B1'"
gw --db office.db assign --device "$T1_ID" --compound C1 --compound C2 -o both.gwp >/dev/null
gw --db t1.db load both.gwp >/dev/null
mkdir camera b1 b2 b3 b4
for i in 1 2 3 4; do echo "succ photo $i" >camera/IMG_000$i.jpg; done
rec B1 --note "刘洋家狗凶 old-acked" --at 2023-11-15T07:00 --photo camera/IMG_0001.jpg
rec A1 --note "note-A1" --at 2023-11-15T07:05
gw --db t1.db export -o b1 >/dev/null
gw --db office.db merge b1/*.gwb >/dev/null
gw --db office.db assign --device "$T1_ID" --compound C1 --compound C2 -o ack1.gwp >/dev/null
gw --db t1.db load ack1.gwp >/dev/null # old records 1, 2 acknowledged
rec B1 --note "secretnote202 merged-unacked" --at 2023-11-15T07:10 --photo camera/IMG_0002.jpg
gw --db t1.db export -o b2 >/dev/null
gw --db office.db merge b2/*.gwb >/dev/null # its acknowledgement never reaches the terminal
rec B1 --note "note-B1-never-sent" --at 2023-11-15T07:20 --photo camera/IMG_0003.jpg
rm t1.db.key # lost (or destroyed after the last wrong PIN: pin.sh)
gw --db t1.db key new --no-pin >k.out
expect_eq "$(sed -n 3p k.out)" "2 records not yet acknowledged go with the first bundle" "carried by key new"
NEW_ID=$(id_of t1.db)
gw --db t1.db key show | head -n 1 >t1b.id
gw --db office.db enroll t1b.id --name "Terminal 1b" --successor "Terminal 1" >/dev/null
gw --db t1.db export -o b3 >/dev/null
gw --db office.db merge b3/*.gwb >m3.out
expect_grep ": 1 carried visits already held from Terminal 1, not counted again" m3.out
# the office counts B1's visits once each: old 1, old 3, the never-sent one (the copy voided)
expect_eq "$(gw --db office.db status B1 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"]["visits"])')" 3 "B1's visits counted at the office"
# a visit of B1 under the new key, not yet sent when C2 is taken away: B1 stays
rec B1 --note "note-B1-new-unsent" --at 2023-11-15T07:30 --photo camera/IMG_0004.jpg
gw --db office.db assign --device "$NEW_ID" --compound C1 -o s1.gwp >/dev/null
gw --db t1.db load s1.gwp >s1.out
expect_eq "$(sed -n 1p s1.out)" "loaded pack 4 from office Office A ($OFFICE_ID): 4 households, 1 visits; records up to 2 acknowledged" "load line, successor's first pack"
expect_eq "$(sed -n 2p s1.out)" "1 households no longer assigned kept until the office acknowledges their visits" "B1 kept with its unsent visit"
gw --db t1.db list | grep -q '^B1 .*刘洋' || fail "B1 not listed while its visit is unsent"
# sent and acknowledged: B1 goes, with its visits under both ids and their photos
gw --db t1.db export -o b4 >/dev/null
gw --db office.db merge b4/*.gwb >/dev/null
gw --db office.db assign --device "$NEW_ID" --compound C1 -o s2.gwp >/dev/null
gw --db t1.db load s2.gwp >s2.out
[ -e t1.db-wal ] && cp t1.db-wal wal.copy
for f in t1.db wal.copy; do
	[ -e "$f" ] || continue
	for s in 刘洋 13987654321 幸福小区 狗凶 secretnote202 note-B1-never-sent note-B1-new-unsent IMG_0001 IMG_0002 IMG_0003 IMG_0004; do
		grep -q -a "$s" "$f" && fail "$s still in $f after the successor's pruning"
	done
done
expect_eq "$(cat s2.out)" "loaded pack 5 from office Office A ($OFFICE_ID): 4 households, 1 visits; records up to 3 acknowledged
1 households no longer assigned removed with their 4 visits (freed pages overwritten)
4 of their photos deleted from the camera folder" "the load after B1 was acknowledged"
gw --db t1.db list >list.out
grep -q -e '^B1 ' -e 刘洋 list.out && fail "B1 still listed: $(cat list.out)"
expect_eq "$(ls camera)" "" "B1's photos out of the camera folder"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM visit WHERE account = 'B1'")" 0 "B1's visits gone, both ids"
expect_eq "$(sqlite3 t1.db "SELECT device || '/' || seq || ' ' || note FROM visit")" "$T1_ID/2 note-A1" "A1's visit stays under the old id"
expect_eq "$(sqlite3 t1.db "PRAGMA freelist_count")" 0 "no free pages after the successor's pruning"
# the next pack: nothing left to prune, the acknowledged point unchanged
gw --db office.db assign --device "$NEW_ID" --compound C1 -o s3.gwp >/dev/null
gw --db t1.db load s3.gwp >s3.out
expect_eq "$(cat s3.out)" "loaded pack 6 from office Office A ($OFFICE_ID): 4 households, 1 visits; records up to 3 acknowledged" "a pack with nothing to prune"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM visit WHERE account = 'B1'")" 5 "the office keeps B1's visits (and the voided copy)"
cd ..
echo ok
