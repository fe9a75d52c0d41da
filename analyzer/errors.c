/* errors.c — from ERROR records to error entries. Two occurrences are the
 * same error when kind and the stack where it happened agree, as valgrind
 * merges repeated errors; each entry also gets a stable id (module and
 * function names of that stack, or of the allocation stack when there is
 * none), which baselines and SARIF use. */
#include "errors.h"

#include <stdlib.h>
#include <string.h>

#include <heapscope/trace_format.h>

static void error_id(const struct hs_frame *f, size_t n, unsigned kind, char out[9])
{
	char base[9];
	hs_stack_fingerprint(f, n, base);
	uint32_t h = 2166136261u;
	const char *k = hs_error_kind_name(kind);
	for (const char *c = k; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	for (const char *c = base; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 8; i++)
		out[i] = hex[(h >> (28 - 4 * i)) & 0xf];
	out[8] = 0;
}

/* The same error at the same place: kind and stack where it happened (for
 * errors found at exit, which have none, the block's allocation stack).
 * Stable ids are coarser (function names only) and may be shared. */
static int same_place(const struct hs_error_rec *a, const struct hs_error_rec *b)
{
	if (a->kind != b->kind || a->nframes != b->nframes || a->map != b->map)
		return 0;
	if (!a->nframes)
		return a->alloc_stack == b->alloc_stack;
	return !memcmp(a->frames, b->frames, a->nframes * sizeof *a->frames);
}

static struct hs_error_entry *new_entry(struct hs_error_report *out, const struct hs_error_rec *e,
					struct hs_symbolizer *sym, struct hs_suppressions *supp)
{
	struct hs_error_entry *x = &out->rec[out->n++];
	x->e = e;
	const struct hs_frame *f;
	size_t nf = hs_symbolize_frames(sym, e->map, e->frames, e->nframes, &f);
	if (!nf) {
		/* no stack where it was found (at exit): the block's allocation
		 * stack tells such errors apart, and is what a rule can name */
		nf = hs_symbolize_stack(sym, e->alloc_stack, &f);
	}
	error_id(f, nf, e->kind, x->id);
	x->suppressed_by = supp ? hs_supp_match_error(supp, e->kind, e->api, f, nf) : NULL;
	return x;
}

void hs_errors_compute(struct hs_error_report *out, const struct hs_process *p,
		       struct hs_symbolizer *sym, struct hs_suppressions *supp)
{
	memset(out, 0, sizeof *out);
	out->rec = calloc(p->nerrors ? p->nerrors : 1, sizeof *out->rec);
	if (!out->rec)
		return;
	for (size_t i = 0; i < p->nerrors; i++) {
		const struct hs_error_rec *e = &p->errors[i];
		struct hs_error_entry *x = NULL;
		for (size_t k = 0; k < out->n && !x; k++)
			if (same_place(out->rec[k].e, e))
				x = &out->rec[k];
		if (!x) /* a new place: its id and suppression, once */
			x = new_entry(out, e, sym, supp);
		x->count++;
		if (x->suppressed_by) {
			/* a rule's records are the report's entries (one per place,
			 * its count of errors beside it), as for leak records */
			if (x->count == 1)
				x->suppressed_by->records++;
			out->suppressed++;
		} else {
			out->counted++;
		}
	}
}

void hs_errors_free(struct hs_error_report *r)
{
	free(r->rec);
	memset(r, 0, sizeof *r);
}
