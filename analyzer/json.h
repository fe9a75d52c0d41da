/* json.h — a small streaming JSON writer: nesting, commas and string
 * escaping handled here so that report code only says what to write. */
#ifndef HS_JSON_H
#define HS_JSON_H

#include <stdint.h>
#include <stdio.h>

#define HS_JSON_DEPTH 32

struct hs_json {
	FILE *f;
	int depth;
	int first[HS_JSON_DEPTH]; /* nothing written yet at this level */
	int pretty;
	int after_key; /* a key was written: its value needs no comma */
};

void hs_json_init(struct hs_json *j, FILE *f, int pretty);
void hs_json_begin_object(struct hs_json *j);
void hs_json_end_object(struct hs_json *j);
void hs_json_begin_array(struct hs_json *j);
void hs_json_end_array(struct hs_json *j);
/* A key inside an object; the next call writes its value. */
void hs_json_key(struct hs_json *j, const char *key);
void hs_json_string(struct hs_json *j, const char *s); /* NULL → null */
void hs_json_uint(struct hs_json *j, uint64_t v);
void hs_json_int(struct hs_json *j, int64_t v);
void hs_json_double(struct hs_json *j, double v);
void hs_json_bool(struct hs_json *j, int v);
void hs_json_null(struct hs_json *j);
/* "0x…" */
void hs_json_hex(struct hs_json *j, uint64_t v);

#endif
