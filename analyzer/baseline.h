/* baseline.h — the ids of an earlier JSON report (leak records and errors),
 * for `heapscope run --baseline`: what was already there does not fail the
 * gate again. */
#ifndef HS_BASELINE_H
#define HS_BASELINE_H

#include <stddef.h>

/* An id and its kind: a leak record's enum hs_leak_kind,
 * HS_BASELINE_ANY_KIND for a leak record without a kind this reader knows,
 * HS_BASELINE_ERROR for an error. */
struct hs_baseline_entry {
	char id[9];
	signed char kind;
};
struct hs_baseline {
	struct hs_baseline_entry *e;
	size_t n, cap;
};
#define HS_BASELINE_ANY_KIND (-1)
#define HS_BASELINE_ERROR (-2)

/* Read every processes[].leaks.records[].id and processes[].errors[].id.
 * 0 on success; -1 with a one-line reason in err (not JSON, not a heapscope
 * report, unreadable). */
int hs_baseline_load(struct hs_baseline *b, const char *path, char *err, size_t errlen);
int hs_baseline_has(const struct hs_baseline *b, const char *id);
/* An error with this id was in the baseline. */
int hs_baseline_has_error(const struct hs_baseline *b, const char *id);
/* A leak record with this id and a kind at least as grave was (definite,
 * then indirect, possible, reachable: the order of enum hs_leak_kind). A
 * site that was only still reachable and now loses its blocks is a new
 * leak, not one the baseline knew. */
int hs_baseline_has_leak(const struct hs_baseline *b, const char *id, int kind);
void hs_baseline_free(struct hs_baseline *b);

#endif
