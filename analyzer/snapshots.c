/* snapshots.c — see snapshots.h. Internal fragmentation is split by cause:
 * size-class rounding in slabs, power-of-two rounding of buddy blocks, page
 * rounding of large blocks. External fragmentation of the buddy heap is
 * 1 − largest free block ÷ total free. */
#include "snapshots.h"

#include <stdlib.h>
#include <string.h>

struct hs_snapshots *hs_snapshots_new(void)
{
	struct hs_snapshots *s = calloc(1, sizeof *s);
	if (s) {
		s->series = calloc(HS_SNAP_SERIES, sizeof *s->series);
		s->stride = 1;
		if (!s->series) {
			free(s);
			return NULL;
		}
	}
	return s;
}

void hs_snapshots_free(struct hs_snapshots *s)
{
	if (!s)
		return;
	free(s->series);
	free(s);
}

void hs_snap_summarize(const struct hs_snap *in, struct hs_snap_summary *o)
{
	memset(o, 0, sizeof *o);
	o->t_ms = in->t_ms;
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		uint64_t out = in->cls[i].live * hs_class_size[i];
		o->requested += in->cls[i].requested;
		o->handed_out += out;
		o->waste_class += out > in->cls[i].requested ? out - in->cls[i].requested : 0;
		o->slab_live += in->cls[i].live;
		o->slab_capacity += in->cls[i].capacity;
	}
	for (unsigned k = 0; k < HS_BUDDY_ORDERS; k++) {
		uint64_t bs = (uint64_t)HS_PAGE_SIZE << k;
		uint64_t out = in->order[k].used * bs;
		o->requested += in->order[k].requested;
		o->handed_out += out;
		o->waste_pow2 += out > in->order[k].requested ? out - in->order[k].requested : 0;
		o->buddy_free += in->order[k].free * bs;
		if (in->order[k].free)
			o->buddy_largest_free = bs;
	}
	o->requested += in->large_requested;
	o->handed_out += in->large_mapped;
	o->waste_page = in->large_mapped > in->large_requested ? in->large_mapped - in->large_requested : 0;
	o->guard_live = in->guard_live;
	o->guard_slots = in->guard_slots;
	o->quarantine = in->quarantine;
	o->rss = in->rss;
	o->minflt = in->minflt;
	o->majflt = in->majflt;
	memcpy(o->virt, in->virt, sizeof o->virt);
	o->has_res = in->has_res;
	memcpy(o->res, in->res, sizeof o->res);
}

static int decode(struct hs_cursor *c, struct hs_snap *s)
{
	memset(s, 0, sizeof *s);
	s->t_ms = hs_cur_varint(c);
	uint64_t ncls = hs_cur_varint(c);
	for (uint64_t i = 0; i < ncls && !c->bad; i++) {
		struct hs_snap_class tmp;
		for (unsigned l = 0; l < 3; l++)
			tmp.slabs[l] = hs_cur_varint(c);
		tmp.capacity = hs_cur_varint(c);
		tmp.live = hs_cur_varint(c);
		tmp.requested = hs_cur_varint(c);
		if (i < HS_SLAB_CLASSES)
			s->cls[i] = tmp;
	}
	uint64_t nord = hs_cur_varint(c);
	for (uint64_t k = 0; k < nord && !c->bad; k++) {
		struct hs_snap_order tmp;
		tmp.used = hs_cur_varint(c);
		tmp.slab = hs_cur_varint(c);
		tmp.free = hs_cur_varint(c);
		tmp.requested = hs_cur_varint(c);
		if (k < HS_BUDDY_ORDERS)
			s->order[k] = tmp;
	}
	s->committed = hs_cur_varint(c);
	s->zero_free = hs_cur_varint(c);
	s->large_blocks = hs_cur_varint(c);
	s->large_requested = hs_cur_varint(c);
	s->large_mapped = hs_cur_varint(c);
	s->guard_live = hs_cur_varint(c);
	s->guard_slots = hs_cur_varint(c);
	s->quarantine = hs_cur_varint(c);
	s->internal_mem = hs_cur_varint(c);
	s->rss = hs_cur_varint(c);
	s->minflt = hs_cur_varint(c);
	s->majflt = hs_cur_varint(c);
	uint64_t nseg = hs_cur_varint(c);
	for (uint64_t i = 0; i < nseg && !c->bad; i++) {
		uint64_t kind = hs_cur_varint(c), v = hs_cur_varint(c);
		if (kind < HS_SEG_KINDS)
			s->virt[kind] = v;
	}
	s->has_res = hs_cur_varint(c) != 0;
	if (s->has_res) {
		nseg = hs_cur_varint(c);
		for (uint64_t i = 0; i < nseg && !c->bad; i++) {
			uint64_t kind = hs_cur_varint(c), v = hs_cur_varint(c);
			if (kind < HS_SEG_KINDS)
				s->res[kind] = v;
		}
	}
	return c->bad ? -1 : 0;
}

int hs_snapshots_add(struct hs_snapshots *s, struct hs_cursor *c)
{
	struct hs_snap snap;
	if (decode(c, &snap) != 0)
		return -1;
	struct hs_snap_summary sum;
	hs_snap_summarize(&snap, &sum);
	struct hs_snap_summary peak;
	if (s->have_peak)
		hs_snap_summarize(&s->peak, &peak);
	if (!s->have_peak || sum.requested > peak.requested) {
		s->peak = snap;
		s->have_peak = 1;
	}
	s->last = snap;
	s->total++;
	/* bounded series: when full, keep every other point and take one in
	 * twice as many from now on */
	if (s->skip++ % s->stride)
		return 0;
	if (s->n == HS_SNAP_SERIES) {
		size_t k = 0;
		for (size_t i = 0; i < s->n; i += 2)
			s->series[k++] = s->series[i];
		s->n = k;
		s->stride *= 2;
	}
	s->series[s->n++] = sum;
	return 0;
}
