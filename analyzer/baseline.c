/* baseline.c — a small, strict JSON reader (RFC 8259, depth-limited) that
 * walks an earlier heapscope report and collects the ids of its leak records
 * and errors. It builds no tree: it tracks the key path while parsing. */
#include "baseline.h"

#include <heapscope/trace_format.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "leaks.h"

#define MAX_DEPTH 64

struct parser {
	const char *p, *end;
	const char *keys[MAX_DEPTH]; /* key under which each open value sits */
	int depth;
	struct hs_baseline *b;
	int is_report;
	const char *error;
};

static void ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* A string into buf (truncated to its size); escapes decoded for ASCII. */
static int string(struct parser *ps, char *buf, size_t cap)
{
	if (ps->p >= ps->end || *ps->p != '"')
		return ps->error = "expected a string", -1;
	ps->p++;
	size_t n = 0;
	while (ps->p < ps->end && *ps->p != '"') {
		char c = *ps->p++;
		if (c == '\\') {
			if (ps->p >= ps->end)
				break;
			char e = *ps->p++;
			if (e == 'u') {
				if (ps->end - ps->p < 4)
					return ps->error = "bad \\u escape", -1;
				for (int i = 0; i < 4; i++)
					if (!isxdigit((unsigned char)ps->p[i]))
						return ps->error = "bad \\u escape", -1;
				ps->p += 4;
				c = '?';
			} else if (strchr("\"\\/bfnrt", e) && e) {
				c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
			} else {
				return ps->error = "bad escape in a string", -1;
			}
		} else if ((unsigned char)c < 0x20) {
			return ps->error = "control character in a string", -1;
		}
		if (n + 1 < cap)
			buf[n++] = c;
	}
	if (ps->p >= ps->end)
		return ps->error = "unterminated string", -1;
	ps->p++;
	if (cap)
		buf[n] = 0;
	return 0;
}

static int value(struct parser *ps, const char *key);

static int digits(struct parser *ps)
{
	const char *start = ps->p;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > start ? 0 : -1;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(struct parser *ps)
{
	if (*ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (digits(ps) != 0)
		return ps->error = "bad number", -1;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (digits(ps) != 0)
			return ps->error = "bad number", -1;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (digits(ps) != 0)
			return ps->error = "bad number", -1;
	}
	return 0;
}

static int key_is(const struct parser *ps, int d, const char *k)
{
	return ps->keys[d] && !strcmp(ps->keys[d], k);
}

enum { NOT_COLLECTED, LEAK_RECORD, ERROR_ENTRY };

/* Is the object being read an element of processes[].leaks.records[]
 * (LEAK_RECORD) or of processes[].errors[] (ERROR_ENTRY)? keys[d] is the key
 * the value at depth d sits under (array elements inherit their array's). */
static int in_collection(struct parser *ps)
{
	if (!key_is(ps, 1, "processes") || !key_is(ps, 2, "processes"))
		return NOT_COLLECTED;
	if (ps->depth == 6)
		return key_is(ps, 3, "leaks") && key_is(ps, 4, "records") && key_is(ps, 5, "records") ? LEAK_RECORD
														: NOT_COLLECTED;
	return ps->depth == 5 && key_is(ps, 3, "errors") && key_is(ps, 4, "errors") ? ERROR_ENTRY : NOT_COLLECTED;
}

static int add_entry(struct hs_baseline *b, const char *id, int kind)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct hs_baseline_entry *e = realloc(b->e, cap * sizeof *e);
		if (!e)
			return -1;
		b->e = e;
		b->cap = cap;
	}
	memcpy(b->e[b->n].id, id, 9);
	b->e[b->n++].kind = (signed char)kind;
	return 0;
}

/* A leak record's kind by name; HS_BASELINE_ANY_KIND if it has none the
 * reader knows. */
static int leak_kind(const char *name)
{
	int k = hs_leak_kind_by_name(name);
	return k < HS_LEAK_KINDS ? k : HS_BASELINE_ANY_KIND;
}

static int object(struct parser *ps)
{
	int coll = in_collection(ps);
	char id[64] = "";
	int kind = HS_BASELINE_ANY_KIND;
	ps->p++;
	ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return 0;
	}
	for (;;) {
		char key[64], text[64];
		ws(ps);
		if (string(ps, key, sizeof key) != 0)
			return -1;
		ws(ps);
		if (ps->p >= ps->end || *ps->p != ':')
			return ps->error = "expected ':'", -1;
		ps->p++;
		ws(ps);
		if (ps->depth == 1 && !strcmp(key, "heapscope"))
			ps->is_report = 1;
		if (coll && (!strcmp(key, "id") || !strcmp(key, "kind")) && ps->p < ps->end && *ps->p == '"') {
			if (string(ps, text, sizeof text) != 0)
				return -1;
			if (key[0] == 'i')
				snprintf(id, sizeof id, "%s", text);
			else if (coll == LEAK_RECORD)
				kind = leak_kind(text);
		} else {
			/* keys must outlive the nested parse: keep the ones we test */
			static const char *const known[] = {"processes", "leaks", "records", "errors"};
			const char *k = "";
			for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
				if (!strcmp(key, known[i]))
					k = known[i];
			if (value(ps, k) != 0)
				return -1;
		}
		ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			if (coll && strlen(id) == 8 &&
			    add_entry(ps->b, id, coll == LEAK_RECORD ? kind : HS_BASELINE_ERROR) != 0)
				return ps->error = "out of memory", -1;
			return 0;
		}
		return ps->error = "expected ',' or '}'", -1;
	}
}

static int array(struct parser *ps, const char *key)
{
	ps->p++;
	ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return 0;
	}
	for (;;) {
		ws(ps);
		if (value(ps, key) != 0)
			return -1;
		ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		return ps->error = "expected ',' or ']'", -1;
	}
}

static int value(struct parser *ps, const char *key)
{
	ws(ps);
	if (ps->p >= ps->end)
		return ps->error = "unexpected end of file", -1;
	if (ps->depth + 1 >= MAX_DEPTH)
		return ps->error = "nested too deeply", -1;
	char c = *ps->p;
	int rc;
	if (c == '{' || c == '[') {
		ps->keys[ps->depth++] = key;
		rc = c == '{' ? object(ps) : array(ps, key);
		ps->depth--;
		return rc;
	}
	if (c == '"')
		return string(ps, NULL, 0);
	if (!strncmp(ps->p, "true", 4) && ps->end - ps->p >= 4)
		return ps->p += 4, 0;
	if (!strncmp(ps->p, "false", 5) && ps->end - ps->p >= 5)
		return ps->p += 5, 0;
	if (!strncmp(ps->p, "null", 4) && ps->end - ps->p >= 4)
		return ps->p += 4, 0;
	if (c == '-' || (c >= '0' && c <= '9'))
		return number(ps);
	return ps->error = "unexpected character", -1;
}

int hs_baseline_load(struct hs_baseline *b, const char *path, char *err, size_t errlen)
{
	memset(b, 0, sizeof *b);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		snprintf(err, errlen, "%s: %s", path, strerror(EISDIR));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (size < 0 || size > (256L << 20)) {
		fclose(f);
		snprintf(err, errlen, "%s: not a heapscope JSON report (size)", path);
		return -1;
	}
	char *text = malloc((size_t)size + 1);
	size_t got = text ? fread(text, 1, (size_t)size, f) : 0;
	fclose(f);
	if (!text || got != (size_t)size) {
		free(text);
		snprintf(err, errlen, "%s: cannot read", path);
		return -1;
	}
	text[size] = 0;
	struct parser ps = {.p = text, .end = text + size, .b = b};
	int rc = value(&ps, "");
	ws(&ps);
	if (rc == 0 && ps.p != ps.end)
		ps.error = "trailing data", rc = -1;
	if (rc == 0 && !ps.is_report)
		ps.error = "no \"heapscope\" key: not a heapscope JSON report", rc = -1;
	if (rc != 0)
		snprintf(err, errlen, "%s: byte %ld: %s", path, (long)(ps.p - text), ps.error);
	free(text);
	if (rc != 0)
		hs_baseline_free(b);
	return rc;
}

int hs_baseline_has(const struct hs_baseline *b, const char *id)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->e[i].id, id))
			return 1;
	return 0;
}

int hs_baseline_has_error(const struct hs_baseline *b, const char *id)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->e[i].kind == HS_BASELINE_ERROR && !strcmp(b->e[i].id, id))
			return 1;
	return 0;
}

int hs_baseline_has_leak(const struct hs_baseline *b, const char *id, int kind)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->e[i].kind != HS_BASELINE_ERROR && (b->e[i].kind == HS_BASELINE_ANY_KIND || b->e[i].kind <= kind) &&
		    !strcmp(b->e[i].id, id))
			return 1;
	return 0;
}

void hs_baseline_free(struct hs_baseline *b)
{
	free(b->e);
	memset(b, 0, sizeof *b);
}
