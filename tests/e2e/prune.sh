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
echo ok
