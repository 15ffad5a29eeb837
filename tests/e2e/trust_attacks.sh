#!/bin/sh
# Trust, part 1: the five attacks on identities, roles and the keyring, done as the
# attacker would do them against the built binary. Each checks the exact refusal
# line, that the attacked ledger's canonical dump did not change, and that the honest
# path beside it still works.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"
PROD="$GASWALK_ROOT/$BUILD/gaswalk" # the binary make install ships (no test clock)

# the keyring and the trusted office, besides the ledger's content
dump() { # DB
	canonical "$1"
	sqlite3 "$1" "SELECT id, name, kind, sign_pk, box_pk, revoked_at, office, COALESCE(subdistrict, '') FROM device ORDER BY id;
	SELECT sign_pk, box_pk, revoked_at, by_office FROM revoked_key ORDER BY n;
	SELECT key, value FROM meta WHERE key IN ('upstream', 'device_id', 'identity') ORDER BY key;"
}
# refused DB EXPECTED-LINE command...: exit 1, exactly that line on stderr, DB unchanged
refused() {
	db=$1 line=$2
	shift 2
	dump "$db" >before.txt
	expect_rc 1 "$@"
	expect_eq "$(cat "$T/err")" "$line" "refusal line of: $*"
	dump "$db" >after.txt
	cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "$db changed: $*"; }
}

setup_office_terminal # office.db (Office A) with t1.db enrolled as "Terminal 1", trusting it
gw --db t1.db key show | head -n 1 >t1.id

# 1. A terminal cannot become an office: its .id file edited from terminal to office
sed 's/:terminal:/:office:/' t1.id >t9.id
refused office.db "gaswalk: identity $T1_ID: its signature does not verify (the line was altered); refused" \
	gw --db office.db enroll t9.id --name 终端09
refused office.db "gaswalk: identity $T1_ID: its signature does not verify (the line was altered); refused" \
	gw --db office.db enroll t9.id --name 终端09 --office --subdistrict LSZ
# ... nor with a genuine office identity of its own: the office sets the role
make_ledger fake.db office "终端09"
gw --db fake.db key show | head -n 1 >fake.id
FAKE_ID=$(id_of fake.db)
refused office.db "gaswalk: $FAKE_ID is an office's identity: a sub-office is enrolled at a district with --office --subdistrict CODE" \
	gw --db office.db enroll fake.id --name 终端09
refused office.db "gaswalk: office.db: sub-offices are enrolled only at a district ledger (init --office NAME --district)" \
	gw --db office.db enroll fake.id --name 终端09 --office --subdistrict LSZ
gw --db district.db init --office District --district >/dev/null
refused district.db "gaswalk: $T1_ID is a terminal's identity; a terminal is never enrolled as an office" \
	gw --db district.db enroll t1.id --name 终端01 --office --subdistrict LSZ
# honest: a terminal enrolled by name, with the fingerprint read off its screen
make_ledger t7.db device "终端07"
gw --db t7.db key show >t7.show
head -n 1 t7.show >t7.id
T7_ID=$(id_of t7.db)
FPR7=$(sed -n 's/.*fingerprint //p' t7.show)
expect_eq "$FPR7" "$T7_ID" "the fingerprint is the id"
refused office.db "gaswalk: fingerprint $OFFICE_ID given, but this identity's is $FPR7; refused — the file is not the identity shown on the device's screen" \
	gw --db office.db enroll t7.id --name 终端07 --fingerprint "$OFFICE_ID"
gw --db office.db enroll t7.id --name 终端07 --fingerprint "$(echo "$FPR7" | tr A-Z a-z)" >e.out
expect_eq "$(cat e.out)" "enrolled terminal 终端07 ($T7_ID), fingerprint $FPR7" "honest enrolment"
expect_rc 1 gw --db office.db --lang zh enroll t7.id --name 终端77
expect_grep "$T7_ID：已登记为终端“终端07”，拒绝" "$T/err"
expect_rc 1 gw --db office.db --lang zh revoke NOSUCHDEV
expect_grep "设备 NOSUCHDEV：不在密钥环中" "$T/err"
expect_rc 1 gw --db office.db --lang zh status NOPE
expect_grep "NOPE：没有这个用户" "$T/err"
expect_rc 1 gw --db office.db --lang zh enroll no-such-file.id --name 终端78
expect_grep "no-such-file.id：既不是身份（gaswalk-id2:...）也不是文件" "$T/err"
gw --db office.db assign --device 终端07 --compound C2 -o p7.gwp >a.out
expect_grep "pack p7.gwp for 终端07" a.out
gw --db t7.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
gw --db t7.db load p7.gwp >/dev/null
# names are unique within the keyring
make_ledger t8.db device "终端08"
gw --db t8.db key show | head -n 1 >t8.id
T8_ID=$(id_of t8.db)
refused office.db "gaswalk: name 终端07 is already taken by device $T7_ID; choose another" \
	gw --db office.db enroll t8.id --name 终端07
# a sub-office at the district: named, with its territory
gw --db district.db enroll "$(gw --db office.db key show | head -n 1)" --name 林山寨街道 --office --subdistrict LSZ >d.out
expect_eq "$(sed -n 2p d.out)" "territory: subdistrict LSZ" "sub-office territory"
expect_eq "$(sqlite3 district.db "SELECT kind || ' ' || subdistrict FROM device WHERE name = '林山寨街道'")" "office LSZ" "role and territory stored"
# a district names a terminal by its office: two sub-offices' terminals called 终端01
make_ledger jsl.db office "JSL office"
gw --db district.db enroll "$(gw --db jsl.db key show | head -n 1)" --name 建设路街道 --office --subdistrict JSL >/dev/null
for o in office.db jsl.db; do # as the relayed enrolments of part 3 record them
	make_ledger "t01-$o" device 终端01
	sqlite3 district.db "ATTACH 't01-$o' AS t; INSERT INTO device(id, name, kind, sign_pk, box_pk, enrolled_at, office)
		SELECT s.id, '终端01', 'terminal', s.sign_pk, s.box_pk, 1, '$(id_of "$o")' FROM t.device s WHERE s.kind = 'self'"
done
refused district.db "gaswalk: 终端01: 2 devices have that name; give OFFICE/NAME or the device id" \
	gw --db district.db revoke 终端01
gw --db district.db revoke 建设路街道/终端01 >r.out
expect_eq "$(cut -d' ' -f2 r.out)" "终端01" "revoked by OFFICE/NAME"
expect_eq "$(sqlite3 district.db "SELECT o.name FROM device d JOIN device o ON o.id = d.office WHERE d.revoked_at IS NOT NULL")" 建设路街道 "the right 终端01"

# 2. Ids are bound to keys: terminal 8 (another office's) takes terminal 7's id
sed "s/:$T8_ID:/:$T7_ID:/" t8.id >t8-as-t7.id
refused office.db "gaswalk: identity $T7_ID: the id is not the one its key gives ($T8_ID); refused" \
	gw --db office.db enroll t8-as-t7.id --name 终端08
# ... or t7's keys with its own encryption key swapped in (the line is self-signed)
BOX8=$(cut -d: -f6 t8.id)
awk -F: -v OFS=: -v b="$BOX8" '{ $6 = b; print }' t7.id >t7-box8.id
make_ledger other.db office "Office B"
refused other.db "gaswalk: identity $T7_ID: its signature does not verify (the line was altered); refused" \
	gw --db other.db enroll t7-box8.id --name 终端07
# honest: terminal 8's true identity enrolls at its office
gw --db other.db enroll t8.id --name 终端08 >e.out
expect_grep "enrolled terminal 终端08 ($T8_ID)" e.out

# 3. A trusted office is changed only on purpose
gw --db other.db enroll t1.id --name T1 >/dev/null
sqlite3 other.db "INSERT INTO household(account, category, gas, compound) VALUES ('Z1','residential','pipeline','CZ')"
gw --db other.db assign --device "$T1_ID" --compound CZ -o evil.gwp >/dev/null
B_ID=$(id_of other.db)
refused t1.db "gaswalk: evil.gwp: from office $B_ID, but this ledger trusts office $OFFICE_ID; replacing the trusted office is done only with 'gaswalk trust-replace'" \
	gw --db t1.db load evil.gwp --trust "$B_ID"
gw --db other.db key show | head -n 1 >other.id
refused t1.db "gaswalk: this ledger already trusts office Office A ($OFFICE_ID); replacing it is done only with 'gaswalk trust-replace'" \
	gw --db t1.db trust other.id
dump t1.db >before.txt
expect_rc 1 gw --db t1.db trust-replace other.id </dev/null
expect_grep "now trusted:  office Office A (fingerprint $OFFICE_ID)" "$T/out"
expect_grep "replaced by:  office Office B (fingerprint $B_ID)" "$T/out"
expect_eq "$(cat "$T/err")" "gaswalk: not replaced: confirm on the terminal, or give --yes" "unconfirmed replace"
dump t1.db >after.txt
cmp -s before.txt after.txt || fail "an unconfirmed trust-replace changed t1.db"
# honest: the trusted office's next pack still loads
gw --db office.db assign --device "Terminal 1" --compound C1 -o p2.gwp >/dev/null
gw --db t1.db load p2.gwp >l.out
expect_grep "^loaded pack [0-9]* from office Office A ($OFFICE_ID)" l.out
# ... and a deliberate replacement, logged, after which the old office's packs are refused
gw --db t1.db trust-replace other.id --fingerprint "$B_ID" --yes >r.out
expect_grep "trusting office Office B ($B_ID)" r.out
expect_eq "$(sqlite3 t1.db "SELECT value FROM meta WHERE key = 'upstream'")" "$B_ID" "new upstream"
expect_eq "$(sqlite3 t1.db "SELECT count(*) FROM merge_log WHERE result = 'trust-replaced'")" 1 "replacement logged"
gw --db office.db assign --device "Terminal 1" --compound C1 -o p3.gwp >/dev/null
refused t1.db "gaswalk: p3.gwp: from office $OFFICE_ID, but this ledger trusts office $B_ID; replacing the trusted office is done only with 'gaswalk trust-replace'" \
	gw --db t1.db load p3.gwp
gw --db t1.db trust-replace "$(gw --db office.db key show | head -n 1)" --yes >/dev/null

# 4. Revocation is by key: the revoked key does not return under any id or name
gw --db office.db revoke 终端07 >r.out
expect_eq "$(cat r.out)" "revoked 终端07 ($T7_ID): its key is refused from now on, under any id or name" "revoke by name"
REVOKED=$(sqlite3 office.db "SELECT revoked_at FROM revoked_key WHERE sign_pk = (SELECT sign_pk FROM device WHERE id = '$T7_ID')")
expect_eq "$REVOKED" 1700000000 "revocation time"
# its bundles are refused
gw --db t7.db record B1 --outcome entered --hose metal --valve ok --at 2023-11-10T09:00 >/dev/null
mkdir b7 && gw --db t7.db export -o b7 >/dev/null
B7=$(ls b7/*.gwb)
refused office.db "gaswalk: rejected: $B7: device $T7_ID is revoked; bundle refused" \
	gw --db office.db merge "$B7"
# re-enrolled under another name, or with its keyring row gone: refused by its key
WHEN=$(date -d @1700000000 +%Y-%m-%dT%H:%M:%S+08:00)
refused office.db "gaswalk: $T7_ID: this key was revoked on $WHEN; a revoked key is never enrolled again, under any id or name" \
	gw --db office.db enroll t7.id --name 终端07b
sqlite3 office.db "DELETE FROM device WHERE id = '$T7_ID'"
refused office.db "gaswalk: $T7_ID: this key was revoked on $WHEN; a revoked key is never enrolled again, under any id or name" \
	gw --db office.db enroll t7.id --name 终端07
# ... under a fresh id: the id is its key's
sed "s/:$T7_ID:/:AAAAAAAAAAAAAAAAAAAAAAAAAA:/" t7.id >t7-fresh.id
refused office.db "gaswalk: identity AAAAAAAAAAAAAAAAAAAAAAAAAA: the id is not the one its key gives ($T7_ID); refused" \
	gw --db office.db enroll t7-fresh.id --name 终端07c
# ... or its key file put beside a fresh ledger: not that ledger's keys
make_ledger t7new.db device "终端07"
cp t7.db.key t7new.db.key
expect_rc 1 gw --db t7new.db export -o b7
expect_eq "$(cat "$T/err")" "gaswalk: t7new.db.key: not this ledger's keys (they do not match its public keys); refused — put back the key file made with this ledger" "foreign key file"
# honest: a new terminal with new keys takes the freed name
make_ledger t7b.db device "终端07"
gw --db office.db enroll "$(gw --db t7b.db key show | head -n 1)" --name 终端07 >e.out
expect_grep "enrolled terminal 终端07 ($(id_of t7b.db))" e.out

# Also: a key file that is a link, or another user's, is refused with advice
mv t7b.db.key real.key && ln -s real.key t7b.db.key
expect_rc 1 gw --db t7b.db export -o b7
expect_eq "$(cat "$T/err")" "gaswalk: t7b.db.key: a symbolic link; refused — key files are never read through links: put the key file itself beside the ledger" "symlinked key"
rm t7b.db.key && mv real.key t7b.db.key
if [ "$(id -u)" = 0 ] && chown 65534 t7b.db.key 2>/dev/null; then # root can hand it to nobody
	expect_rc 1 gw --db t7b.db export -o b7
	expect_eq "$(cat "$T/err")" "gaswalk: t7b.db.key: owned by another user (uid 65534); refused — the key file must belong to the user who runs gaswalk: copy it as that user, then 'chmod 600'" "another's key file"
	chown 0 t7b.db.key
fi

# 5. No test clock in the shipped binary
refused office.db "gaswalk: GASWALK_NOW='yes': not a time in seconds since 1970; refused" \
	env GASWALK_NOW=yes "$GASWALK" --db office.db revoke "Terminal 1"
before=$(date +%s)
GASWALK_NOW=yes "$PROD" --db office.db revoke "Terminal 1" >r.out
expect_grep "revoked Terminal 1 ($T1_ID)" r.out
AT=$(sqlite3 office.db "SELECT revoked_at FROM device WHERE id = '$T1_ID'")
[ "$AT" -ge "$before" ] && [ "$AT" -le "$(($(date +%s) + 1))" ] ||
	fail "the shipped binary stored revoked_at $AT, not the real time (GASWALK_NOW ignored)"
GASWALK_NOW=1000 "$PROD" --db prod.db init --office P >/dev/null
[ "$(sqlite3 prod.db "SELECT value FROM meta WHERE key = 'created_at'")" -ge "$before" ] ||
	fail "the shipped binary read GASWALK_NOW"
gw --db t1.db record A1 --outcome entered --hose metal --valve ok --at 2023-11-10T10:00 >/dev/null
mkdir b1 && gw --db t1.db export -o b1 >/dev/null
B1=$(ls b1/*.gwb)
refused office.db "gaswalk: rejected: $B1: device $T1_ID is revoked; bundle refused" \
	gw --db office.db merge "$B1"
echo ok
