#!/bin/sh
# Pruning a terminal (issue 17): a pack that no longer assigns 5,000 households (each
# with a visit the office already holds) against a pack that removes nothing: the
# difference is the pruning (delete with secure_delete, WAL truncate, VACUUM). Target
# < 1 s. Then the same with PHOTOS of those visits carrying a photo of PHOTO_KB in the
# camera folder: each file is hashed before it is deleted (only the very file recorded
# goes), so that run adds the photos' cost. HOUSEHOLDS overrides the size. Figures only;
# nothing asserted.
set -eu
: "${GASWALK:?run through make bench}"
N=${HOUSEHOLDS:-5000}
PHOTOS=${PHOTOS:-500}
KB=${PHOTO_KB:-1024}
W=$(mktemp -d "${TMPDIR:-/tmp}/gaswalk-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
export GASWALK_NOW=1700000000
g() { "$GASWALK" "$@"; }
now() { date +%s.%N; }

# add_photos P: a photo to each of the first P visits, its file in the camera folder
add_photos() {
	mkdir camera
	python3 - "$1" "$KB" <<'EOF' | sqlite3 t.db
import hashlib, os, sys
p, kb = int(sys.argv[1]), int(sys.argv[2])
for i in range(1, p + 1):
    data = os.urandom(kb * 1024)
    open('camera/IMG_%05d.jpg' % i, 'wb').write(data)
    print("INSERT INTO photo VALUES('AAAAAAAAAAAAAAAAAAAAAAAAAA', %d, 'IMG_%05d.jpg', %d, '%s');"
          % (i, i, len(data), hashlib.blake2b(data, digest_size=32).hexdigest()))
EOF
}

# run P: one terminal pruned, P photos with it
run() {
	mkdir "$W/$1" && cd "$W/$1"
	g --db o.db init --office O >/dev/null
	g --db t.db init --device T --no-pin >/dev/null
	g --db o.db enroll "$(g --db t.db key show | head -n 1)" --name T >/dev/null
	g --db t.db trust "$(g --db o.db key show | head -n 1)" >/dev/null
	sqlite3 o.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
		INSERT INTO household(account, category, gas, compound, building, unit, floor, room, name, phone)
		SELECT printf('H%06d', i), 'residential', 'pipeline', 'OLD', i / 100, 1, i % 10, i % 100,
		       'name ' || i, printf('139%08d', i) FROM n;
		INSERT INTO household(account, category, gas, compound, name) VALUES ('K1', 'residential', 'pipeline', 'NEW', 'k')"
	g --db o.db assign --device T --compound OLD --compound NEW -o a.gwp >/dev/null
	g --db t.db load a.gwp >/dev/null
	# a visit of each, recorded elsewhere and carried in a pack: the terminal owes nothing
	sqlite3 t.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
		INSERT INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, valve, recorded_at)
		SELECT 'AAAAAAAAAAAAAAAAAAAAAAAAAA', i, printf('H%06d', i), 'x', 'inspect', '2023-11-01T09:00:00+08:00',
		       1698800400, 'entered', 'metal', 'ok', 1698800400 FROM n"
	[ "$1" = 0 ] || add_photos "$1"
	g --db o.db assign --device T --compound NEW -o b.gwp >/dev/null
	g --db o.db assign --device T --compound NEW -o c.gwp >/dev/null
	t0=$(now); g --db t.db load b.gwp >b.out; t1=$(now)
	g --db t.db load c.gwp >/dev/null; t2=$(now)
	grep -q "removed" b.out || { cat b.out; echo "nothing pruned"; exit 1; }
	[ "$1" = 0 ] || grep -q "^$1 of their photos deleted" b.out || { cat b.out; echo "photos not deleted"; exit 1; }
	awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$N" -v p="$1" -v kb="$KB" 'BEGIN {
		printf "prune %d households", n
		if (p) printf " with %d photos of %d KB", p, kb
		printf ": load with pruning %.3f s, load without %.3f s, pruning %.3f s%s\n",
		       b - a, c - b, (b - a) - (c - b), p ? "" : " (target < 1 s)" }'
}
run 0
[ "$PHOTOS" = 0 ] || run "$PHOTOS"
