# Migration 0003 (schema/0003_speed.sql) respells the CHECK constraints (IN lists as OR chains): every one
# still accepts its values and NULL where allowed, and rejects anything else.
. "$(dirname "$0")/lib.sh"

# the newest migration: the number of schema/NNNN_*.sql files
SCHEMA_VERSION=$(ls "$GASWALK_ROOT"/schema/[0-9]*.sql | wc -l)
expect_rc 0 gw init --office O
expect_eq "$(sql "PRAGMA user_version")" "$SCHEMA_VERSION" "schema version"
expect_eq "$(sql "PRAGMA integrity_check")" "ok" "integrity"
# storing a visit builds no temporary b-tree for its constraints
expect_eq "$(sql "EXPLAIN INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose,
	valve, alarm, shutoff, supply, note, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" | grep -c OpenEphemeral)" "0" "ephemeral tables (visit)"
expect_eq "$(sql "EXPLAIN INSERT OR REPLACE INTO status(account, state) VALUES (?, ?)" | grep -c OpenEphemeral)" "0" \
	"ephemeral tables (status)"
sql "INSERT INTO household(account, category, gas) VALUES ('A1', 'residential', 'pipeline')"

# rejects: an INSERT that must fail with a CHECK failure
rejects() { # WHAT SQL
	if sql "$2" 2>err.txt; then fail "$1: accepted"; fi
	grep -q "CHECK constraint failed" err.txt || { cat err.txt >&2; fail "$1: not a CHECK failure"; }
}
n=0
visit() { # COLUMN VALUE (SQL literal): a visit with that one column set, number $n
	role="'inspect'" outcome="'entered'" hose=NULL valve=NULL alarm=NULL shutoff=NULL supply=NULL
	eval "$1=\"\$2\""
	echo "INSERT INTO visit(device, seq, account, actor, at, at_epoch, recorded_at, role, outcome,
	      hose, valve, alarm, shutoff, supply)
	      VALUES ('d', $n, 'A1', 'x', 't', 1, 0, $role, $outcome, $hose, $valve, $alarm, $shutoff, $supply)"
}
add() { sql "$1"; n=$((n + 1)); }
for col in role outcome hose valve alarm shutoff supply; do
	n=$((n + 1)); rejects "visit.$col" "$(visit $col "'bogus'")"
done
add "$(visit role "'spot-check'")"
add "$(visit outcome "'vacant'")"
for v in metal non-metal none NULL; do
	[ "$v" = NULL ] && add "$(visit hose NULL)" || add "$(visit hose "'$v'")"
done
for col in valve alarm shutoff; do
	for v in ok absent faulty na; do add "$(visit $col "'$v'")"; done
	add "$(visit $col NULL)"
done
expect_eq "$(sql "SELECT COUNT(*) FROM visit")" "21" "accepted visits"

rejects "visit_install.item" "INSERT INTO visit_install VALUES ('d', 1, 0, 'pipe', 'p', 's', 0)"
sql "INSERT INTO visit_install VALUES ('d', 1, 0, 'shutoff', 'p', 's', 0)"
rejects "status.state" "INSERT INTO status(account, state) VALUES ('A1', 'fine')"
sql "INSERT INTO status(account, state) VALUES ('A1', 'never_reached')"
rejects "catalog.item" "INSERT INTO catalog VALUES ('X', 'pipe', 'a', 'b', 'c', 1)"
sql "INSERT INTO catalog VALUES ('X', 'alarm', 'a', 'b', 'c', 1)"
rejects "device.kind" "INSERT INTO device(id, name, kind, enrolled_at) VALUES ('x', 'x', 'phone', 0)"
sql "INSERT INTO device(id, name, kind, enrolled_at) VALUES ('x', 'x', 'terminal', 0)"
# a status refresh finds the household's resolved conflicts through an index
sql "EXPLAIN QUERY PLAN SELECT a_device FROM conflict WHERE account = 'A1' AND resolved_at IS NOT NULL" >plan.txt
expect_grep "USING INDEX conflict_account" plan.txt

# 0004 dropped status_state; 0005 added visit.parts (0..7, NULL when not known)
expect_eq "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'status_state'")" "0" "status_state dropped"
rejects "visit.parts" "UPDATE visit SET parts = 8"
sql "UPDATE visit SET parts = 7"
# a ledger of schema 4 (no parts column), built from the migrations of that time with a
# fresh ledger's keys and reference data, is brought up to date when opened, its visits kept
for f in "$GASWALK_ROOT"/schema/000[1-4]_*.sql; do sqlite3 old.db <"$f"; done
sqlite3 old.db "ATTACH 'gaswalk.db' AS n;
	INSERT INTO subdistrict SELECT * FROM n.subdistrict; INSERT INTO sector SELECT * FROM n.sector;
	INSERT INTO hazard_item SELECT * FROM n.hazard_item; INSERT INTO catalog SELECT * FROM n.catalog;
	INSERT INTO setting SELECT * FROM n.setting;
	INSERT INTO meta(key, value) VALUES ('device_id', '00112233445566aa'), ('name', 'O'), ('kind', 'office'),
		('next_seq', '1'), ('created_at', '1600000000');
	INSERT INTO device(id, name, kind, sign_pk, box_pk, enrolled_at) SELECT '00112233445566aa', 'O', 'self',
		sign_pk, box_pk, 1600000000 FROM n.device WHERE kind = 'self';
	INSERT INTO household(account, category, gas) VALUES ('A1', 'residential', 'pipeline');
	INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, recorded_at)
		VALUES ('0123456789abcdef', 1, 'A1', 'W1', 'inspect', '2023-11-01T09:00:00+08:00', 1698800400,
		'entered', 'metal', 'ok', 1698800400);
	PRAGMA user_version = 4;"
cp gaswalk.db.key old.db.key
expect_rc 0 gw --db old.db list --pending
expect_eq "$(DB=old.db sql "PRAGMA user_version")" "$SCHEMA_VERSION" "schema version after the upgrade"
expect_eq "$(DB=old.db sql "SELECT count(*) FROM visit WHERE parts IS NULL")" "1" "old visits: parts not known"
expect_eq "$(DB=old.db sql "PRAGMA integrity_check")" "ok" "integrity after the upgrade"
echo ok
