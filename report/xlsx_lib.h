/* xlsx_lib: libxlsxwriter, loaded with dlopen the first time a workbook is written.
 * gaswalk does not link it: every other start (the handheld's TUI above all) would pay
 * for its relocations and for the libcrypto and libminizip it brings. <xlsxwriter.h>
 * still gives the types and constants; the functions come from this table. */
#ifndef GW_REPORT_XLSX_LIB_H
#define GW_REPORT_XLSX_LIB_H

#include <xlsxwriter.h>

/* The functions render_xlsx.c calls, as X(return type, name, parameter types); each
 * is checked at compile time against the declaration in <xlsxwriter.h>. */
#define XLSX_LIB_FUNCS(X)                                                                       \
	X(lxw_workbook *, workbook_new_opt, (const char *, lxw_workbook_options *))             \
	X(lxw_format *, workbook_add_format, (lxw_workbook *))                                  \
	X(lxw_worksheet *, workbook_add_worksheet, (lxw_workbook *, const char *))              \
	X(lxw_error, workbook_set_properties, (lxw_workbook *, lxw_doc_properties *))           \
	X(lxw_error, workbook_close, (lxw_workbook *))                                          \
	X(lxw_error, worksheet_write_number,                                                    \
	  (lxw_worksheet *, lxw_row_t, lxw_col_t, double, lxw_format *))                        \
	X(lxw_error, worksheet_write_string,                                                    \
	  (lxw_worksheet *, lxw_row_t, lxw_col_t, const char *, lxw_format *))                  \
	X(lxw_error, worksheet_write_blank,                                                     \
	  (lxw_worksheet *, lxw_row_t, lxw_col_t, lxw_format *))                                \
	X(void, worksheet_set_paper, (lxw_worksheet *, uint8_t))                                \
	X(void, worksheet_set_landscape, (lxw_worksheet *))                                     \
	X(lxw_error, worksheet_set_column,                                                      \
	  (lxw_worksheet *, lxw_col_t, lxw_col_t, double, lxw_format *))                        \
	X(void, worksheet_freeze_panes, (lxw_worksheet *, lxw_row_t, lxw_col_t))                \
	X(void, worksheet_fit_to_pages, (lxw_worksheet *, uint16_t, uint16_t))                  \
	X(void, format_set_bold, (lxw_format *))                                                \
	X(void, format_set_num_format, (lxw_format *, const char *))                            \
	X(void, format_set_text_wrap, (lxw_format *))                                           \
	X(void, format_set_font_size, (lxw_format *, double))                                   \
	X(void, format_set_border, (lxw_format *, uint8_t))                                     \
	X(void, format_set_bg_color, (lxw_format *, lxw_color_t))                               \
	X(char *, lxw_strerror, (lxw_error))

/* One pointer per function, named like it: xl->workbook_close(wb). */
struct xlsx_lib {
#define XLSX_LIB_MEMBER(ret, name, params) ret(*name) params;
	XLSX_LIB_FUNCS(XLSX_LIB_MEMBER)
#undef XLSX_LIB_MEMBER
};

/* The library's functions, loaded on the first call and kept. NULL when it cannot be
 * loaded or lacks a function, after gw_fail(GW_ERR_IO) with a one-line message naming
 * the library, its Debian package and the formats that need neither. */
const struct xlsx_lib *xlsx_lib_load(void);

#endif
