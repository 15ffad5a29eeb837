#!/bin/sh
# The README's office's day and terminal's day, run as written: the command lines are
# taken from README.md itself. Only four things are stood in for: the USB stick (a
# folder), the fingerprint a person reads off the other side's screen (the README's
# example values become the real ones), the inspector's PIN typed on the terminal (the
# global --pin-fd 3 on the terminal's lines), and the walk in the TUI (the same visit by
# `gaswalk record`).
. "$(dirname "$0")/lib.sh"
README="$GASWALK_ROOT/README.md"
gaswalk() { "$GASWALK" "$@"; }
USB="$T/usb"
mkdir -p "$USB" office terminal

# day TITLE: the code lines of the README block after the line starting with TITLE
day() {
	awk -v t="$1" 'index($0, t) == 1 { on = 1; next }
		on && /^    gaswalk/ { sub(/^    /, ""); print; seen = 1; next }
		on && seen && !/^    / { exit }' "$README"
}
day "An office's day" >office.txt
day "A terminal's day" >terminal.txt
expect_eq "$(wc -l <office.txt)" 7 "lines of the office's day"
expect_eq "$(wc -l <terminal.txt)" 6 "lines of the terminal's day"
OFFICE_FPR_EXAMPLE=$(grep -o -- '--fingerprint [A-Z2-7]*' terminal.txt | cut -d' ' -f2)
TERMINAL_FPR_EXAMPLE=$(grep -o -- '--fingerprint [A-Z2-7]*' office.txt | cut -d' ' -f2)
[ -n "$OFFICE_FPR_EXAMPLE" ] && [ -n "$TERMINAL_FPR_EXAMPLE" ] || fail "the days lost their --fingerprint"

# step WHO N: runs line N of that day in its own folder, as written (stand-ins only)
step() {
	line=$(sed -n "${2}p" "$1.txt" | sed "s|/media/usb|$USB|g")
	line=$(echo "$line" | sed "s|$OFFICE_FPR_EXAMPLE|${OFFICE_FPR:-}|; s|$TERMINAL_FPR_EXAMPLE|${TERMINAL_FPR:-}|")
	case $line in
	"gaswalk tui"*) line="gaswalk record $ACCOUNT --outcome entered --hose metal --valve ok" ;;
	esac
	if [ "$1" = terminal ]; then line=$(echo "$line" | sed 's|^gaswalk |gaswalk --pin-fd 3 |'); fi
	echo "[$1] $line" >>"$T/ran.txt"
	(cd "$1" && eval "$line") 3<"$T/pin.txt" >"$T/step.out" 2>"$T/step.err" ||
		{ cat "$T/step.out" "$T/step.err" >&2; fail "$1's day, line $2: $line"; }
}

# the gas company's list, in the office's hands
printf '%s\n' '用户编号,用户类型,气源,新建,行业,用户名称,联系电话,街道,社区,小区,楼栋,单元,楼层,房号' \
	'0100000001,居民,管道天然气,否,,张三,13800000001,林山寨街道,一社区,幸福小区,1号楼,1单元,1,101' \
	'0100000002,居民,管道天然气,否,,李四,13800000002,林山寨街道,一社区,幸福小区,1号楼,1单元,2,201' \
	>office/customers.csv
ACCOUNT=0100000001
echo 482916 >pin.txt # the inspector's PIN

step terminal 1 # init --device: its screen shows the fingerprint
TERMINAL_FPR=$(sed -n 's/^fingerprint \([A-Z2-7]*\):.*/\1/p' "$T/step.out")
[ -n "$TERMINAL_FPR" ] || fail "init --device showed no fingerprint"
step terminal 2 # its identity onto the stick
step office 1
step office 2 # the office's identity onto the stick
OFFICE_FPR=$( (cd office && gaswalk key show) | sed -n 's/.*fingerprint //p')
step office 3 # import
step office 4 # enroll, with the fingerprint read off the terminal
expect_grep "enrolled terminal 终端07 ($TERMINAL_FPR)" "$T/step.out"
step office 5 # assign
step terminal 3 # trust, with the fingerprint read off the office's screen
expect_grep "trusting office 林山寨街道办" "$T/step.out"
step terminal 4 # load
expect_grep "2 households" "$T/step.out"
step terminal 5 # the walk
step terminal 6 # export
step office 6 # merge
expect_grep "merged (device 终端07 ($TERMINAL_FPR), bundle 1): 1 new visits" "$T/step.out"
step office 7 # conflicts; weekly report
[ -s "office/周通报.xlsx" ] || fail "no weekly report written"
expect_eq "$(sqlite3 office/gaswalk.db "SELECT device || ' ' || account FROM visit")" "$TERMINAL_FPR $ACCOUNT" "the walk reached the office"
expect_eq "$(sqlite3 office/gaswalk.db "SELECT value FROM meta WHERE key = 'subdistrict'")" LSZ "the office's subdistrict"

# the days refuse a swapped identity: the same enrolment with another terminal's file
gaswalk --db other.db init --device 终端08 --no-pin >/dev/null
gaswalk --db other.db key show | head -n 1 >"$USB/终端07.id"
(cd office && gaswalk enroll "$USB/终端07.id" --name 终端07b --fingerprint "$TERMINAL_FPR") >/dev/null 2>err.txt &&
	fail "a swapped identity file was enrolled"
expect_grep "refused — the file is not the identity shown on the device's screen" err.txt
echo ok
