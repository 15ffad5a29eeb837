/* photoname: which photo file names a visit may carry. The same rule everywhere a
 * name enters (record --photo, the TUI's camera folder, a bundle or pack), so a
 * terminal never records a photo that its own bundle would then be refused for. */
#ifndef GW_PHOTONAME_H
#define GW_PHOTONAME_H

/* 1 for a plain file name: not empty, no leading '.', no "..", no '/', '\\' or
 * control character, valid UTF-8, at most PHOTO_NAME_MAX bytes. */
int photo_name_ok(const char *name);

#endif
