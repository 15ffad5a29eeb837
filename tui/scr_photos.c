/* Photos for a visit: the image files in the camera folder, newest first, those
 * taken since the visit began marked; Enter attaches (name, size, BLAKE2b hash). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/i18n.h"
#include "core/photoname.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/hash.h"
#include "tui/internal.h"

#define PHOTOS_MAX 256

struct shot {
	char name[PHOTO_NAME_MAX + 1];
	int64_t mtime, size;
};

struct photos {
	struct draft *d;
	struct shot *shots;
	struct list ls;
};

static int is_image(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && dot != name &&
	       (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"));
}

static int newest_first(const void *a, const void *b)
{
	const struct shot *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return strcmp(y->name, x->name);
}

static void add_shot(struct photos *p, int dfd, const char *name, int *cap)
{
	struct stat sb;

	if (!is_image(name) || !photo_name_ok(name) || /* a bundle would refuse it */
	    fstatat(dfd, name, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
		return;
	if (p->ls.n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		p->shots = xrealloc(p->shots, (size_t)*cap * sizeof *p->shots);
	}
	gw_strlcpy(p->shots[p->ls.n].name, name, PHOTO_NAME_MAX + 1);
	p->shots[p->ls.n].mtime = (int64_t)sb.st_mtime;
	p->shots[p->ls.n++].size = (int64_t)sb.st_size;
}

static int scan(struct photos *p, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	int cap = 0;

	free(p->shots);
	p->shots = NULL;
	p->ls.n = 0;
	if (!dp)
		return gw_fail(GW_ERR_IO, _("camera folder %s: %s"), dir, strerror(errno));
	while ((de = readdir(dp)))
		add_shot(p, dirfd(dp), de->d_name, &cap);
	closedir(dp);
	if (p->ls.n > 1)
		qsort(p->shots, (size_t)p->ls.n, sizeof *p->shots, newest_first);
	if (p->ls.n > PHOTOS_MAX)
		p->ls.n = PHOTOS_MAX;
	return 0;
}

static void *photos_open(struct tui *t, const void *arg)
{
	struct photos *p = xcalloc(1, sizeof *p);

	p->d = (struct draft *)arg;
	if (scan(p, t->camera) != 0)
		tui_error(t);
	return p;
}

static void photos_close(void *self)
{
	struct photos *p = self;

	free(p->shots);
	free(p);
}

static int attached(const struct visit *v, const char *name)
{
	for (int i = 0; i < v->nphotos; i++)
		if (!strcmp(v->photos[i].name, name))
			return i;
	return -1;
}

static void draw_shot(const struct photos *p, int i, int y, int cols)
{
	const struct shot *s = &p->shots[i];
	char line[PHOTO_NAME_MAX + 64], when[32], name[PHOTO_NAME_MAX * 3 + 8];
	int used;

	label_when(s->mtime, when, sizeof when);
	snprintf(line, sizeof line, "[%s]%s%s ", attached(&p->d->v, s->name) >= 0 ? "x" : " ",
		 s->mtime >= p->d->began ? "*" : " ", when);
	used = text_width(line);
	/* a burst's shots differ by the number at the end: cut the middle, keep the end */
	text_fit_middle(s->name, cols - used, 12, name, sizeof name);
	dpy_put(y, 0, used, line, i == p->ls.sel ? LOOK_SELECTED : LOOK_NORMAL);
	dpy_put(y, used, cols - used, name, i == p->ls.sel ? LOOK_SELECTED : LOOK_NORMAL);
}

static void photos_draw(void *self, struct tui *t)
{
	struct photos *p = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols();
	char right[48];

	snprintf(right, sizeof right, _("%d attached"), p->d->v.nphotos);
	tui_title(_("Photos"), right);
	list_scroll(&p->ls, rows);
	for (int i = p->ls.top; i < p->ls.n && i < p->ls.top + rows; i++)
		draw_shot(p, i, top + i - p->ls.top, p->ls.n > rows ? cols - 1 : cols);
	draw_scroll_marks(top, rows, p->ls.top, p->ls.n);
	if (p->ls.n == 0)
		dpy_put(top, 0, cols, t->camera, LOOK_DIM);
	if (p->ls.n == 0 && rows > 1)
		dpy_put(top + 1, 0, cols, _("No photos in the camera folder."), LOOK_DIM);
}

static void attach(struct photos *p, struct tui *t)
{
	struct visit *v = &p->d->v;
	const struct shot *s = &p->shots[p->ls.sel];
	struct photo *ph;
	char path[PATH_MAX + PHOTO_NAME_MAX + 2];
	int k = attached(v, s->name);

	if (k >= 0) {
		v->photos[k] = v->photos[--v->nphotos];
		return;
	}
	if (v->nphotos == VISIT_MAX_PHOTOS) {
		tui_message(t, LOOK_ERROR, _("At most %d photos a visit."), VISIT_MAX_PHOTOS);
		return;
	}
	ph = &v->photos[v->nphotos];
	snprintf(path, sizeof path, "%s/%s", t->camera, s->name);
	if (sync_hash_file(path, ph->hash, &ph->size) != 0) {
		tui_message(t, LOOK_ERROR, _("Cannot read photo %s; press F1 to reload."), s->name);
		return;
	}
	gw_strlcpy(ph->name, s->name, sizeof ph->name);
	v->nphotos++;
}

static void photos_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct photos *p = self;

	switch (ev->act) {
	case ACT_BACK: tui_pop(t); break;
	case ACT_ENTER:
		if (p->ls.n)
			attach(p, t);
		break;
	case ACT_REFRESH:
		if (scan(p, t->camera) != 0)
			tui_error(t);
		break;
	default:
		list_key(&p->ls, ev, tui_body_rows());
	}
}

const struct screen screen_photos = {"photos", KM_PHOTOS, photos_open, photos_draw, photos_key,
				     photos_close};
