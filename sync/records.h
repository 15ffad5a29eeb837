/* records: the JSON lines inside a bundle body (sync/FORMAT.md), one object per
 * line with a "type": visit, household, office, ack, setting, catalog. Parsing
 * is strict: a field too long, of the wrong type or with an unknown value
 * rejects the record (never truncated). */
#ifndef GW_SYNC_RECORDS_H
#define GW_SYNC_RECORDS_H

#include <jansson.h>

#include "core/model.h"
#include "sync/bundle.h"

json_t *record_visit(const struct visit *v);
json_t *record_household(const struct household *h);
/* A void: {"type":"void","device","seq","account","target":[device,seq],"actor","at","reason"}. */
json_t *record_void(const struct visit_void *w);
int record_to_void(json_t *o, struct visit_void *w);
/* The void's line (canonical: the members in a fixed order, a newline, then a NUL not
 * counted in *len), malloc'd. */
char *record_void_line(const struct visit_void *w, size_t *len);
/* Writes o as one line and releases it. */
int record_put(struct bundle_writer *w, json_t *o);
/* Writes the visit's line directly: what record_put(w, record_visit(v)) writes, faster. */
int record_put_visit(struct bundle_writer *w, const struct visit *v);
/* That line (JSON and a newline, then a NUL not counted in *len), malloc'd. */
char *record_visit_line(const struct visit *v, size_t *len);

/* Parses a line into a JSON object with a string "type"; *type points into it. */
json_t *record_parse(const char *line, size_t len, const char **type);
int record_to_visit(json_t *o, struct visit *v);
int record_to_household(json_t *o, struct household *h);
/* Parses one body line that is a visit record straight into v, without jansson:
 * 0: parsed (v filled, exactly what record_parse() and record_to_visit() give);
 * -1: a visit record that is invalid (gw_fail message set, the same message
 * record_to_visit() would give); 1: not something this parser decides (not an
 * object whose "type" is "visit", or JSON it does not handle): the caller then
 * uses record_parse()/record_to_visit(). At present every invalid line is left
 * to that path (1), so that the message has one source. */
int record_line_to_visit(const char *line, size_t len, struct visit *v);
/* Copies a string member of at most max bytes; -1 when absent, not a string or longer. */
int record_str(json_t *o, const char *key, char *out, size_t max);
int record_int(json_t *o, const char *key, int64_t *out);

/* 1 when a photo name is safe as a file name in a folder: no '/', '\\', "..",
 * no leading '.', no control characters, not empty. */
int record_photo_name_ok(const char *name);
/* Prefixes the last failure with ctx ("ctx: message"); returns -1. */
int sync_fail_ctx(const char *ctx);
/* 1 when s is 16 lowercase hex characters. */
int record_device_id_ok(const char *s);

#endif
