/* timeline.c — see timeline.h. When the point array fills up, neighbouring
 * buckets are merged pairwise (keeping the higher live value) and the
 * bucket width doubles. */
#include "timeline.h"

#include <stdlib.h>

#include "events.h"
#include "process.h"

static void halve(struct hs_timeline *t)
{
	size_t k = 0;
	for (size_t i = 0; i < t->n; i += 2) {
		struct hs_tpoint p = t->pt[i];
		if (i + 1 < t->n) {
			const struct hs_tpoint *q = &t->pt[i + 1];
			if (q->live_bytes > p.live_bytes) {
				p.live_bytes = q->live_bytes;
				p.live_blocks = q->live_blocks;
			}
			p.allocations = q->allocations;
			p.frees = q->frees;
		}
		p.t_ms = p.t_ms / (t->res_ms * 2) * (t->res_ms * 2);
		t->pt[k++] = p;
	}
	t->n = k;
	t->res_ms *= 2;
}

void hs_timeline_add(struct hs_timeline *t, const struct hs_event *ev, const struct hs_heap_stats *h)
{
	if (!t->pt) {
		t->pt = calloc(HS_TIMELINE_POINTS, sizeof *t->pt);
		t->res_ms = 1;
		if (!t->pt)
			return;
	}
	uint64_t bucket = ev->t_ms / t->res_ms * t->res_ms;
	if (t->n && t->pt[t->n - 1].t_ms != bucket && t->n == HS_TIMELINE_POINTS) {
		halve(t);
		bucket = ev->t_ms / t->res_ms * t->res_ms;
	}
	if (!t->n || t->pt[t->n - 1].t_ms != bucket) {
		struct hs_tpoint *p = &t->pt[t->n++];
		p->t_ms = bucket;
		p->live_bytes = 0;
	}
	struct hs_tpoint *last = &t->pt[t->n - 1];
	if (h->live_bytes >= last->live_bytes) {
		last->live_bytes = h->live_bytes;
		last->live_blocks = h->live_blocks;
	}
	last->allocations = h->allocations;
	last->frees = h->frees;
}

void hs_timeline_end(struct hs_timeline *t, uint64_t t_ms, const struct hs_heap_stats *h)
{
	if (!t->pt)
		return;
	if (t->n == HS_TIMELINE_POINTS)
		halve(t);
	struct hs_tpoint *p = &t->pt[t->n++];
	p->t_ms = t_ms;
	p->live_bytes = h->live_bytes;
	p->live_blocks = h->live_blocks;
	p->allocations = h->allocations;
	p->frees = h->frees;
}

void hs_timeline_free(struct hs_timeline *t)
{
	free(t->pt);
	t->pt = NULL;
	t->n = 0;
}
