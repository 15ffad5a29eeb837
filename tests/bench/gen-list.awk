# A customer list as a gas company exports it, for tests/bench/import.sh:
#   awk -v rows=N -f gen-list.awk data/subdistricts.tsv >list.csv
# Chinese header; the district's own subdistricts (read from data/subdistricts.tsv, so
# that the import's subdistrict check accepts them); compounds, buildings, units,
# floors, rooms; one user in twelve non-residential. Accounts are ten digits with a
# leading zero, unique, in a scrambled order (sort the lines for a sorted file).
BEGIN { FS = "\t" }
NR > 1 && $2 != "" { sd[++nsd] = $2; short[nsd] = $2; sub(/街道$/, "", short[nsd]) }
END {
	srand(7)
	split("张,王,李,赵,刘,陈,杨,黄,周,吴,徐,孙,马,朱,胡,郭,何,高,林,罗", sn, ",")
	split("伟,芳,娜,秀英,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀兰,霞", gn, ",")
	split("幸福,和平,阳光,锦绣,金水,碧水,绿城,康桥,华庭,名门,建业,正商", cp, ",")
	split("家园,花园,小区,新村,苑,公寓", cs, ",")
	split("catering,industry,education,medical,elder_care,culture,other", sec, ",")
	split("饭店,面馆,超市,幼儿园,诊所,养老院,网吧", shop, ",")
	print "用户编号,用户类型,气源,新建,行业,用户名称,联系电话,街道,社区,小区,楼栋,单元,楼层,房号"
	for (i = 1; i <= rows; i++) {
		acc = sprintf("01%08d", (i * 104729) % 99999989)
		k = int(rand() * nsd) + 1
		s = sd[k]
		comp = cp[int(rand() * 12) + 1] cs[int(rand() * 6) + 1]
		if (i % 12 == 0) {
			j = int(rand() * 7) + 1
			printf "%s,非居民,%s,否,%s,\"%s%s%s\",0371-6%07d,%s,%s社区,,,,,\n", acc,
				(rand() < 0.3 ? "瓶装液化石油气" : "管道天然气"), sec[j],
				sn[int(rand() * 20) + 1], "记", shop[j], int(rand() * 9999999), s, short[k]
		} else {
			fl = int(rand() * 18) + 1
			printf "%s,居民,%s,%s,,%s%s,1%02d%08d,%s,%s%d社区,%s,%d号楼,%d单元,%d,%d%02d\n",
				acc, (rand() < 0.1 ? "瓶装液化石油气" : "管道天然气"),
				(rand() < 0.05 ? "是" : "否"), sn[int(rand() * 20) + 1],
				gn[int(rand() * 20) + 1], 30 + int(rand() * 60), int(rand() * 99999999),
				s, short[k], int(rand() * 5) + 1, comp, int(rand() * 30) + 1,
				int(rand() * 4) + 1, fl, fl, int(rand() * 4) + 1
		}
	}
}
