/* suppress.h — suppression rules: LeakSanitizer lines (`leak:PATTERN`,
 * `error:PATTERN`) and Valgrind `.supp` blocks, matched against symbolized
 * stacks; each rule counts what it suppressed. */
#ifndef HS_SUPPRESS_H
#define HS_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "symbolize.h"

struct hs_supp_rule {
	char *text;	/* "leak:foo", or the Valgrind block's name */
	char *source;	/* file it came from ("built-in" for the defaults) */
	unsigned line;
	int is_error;	/* applies to memory errors, not leaks */
	int valgrind;
	char *pattern;	/* LSan: matched against function, file or module */
	char **frames;	/* Valgrind: "fun:…", "obj:…", "src:…" or "..." per line */
	size_t nframes;
	unsigned kinds;	/* Valgrind match-leak-kinds: bit per hs_leak_kind */
	char *vg_kind;	/* Valgrind: the Memcheck kind after "Memcheck:" */
	int untracked;	/* built-in: still-reachable blocks without a stack */
	uint64_t records, blocks, bytes; /* what it suppressed */
};

struct hs_suppressions {
	struct hs_supp_rule *rule;
	size_t n, cap;
};

/* Add the rules of a file (either syntax, detected per block). 0 on
 * success; -1 with "FILE:LINE: reason" in err. */
int hs_supp_load_file(struct hs_suppressions *s, const char *path, char *err, size_t errlen);
/* Add rules from text (the built-in defaults, tests). */
int hs_supp_load_text(struct hs_suppressions *s, const char *text, const char *source, char *err,
		      size_t errlen);
void hs_supp_load_defaults(struct hs_suppressions *s);
void hs_supp_free(struct hs_suppressions *s);

/* The first leak rule matching a leak of `kind` allocated by `alloc_fn`
 * (malloc, calloc, _Znwm, …: Valgrind stacks start there) at frames f[0..n). */
struct hs_supp_rule *hs_supp_match_leak(struct hs_suppressions *s, unsigned kind, const char *alloc_fn,
					const struct hs_frame *f, size_t n);

/* The first error rule matching a memory error of `kind` hit by call `api`
 * (free, delete, …; 0 for an access) whose stack is f[0..n): LSan `error:`
 * lines; Valgrind blocks whose Memcheck kind fits (Free for bad frees,
 * Addr1/2/4/8/16/32 for accesses), their frames matched, as for leaks, with
 * a first frame for the releasing call and failing that without it. */
struct hs_supp_rule *hs_supp_match_error(struct hs_suppressions *s, unsigned kind, unsigned api,
					 const struct hs_frame *f, size_t n);

/* Glob match of a whole string: '*' any run, '?' one character. */
int hs_glob(const char *pat, const char *s);

#endif
