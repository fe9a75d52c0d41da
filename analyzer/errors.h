/* errors.h — memory-error records of one process: deduplicated (the same
 * error at the same place counts once, with a count), identified and
 * suppressed as leaks are. */
#ifndef HS_ERRORS_H
#define HS_ERRORS_H

#include <stddef.h>
#include <stdint.h>

#include "process.h"
#include "suppress.h"
#include "symbolize.h"

struct hs_error_entry {
	const struct hs_error_rec *e; /* the first occurrence */
	uint64_t count;
	char id[9];
	struct hs_supp_rule *suppressed_by;
};

struct hs_error_report {
	struct hs_error_entry *rec;
	size_t n;
	uint64_t counted, suppressed; /* occurrences */
};

void hs_errors_compute(struct hs_error_report *out, const struct hs_process *p,
		       struct hs_symbolizer *sym, struct hs_suppressions *supp);
void hs_errors_free(struct hs_error_report *r);

#endif
