#!/bin/sh
# A ledger made before schema 0007 (random hex device ids, revocation by id) keeps
# working: opened by this gaswalk, its keyring and its own id move to the ids their
# keys give, old visits keep their old ids, revocations (even one a test clock stored
# as 0) become revocations by key, and devices are found by old id, new id or name.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

# real keys, from ledgers of this gaswalk
make_ledger keys-o.db office "Office A"
make_ledger keys-t.db device "T7"
make_ledger keys-r.db device "T9"
pk() { sqlite3 "$1" "SELECT $2 FROM device WHERE kind = 'self'"; }
OLD_SELF=00112233445566aa OLD_T7=0123456789abcdef OLD_T9=fedcba9876543210

# old.db: an office ledger as schema 6 left it, with the office's real key file
for f in "$GASWALK_ROOT"/schema/000[1-6]_*.sql; do sqlite3 old.db <"$f"; done # one by one, as gaswalk does
sqlite3 old.db "ATTACH 'keys-o.db' AS n;
	INSERT INTO subdistrict SELECT * FROM n.subdistrict; INSERT INTO sector SELECT * FROM n.sector;
	INSERT INTO hazard_item SELECT * FROM n.hazard_item; INSERT INTO catalog SELECT * FROM n.catalog;
	INSERT INTO setting SELECT * FROM n.setting;
	INSERT INTO meta(key, value) VALUES ('device_id', '$OLD_SELF'), ('name', 'Office A'), ('kind', 'office'),
		('next_seq', '1'), ('created_at', '1600000000');
	INSERT INTO device(id, name, kind, sign_pk, box_pk, enrolled_at) VALUES
		('$OLD_SELF', 'Office A', 'self', '$(pk keys-o.db sign_pk)', '$(pk keys-o.db box_pk)', 1600000000),
		('$OLD_T7', 'T7', 'terminal', '$(pk keys-t.db sign_pk)', '$(pk keys-t.db box_pk)', 1600000000),
		('$OLD_T9', 'T7', 'terminal', '$(pk keys-r.db sign_pk)', '$(pk keys-r.db box_pk)', 1600000000);
	UPDATE device SET revoked_at = 0 WHERE id = '$OLD_T9';
	INSERT INTO household(account, category, gas, compound) VALUES ('A1', 'residential', 'pipeline', 'C1');
	INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, recorded_at)
		VALUES ('$OLD_T7', 1, 'A1', 'T7', 'inspect', '2023-11-01T09:00:00+08:00', 1698800400, 'entered', 'metal', 'ok', 1698800400);
	PRAGMA user_version = 6;"
cp keys-o.db.key old.db.key

# opened: migrated, ids derived
gw --db old.db status A1 --json >s.json
expect_eq "$(sqlite3 old.db 'PRAGMA user_version')" "$(sqlite3 keys-o.db 'PRAGMA user_version')" "schema"
O_ID=$(id_of keys-o.db) T7_ID=$(id_of keys-t.db) T9_ID=$(id_of keys-r.db)
expect_eq "$(sqlite3 old.db "SELECT value FROM meta WHERE key = 'device_id'")" "$O_ID" "own id from its key"
expect_eq "$(sqlite3 old.db "SELECT value FROM meta WHERE key = 'legacy_device_id'")" "$OLD_SELF" "own old id kept"
expect_eq "$(sqlite3 old.db "SELECT id || ' ' || legacy_id FROM device WHERE name = 'T7'")" "$T7_ID $OLD_T7" "entry moved, old id kept"
expect_eq "$(sqlite3 old.db "SELECT name FROM device WHERE id = '$T9_ID'")" "T7 ($OLD_T9)" "duplicate name made unique"
expect_eq "$(sqlite3 old.db "SELECT device FROM visit")" "$OLD_T7" "old visits keep their ids"
grep -q '"valve": *"ok"' s.json || { cat s.json >&2; fail "status of an old visit"; }
# the revocation a test clock stored as 0 is a revocation by key now
expect_eq "$(sqlite3 old.db "SELECT count(*) FROM revoked_key WHERE sign_pk = '$(pk keys-r.db sign_pk)'")" 1 "revoked key carried over"
expect_rc 1 gw --db old.db enroll "$(gw --db keys-r.db key show | head -n 1)" --name T9
expect_grep "this key was revoked" "$T/err"
# found by its old id, its new id and its name
gw --db old.db revoke "$OLD_T7" >r.out
expect_grep "revoked T7 ($T7_ID)" r.out
expect_eq "$(gw --db old.db key show | head -n 1 | cut -d: -f1-3)" "gaswalk-id2:$O_ID:office" "signed identity line"
gw --db old.db key show | head -n 1 >line.txt
gw --db keys-t.db trust line.txt >/dev/null # the migrated office's line verifies
# opening again changes nothing
sqlite3 old.db .dump >a.sql
gw --db old.db list >/dev/null
sqlite3 old.db .dump >b.sql
cmp -s a.sql b.sql || fail "a second open changed the ledger"
echo ok
