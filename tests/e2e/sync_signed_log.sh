#!/bin/sh
# The merge log is signed with the ledger's key and its head can be held against it:
# an entry edited with sqlite3 (chain recomputed) fails its signature; a log cut, or cut
# and extended again by gaswalk itself, after its head was handed out is named by
# log --verify against that head; the format-1 log is sealed by the first signed entry.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

# rechain DB: recomputes every entry's hash and link (format 2 after the sealed count,
# format 1 before it) the way an attacker would after editing the log
rechain() {
	python3 - "$1" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
old = int((db.execute("SELECT value FROM meta WHERE key='log_format1_entries'").fetchone() or ['0'])[0])
prev = '0' * 64
rows = db.execute("SELECT id, at, COALESCE(device,''), COALESCE(bundle_seq,0), COALESCE(bundle_hash,''), result, detail FROM merge_log ORDER BY id").fetchall()
for r in rows:
    h = hashlib.blake2b(digest_size=32)
    for f in ['gaswalk-log1' if r[0] <= old else 'gaswalk-log2', str(r[0]), str(r[1]), r[2], str(r[3]), r[4], r[5], r[6], prev]:
        b = f.encode()
        h.update(str(len(b)).encode() + b':' + b)
    db.execute("UPDATE merge_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h.hexdigest(), r[0]))
    prev = h.hexdigest()
db.commit()
PY
}
copy() { # FROM TO: a ledger and its key file
	sqlite3 "$1" ".backup $2"
	cp "$1.key" "$2.key"
	chmod 600 "$2.key"
}

setup_office_terminal
mkdir b
for i in 1 2 3; do
	gw --db t1.db record A1 --outcome not-home --at "2023-11-14T1${i}:00Z" >/dev/null
	gw --db t1.db export -o b >/dev/null
done
gw --db office.db merge b/*-000001.gwb b/*-000002.gwb >/dev/null
printf 'garbage' >junk.gwb
expect_rc 1 gw --db office.db merge junk.gwb
gw --db office.db log >log.out
expect_eq "$(wc -l <log.out)" 3 "log entries"
expect_eq "$(sqlite3 office.db "SELECT count(*) FROM merge_log WHERE sig IS NULL")" 0 "unsigned entries"
gw --db office.db log --verify >v.out
expect_grep "^merge log: chain intact, 3 entries, 3 signed by this ledger's key$" v.out
expect_grep "^merge log: never witnessed: no pack from the level above has echoed a head of this log, so there is none to check it against$" v.out
# a terminal's log never goes up: never witnessed either, though it loaded a pack
gw --db t1.db log --verify >v.out
expect_grep "^merge log: never witnessed: " v.out

# the head handed out: signed by this ledger, checked against it
HEAD=$(gw --db office.db log --head)
case "$HEAD" in "gaswalk-loghead1:$OFFICE_ID:3:"*) ;; *) fail "head line: $HEAD" ;; esac
gw --db office.db log --verify --against "$HEAD" >v.out
expect_grep "^merge log: matches the head given: entry 3, " v.out
# a head of another ledger, or one whose signature was not made by this ledger, is refused
expect_rc 1 gw --db office.db log --verify --against "$(gw --db t1.db log --head)"
expect_grep "that head is of another ledger's log" "$T/err"
FORGED=$(echo "$HEAD" | sed 's/:3:/:2:/')
expect_rc 1 gw --db office.db log --verify --against "$FORGED"
expect_eq "$(cat "$T/err")" "gaswalk: --against: that head is not signed by this ledger's key" "forged head"
expect_rc 2 gw --db office.db log --against "$HEAD"

# 1. an entry edited and the chain recomputed: its signature no longer matches
copy office.db e.db
sqlite3 e.db "UPDATE merge_log SET detail = '0 new visits' WHERE id = 2"
rechain e.db
expect_rc 1 gw --db e.db log --verify
expect_eq "$(cat "$T/err")" "gaswalk: merge log: entry 2: signature does not match this ledger's key" "edited entry"
# ... or its signature stripped
copy office.db s.db
sqlite3 s.db "UPDATE merge_log SET sig = NULL WHERE id = 3"
expect_rc 1 gw --db s.db log --verify
expect_eq "$(cat "$T/err")" "gaswalk: merge log: entry 3 is not signed (the signed chain began before it)" "unsigned entry"

# 2. the rejection cut from the end: the chain alone cannot tell, the head can
copy office.db c.db
sqlite3 c.db "DELETE FROM merge_log WHERE id = 3"
gw --db c.db log --verify >v.out
expect_grep "chain intact, 2 entries" v.out
expect_rc 1 gw --db c.db log --verify --against "$HEAD"
expect_eq "$(cat "$T/err")" "gaswalk: merge log: 2 entries, but the head given counts 3 (cut after that head)" "cut log"

# 3. cut, then extended by gaswalk itself (every entry chained and signed again)
copy office.db r.db
sqlite3 r.db "DELETE FROM merge_log WHERE id = 3"
gw --db r.db merge b/*-000003.gwb >/dev/null
gw --db r.db log --verify >v.out
expect_grep "chain intact, 3 entries, 3 signed" v.out
expect_rc 1 gw --db r.db log --verify --against "$HEAD"
expect_eq "$(cat "$T/err")" "gaswalk: merge log: entry 3 is not the one in the head given (rewritten after that head)" "rewritten log"

# 4. a format-1 log (entries from before schema 0009) is sealed as it is: the first
#    signed entry chains onto it, and editing it afterwards breaks that link
make_ledger old.db office "Old office"
sqlite3 old.db "INSERT INTO merge_log(id, at, device, bundle_seq, bundle_hash, result, detail, prev_hash, hash)
	VALUES (1, 1690000000, 'aaaaaaaaaaaaaaaa', 1, '', 'merged', '2 new visits', '', ''),
	       (2, 1690000100, 'aaaaaaaaaaaaaaaa', 2, '', 'rejected', 'fork', '', '');
	UPDATE meta SET value = '2' WHERE key = 'log_format1_entries'"
rechain old.db
gw --db old.db log --verify >v.out
expect_grep "chain intact, 2 entries, 0 signed" v.out
make_ledger t9.db device "T9"
gw --db old.db enroll "$(gw --db t9.db key show | head -n 1)" --name T9 >/dev/null
gw --db old.db revoke "$(id_of t9.db)" >/dev/null
expect_eq "$(sqlite3 old.db "SELECT group_concat(result || ':' || (sig IS NOT NULL), ',') FROM merge_log")" \
	"merged:0,rejected:0,sealed:1,revoked:1" "sealed log"
expect_eq "$(sqlite3 old.db "SELECT detail FROM merge_log WHERE id = 3")" "format-1 log of 2 entries sealed" "seal entry"
gw --db old.db log --verify >v.out
expect_grep "chain intact, 4 entries, 2 signed" v.out
sqlite3 old.db "UPDATE merge_log SET detail = 'merged' WHERE id = 2"
rechain old.db
expect_rc 1 gw --db old.db log --verify
expect_eq "$(cat "$T/err")" "gaswalk: merge log: entry 3: signature does not match this ledger's key" "sealed format-1 log edited"
echo ok
