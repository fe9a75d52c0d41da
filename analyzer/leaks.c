/* leaks.c — from the LEAKS record's groups to leak records: symbolize each
 * stack, fingerprint it, and apply the suppressions (counting per rule). */
#include "leaks.h"

#include <stdlib.h>
#include <string.h>

const char *const hs_leak_kind_name[HS_LEAK_KINDS] = {"definite", "indirect", "possible", "reachable"};
const char *const hs_leak_kind_phrase[HS_LEAK_KINDS] = {"definitely lost", "indirectly lost", "possibly lost",
							"still reachable"};

int hs_leak_kind_by_name(const char *name)
{
	int k = 0;
	while (k < HS_LEAK_KINDS && strcmp(name, hs_leak_kind_name[k]))
		k++;
	return k;
}

/* The allocation function as it appears first in a Valgrind stack. */
static const char *alloc_symbol(unsigned api)
{
	switch (api) {
	case HS_API_CALLOC: return "calloc";
	case HS_API_REALLOC: return "realloc";
	case HS_API_MEMALIGN: return "memalign";
	case HS_API_POSIX_MEMALIGN: return "posix_memalign";
	case HS_API_ALIGNED_ALLOC: return "aligned_alloc";
	case HS_API_VALLOC: return "valloc";
	case HS_API_PVALLOC: return "pvalloc";
	case HS_API_NEW: return "_Znwm";
	case HS_API_NEW_ARRAY: return "_Znam";
	case HS_API_NEW_ALIGNED: return "_ZnwmSt11align_val_t";
	case HS_API_NEW_ARRAY_ALIGNED: return "_ZnamSt11align_val_t";
	default: return "malloc";
	}
}

static int cmp(const void *a, const void *b)
{
	const struct hs_leak_record *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return x->stack < y->stack ? -1 : x->stack > y->stack;
}

void hs_leaks_compute(struct hs_leak_report *out, const struct hs_process *p,
		      struct hs_symbolizer *sym, struct hs_suppressions *supp)
{
	memset(out, 0, sizeof *out);
	if (!p->leaks.present)
		return;
	out->present = 1;
	out->rec = calloc(p->leaks.ngroups ? p->leaks.ngroups : 1, sizeof *out->rec);
	if (!out->rec)
		return;
	for (size_t i = 0; i < p->leaks.ngroups; i++) {
		const struct hs_leak_group *g = &p->leaks.groups[i];
		struct hs_leak_record *r = &out->rec[out->n++];
		r->kind = g->kind;
		r->api = g->api;
		r->stack = g->stack;
		r->blocks = g->blocks;
		r->bytes = g->bytes;
		const struct hs_frame *f;
		size_t nf = hs_symbolize_stack(sym, g->stack, &f);
		hs_stack_fingerprint(f, nf, r->id);
		r->suppressed_by = supp ? hs_supp_match_leak(supp, g->kind, alloc_symbol(g->api), f, nf) : NULL;
		if (r->suppressed_by) {
			r->suppressed_by->records++;
			r->suppressed_by->blocks += g->blocks;
			r->suppressed_by->bytes += g->bytes;
			out->suppressed.blocks += g->blocks;
			out->suppressed.bytes += g->bytes;
		} else {
			out->kind[g->kind].blocks += g->blocks;
			out->kind[g->kind].bytes += g->bytes;
		}
	}
	qsort(out->rec, out->n, sizeof *out->rec, cmp);
}

void hs_leaks_free(struct hs_leak_report *r)
{
	free(r->rec);
	memset(r, 0, sizeof *r);
}
