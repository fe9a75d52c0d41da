/* options_syntax.h — how HEAPSCOPE_OPTIONS is read: where an item ends and
 * how numbers, booleans and guard= values parse. The preload parses with
 * these (preload/options.c, guard.c), `heapscope run` checks the values it
 * passes against them and the analyzer reads a trace's options with them
 * (analyzer/cli_run.c, process.c), so that the two sides never disagree. */
#ifndef HEAPSCOPE_OPTIONS_SYNTAX_H
#define HEAPSCOPE_OPTIONS_SYNTAX_H

#include <stdint.h>
#include <string.h>

/* Items are separated by ':', but a value may itself contain ':'
 * (guard=sample:1000): a ':' ends the item only when what follows it is
 * empty or up to the next ':' holds an '=' (the next key=value). Returns
 * the item's end in s (its ':' or terminating NUL). */
static inline const char *hs_option_item_end(const char *s)
{
	for (const char *c = strchr(s, ':'); c; c = strchr(c + 1, ':')) {
		const char *next = c + 1;
		const char *stop = strchr(next, ':');
		size_t seg = stop ? (size_t)(stop - next) : strlen(next);
		if (seg == 0 || memchr(next, '=', seg))
			return c;
	}
	return s + strlen(s);
}

/* A decimal number, digits only (no sign, no space): 0, or -1 if n is 0,
 * a character is not a digit or the value overflows. */
static inline int hs_option_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* 1/true/yes or 0/false/no: 0, or -1 for anything else. */
static inline int hs_option_bool(const char *s, size_t n, uint64_t *out)
{
	if ((n == 1 && *s == '1') || (n == 4 && !memcmp(s, "true", 4)) || (n == 3 && !memcmp(s, "yes", 3)))
		*out = 1;
	else if ((n == 1 && *s == '0') || (n == 5 && !memcmp(s, "false", 5)) || (n == 2 && !memcmp(s, "no", 2)))
		*out = 0;
	else
		return -1;
	return 0;
}

/* guard=: auto, off, all, sample:N (N > 0) or size:MIN-MAX (MIN <= MAX). */
enum hs_guard_mode { HS_GUARD_OFF, HS_GUARD_ALL, HS_GUARD_AUTO, HS_GUARD_SAMPLE, HS_GUARD_SIZE };
struct hs_guard_spec {
	enum hs_guard_mode mode;
	uint64_t n, min, max; /* sample's N; size's range */
};

static inline int hs_option_guard(const char *s, size_t n, struct hs_guard_spec *g)
{
	const char *dash;
	memset(g, 0, sizeof *g);
	if (n == 4 && !memcmp(s, "auto", 4))
		g->mode = HS_GUARD_AUTO;
	else if (n == 3 && !memcmp(s, "off", 3))
		g->mode = HS_GUARD_OFF;
	else if (n == 3 && !memcmp(s, "all", 3))
		g->mode = HS_GUARD_ALL;
	else if (n > 7 && !memcmp(s, "sample:", 7) && hs_option_u64(s + 7, n - 7, &g->n) == 0 && g->n > 0)
		g->mode = HS_GUARD_SAMPLE;
	else if (n > 5 && !memcmp(s, "size:", 5) && (dash = memchr(s + 5, '-', n - 5)) &&
		 hs_option_u64(s + 5, (size_t)(dash - s - 5), &g->min) == 0 &&
		 hs_option_u64(dash + 1, n - (size_t)(dash + 1 - s), &g->max) == 0 && g->min <= g->max)
		g->mode = HS_GUARD_SIZE;
	else
		return -1;
	return 0;
}

/* The value of the last item `key`=… in spec whose value ok accepts (any,
 * if ok is NULL): the one the preload keeps, as it refuses a bad value and
 * keeps the one before. Its length in *len; NULL if there is none. */
static inline const char *hs_option_last_valid(const char *spec, const char *key, size_t *len,
					       int (*ok)(const char *v, size_t n))
{
	size_t kl = strlen(key);
	const char *found = NULL;
	for (const char *s = spec; *s;) {
		const char *end = *s == ':' ? s : hs_option_item_end(s);
		if ((size_t)(end - s) > kl && !memcmp(s, key, kl) && s[kl] == '=' &&
		    (!ok || ok(s + kl + 1, (size_t)(end - s - kl - 1)))) {
			found = s + kl + 1;
			*len = (size_t)(end - found);
		}
		s = *end ? end + 1 : end;
	}
	return found;
}

static inline const char *hs_option_last(const char *spec, const char *key, size_t *len)
{
	return hs_option_last_valid(spec, key, len, NULL);
}

#endif
