/* i18n: gettext for every string a person reads. */
#ifndef GW_I18N_H
#define GW_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Sets the locale (UTF-8 character handling) and the language of messages:
 * lang "zh" or "en", or NULL to follow LANGUAGE/LC_ALL/LC_MESSAGES/LANG. */
void i18n_init(const char *lang);

/* 1 when messages are in Chinese. */
int i18n_is_zh(void);

#endif
