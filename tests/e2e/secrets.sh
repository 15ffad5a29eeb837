# Secret keys: key files are 0600 whatever the umask, a key file others can read is
# refused with advice, and no secret key (raw, hex or base64, at any alignment) shows
# up in a ledger, a bundle, a pack, a roll-up, a report, a log or anything printed.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/sync_lib.inc"

umask 000
setup_office_terminal
umask 022
for k in office.db.key t1.db.key; do
	expect_eq "$(stat -c %a $k)" 600 "$k mode under umask 000"
done

# a key file others can read is refused, with advice, by everything that signs or opens
mkdir bout cam
printf 'jpeg' > cam/IMG_1.jpg
gw --db t1.db record A1 --outcome entered --hose metal --photo cam/IMG_1.jpg --note secret-test >/dev/null
for mode in 644 640 604; do
	chmod $mode t1.db.key
	expect_rc 1 gw --db t1.db export -o bout --photos cam
	expect_grep "chmod 600" "$T/err"
	[ "$(wc -l < "$T/err")" = 1 ] || fail "key mode $mode: not one line"
	chmod $mode office.db.key
	expect_rc 1 gw --db office.db assign --device "$T1_ID" --compound C1 -o refused.gwp
	expect_grep "chmod 600" "$T/err"
	[ ! -e refused.gwp ] || fail "a pack was written with a readable key"
	chmod 600 t1.db.key office.db.key
done
expect_eq "$(ls bout)" "" "bundles written with a readable key"

# every kind of output, kept in this folder
gw --db t1.db export -o bout --photos cam > export.out 2>&1
gw --db office.db merge bout/*.gwb > merge.out 2>&1
gw --db office.db assign --device "$T1_ID" --compound C1 -o pack2.gwp > assign.out 2>&1
gw --db t1.db load pack2.gwp > load.out 2>&1
mkdir rollup
gw --db office.db export -o rollup > rollup.out 2>&1 || true
gw --db office.db log > log.out 2>&1
gw --db office.db log --verify > logv.out 2>&1
gw --db office.db key show --qr > keyshow.out 2>&1
gw --db t1.db key show > keyshow_t1.out 2>&1
gw --db office.db status A1 --json > status.out 2>&1
gw --db office.db conflicts --json > conflicts.out 2>&1 || true
for k in weekly overdue; do
	for f in text csv html; do gw --db office.db report $k --format $f -o report-$k.$f; done
	gw --db office.db report $k --format xlsx -o report-$k.xlsx
done
sqlite3 office.db "PRAGMA wal_checkpoint" >/dev/null
ls bout/*.gwb pack2.gwp report-weekly.xlsx >/dev/null

python3 - <<'EOF'
import base64, binascii, os, sys, zipfile

def secrets(path):
    b = open(path, 'rb').read()
    assert b[:8] == b'GWKEY001', path
    sign_sk, box_sk = b[8:72], b[72:104]
    return {path + ' sign seed': sign_sk[:32], path + ' sign sk': sign_sk, path + ' box sk': box_sk}

def forms(s):
    out = [s, binascii.hexlify(s), binascii.hexlify(s).upper()]
    for i in range(3):  # base64 at every alignment, both alphabets, the stable middle part
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            e = enc(s[i:]).rstrip(b'=')
            out.append(e[: (len(e) // 4) * 4 - 4])
    return [f for f in out if len(f) >= 16]

keys = {}
for k in ('office.db.key', 't1.db.key'):
    keys.update(secrets(k))
def found(blob):
    return [what for what, s in keys.items() for f in forms(s) if f in blob]
# the search itself can fail: secrets written out in each form are found
sk = keys['t1.db.key sign sk']
for control in (sk, binascii.hexlify(sk), b'xx' + base64.b64encode(b'?' + sk) + b'yy',
                base64.urlsafe_b64encode(b'??' + keys['office.db.key box sk'])):
    assert found(control), control
files = []
for root, _, names in os.walk('.'):
    for n in names:
        p = os.path.join(root, n)
        if not p.endswith('.key'):
            files.append(p)
bad = 0
scanned = 0
for p in files:
    data = open(p, 'rb').read()
    blobs = [data]
    if zipfile.is_zipfile(p):
        blobs += [zipfile.ZipFile(p).read(m) for m in zipfile.ZipFile(p).namelist()]
    scanned += 1
    for what, s in keys.items():
        for f in forms(s):
            if any(f in blob for blob in blobs):
                print('secret %s found in %s' % (what, p)); bad += 1
print('secrets: %d files scanned for %d secrets in %d forms each, %d found'
      % (scanned, len(keys), len(forms(keys['t1.db.key sign sk'])), bad))
sys.exit(1 if bad else 0)
EOF
echo ok
