/* baseline.h — the ids of an earlier JSON report (leak records and errors),
 * for `heapscope run --baseline`: what was already there does not fail the
 * gate again. */
#ifndef HS_BASELINE_H
#define HS_BASELINE_H

#include <stddef.h>

struct hs_baseline {
	char (*id)[9];
	size_t n, cap;
};

/* Read every processes[].leaks.records[].id and processes[].errors[].id.
 * 0 on success; -1 with a one-line reason in err (not JSON, not a heapscope
 * report, unreadable). */
int hs_baseline_load(struct hs_baseline *b, const char *path, char *err, size_t errlen);
int hs_baseline_has(const struct hs_baseline *b, const char *id);
void hs_baseline_free(struct hs_baseline *b);

#endif
