/* The TUI's pieces that need no terminal: key mapping and legends from the one
 * bindings table, the text field, the form, the QR image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <string.h>

#include "core/util.h"
#include "tui/internal.h"

static void test_keys(void **state)
{
	struct tui_event ev;
	char legend[128];

	(void)state;
	keys_map(KM_ROUTE, 1, '5', &ev);
	assert_int_equal(ev.act, ACT_DIGIT);
	assert_int_equal(ev.digit, 5);
	assert_string_equal(ev.text, "5");
	keys_map(KM_SEARCH, 1, 'a', &ev);
	assert_int_equal(ev.act, ACT_TEXT);
	assert_string_equal(ev.text, "a");
	keys_map(KM_SEARCH, 1, 0x5F20, &ev); /* 张 */
	assert_int_equal(ev.act, ACT_TEXT);
	assert_string_equal(ev.text, "张");
	keys_map(KM_CARD, 1, '\r', &ev);
	assert_int_equal(ev.act, ACT_ENTER);
	keys_map(KM_CARD, 1, 27, &ev);
	assert_int_equal(ev.act, ACT_BACK);
	keys_map(KM_CARD, 1, 0x1B + 1, &ev); /* a control character is no text */
	assert_int_equal(ev.act, ACT_NONE);
	keys_legend(KM_ROUTE, legend, sizeof legend);
	assert_string_equal(legend, "F1Find F2Todo F3Device F4User EscBack");
	keys_legend(KM_CAPTURE, legend, sizeof legend);
	assert_string_equal(legend, "F1Save F2Hazards F3Photos EscBack");
}

static struct tui_event text_ev(const char *s)
{
	struct tui_event ev = {.act = ACT_TEXT, .digit = 0, .text = ""};

	gw_strlcpy(ev.text, s, sizeof ev.text);
	return ev;
}

static void test_field(void **state)
{
	struct field f;
	struct tui_event erase = {.act = ACT_ERASE, .digit = 0, .text = ""}, left = {.act = ACT_LEFT, .digit = 0, .text = ""};
	struct tui_event a = text_ev("a"), zh = text_ev("门");

	(void)state;
	field_init(&f, 5, 0);
	assert_true(field_key(&f, &a));
	assert_true(field_key(&f, &zh));
	assert_string_equal(f.buf, "a门");
	assert_false(field_key(&f, &zh)); /* 7 bytes would pass the limit */
	assert_true(field_key(&f, &erase));
	assert_string_equal(f.buf, "a"); /* a whole character erased */
	assert_true(field_key(&f, &left));
	assert_false(field_key(&f, &left));
	field_init(&f, 10, 1);
	assert_false(field_key(&f, &a));
	struct tui_event dot = text_ev(".");
	assert_true(field_key(&f, &dot));
}

static void test_form(void **state)
{
	struct form f;
	struct field note;
	struct form_row *r;
	struct tui_event three = {.act = ACT_DIGIT, .digit = 3, .text = "3"}, nine = {.act = ACT_DIGIT, .digit = 9, .text = "9"};
	struct tui_event down = {.act = ACT_DOWN, .digit = 0, .text = ""}, up = {.act = ACT_UP, .digit = 0, .text = ""}, enter = {.act = ACT_ENTER, .digit = 0, .text = ""};

	(void)state;
	memset(&f, 0, sizeof f);
	field_init(&note, 100, 0);
	r = form_add(&f, ROW_CHOICE, "Outcome");
	r->opts[0] = "in", r->opts[1] = "out", r->opts[2] = "gone", r->nopts = 3;
	form_add(&f, ROW_CHOICE, "Hidden")->hidden = 1;
	form_add(&f, ROW_TEXT, "Note")->field = &note;
	form_add(&f, ROW_BUTTON, "Save");
	assert_int_equal(form_key(&f, &three), FORM_CHANGED);
	assert_int_equal(f.rows[0].value, 2);
	assert_int_equal(form_focus(&f), 2); /* a digit answers the row and moves on */
	form_key(&f, &up);
	assert_int_equal(form_focus(&f), 0); /* the hidden row is skipped */
	assert_int_equal(form_key(&f, &nine), FORM_CONSUMED); /* no option 9 */
	assert_int_equal(f.rows[0].value, 2);
	assert_int_equal(form_focus(&f), 0); /* and stays */
	form_key(&f, &down);
	assert_int_equal(form_focus(&f), 2);
	assert_int_equal(form_key(&f, &three), FORM_CHANGED);
	assert_string_equal(note.buf, "3");   /* digits go into text */
	assert_int_equal(form_key(&f, &enter), FORM_CONSUMED);
	assert_int_equal(form_focus(&f), 3); /* a scanner's Enter moves on */
	assert_int_equal(form_key(&f, &enter), FORM_PRESSED);
	form_key(&f, &down);
	assert_int_equal(form_focus(&f), 0); /* wraps */
	form_key(&f, &up);
	assert_int_equal(form_focus(&f), 3);
}

static void test_qr(void **state)
{
	struct qr_image q;
	char line[1024];

	(void)state;
	assert_int_equal(qr_make("gaswalk-device:0123456789abcdef:HT-07", &q), 0);
	assert_int_equal((q.size - 21) % 4, 0);
	assert_int_equal(q.quiet, 2);
	assert_int_equal(qr_cols(&q), q.size + 4);
	assert_int_equal(qr_rows(&q), (q.size + 5) / 2);
	for (int i = 0; i < 7; i++) {
		assert_true(q.dark[i]);                    /* finder's top edge */
		assert_true(q.dark[i * q.size + q.size - 1]); /* top-right's right edge */
	}
	qr_line(&q, 0, 1, line, sizeof line);
	assert_int_equal(strspn(line, " "), (size_t)qr_cols(&q)); /* two rows of quiet zone */
	qr_line(&q, 1, 1, line, sizeof line);
	assert_int_equal(strncmp(line, "  \xe2\x96\x88\xe2\x96\x80", 8), 0); /* finder edge */
	qr_line(&q, 1, 0, line, sizeof line); /* no colours: light modules are the ink */
	assert_int_equal(strncmp(line, "\xe2\x96\x88\xe2\x96\x88 \xe2\x96\x84", 10), 0);
	/* a 1-module quiet zone: the finder's edge on the first line's lower half */
	q.quiet = 1;
	qr_line(&q, 0, 1, line, sizeof line);
	assert_int_equal(strncmp(line, " \xe2\x96\x84", 4), 0);
	qr_free(&q);
	/* a fingerprint, 26 base32 capitals: version 2, 14 lines with a 1-module zone,
	 * 27 columns: it fits a 40x15 screen */
	assert_int_equal(qr_make("K7Q2M4XAMZXW6YTBOI3DGNZUGQ", &q), 0);
	assert_int_equal(q.size, 25);
	q.quiet = 1;
	assert_int_equal(qr_cols(&q), 27);
	assert_int_equal(qr_rows(&q), 14);
	qr_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_qr),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
