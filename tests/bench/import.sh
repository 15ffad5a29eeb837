# Bench: 'gaswalk import' of a 300,000-row customer list against the sqlite3
# shell's '.import' of the same file into a bare table with the same primary key
# (account TEXT PRIMARY KEY), in the same run; and gaswalk's peak memory. Prints:
#   import 300000 rows: gaswalk 2.31 s, sqlite3 .import 1.70 s, ratio 1.36; peak RSS 9.8 MB
# Each side: best of three runs, each into a fresh database. ROWS=N changes the size.
. "$(dirname "$0")/lib.sh"
ROWS=${ROWS:-300000}
[ -x /usr/bin/time ] || { echo "bench/import: /usr/bin/time missing (make test-deps)" >&2; exit 1; }

# A list as a gas company exports it: Chinese header, 14 subdistricts, compounds,
# buildings, units, floors, rooms; one in twelve users non-residential.
awk -v rows="$ROWS" 'BEGIN {
	srand(7)
	split("建设路,棉纺路,秦岭路,汝河路,三官庙,绿东村,林山寨,须水,中原西路,桐柏路,莲湖,石佛,沟赵,航海西路", sd, ",")
	split("张,王,李,赵,刘,陈,杨,黄,周,吴,徐,孙,马,朱,胡,郭,何,高,林,罗", sn, ",")
	split("伟,芳,娜,秀英,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀兰,霞", gn, ",")
	split("幸福,和平,阳光,锦绣,金水,碧水,绿城,康桥,华庭,名门,建业,正商", cp, ",")
	split("家园,花园,小区,新村,苑,公寓", cs, ",")
	split("catering,industry,education,medical,elder_care,culture,other", sec, ",")
	split("饭店,面馆,超市,幼儿园,诊所,养老院,网吧", shop, ",")
	print "用户编号,用户类型,气源,新建,行业,用户名称,联系电话,街道,社区,小区,楼栋,单元,楼层,房号"
	for (i = 1; i <= rows; i++) {
		acc = sprintf("01%08d", (i * 104729) % 99999989)
		s = sd[int(rand() * 14) + 1]
		comp = cp[int(rand() * 12) + 1] cs[int(rand() * 6) + 1]
		if (i % 12 == 0) {
			k = int(rand() * 7) + 1
			printf "%s,非居民,%s,否,%s,\"%s%s%s\",0371-6%07d,%s街道,%s社区,,,,,\n", acc,
				(rand() < 0.3 ? "瓶装液化石油气" : "管道天然气"), sec[k],
				sn[int(rand() * 20) + 1], "记", shop[k], int(rand() * 9999999), s, s
		} else {
			fl = int(rand() * 18) + 1
			printf "%s,居民,%s,%s,,%s%s,1%02d%08d,%s街道,%s%d社区,%s,%d号楼,%d单元,%d,%d%02d\n",
				acc, (rand() < 0.1 ? "瓶装液化石油气" : "管道天然气"),
				(rand() < 0.05 ? "是" : "否"), sn[int(rand() * 20) + 1],
				gn[int(rand() * 20) + 1], 30 + int(rand() * 60), int(rand() * 99999999),
				s, s, int(rand() * 5) + 1, comp, int(rand() * 30) + 1,
				int(rand() * 4) + 1, fl, fl, int(rand() * 4) + 1
		}
	}
}' >"$B/list.csv"

fresh_gaswalk() {
	rm -f "$B"/gw.db*
	"$GASWALK" --db "$B/gw.db" init --office bench >/dev/null
}
fresh_sqlite() {
	rm -f "$B"/bare.db*
	sqlite3 "$B/bare.db" "PRAGMA journal_mode = WAL; CREATE TABLE household(
		account TEXT PRIMARY KEY, category, gas, new_build, sector, name, phone,
		subdistrict, community, compound, building, unit, floor, room) WITHOUT ROWID" >/dev/null
}
# best_of3 PREPARE COMMAND...: the best of three timed runs, each after PREPARE
best_of3() {
	prep=$1; shift
	for i in 1 2 3; do "$prep"; secs "$@"; echo; done | sort -n | head -1
}
gw_s=$(best_of3 fresh_gaswalk "$GASWALK" --db "$B/gw.db" import "$B/list.csv")
n=$(sqlite3 "$B/gw.db" "SELECT count(*) FROM household")
sq_s=$(best_of3 fresh_sqlite sqlite3 "$B/bare.db" ".import --csv --skip 1 $B/list.csv household")
m=$(sqlite3 "$B/bare.db" "SELECT count(*) FROM household")
[ "$n" = "$ROWS" ] && [ "$m" = "$ROWS" ] || { echo "bench/import: rows $n / $m, expected $ROWS" >&2; exit 1; }
fresh_gaswalk
kb=$(peak_kb "$GASWALK" --db "$B/gw.db" import "$B/list.csv")
echo "$ROWS $gw_s $sq_s $(ratio "$gw_s" "$sq_s") $kb" | awk '{
	printf "import %d rows: gaswalk %.2f s, sqlite3 .import %.2f s, ratio %.2f; peak RSS %.1f MB\n",
		$1, $2, $3, $4, $5 / 1024
}'
