#!/bin/sh
# A lost or stolen terminal: the secret keys under the inspector's PIN (Argon2id).
# The key file carries the parameters and no verifier; without the PIN a terminal's
# files hold no secret key in any encoding; wrong PINs are counted before each try
# (a kill does not undo the count), back off, and the key is destroyed at the last.
# After a day's work a copy of its files holds no household it no longer works on.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"
setup_office_terminal # t1.db made without a PIN, enrolled, loaded with C1
# and C2 (B1 赵六) too, for the first part of the week
sqlite3 office.db "UPDATE household SET phone = '13912345678', building = '七号楼' WHERE account = 'B1'"
gw --db office.db assign --device "$T1_ID" --compound C1 --compound C2 -o both.gwp >/dev/null
gw --db t1.db load both.gwp >/dev/null
expect_eq "$(sqlite3 t1.db "SELECT name FROM household WHERE account = 'B1'")" 赵六 "B1 assigned"
printf '482915\n' >pin.txt
printf '000000\n' >wrong.txt
tries() { od -A n -t u4 -j 28 -N 4 t1.db.key | tr -d ' '; }

# the plain key file, for the search below; then the PIN is put on
cp t1.db.key plain.key
expect_rc 2 gw --db t1.db pin
expect_rc 1 gw --db t1.db pin change --pin-fd 3 3<pin.txt
expect_eq "$(cat "$T/err")" "gaswalk: t1.db: the keys are under no PIN yet; use 'gaswalk pin set'" "change without a PIN"
printf '12345\n' >short.txt
expect_rc 1 gw --db t1.db pin set --pin-fd 3 3<short.txt
expect_eq "$(cat "$T/err")" "gaswalk: a PIN is 6 to 32 digits; nothing changed" "short PIN"
cmp -s plain.key t1.db.key || fail "a refused PIN changed the key file"
gw --db t1.db pin set --pin-fd 3 3<pin.txt >p.out
expect_grep "under the PIN now" p.out
expect_eq "$(stat -c %a t1.db.key)" 600 "mode of the wrapped key file"
expect_rc 1 gw --db t1.db pin set --pin-fd 3 3<pin.txt
expect_grep "under a PIN already" "$T/err"

# the file: magic, Argon2id (alg 2), 3 passes, 64 MiB, counter, salt, nonce, box; no verifier
python3 - <<'EOF'
import struct
b = open('t1.db.key', 'rb').read()
assert len(b) == 216, len(b)                      # nothing but the fields below
magic, alg, ops, mem, tries = struct.unpack('<8sIQQI', b[:32])
assert magic == b'GWKEY002' and alg == 2 and ops >= 3 and mem >= 32 << 20 and tries == 0, (alg, ops, mem)
plain = open('plain.key', 'rb').read()
assert all(plain[i:i + 16] not in b for i in range(8, len(plain) - 16)), 'plain secret in the wrapped file'
EOF

# the day's work with the PIN: record, export, load (a pack that takes C2 away); then
# nothing secret in any file, and nothing of B1
mkdir camera
echo "B1's meter" >camera/IMG_0001.jpg
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --at 2023-11-15T06:30 >/dev/null
gw --db t1.db record B1 --outcome entered --hose metal --valve ok --note note-B1-stolen \
	--photo camera/IMG_0001.jpg --at 2023-11-15T06:40 >/dev/null
mkdir usb
expect_rc 1 gw --db t1.db export -o usb </dev/null
expect_eq "$(cat "$T/err")" "gaswalk: no PIN given: type it on the terminal, or give --pin-fd N" "no PIN"
gw --db t1.db export -o usb --pin-fd 3 3<pin.txt >x.out
expect_grep "sequence 1: 2 visits" x.out
gw --db office.db merge usb/*.gwb >/dev/null
gw --db office.db assign --device "$T1_ID" --compound C1 -o usb/p2.gwp >/dev/null
gw --db t1.db load usb/p2.gwp --pin-fd 3 3<pin.txt >l2.out
expect_grep "^1 households no longer assigned removed with their 1 visits" l2.out
sqlite3 t1.db "PRAGMA wal_checkpoint" >/dev/null
mkdir stolen && cp t1.db* stolen/ && cp -r usb camera stolen/
# B1 in no file of the terminal: not the ledger, its WAL or free pages (there are none),
# nor the camera folder (the stick is not the terminal: its photos are not sealed)
for s in 赵六 13912345678 七号楼 note-B1-stolen IMG_0001 "B1's meter"; do
	grep -r -l -F "$s" stolen/t1.db* stolen/camera && fail "$s found in the copy of the terminal's files"
done
expect_eq "$(ls stolen/camera)" "" "the camera folder of the copy"
cp stolen/t1.db free.db # sqlite3 on the copy itself would fold its WAL in
expect_eq "$(sqlite3 free.db "PRAGMA freelist_count")" 0 "free pages in the copy"
python3 - <<'EOF'
import base64, binascii, os, sys
b = open('plain.key', 'rb').read()
keys = {'sign seed': b[8:40], 'sign sk': b[8:72], 'box sk': b[72:104]}
def forms(s):
    out = [s, binascii.hexlify(s), binascii.hexlify(s).upper()]
    for i in range(3):
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            e = enc(s[i:]).rstrip(b'=')
            out.append(e[: (len(e) // 4) * 4 - 4])
    return [f for f in out if len(f) >= 16]
assert any(f in open('plain.key', 'rb').read() for f in forms(keys['sign sk']))  # the search can find
bad = 0
for root, _, names in os.walk('stolen'):
    for n in names:
        data = open(os.path.join(root, n), 'rb').read()
        for what, s in keys.items():
            if any(f in data for f in forms(s)):
                print('secret %s found in %s' % (what, n)); bad += 1
sys.exit(1 if bad else 0)
EOF

# wrong PINs: counted in the file before each try, so a kill during the derivation counts;
# an entry that is no PIN (empty, 3 digits, not digits) is not a try
gw --db t1.db settings pin_max_tries 3 >/dev/null
for e in '' 123 48291x; do
	printf '%s\n' "$e" >entry.txt
	expect_rc 1 gw --db t1.db --pin-fd 3 export -o usb 3<entry.txt
	expect_eq "$(cat "$T/err")" "gaswalk: t1.db.key: a PIN is 6 to 32 digits; this entry was not counted" "entry '$e'"
done
expect_eq "$(tries)" 0 "entries that are no PIN counted"
expect_rc 1 gw --db t1.db --pin-fd 3 export -o usb 3<wrong.txt
expect_eq "$(cat "$T/err")" "gaswalk: t1.db.key: wrong PIN (1 of 3 tries; after the last the key is destroyed)" "first wrong PIN"
expect_eq "$(tries)" 1 "counter after one wrong PIN"
"$GASWALK" --db t1.db --pin-fd 3 export -o usb 3<wrong.txt >/dev/null 2>&1 &
pid=$!
n=0
while [ "$(tries)" != 2 ] && [ $n -lt 3000 ]; do n=$((n + 1)); sleep 0.01; done
kill -KILL $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
expect_eq "$(tries)" 2 "the count survives a kill"
# the right PIN still opens it, and clears the count
gw --db t1.db --pin-fd 3 export -o usb 3<pin.txt >/dev/null || true
expect_eq "$(tries)" 0 "counter after the right PIN"
expect_rc 1 gw --db t1.db --pin-fd 3 export -o usb 3<wrong.txt
expect_rc 1 gw --db t1.db --pin-fd 3 export -o usb 3<wrong.txt
expect_eq "$(tries)" 2 "two wrong"
# a visit recorded (no PIN needed) but never sent: it must reach the office all the same
gw --db t1.db record A2 --outcome refused --note carried-over --at 2023-11-15T07:00 >/dev/null
dump() { sqlite3 t1.db "SELECT * FROM visit ORDER BY device, seq; SELECT key, value FROM meta ORDER BY key"; }
dump >before.txt
expect_rc 1 gw --db t1.db --pin-fd 3 export -o usb 3<wrong.txt
expect_eq "$(cat "$T/err")" "gaswalk: t1.db.key: 3 wrong PINs: the key is destroyed; take the terminal to the office: 'gaswalk key new', then the clerk enrolls it with 'enroll --successor'" "destroyed"
[ ! -e t1.db.key ] && [ ! -e t1.db.key.new ] || fail "the key file is still there"
dump >after.txt
cmp -s before.txt after.txt || fail "the visits went with the key"
expect_rc 1 gw --db t1.db --pin-fd 3 export -o usb 3<pin.txt
expect_eq "$(cat "$T/err")" "gaswalk: t1.db.key: the key of this terminal was destroyed after 3 wrong PINs (or is missing): take the terminal to the office: 'gaswalk key new', then the clerk enrolls it with 'enroll --successor'" "the key is gone"
# nor does a key file under no PIN put in its place open it (the ledger knows it had one)
expect_eq "$(sqlite3 t1.db "SELECT value FROM meta WHERE key = 'key_pin'")" 1 "key_pin after pin set"
cp plain.key t1.db.key
expect_rc 1 gw --db t1.db export -o usb
expect_eq "$(cat "$T/err")" "gaswalk: t1.db.key: a key file under no PIN, but this terminal's key was made under one: refused; take the terminal to the office: 'gaswalk key new --replace', then the clerk enrolls it with 'enroll --successor'" "the old plain key file"
rm t1.db.key

# the successor: new keys on the same ledger, enrolled by the clerk as the old one's successor
make_ledger t6.db device T6
expect_rc 1 gw --db t6.db key new --no-pin
expect_eq "$(cat "$T/err")" "gaswalk: t6.db.key: the key is still there; key new is for a terminal whose key was destroyed or lost (a terminal found after its key was revoked: key new --replace)" "key new with a key"
gw --db t1.db key new --pin-fd 3 3<pin.txt >k.out
NEW_ID=$(id_of t1.db)
[ "$NEW_ID" != "$T1_ID" ] || fail "key new kept the old id"
expect_eq "$(sed -n 1p k.out)" "new keys: device id and fingerprint $NEW_ID; the office enrolls it with" "key new"
expect_eq "$(sqlite3 t1.db "SELECT value FROM meta WHERE key = 'predecessor_id'")" "$T1_ID" "predecessor kept"
expect_eq "$(sed -n 3p k.out)" "1 records not yet acknowledged go with the first bundle" "carried"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM visit WHERE device = '$T1_ID'")" 1 "acknowledged visits kept under the old id"
expect_eq "$(sqlite3 t1.db "SELECT seq || note FROM visit WHERE device = '$NEW_ID'")" "1carried-over" "the unsent visit opens the new feed"
gw --db t1.db key show | head -n 1 >t1-new.id
gw --db office.db enroll t1-new.id --name "Terminal 1b" --fingerprint "$NEW_ID" --successor "Terminal 1" >s.out
expect_eq "$(sed -n 1p s.out)" "$NEW_ID succeeds $T1_ID (Terminal 1): the old key is revoked; the visits it had not yet sent may come with the new one" "successor"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM revoked_key WHERE sign_pk = (SELECT sign_pk FROM device WHERE id = '$T1_ID')")" 1 "old key revoked"
expect_eq "$(sqlite3 office.db "SELECT value FROM meta WHERE key = 'successor_of:$NEW_ID'")" "$T1_ID" "succession kept"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM merge_log WHERE result = 'successor' AND device = '$NEW_ID'")" 1 "succession logged"
# the successor's first bundle brings the visit the old key never sent
mkdir usb2
gw --db t1.db export -o usb2 --pin-fd 3 3<pin.txt >x2.out
gw --db office.db merge usb2/*.gwb >m2.out
expect_grep "merged (device Terminal 1b ($NEW_ID), bundle [0-9]*): 1 new visits" m2.out
expect_eq "$(sqlite3 office.db "SELECT account || ' ' || outcome FROM visit WHERE note = 'carried-over'")" "A2 refused" "at the office"

# changing a PIN asks for the current one (counted like any other try)
make_ledger t2.db device T2
gw --db t2.db pin set --pin-fd 3 3<pin.txt >/dev/null
printf '000000\n111111\n' >change-bad.txt
expect_rc 1 gw --db t2.db pin change --pin-fd 3 3<change-bad.txt
expect_grep "wrong PIN (1 of 10" "$T/err"
printf '482915\n135790\n' >change.txt
gw --db t2.db pin change --pin-fd 3 3<change.txt >c.out
expect_grep "PIN changed" c.out
printf '135790\n' >new.txt
gw --db t2.db --pin-fd 3 export -o usb 3<new.txt >/dev/null 2>&1 || true
expect_eq "$(od -A n -t u4 -j 28 -N 4 t2.db.key | tr -d ' ')" 0 "the new PIN opens it"
# init --device with a PIN from the start: never a plain key file
gw --db t3.db init --device T3 --pin-fd 3 3<pin.txt >i.out
expect_grep "under the PIN" i.out
expect_eq "$(head -c 8 t3.db.key)" GWKEY002 "init --pin-fd writes the key wrapped"
expect_eq "$(sqlite3 t3.db "SELECT value FROM meta WHERE key = 'key_pin'")" 1 "init under a PIN recorded"
# a ledger from before key_pin was recorded learns it at its next unlock
sqlite3 t3.db "DELETE FROM meta WHERE key = 'key_pin'"
gw --db t3.db --pin-fd 3 export -o usb 3<pin.txt >/dev/null 2>&1 || true
expect_eq "$(sqlite3 t3.db "SELECT value FROM meta WHERE key = 'key_pin'")" 1 "key_pin learnt at an unlock"
sqlite3 t3.db "DELETE FROM meta WHERE key = 'key_pin'"
script -qec "'$GASWALK' --db t3.db list" /dev/null >/dev/null
expect_eq "$(sqlite3 t3.db "SELECT value FROM meta WHERE key = 'key_pin'")" 1 "key_pin learnt when a person opens it"
gw --db t4.db init --device T4 --no-pin >i.out
expect_grep "NOT under a PIN" i.out
expect_eq "$(head -c 8 t4.db.key)" GWKEY001 "--no-pin"
expect_eq "$(sqlite3 t4.db "SELECT value FROM meta WHERE key = 'key_pin'")" 0 "--no-pin recorded"
expect_rc 2 gw --db t5.db init --office O --no-pin
# an office's key stays unwrapped (a managed PC), or is wrapped with --pin
expect_eq "$(head -c 8 office.db.key)" GWKEY001 "an office without --pin"
expect_rc 1 gw --db o2.db init --office O2 --pin </dev/null
[ -z "$(ls o2.db* 2>/dev/null)" ] || fail "an office init without its PIN left $(ls o2.db*)"
gw --db o2.db init --office O2 --pin --pin-fd 3 3<pin.txt >/dev/null
expect_eq "$(head -c 8 o2.db.key)" GWKEY002 "init --office --pin"
expect_rc 1 gw --db o2.db --pin-fd 3 pin change 3<wrong.txt
expect_grep "wrong PIN (1 of 10" "$T/err"
# only --no-pin makes keys under no PIN: with no terminal to ask on and no --pin-fd, refused
expect_rc 1 gw --db t7.db init --device T7 </dev/null
expect_eq "$(cat "$T/err")" "gaswalk: t7.db: no terminal to ask the PIN on: give --pin-fd N, or --no-pin for an unprotected terminal; nothing made" "init with no terminal"
[ -z "$(ls t7.db* 2>/dev/null)" ] || fail "a refused init left $(ls t7.db*)"
gw --pin-fd 3 --db t8.db init --device T8 3<pin.txt </dev/null >/dev/null
expect_eq "$(head -c 8 t8.db.key)" GWKEY002 "init under the global --pin-fd"
make_ledger t9.db device T9
rm t9.db.key
expect_rc 1 gw --db t9.db key new </dev/null
expect_eq "$(cat "$T/err")" "gaswalk: t9.db: no terminal to ask the PIN on: give --pin-fd N, or --no-pin for an unprotected terminal; nothing made" "key new with no terminal"
[ ! -e t9.db.key ] || fail "a refused key new made a key file"
# a ledger's files are its user's alone, whatever the umask: the ledger and its key made
# 0600, and SQLite gives the -wal and -shm beside it the ledger's mode
(umask 022 && gw --db t10.db init --device T10 --no-pin >/dev/null)
python3 - <<'EOF'
import os, sqlite3
c = sqlite3.connect('t10.db')
c.execute('SELECT count(*) FROM meta').fetchall()   # opens the WAL and the shared memory
modes = {f: oct(os.stat(f).st_mode & 0o777) for f in ('t10.db', 't10.db-wal', 't10.db-shm', 't10.db.key')}
assert set(modes.values()) == {'0o600'}, modes
EOF
expect_eq "$(stat -c %a t1.db t1.db.key t3.db t3.db.key | sort -u)" 600 "the day's ledger and key files"
# a ledger made readable to others (an older gaswalk, a copy under umask 022) is made
# private again when its owner next opens it
chmod 644 t10.db
gw --db t10.db list >/dev/null 2>&1
expect_eq "$(stat -c %a t10.db)" 600 "an older ledger's mode tightened on open"
# a person at a terminal is told, by every command, that the keys are under no PIN
script -qec "'$GASWALK' --db t4.db list" /dev/null >tty4.out
expect_eq "$(grep -c "note: this terminal's keys are under no PIN ('gaswalk pin set' adds one)" tty4.out)" 1 "the no-PIN note, once"
script -qec "'$GASWALK' --db t3.db list" /dev/null >tty3.out
grep -q "under no PIN" tty3.out && fail "a terminal under a PIN told it has none"
gw --db t4.db list >/dev/null 2>list.err
[ -s list.err ] && fail "scripts are told too: $(cat list.err)"
echo ok
