/* suppress.c — suppression files.
 *
 * LeakSanitizer syntax: one rule a line, `leak:PATTERN` or `error:PATTERN`;
 * the pattern matches if it occurs in a frame's function, source file or
 * module path (`*` wildcards; `^`/`$` anchor it), as LSan's TemplateMatch.
 * `#` starts a comment.
 *
 * Valgrind syntax: `{ name  Memcheck:Leak  [match-leak-kinds: …]  fun:…  obj:…
 * ...  }`. Frame lines match consecutive frames from the top of the stack,
 * which in Valgrind is the allocation function itself: so the stack is
 * matched with a synthetic first frame for it (fun:malloc, fun:_Znwm, …)
 * and, failing that, without it. `...` matches any number of frames; a
 * block with fewer lines than frames matches a prefix of the stack.
 * Memcheck:Leak blocks suppress leaks; other Memcheck kinds suppress errors.
 * As in Valgrind, the kind line may name several tools (Memcheck,Helgrind:
 * Leak) and one line after it may qualify the kind (match-leak-kinds:, or
 * the system call argument of Memcheck:Param); blocks for other tools are
 * read and left out, so Valgrind's own files (default.supp) load as they
 * are.
 */
#define _GNU_SOURCE
#include "suppress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <heapscope/trace_format.h>

#include "leaks.h"

/* Known noise of the C and C++ runtimes that a reachability scan cannot see
 * through: kept small, each with its reason. (The loader's own blocks need
 * no rule: the scan treats blocks allocated from ld.so as roots.) */
static const char defaults[] =
	"# libstdc++ keeps its exception emergency pool for the process lifetime\n"
	"leak:__gnu_cxx::__freeres\n"
	"leak:(anonymous namespace)::pool::pool\n";

/* '*' any run of characters; '?' any one when `qmark` (Valgrind's
 * patterns), itself otherwise (LeakSanitizer's). */
static int glob(const char *pat, const char *s, int qmark)
{
	const char *star = NULL, *retry = NULL;
	while (*s) {
		if (*pat == '*') {
			star = ++pat;
			retry = s;
		} else if ((qmark && *pat == '?') || *pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star;
			s = ++retry;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == 0;
}

int hs_glob(const char *pat, const char *s)
{
	return glob(pat, s, 1);
}

/* LSan TemplateMatch: substring unless anchored. */
static int lsan_match(const char *pattern, const char *s)
{
	if (!s || !*pattern)
		return 0;
	char buf[1024];
	size_t n = strlen(pattern);
	int start = pattern[0] == '^';
	int end = n > (size_t)start && pattern[n - 1] == '$';
	int body = (int)(n - (size_t)start - (size_t)end);
	int len = snprintf(buf, sizeof buf, "%s%.*s%s", start ? "" : "*", body, pattern + start, end ? "" : "*");
	return len > 0 && (size_t)len < sizeof buf && glob(buf, s, 0);
}

static struct hs_supp_rule *new_rule(struct hs_suppressions *s)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		struct hs_supp_rule *nr = realloc(s->rule, nc * sizeof *nr);
		if (!nr)
			return NULL;
		s->rule = nr;
		s->cap = nc;
	}
	struct hs_supp_rule *r = &s->rule[s->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static void rule_free(struct hs_supp_rule *r)
{
	free(r->text);
	free(r->source);
	free(r->pattern);
	free(r->vg_kind);
	for (size_t k = 0; k < r->nframes; k++)
		free(r->frames[k]);
	free(r->frames);
}

/* Does a kind line ("Memcheck:Leak", "Memcheck,Helgrind:Race") name
 * Memcheck among its tools? */
static int for_memcheck(const char *l, const char *colon)
{
	for (const char *t = l; t < colon;) {
		const char *end = memchr(t, ',', (size_t)(colon - t));
		if (!end)
			end = colon;
		if (end - t == 8 && !memcmp(t, "Memcheck", 8))
			return 1;
		t = end + 1;
	}
	return 0;
}

static char *trim(char *l)
{
	while (*l == ' ' || *l == '\t')
		l++;
	size_t n = strlen(l);
	while (n && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r' || l[n - 1] == '\n'))
		l[--n] = 0;
	return l;
}

static unsigned parse_kinds(const char *v, int *ok)
{
	unsigned mask = 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", v);
	*ok = 1;
	for (char *save, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		int k = hs_leak_kind_by_name(t);
		if (k < HS_LEAK_KINDS)
			mask |= 1u << k;
		else if (!strcmp(t, "all"))
			mask |= 0xf;
		else if (!strcmp(t, "none"))
			mask |= 0;
		else
			*ok = 0;
	}
	return mask;
}

int hs_supp_load_text(struct hs_suppressions *s, const char *text, const char *source, char *err,
		      size_t errlen)
{
	char *copy = strdup(text);
	if (!copy) {
		snprintf(err, errlen, "%s: out of memory", source);
		return -1;
	}
	unsigned lineno = 0;
	struct hs_supp_rule *block = NULL; /* open Valgrind block */
	int block_state = 0;		   /* 1: expect name, 2: expect kind, 3: frames */
	int qualifier_ok = 0;		   /* the line after the kind may qualify it */
	int other_tool = 0;		   /* the block is another tool's: left out */
	int rc = 0;
	for (char *raw = copy, *next; raw; raw = next) {
		next = strchr(raw, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		char *l = trim(raw);
		if (!*l || l[0] == '#')
			continue;
		if (!block) {
			if (!strcmp(l, "{")) {
				block = new_rule(s);
				if (!block)
					break;
				block->valgrind = 1;
				block->source = strdup(source);
				block->line = lineno;
				block->kinds = 0xf;
				block_state = 1;
				continue;
			}
			char *colon = strchr(l, ':');
			if (!colon || colon[1] == 0) {
				snprintf(err, errlen, "%s:%u: expected 'leak:PATTERN', 'error:PATTERN' or a '{' block, got '%s'",
					 source, lineno, l);
				rc = -1;
				break;
			}
			*colon = 0;
			int is_error = !strcmp(l, "error");
			if (!is_error && strcmp(l, "leak")) {
				snprintf(err, errlen, "%s:%u: unknown suppression type '%s' (leak or error)", source,
					 lineno, l);
				rc = -1;
				break;
			}
			struct hs_supp_rule *r = new_rule(s);
			if (!r)
				break;
			*colon = ':';
			r->text = strdup(l);
			r->pattern = strdup(trim(colon + 1));
			r->is_error = is_error;
			r->source = strdup(source);
			r->line = lineno;
			continue;
		}
		if (!strcmp(l, "}")) {
			if (block_state < 3) {
				snprintf(err, errlen, "%s:%u: suppression block ends before its kind line", source, lineno);
				rc = -1;
				break;
			}
			if (other_tool) { /* the last rule: dropped */
				rule_free(block);
				s->n--;
			}
			block = NULL;
			continue;
		}
		int qualifier = qualifier_ok;
		qualifier_ok = 0;
		if (block_state == 1) {
			block->text = strdup(l);
			block_state = 2;
		} else if (block_state == 2) {
			char *colon = strchr(l, ':');
			if (!colon || colon == l || !colon[1]) {
				snprintf(err, errlen, "%s:%u: '%s': expected TOOL:KIND (Memcheck:Leak…)", source, lineno, l);
				rc = -1;
				break;
			}
			other_tool = !for_memcheck(l, colon);
			block->is_error = strcmp(colon + 1, "Leak") != 0;
			block->vg_kind = strdup(colon + 1);
			block_state = 3;
			qualifier_ok = 1;
		} else if (other_tool) {
			/* another tool's lines: not ours to judge */
		} else if (!strncmp(l, "match-leak-kinds:", 17)) {
			int ok;
			block->kinds = parse_kinds(trim(l + 17), &ok);
			if (!ok) {
				snprintf(err, errlen, "%s:%u: bad match-leak-kinds '%s'", source, lineno, l + 17);
				rc = -1;
				break;
			}
		} else if (!strcmp(l, "...") || !strncmp(l, "fun:", 4) || !strncmp(l, "obj:", 4) ||
			   !strncmp(l, "src:", 4)) {
			char **nf = realloc(block->frames, (block->nframes + 1) * sizeof *nf);
			if (!nf)
				break;
			block->frames = nf;
			block->frames[block->nframes++] = strdup(l);
		} else if (qualifier && block->is_error) {
			/* Memcheck:Param's argument ("write(buf)"): heapscope reports
			 * no system call arguments, so such a block matches nothing */
		} else {
			snprintf(err, errlen, "%s:%u: unexpected line in a suppression block: '%s'", source,
				 lineno, l);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && block) {
		snprintf(err, errlen, "%s:%u: suppression block '{' never closed", source, block->line);
		rc = -1;
	}
	free(copy);
	return rc;
}

int hs_supp_load_file(struct hs_suppressions *s, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, m);
	int bad = ferror(f) ? errno : 0; /* a directory opens, and fails to read (EISDIR) */
	fclose(f);
	fclose(m);
	if (bad) {
		snprintf(err, errlen, "%s: %s", path, strerror(bad));
		free(text);
		return -1;
	}
	int rc = hs_supp_load_text(s, text ? text : "", path, err, errlen);
	free(text);
	return rc;
}

void hs_supp_load_defaults(struct hs_suppressions *s)
{
	char err[256];
	hs_supp_load_text(s, defaults, "built-in", err, sizeof err);
	/* Blocks the C and C++ runtimes allocate in their constructors, before
	 * heapscope's runs, have no stack, and are kept for the whole process
	 * (libstdc++'s 72 KiB exception pool): no rule by name can match them,
	 * and valgrind frees them before it scans. Still reachable ones only:
	 * a lost block is reported whatever made it. */
	struct hs_supp_rule *r = new_rule(s);
	if (r) {
		r->text = strdup("still reachable blocks allocated before recording started (no stack)");
		r->source = strdup("built-in");
		r->untracked = 1;
	}
}

void hs_supp_free(struct hs_suppressions *s)
{
	for (size_t i = 0; i < s->n; i++)
		rule_free(&s->rule[i]);
	free(s->rule);
	memset(s, 0, sizeof *s);
}

static int lsan_rule_matches(const struct hs_supp_rule *r, const struct hs_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lsan_match(r->pattern, f[i].function) || lsan_match(r->pattern, f[i].symbol) ||
		    lsan_match(r->pattern, f[i].file) || lsan_match(r->pattern, f[i].module_path))
			return 1;
	return 0;
}

/* Valgrind shows the C library's frames below main as one "(below main)",
 * and its suppressions name it so: these are those frames. */
static int below_main(const struct hs_frame *f)
{
	static const char *const names[] = {"__libc_start_call_main", "__libc_start_main", "__libc_start_main_impl",
					    "generic_start_main", "_start", "__start"};
	if (!f->function)
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(f->function, names[i]))
			return 1;
	return 0;
}

static int frame_matches(const char *line, const struct hs_frame *f)
{
	const char *pat = line + 4;
	if (!strcmp(line, "fun:(below main)"))
		return below_main(f);
	if (!strncmp(line, "fun:", 4))
		return (f->function && hs_glob(pat, f->function)) || (f->symbol && hs_glob(pat, f->symbol));
	if (!strncmp(line, "obj:", 4))
		return f->module_path && hs_glob(pat, f->module_path);
	/* src:FILE or src:FILE:LINE */
	if (!f->file)
		return 0;
	const char *base = strrchr(f->file, '/');
	base = base ? base + 1 : f->file;
	char with_line[512];
	snprintf(with_line, sizeof with_line, "%s:%u", base, f->line);
	return hs_glob(pat, base) || hs_glob(pat, with_line);
}

/* Valgrind frame lines against frames, recursively for "...". */
static int vg_match(char **lines, size_t nl, const struct hs_frame *f, size_t n)
{
	if (nl == 0)
		return 1; /* a prefix suffices */
	if (!strcmp(lines[0], "...")) {
		for (size_t skip = 0; skip <= n; skip++)
			if (vg_match(lines + 1, nl - 1, f + skip, n - skip))
				return 1;
		return 0;
	}
	if (n == 0 || !frame_matches(lines[0], f))
		return 0;
	return vg_match(lines + 1, nl - 1, f + 1, n - 1);
}

/* Valgrind frames against the stack with a first frame for the call that
 * allocated or released (Valgrind's stacks start there), or without it. */
static int vg_match_with_call(const struct hs_supp_rule *r, const char *call, const struct hs_frame *f,
			      size_t n)
{
	struct hs_frame *with = malloc((n + 1) * sizeof *with);
	if (!with)
		return 0;
	memset(with, 0, sizeof *with);
	with[0].function = with[0].symbol = call;
	with[0].module = with[0].module_path = "libheapscope.so";
	if (n)
		memcpy(with + 1, f, n * sizeof *f);
	int hit = vg_match(r->frames, r->nframes, with, n + 1) || vg_match(r->frames, r->nframes, f, n);
	free(with);
	return hit;
}

struct hs_supp_rule *hs_supp_match_leak(struct hs_suppressions *s, unsigned kind, const char *alloc_fn,
					const struct hs_frame *f, size_t n)
{
	for (size_t i = 0; i < s->n; i++) {
		struct hs_supp_rule *r = &s->rule[i];
		if (r->is_error)
			continue;
		if (r->untracked ? n == 0 && kind == HS_LEAK_REACHABLE
		    : r->valgrind ? (r->kinds & (1u << kind)) && vg_match_with_call(r, alloc_fn, f, n)
				  : lsan_rule_matches(r, f, n))
			return r;
	}
	return NULL;
}

/* Does a Memcheck error kind name cover a heapscope error kind? */
static int vg_kind_fits(const char *vg, unsigned kind)
{
	if (!vg)
		return 0;
	int bad_free = kind == HS_ERR_DOUBLE_FREE || kind == HS_ERR_INVALID_FREE || kind == HS_ERR_MISMATCHED_FREE;
	if (!strcmp(vg, "Free"))
		return bad_free;
	if (!strncmp(vg, "Addr", 4))
		return !bad_free;
	return 0;
}

static const char *release_symbol(unsigned api)
{
	switch (api) {
	case HS_API_DELETE: return "_ZdlPv";
	case HS_API_DELETE_ARRAY: return "_ZdaPv";
	case HS_API_DELETE_ALIGNED: return "_ZdlPvSt11align_val_t";
	case HS_API_DELETE_ARRAY_ALIGNED: return "_ZdaPvSt11align_val_t";
	case HS_API_REALLOC: return "realloc";
	default: return "free";
	}
}

struct hs_supp_rule *hs_supp_match_error(struct hs_suppressions *s, unsigned kind, unsigned api,
					 const struct hs_frame *f, size_t n)
{
	for (size_t i = 0; i < s->n; i++) {
		struct hs_supp_rule *r = &s->rule[i];
		if (!r->is_error)
			continue;
		if (!r->valgrind ? lsan_rule_matches(r, f, n)
				 : vg_kind_fits(r->vg_kind, kind) &&
					   (api ? vg_match_with_call(r, release_symbol(api), f, n)
						: vg_match(r->frames, r->nframes, f, n)))
			return r;
	}
	return NULL;
}
