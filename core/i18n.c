#include "i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static int lang_zh;

/* The language the environment asks for, as gettext would read it. */
static const char *env_lang(void)
{
	static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return "";
}

/* The catalog beside the binary (a build tree) wins over the installed one. */
static const char *locale_dir(void)
{
	static char dir[PATH_MAX];
	char probe[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 16);
	char *slash;

	if (n > 0) {
		dir[n] = '\0';
		slash = strrchr(dir, '/');
		if (slash) {
			gw_strlcpy(slash, "/locale", sizeof dir - (size_t)(slash - dir));
			snprintf(probe, sizeof probe, "%s/zh_CN/LC_MESSAGES/gaswalk.mo", dir);
			if (access(probe, R_OK) == 0)
				return dir;
		}
	}
	return LOCALEDIR;
}

static void utf8_ctype(void)
{
	if (!setlocale(LC_ALL, ""))
		setlocale(LC_ALL, "C.UTF-8");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	/* gettext ignores LANGUAGE in the plain C locale: make messages use C.UTF-8 */
	if (strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0 ||
	    strcmp(setlocale(LC_MESSAGES, NULL), "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
}

void i18n_init(const char *lang)
{
	utf8_ctype();
	if (!lang)
		lang = strncmp(env_lang(), "zh", 2) == 0 ? "zh" : "en";
	lang_zh = strcmp(lang, "zh") == 0;
	setenv("LANGUAGE", lang_zh ? "zh_CN" : "en", 1);
	bindtextdomain("gaswalk", locale_dir());
	bind_textdomain_codeset("gaswalk", "UTF-8");
	textdomain("gaswalk");
}

int i18n_is_zh(void)
{
	return lang_zh;
}
