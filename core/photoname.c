#include "photoname.h"

#include <string.h>

#include "model.h"
#include "text.h"

int photo_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || name[0] == '.' || strstr(name, "..") || n > PHOTO_NAME_MAX ||
	    !text_valid_utf8(name, n))
		return 0;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}
