/* Loading libxlsxwriter at run time: dlopen by soname, dlsym into a table of typed
 * pointers, once. glibc 2.34+ has dlopen in libc itself: no -ldl. */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/xlsx_lib.h"

/* The Makefile passes the SONAME of the libxlsxwriter.so the compiler would link, so
 * the library loaded is the one whose header gave the types; this is the fallback. */
#ifndef GW_XLSX_SONAME
#define GW_XLSX_SONAME "libxlsxwriter.so.4"
#endif
/* Debian names the runtime package after the soname (packaging/debian/control too). */
#define XLSX_DEB_PACKAGE "libxlsxwriter4"

/* Every pointer has the exact type of the function <xlsxwriter.h> declares (the
 * _Generic is not evaluated: no reference to the symbol reaches the linker). */
#define XLSX_LIB_CHECK(ret, name, params)                                             \
	/* NOLINTNEXTLINE(bugprone-macro-parentheses): ret and params spell a type */ \
	_Static_assert(_Generic(&(name), ret(*) params: 1, default: 0),               \
		       #name " is declared otherwise in <xlsxwriter.h>");
XLSX_LIB_FUNCS(XLSX_LIB_CHECK)

static const struct {
	const char *name;
	size_t off;
} syms[] = {
#define XLSX_LIB_SYM(ret, name, params) {#name, offsetof(struct xlsx_lib, name)},
	XLSX_LIB_FUNCS(XLSX_LIB_SYM)
#undef XLSX_LIB_SYM
};
/* dlsym's void * is copied into each slot: all of them must be pointer-sized. */
_Static_assert(sizeof(struct xlsx_lib) == sizeof syms / sizeof syms[0] * sizeof(void *),
	       "struct xlsx_lib holds only function pointers");

static struct xlsx_lib lib;
static int loaded;

static const struct xlsx_lib *load_failed(const char *why)
{
	gw_fail(GW_ERR_IO,
		_("XLSX output needs libxlsxwriter (Debian package %s): %s; other formats: "
		  "--format csv|html|text"),
		XLSX_DEB_PACKAGE, why ? why : GW_XLSX_SONAME);
	return NULL;
}

/* Fills *out from the handle; the name of the first missing function, or NULL. */
static const char *bind_all(void *h, struct xlsx_lib *out)
{
	for (size_t i = 0; i < GW_ARRAY_LEN(syms); i++) {
		void *sym = dlsym(h, syms[i].name);

		if (!sym)
			return syms[i].name;
		memcpy((char *)out + syms[i].off, &sym, sizeof sym);
	}
	return NULL;
}

const struct xlsx_lib *xlsx_lib_load(void)
{
	struct xlsx_lib found;
	const char *missing;
	char why[256];
	void *h;

	if (loaded)
		return &lib;
	h = dlopen(GW_XLSX_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return load_failed(dlerror());
	missing = bind_all(h, &found);
	if (missing) {
		snprintf(why, sizeof why, _("%s: no function %s"), GW_XLSX_SONAME, missing);
		dlclose(h);
		return load_failed(why);
	}
	lib = found; /* the handle stays open for the rest of the process */
	loaded = 1;
	return &lib;
}
