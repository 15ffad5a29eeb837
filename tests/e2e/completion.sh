# Bash completion (packaging/bash-completion/gaswalk): sourced into bash, its function is
# called with COMP_WORDS as bash would, and the candidates are checked.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$GASWALK_ROOT/packaging/bash-completion/gaswalk"
_gaswalk_datadirs="$GASWALK_ROOT/data"

# comp WORD... : the candidates, sorted, one a line, for completing the last WORD.
comp() {
	COMP_WORDS=(gaswalk "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_gaswalk gaswalk "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}
# expect_comp "EXPECTED WORDS" WORD... : exactly these candidates
expect_comp() {
	want=$(printf '%s\n' $1 | sort)
	shift
	got=$(comp "$@")
	[ "$got" = "$want" ] || fail "completing '$*': expected [$(echo $want)], got [$(echo $got)]"
}

# Every command gaswalk --help lists is offered, and every option of its usage line.
expect_rc 0 gw --lang en --help
offered=$(comp "")
for c in $(awk '/^  [a-z]/ { print $1 }' "$T/out"); do
	echo "$offered" | grep -qx "$c" || fail "command $c of gaswalk --help is not completed"
	set +e
	timeout 20 "$GASWALK" --lang en --db none.db "$c" --help </dev/null >usage.txt 2>&1
	set -e
	opts=$(comp "$c" -)
	for o in $(sed -n '/usage:/,$p' usage.txt | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		echo "$opts" | grep -qx -- "$o" || fail "$c: option $o of its usage is not completed"
	done
done
# ... and the whole contract, whether or not the command is built in yet.
for c in init import record status list tui demo key trust enroll revoke assign load export \
	verify merge conflicts resolve report sample log settings catalog plan; do
	echo "$offered" | grep -qx "$c" || fail "contract command $c is not completed"
done

expect_comp "record report resolve revoke" re
expect_comp "record report resolve revoke" --db my.db re
expect_comp "--db --lang --help --version" --
expect_comp "en zh" --lang ""
expect_comp "status" --lang zh --db x.db st
expect_comp "--compound --help --json --pending --product" list --
expect_comp "entered not-home refused vacant" record 0100000001 --outcome ""
expect_comp "faulty" record 0100000001 --outcome entered --valve f
expect_comp "metal non-metal none" record 0100000001 --hose ""
expect_comp "self-check spot-check" record 0100000001 --role s
expect_comp "$(awk -F '\t' 'NR > 1 && /^H1/ { print $1 }' "$GASWALK_ROOT/data/checklist.tsv")" \
	record 0100000001 --hazard H1
expect_comp "$(awk -F '\t' 'NR > 1 { print $1 }' "$GASWALK_ROOT/data/checklist.tsv")" \
	record 0100000001 --hazard ""
expect_comp "weekly ranking sector funding prices valves suspensions acceptance overdue
	rectifications plan products revisits household-changes" report ""
expect_comp "rectify_days_grade1 rectify_days_grade2 residential_deadline restore_supply_hours" settings re
expect_comp "list import" catalog ""
expect_comp "import" plan ""
expect_comp "" report weekly ""
expect_comp "csv html text xlsx" report ranking --format ""
expect_comp "auto gb18030 utf-8" import list.csv --encoding ""
expect_comp "new show" key ""
expect_comp "--help --qr" key show --
expect_comp "" status 0100000001 ""
expect_comp "" init --office ""

# Files: by extension where the command reads one kind, directories always.
mkdir -p usb/sub photos
touch list.csv notes.txt a.gwb b.gwb usb/T07-1.gwb x.db other.bin photos/1.jpg
expect_comp "list.csv" import li
expect_comp "a.gwb b.gwb photos usb" merge ""
expect_comp "usb/sub usb/T07-1.gwb" verify usb/
expect_comp "photos usb" export -o ""
expect_comp "photos/1.jpg" record 0100000001 --photo photos/
expect_comp "x.db" --db x
comp --db "" | grep -qx other.bin && fail "--db completes a file that is no ledger"
comp enroll "" | grep -qx other.bin || fail "enroll does not complete any file"
echo "completion ok"
