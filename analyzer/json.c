/* json.c — see json.h. Strings are escaped per RFC 8259; bytes that are not
 * valid UTF-8 (paths and argv can hold anything) are written as U+FFFD so
 * the output always parses. */
#include "json.h"

#include <math.h>
#include <string.h>

void hs_json_init(struct hs_json *j, FILE *f, int pretty)
{
	memset(j, 0, sizeof *j);
	j->f = f;
	j->pretty = pretty;
	j->first[0] = 1;
}

static void newline(struct hs_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Before a value: a comma unless first, and after a key nothing at all. */
static void value_prefix(struct hs_json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = 0;
	if (j->depth)
		newline(j);
}

static void open(struct hs_json *j, char c)
{
	value_prefix(j);
	fputc(c, j->f);
	if (j->depth + 1 < HS_JSON_DEPTH)
		j->depth++;
	j->first[j->depth] = 1;
}

static void close_(struct hs_json *j, char c)
{
	int empty = j->first[j->depth];
	if (j->depth)
		j->depth--;
	if (!empty)
		newline(j);
	fputc(c, j->f);
	if (j->depth == 0 && j->pretty)
		fputc('\n', j->f);
}

void hs_json_begin_object(struct hs_json *j)
{
	open(j, '{');
}

void hs_json_end_object(struct hs_json *j)
{
	close_(j, '}');
}

void hs_json_begin_array(struct hs_json *j)
{
	open(j, '[');
}

void hs_json_end_array(struct hs_json *j)
{
	close_(j, ']');
}

static void put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', f);
	while (*p) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
			p++;
		} else if (c < 0x20) {
			switch (c) {
			case '\n': fputs("\\n", f); break;
			case '\t': fputs("\\t", f); break;
			case '\r': fputs("\\r", f); break;
			default: fprintf(f, "\\u%04x", c); break;
			}
			p++;
		} else if (c < 0x80) {
			fputc(c, f);
			p++;
		} else {
			/* one well-formed UTF-8 sequence (Unicode table 3-7): no
			 * overlong forms, no surrogates, nothing above U+10FFFF */
			int n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
			unsigned char lo = 0x80, hi = 0xbf;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
			else if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
			int ok = n > 0 && p[1] >= lo && p[1] <= hi;
			for (int i = 2; ok && i < n; i++)
				ok = (p[i] & 0xc0) == 0x80;
			if (ok) {
				fwrite(p, 1, (size_t)n, f);
				p += n;
			} else {
				fputs("\\ufffd", f);
				p++;
			}
		}
	}
	fputc('"', f);
}

void hs_json_key(struct hs_json *j, const char *key)
{
	value_prefix(j);
	put_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = 1;
}

void hs_json_string(struct hs_json *j, const char *s)
{
	if (!s) {
		hs_json_null(j);
		return;
	}
	value_prefix(j);
	put_string(j->f, s);
}

void hs_json_uint(struct hs_json *j, uint64_t v)
{
	value_prefix(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void hs_json_int(struct hs_json *j, int64_t v)
{
	value_prefix(j);
	fprintf(j->f, "%lld", (long long)v);
}

void hs_json_double(struct hs_json *j, double v)
{
	value_prefix(j);
	if (isfinite(v))
		fprintf(j->f, "%.6g", v);
	else
		fputs("null", j->f);
}

void hs_json_bool(struct hs_json *j, int v)
{
	value_prefix(j);
	fputs(v ? "true" : "false", j->f);
}

void hs_json_null(struct hs_json *j)
{
	value_prefix(j);
	fputs("null", j->f);
}

void hs_json_hex(struct hs_json *j, uint64_t v)
{
	value_prefix(j);
	fprintf(j->f, "\"0x%llx\"", (unsigned long long)v);
}
