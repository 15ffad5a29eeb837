# Helpers for the sync end-to-end scripts (sourced after lib.sh).
export GASWALK_NOW=1700000000

# setup_office_terminal: office.db with households in compounds C1, C2; t1.db enrolled,
# trusting the office, loaded with a pack for C1. Sets OFFICE_ID, T1_ID.
make_ledger() { # DB KIND NAME
	gw --db "$1" init "--$2" "$3" >/dev/null
}
id_of() { gw --db "$1" key show | head -n 1 | cut -d: -f2; }
add_households() { # DB
	sqlite3 "$1" "INSERT INTO household(account, category, gas, sector, compound, building, unit, floor, room, name, phone) VALUES
	 ('A1','residential','pipeline',NULL,'C1','1','1','1','101','张三','13800000001'),
	 ('A2','non_residential','pipeline','catering','C1','1','1','1','102','饭店','13800000002'),
	 ('A3','residential','lpg',NULL,'C1','1','2','3','301','李四',''),
	 ('A4','residential','pipeline',NULL,'C1','2','1','1','101','王五',''),
	 ('B1','residential','pipeline',NULL,'C2','1','1','1','101','赵六','')"
}
setup_office_terminal() {
	make_ledger office.db office "Office A"
	add_households office.db
	make_ledger t1.db device "T1"
	OFFICE_ID=$(id_of office.db)
	T1_ID=$(id_of t1.db)
	gw --db t1.db key show >t1.id
	gw --db office.db enroll t1.id --name "Terminal 1" >/dev/null
	gw --db t1.db trust "$(gw --db office.db key show | head -n 1)" >/dev/null
	gw --db office.db assign --device "$T1_ID" --compound C1 -o pack1.gwp >/dev/null
	gw --db t1.db load pack1.gwp >/dev/null
}
# canonical DB: the ledger's content without merge-time columns, sorted
canonical() {
	sqlite3 "$1" "SELECT device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, alarm, shutoff, supply, note, base_device, base_seq FROM visit ORDER BY device, seq;
	SELECT * FROM visit_hazard ORDER BY 1, 2, 3;
	SELECT * FROM visit_install ORDER BY 1, 2, 3;
	SELECT * FROM photo ORDER BY 1, 2, 3;
	SELECT * FROM status ORDER BY account;
	SELECT * FROM rectification ORDER BY 1, 2, 3;
	SELECT account, a_device, a_seq, b_device, b_seq, fields, resolved_at IS NULL, keep_device, keep_seq FROM conflict ORDER BY 2, 3, 4, 5;
	SELECT * FROM household ORDER BY account;"
}
