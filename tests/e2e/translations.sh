# Every string a person reads is translated: xgettext over the sources, compared
# with the joined Chinese catalog (untranslated or fuzzy entries fail).
. "$(dirname "$0")/lib.sh"
cd "$GASWALK_ROOT"
files=$(git ls-files '*.c' 2>/dev/null | grep -v '^tests/' || find core cli import sync report tui -name '*.c')
xgettext --from-code=UTF-8 -k_ -kN_ -c -o "$T/gaswalk.pot" $files
msgcat --use-first -o "$T/zh_CN.po" po/zh_CN/*.po
missing=$(msgcmp "$T/zh_CN.po" "$T/gaswalk.pot" 2>&1 | grep -c "this message is used but not defined" || true)
if [ "$missing" != 0 ]; then
	msgcmp "$T/zh_CN.po" "$T/gaswalk.pot" 2>&1 | grep -A1 "used but not defined" | head -40 >&2
	fail "$missing messages have no Chinese translation"
fi
untranslated=$(msgattrib --untranslated --no-obsolete "$T/zh_CN.po" | grep -c '^msgid "[^"]' || true)
expect_eq "$untranslated" 0 "untranslated messages"
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$T/zh_CN.po" | grep -c '^msgid "[^"]' || true)
expect_eq "$fuzzy" 0 "fuzzy messages"
echo ok
