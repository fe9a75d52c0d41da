/* leaks.h — leak records of one process: the scan's groups, symbolized,
 * identified, suppressed or not. What every report format and the gate read. */
#ifndef HS_LEAKS_H
#define HS_LEAKS_H

#include <stddef.h>
#include <stdint.h>

#include <heapscope/trace_format.h>

#include "process.h"
#include "suppress.h"
#include "symbolize.h"

struct hs_leak_record {
	unsigned kind;
	unsigned api;
	uint32_t stack;
	uint64_t blocks, bytes;
	char id[9];
	struct hs_supp_rule *suppressed_by; /* NULL: counts */
};

struct hs_leak_totals {
	uint64_t blocks, bytes;
};

struct hs_leak_report {
	int present;			/* a scan ran */
	struct hs_leak_record *rec;	/* sorted: kind, then bytes descending */
	size_t n;
	struct hs_leak_totals kind[HS_LEAK_KINDS]; /* not suppressed */
	struct hs_leak_totals suppressed;
};

void hs_leaks_compute(struct hs_leak_report *out, const struct hs_process *p,
		      struct hs_symbolizer *sym, struct hs_suppressions *supp);
void hs_leaks_free(struct hs_leak_report *r);

extern const char *const hs_leak_kind_name[HS_LEAK_KINDS]; /* "definite", … */
/* The kind named so; HS_LEAK_KINDS if none is. */
int hs_leak_kind_by_name(const char *name);
extern const char *const hs_leak_kind_phrase[HS_LEAK_KINDS]; /* valgrind's: "definitely lost", … */

#endif
