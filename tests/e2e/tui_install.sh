#!/bin/sh
# An installer at 80x24 in English: confirm a valve with a scanned serial and the
# catalog price, attach photos (one taken during the visit is marked), a photo that
# vanished is a message, not a crash; the status updates at once.
. "$GASWALK_ROOT/tests/e2e/lib.sh"
. "$GASWALK_ROOT/tests/e2e/tui.inc"

make_ledger
add_home 3001 Zhang 'Garden Court' 2 1 3 301
add_home 3002 Li 'Garden Court' 2 1 3 302
remember_who I-88 install
mkdir cam
printf 'old-jpeg' >cam/IMG_0001.jpg
printf 'not an image' >cam/notes.txt
touch -d '2020-01-01 10:00' cam/IMG_0001.jpg

start_tui 80 24 --lang en tui --camera cam
wait_for "today 0"
expect_eq "$(sql "SELECT value FROM meta WHERE key='tui_camera'")" "$(pwd -P)/cam" "camera folder remembered, as an absolute path (export and load work from any folder)"
keys Enter Enter Enter
wait_for "Room  Name"
keys Enter
wait_for "Valve      ? required"
keys Enter                       # an installer's Enter opens the install form
wait_for "[Save]"
expect_line 1 "$(printf '%-73s%s' '301 Zhang' 'install')"
expect_line 2 "Item     metal hose"
expect_line 5 "Price    120.00"
expect_line 6 "Date     $(date +%Y-%m-%d)"
keys Up Up Right                    # item: self-closing valve
wait_for "<self-closing valve>"
keys Down
wait_for "self-closing valve for pipeline gas (generic)"
keys Down
keys SV2024X0001 Enter       # what a scanner sends, at once: it goes to the serial
wait_for "Serial   SV2024X0001"
# a photo taken now, and one that will vanish before it is picked
printf 'new-jpeg-bytes' >cam/IMG_0002.JPG
printf 'gone' >cam/IMG_0003.jpg
keys F3
wait_for "IMG_0001.jpg"
screen | grep -F "IMG_0002.JPG" | grep -qF "[ ]*" || { screen >&2; fail "new photo not marked"; }
screen | grep -F "IMG_0001.jpg" | grep -qF "[ ] " || { screen >&2; fail "old photo marked"; }
screen | grep -qF "notes.txt" && fail "a text file offered as a photo"
rm cam/IMG_0003.jpg
keys Enter                        # newest first: IMG_0003 (gone)
wait_for "Cannot read photo IMG_0003.jpg"
keys Down Enter
wait_for "[x]*"
keys Escape
wait_for "[Photos] 1 attached"
keys F1
wait_for "Saved: self-closing valve fitted; now pending."
wait_for "Valve      ✓ required: ok"
wait_for "Missing    metal hose"
keys Escape
wait_for "Room  Name"
# 302: an alarm fitted yesterday, at a price agreed on the spot
keys Down Enter
wait_for "Li"
keys F1
wait_for "[Save]"
keys Up Up Right Right
wait_for "<leak alarm>"
keys Down                          # a household detector for a household
wait_for "<household combustible gas detector (generic)>"
keys Down
keys AL-77 Enter
wait_for "Serial   AL-77"
wait_for "Price    150.00"
keys Down
type_text "99.5"; sleep 0.2; keys Enter   # typed over the catalog price
wait_for "Price    99.5"
keys Left Left Left Left Left Left Left Left Left Left
type_text "$(date -d yesterday +%Y-%m-%d)"
keys F1
wait_for "Saved: leak alarm fitted; now pending."
keys Escape
wait_for "Room  Name"
keys Escape; wait_for "Unit 1"; keys Escape; wait_for "Bldg 2"; keys Escape; wait_for "Garden Court"; keys Escape
wait_for "Press Esc again"
keys Escape
wait_for "TUI-EXITED-0"

expect_eq "$(sql "SELECT account || ' ' || role || ' ' || actor || ' ' || outcome FROM visit ORDER BY seq" | tr '\n' '|')" \
	"3001 install I-88 entered|3002 install I-88 entered|" "install visits"
expect_eq "$(sql "SELECT item || ' ' || product || ' ' || serial || ' ' || price_fen FROM visit_install ORDER BY seq" | tr '\n' '|')" \
	"valve V-STD SV2024X0001 12000|alarm A-HOME AL-77 9950|" "install rows"
expect_eq "$(sql "SELECT substr(at, 1, 16) FROM visit WHERE account = '3002'")" "$(date -d yesterday +%Y-%m-%d)T12:00" "install date"
expect_eq "$(sql "SELECT name || ' ' || size || ' ' || length(hash) FROM photo")" "IMG_0002.JPG 14 64" "photo"
gw status 3001 --json >st.json
expect_grep '"valve": *"ok"' st.json
expect_grep '"missing": *\[ *"hose" *\]' st.json
