# gaswalk COMMAND --help: the command's usage on stdout, exit 0, nothing touched;
# and every option its usage names is in the man page.
. "$(dirname "$0")/lib.sh"
mkdir empty && cd empty
page=$(groff -man -Tutf8 "$GASWALK_ROOT/doc/gaswalk.1" 2>/dev/null | sed 's/.\x08//g')
n=0
for c in $(gw --help | awk 'NR > 2 { print $1 }'); do
	expect_rc 0 gw "$c" --help
	head -1 "$T/out" | grep -q "^usage: gaswalk $c" || fail "$c --help: $(head -1 "$T/out")"
	[ -s "$T/err" ] && fail "$c --help wrote to stderr: $(cat "$T/err")"
	[ -z "$(ls -A)" ] || fail "$c --help left files: $(ls -A)"
	for opt in $(head -1 "$T/out" | grep -o -- '--[a-z-]*' | sort -u); do
		echo "$page" | grep -q -- "$opt" || fail "$c: $opt is not in the man page"
	done
	n=$((n + 1))
done
[ "$n" -ge 20 ] || fail "only $n commands"
gw --lang zh list --help | grep -q "^用法： *gaswalk list" || fail "Chinese usage"
echo "ok: $n commands"
