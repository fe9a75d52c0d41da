/* options.c — the HEAPSCOPE_OPTIONS parser, generated from options.def.
 * Runs during lazy init, before the program's constructors: no allocation,
 * no stdio, and no failure that could stop the program. */
#include "options.h"

#include <string.h>

#include <heapscope/options_syntax.h>

#include "capture.h"
#include "out.h"

struct hs_options hs_opt = {
#define HS_OPT(type, name, def, help) .name = def,
#include "options.def"
#undef HS_OPT
};

#define parse_u64 hs_option_u64
#define parse_bool hs_option_bool

/* A string value stays inside the option string it came from (no
 * allocation: hs_options_parse's copy); hs_opt_len gives its length. */
static int parse_str(const char *s, size_t n, const char **out)
{
	(void)n;
	*out = s;
	return 0;
}

size_t hs_opt_len(const char *s)
{
	return (size_t)(hs_option_item_end(s) - s);
}

/* Complaints are collected while parsing (pointing into the option string,
 * which lives in the environment) and printed at the end, so that a
 * verbosity=0 anywhere in the string silences them. */
#define MAX_COMPLAINTS 16
static struct {
	const char *what, *s;
	size_t n;
} pending[MAX_COMPLAINTS];
static unsigned npending;

static void complain(const char *what, const char *s, size_t n)
{
	if (npending < MAX_COMPLAINTS)
		pending[npending++] = (typeof(pending[0])){what, s, n};
}

static void print_complaints(void)
{
	struct hs_out o;
	hs_out_init(&o, hs_err_fd);
	for (unsigned i = 0; i < npending; i++) {
		hs_out_str(&o, "heapscope: HEAPSCOPE_OPTIONS: ");
		hs_out_str(&o, pending[i].what);
		hs_out_str(&o, " '");
		hs_out_mem(&o, pending[i].s, pending[i].n);
		hs_out_str(&o, "' ignored\n");
	}
	hs_out_flush(&o);
}

/* What an option accepts beyond its type: a value outside is refused like
 * one that does not parse, and the default stays. (depth=0 reached the
 * stack depot as an empty stack; quarantine_mb from 2^44 on wrapped to a
 * quarantine of 0 bytes; an unknown unwinder loaded libunwind.) */
static int in_range_u64(const char *name, uint64_t v, size_t n)
{
	(void)n;
	if (!strcmp(name, "depth"))
		return v >= 1 && v <= HS_MAX_DEPTH;
	if (!strcmp(name, "quarantine_mb"))
		return v <= HS_QUARANTINE_MB_MAX;
	return 1;
}

#define in_range_bool(name, v, n) 1

static int is_word(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && !memcmp(s, w, n);
}

static int in_range_str(const char *name, const char *v, size_t n)
{
	if (!strcmp(name, "unwinder"))
		return is_word(v, n, "fast") || is_word(v, n, "libunwind") || is_word(v, n, "libgcc");
	return 1;
}

static int set(const char *key, size_t klen, const char *val, size_t vlen)
{
#define HS_OPT(type, name, def, help)                                              \
	if (klen == sizeof(#name) - 1 && !memcmp(key, #name, klen)) {             \
		hs_opt_##type v;                                                   \
		if (parse_##type(val, vlen, &v) != 0 ||                            \
		    !in_range_##type(#name, v, vlen)) {                            \
			complain("bad value for " #name ":", val, vlen);           \
			return -1;                                                 \
		}                                                                  \
		hs_opt.name = v;                                                   \
		return 0;                                                          \
	}
#include "options.def"
#undef HS_OPT
	complain("unknown option", key, klen);
	return -1;
}

const char *hs_opt_spec = "";

int hs_options_parse(const char *spec)
{
	int bad = 0;
	if (!spec)
		return 0;
	/* Parsed from a copy of our own: string values point into it, and a
	 * program that writes its process title over its environment
	 * (setproctitle) does not change them, nor what a fork child's trace
	 * says the options were. (A longer string stays where it is.) */
	static char copy[4096];
	size_t n = strlen(spec);
	if (n < sizeof copy) {
		memcpy(copy, spec, n + 1);
		spec = copy;
	}
	hs_opt_spec = spec;
	npending = 0;
	while (*spec) {
		size_t len = *spec == ':' ? 0 : (size_t)(hs_option_item_end(spec) - spec);
		const char *eq = memchr(spec, '=', len);
		if (len == 0) {
			/* empty item (a stray ':'): tolerated */
		} else if (!eq) {
			complain("item without '=':", spec, len);
			bad++;
		} else if (set(spec, (size_t)(eq - spec), eq + 1, len - (size_t)(eq - spec) - 1) != 0) {
			bad++;
		}
		spec += len;
		if (*spec == ':')
			spec++;
	}
	if (hs_opt.verbosity >= 1)
		print_complaints();
	npending = 0;
	return bad;
}
