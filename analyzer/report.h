/* report.h — the report formats over one or more loaded traces. */
#ifndef HS_REPORT_H
#define HS_REPORT_H

#include <stdio.h>

#include "errors.h"
#include "leaks.h"
#include "process.h"
#include "suppress.h"
#include "symbolize.h"

struct hs_report_opts {
	unsigned top;	/* allocation sites listed, per ranking */
	int pretty;	/* indented JSON */
};

/* One analysed process: the trace and its symbolizer. */
struct hs_analysis {
	struct hs_process proc;
	struct hs_symbolizer *sym;
	struct hs_leak_report leaks;
	struct hs_error_report errors;
};

struct hs_site_rank {
	uint32_t stack;
	struct hs_site site;
};

/* The top `max` sites by bytes (by_count = 0) or allocations (1); returns
 * how many were written to out. Ties broken by stack id, for stable output. */
size_t hs_rank_sites(const struct hs_process *p, int by_count, struct hs_site_rank *out, size_t max);

/* supp (may be NULL): the rules in force, listed with what they matched. */
void hs_report_json(FILE *f, struct hs_analysis *a, size_t n, const struct hs_suppressions *supp,
		    const struct hs_report_opts *o);
void hs_report_text(FILE *f, struct hs_analysis *a, size_t n, const struct hs_suppressions *supp,
		    const struct hs_report_opts *o);
void hs_report_sarif(FILE *f, struct hs_analysis *a, size_t n, const struct hs_report_opts *o);

/* v with thousands separators ("1,234,567") into buf (32 bytes); returns buf. */
const char *hs_thousands(char *buf, uint64_t v);

/* "SIGSEGV" for 11, NULL for numbers with no name. */
const char *hs_signal_name(int sig);

#endif
