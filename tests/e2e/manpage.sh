# The man page covers the command line: every command 'gaswalk --help' lists has an entry
# in doc/gaswalk.1, naming every option and report kind of that command's usage line; the
# page renders without a groff warning.
. "$(dirname "$0")/lib.sh"
page="$GASWALK_ROOT/doc/gaswalk.1"

# Rendered wide, so that every entry's tag stays on one line; -k reads UTF-8 (Chinese).
groff -k -man -Tutf8 -rLL=250n -P-cbou -ww "$page" >man.txt 2>groff.err
[ ! -s groff.err ] || { cat groff.err >&2; fail "groff warns about $page"; }
sed -n '/^COMMANDS/,/^[A-Z]/p' man.txt >commands.txt
[ "$(wc -l <commands.txt)" -gt 50 ] || fail "no COMMANDS section in $page"

# The lines of one command's entry: its tag (7 spaces in) up to the next tag or heading.
entry() {
	awk -v c="$1" '
		/^       [^ ]/ || /^[^ ]/ || /^   [^ ]/ { on = ($0 ~ "^       " c "( |$)") }
		on' commands.txt
}

expect_rc 0 gw --lang en --help
commands=$(awk '/^  [a-z]/ { print $1 }' "$T/out")
[ "$(echo "$commands" | wc -w)" -ge 4 ] || fail "gaswalk --help lists no commands"
for c in $commands; do
	entry "$c" >entry.txt
	[ -s entry.txt ] || fail "command '$c' of gaswalk --help has no entry in $page"
	# What the command says its usage is: options and, for report, the kinds.
	set +e
	timeout 20 "$GASWALK" --lang en --db none.db "$c" --help </dev/null >usage.txt 2>&1
	set -e
	sed -n '/usage:/,$p' usage.txt >usage-lines.txt
	for opt in $(grep -o -- '--[a-z][a-z-]*' usage-lines.txt | grep -vx -- --help | sort -u); do
		grep -q -- "$opt" entry.txt || fail "'$c': option $opt of its usage is not in $page"
	done
	for kind in $(sed -n 's/.*KIND: *//p' usage-lines.txt); do
		grep -q -- "$kind" entry.txt || fail "'$c': report kind $kind is not in $page"
	done
	echo "ok $c: $(grep -o -- '--[a-z][a-z-]*' usage-lines.txt | grep -vx -- --help | sort -u | tr '\n' ' ')"
done

# The global options of the synopsis, and the contract's report kinds, are all there.
for opt in --db --lang --help --version; do grep -q -- "$opt" man.txt || fail "$opt not in $page"; done
for kind in weekly ranking sector funding prices valves suspensions acceptance overdue; do
	entry report | grep -q "^ *$kind " || fail "report kind $kind has no line in $page"
done
# The day examples are there, and use only commands the page describes.
grep -q "^A TERMINAL'S DAY" man.txt || fail "no terminal's day"
grep -q "^AN OFFICE'S DAY" man.txt || fail "no office's day"
for c in $(sed -n "/^A TERMINAL'S DAY/,/^EXIT STATUS/p" man.txt |
	sed -n 's/^ *gaswalk \(--db [^ ]* \)\{0,1\}\([a-z]*\).*/\2/p' | sort -u); do
	[ -n "$(entry "$c")" ] || fail "example uses '$c', which has no entry"
done
