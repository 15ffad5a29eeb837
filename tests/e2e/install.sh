# make install / make uninstall with PREFIX and DESTDIR, without the Debian package: the
# exact file list, modes, a binary that runs from there; then nothing of it left.
. "$(dirname "$0")/lib.sh"
if [ -n "${GASWALK_QEMU:-}" ]; then
	echo "skipped under qemu: make install builds for this machine, not for ${GASWALK_ARCH:-the target}"
	exit 0
fi
root="$T/root"
mk() { make --no-print-directory -C "$GASWALK_ROOT" BUILD="$BUILD" "$@"; }

# expected_files PREFIX: what an install under PREFIX holds, sorted
expected_files() {
	p=${1#/}
	{
		echo "$p/bin/gaswalk"
		echo "$p/share/man/man1/gaswalk.1"
		echo "$p/share/bash-completion/completions/gaswalk"
		echo "$p/share/doc/gaswalk/README.md"
		for f in "$GASWALK_ROOT"/data/*.tsv; do echo "$p/share/gaswalk/$(basename "$f")"; done
		for l in "$GASWALK_ROOT"/po/*_*; do echo "$p/share/locale/$(basename "$l")/LC_MESSAGES/gaswalk.mo"; done
	} | sort
}

for prefix in /usr /opt/gaswalk; do
	rm -rf "$root"
	mk PREFIX="$prefix" DESTDIR="$root" install >"$T/make.log" 2>&1 || { cat "$T/make.log" >&2; fail "make install PREFIX=$prefix"; }
	(cd "$root" && find . -type f -o -type l | sed 's|^\./||' | sort) >got.txt
	expected_files "$prefix" >want.txt
	diff want.txt got.txt >&2 || fail "PREFIX=$prefix: installed files differ from the list"
	expect_eq "$(stat -c %a "$root$prefix/bin/gaswalk")" 755 "binary mode"
	expect_eq "$(stat -c %a "$root$prefix/share/man/man1/gaswalk.1")" 644 "man page mode"
	cmp "$root$prefix/share/gaswalk/checklist.tsv" "$GASWALK_ROOT/data/checklist.tsv" || fail "checklist copied wrong"
	expect_rc 0 "$root$prefix/bin/gaswalk" --version
	expect_grep "^gaswalk [0-9]" "$T/out"
	# the installed binary has no test clock: GASWALK_NOW is ignored, whatever its value
	now=$(date +%s)
	expect_rc 0 env GASWALK_NOW=1000 "$root$prefix/bin/gaswalk" --db "$T/i.db" init --office install-test
	[ "$(sqlite3 "$T/i.db" "SELECT value FROM meta WHERE key = 'created_at'")" -ge "$now" ] ||
		fail "PREFIX=$prefix: the installed gaswalk honours GASWALK_NOW"
	expect_rc 0 env GASWALK_NOW=yes "$root$prefix/bin/gaswalk" --db "$T/i.db" key show
	# nor a statement trace: a report's bound values (names, phones) never go to a file
	expect_rc 0 env GASWALK_TRACE_SQL="$T/trace.sql" "$root$prefix/bin/gaswalk" --db "$T/i.db" \
		report weekly --format csv
	[ ! -e "$T/trace.sql" ] || fail "PREFIX=$prefix: the installed gaswalk honours GASWALK_TRACE_SQL"
	rm -f "$T/i.db" "$T/i.db.key"
	groff -k -man -Tutf8 -P-cbou "$root$prefix/share/man/man1/gaswalk.1" 2>/dev/null | grep -q "^SYNOPSIS" ||
		fail "the installed man page does not render"
	bash -c ". '$root$prefix/share/bash-completion/completions/gaswalk' && complete -p gaswalk" | grep -q _gaswalk ||
		fail "the installed completion does not register"

	mk PREFIX="$prefix" DESTDIR="$root" uninstall >"$T/make.log" 2>&1 || { cat "$T/make.log" >&2; fail "make uninstall PREFIX=$prefix"; }
	left=$(cd "$root" && find . -type f -o -type l)
	[ -z "$left" ] || fail "PREFIX=$prefix: uninstall left files: $left"
	for d in share/gaswalk share/doc/gaswalk; do
		[ ! -e "$root$prefix/$d" ] || fail "PREFIX=$prefix: uninstall left $d"
	done
done
echo "install ok"
