/* report_json.c — the JSON report of DESIGN.md ("heapscope": 1). Sections
 * that later work fills (leaks, errors, fragmentation, …) are present and
 * null until their data exists in the trace: a key is never missing. */
#include <stdlib.h>

#include <heapscope/trace_format.h>

#include "json.h"
#include "snapshots.h"
#include "report.h"
#include "simulate.h"

static void write_frames(struct hs_json *j, const struct hs_frame *f, size_t n)
{
	hs_json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		hs_json_begin_object(j);
		hs_json_key(j, "function");
		hs_json_string(j, f[i].function);
		hs_json_key(j, "file");
		hs_json_string(j, f[i].file);
		hs_json_key(j, "line");
		if (f[i].line)
			hs_json_uint(j, f[i].line);
		else
			hs_json_null(j);
		hs_json_key(j, "module");
		hs_json_string(j, f[i].module);
		hs_json_key(j, "address");
		hs_json_hex(j, f[i].address);
		if (f[i].inlined) {
			hs_json_key(j, "inlined");
			hs_json_bool(j, 1);
		}
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
}

/* A site object opens with its stable id and closes with its stack. */
static void begin_site(struct hs_json *j, const struct hs_frame *f, size_t nf)
{
	char id[9];
	hs_stack_fingerprint(f, nf, id);
	hs_json_begin_object(j);
	hs_json_key(j, "id");
	hs_json_string(j, id);
}

static void end_site(struct hs_json *j, const struct hs_frame *f, size_t nf)
{
	hs_json_key(j, "stack");
	write_frames(j, f, nf);
	hs_json_end_object(j);
}

static void write_sites(struct hs_json *j, struct hs_analysis *a, int by_count, unsigned top)
{
	struct hs_site_rank *r = malloc((top ? top : 1) * sizeof *r);
	size_t n = r ? hs_rank_sites(&a->proc, by_count, r, top) : 0;
	hs_json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		const struct hs_frame *f;
		size_t nf = hs_symbolize_stack(a->sym, r[i].stack, &f);
		begin_site(j, f, nf);
		hs_json_key(j, "allocations");
		hs_json_uint(j, r[i].site.allocations);
		hs_json_key(j, "bytes");
		hs_json_uint(j, r[i].site.bytes);
		hs_json_key(j, "peak_bytes");
		hs_json_uint(j, r[i].site.peak);
		end_site(j, f, nf);
	}
	hs_json_end_array(j);
	free(r);
}

static void blocks_bytes(struct hs_json *j, const char *key, uint64_t blocks, uint64_t bytes)
{
	hs_json_key(j, key);
	hs_json_begin_object(j);
	hs_json_key(j, "blocks");
	hs_json_uint(j, blocks);
	hs_json_key(j, "bytes");
	hs_json_uint(j, bytes);
	hs_json_end_object(j);
}

static void totals(struct hs_json *j, const char *key, const struct hs_leak_totals *t)
{
	blocks_bytes(j, key, t->blocks, t->bytes);
}

static void write_leaks(struct hs_json *j, struct hs_analysis *a)
{
	const struct hs_leak_report *l = &a->leaks;
	if (!l->present) {
		hs_json_null(j);
		return;
	}
	hs_json_begin_object(j);
	for (unsigned k = 0; k < HS_LEAK_KINDS; k++)
		totals(j, hs_leak_kind_name[k], &l->kind[k]);
	totals(j, "suppressed", &l->suppressed);
	hs_json_key(j, "threads_scanned");
	hs_json_uint(j, a->proc.leaks.threads - a->proc.leaks.unscanned_threads + 1);
	hs_json_key(j, "threads_unscanned");
	hs_json_uint(j, a->proc.leaks.unscanned_threads);
	hs_json_key(j, "records");
	hs_json_begin_array(j);
	for (size_t i = 0; i < l->n; i++) {
		const struct hs_leak_record *r = &l->rec[i];
		if (r->suppressed_by)
			continue;
		const struct hs_frame *f;
		size_t nf = hs_symbolize_stack(a->sym, r->stack, &f);
		hs_json_begin_object(j);
		hs_json_key(j, "id");
		hs_json_string(j, r->id);
		hs_json_key(j, "kind");
		hs_json_string(j, hs_leak_kind_name[r->kind]);
		hs_json_key(j, "blocks");
		hs_json_uint(j, r->blocks);
		hs_json_key(j, "bytes");
		hs_json_uint(j, r->bytes);
		hs_json_key(j, "alloc_api");
		hs_json_string(j, hs_api_name(r->api));
		hs_json_key(j, "stack");
		write_frames(j, f, nf);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_end_object(j);
}

static const char *const detected_name[] = {"at-access", "at-free", "at-exit"};

static void api_or_null(struct hs_json *j, const char *key, unsigned api)
{
	hs_json_key(j, key);
	if (api)
		hs_json_string(j, hs_api_name(api));
	else
		hs_json_null(j);
}

static void stack_by_id(struct hs_json *j, struct hs_analysis *a, uint32_t id, int null_if_none)
{
	const struct hs_frame *f;
	size_t nf = hs_symbolize_stack(a->sym, id, &f);
	if (!nf && null_if_none)
		hs_json_null(j);
	else
		write_frames(j, f, nf);
}

static void write_errors(struct hs_json *j, struct hs_analysis *a)
{
	hs_json_begin_array(j);
	for (size_t i = 0; i < a->errors.n; i++) {
		const struct hs_error_entry *x = &a->errors.rec[i];
		const struct hs_error_rec *e = x->e;
		if (x->suppressed_by)
			continue;
		hs_json_begin_object(j);
		hs_json_key(j, "id");
		hs_json_string(j, x->id);
		hs_json_key(j, "kind");
		hs_json_string(j, hs_error_kind_name(e->kind));
		hs_json_key(j, "count");
		hs_json_uint(j, x->count);
		hs_json_key(j, "access");
		if (e->access == HS_ACCESS_READ || e->access == HS_ACCESS_WRITE)
			hs_json_string(j, e->access == HS_ACCESS_READ ? "read" : "write");
		else
			hs_json_null(j);
		hs_json_key(j, "size");
		if (e->size)
			hs_json_uint(j, e->size);
		else
			hs_json_null(j);
		hs_json_key(j, "address");
		hs_json_hex(j, e->addr);
		hs_json_key(j, "detected");
		hs_json_string(j, e->detected < 3 ? detected_name[e->detected] : NULL);
		hs_json_key(j, "block");
		if (e->has_block) {
			hs_json_begin_object(j);
			hs_json_key(j, "size");
			hs_json_uint(j, e->block_size);
			hs_json_key(j, "offset");
			hs_json_int(j, e->offset);
			hs_json_key(j, "address");
			hs_json_hex(j, e->block_start);
			hs_json_end_object(j);
		} else {
			hs_json_null(j);
		}
		api_or_null(j, "api", e->api);
		api_or_null(j, "alloc_api", e->alloc_api);
		api_or_null(j, "free_api", e->free_api);
		hs_json_key(j, "region");
		hs_json_string(j, hs_region_name(e->region));
		hs_json_key(j, "thread");
		hs_json_uint(j, e->tid);
		hs_json_key(j, "stack");
		const struct hs_frame *f;
		size_t nf = hs_symbolize_frames(a->sym, e->map, e->frames, e->nframes, &f);
		write_frames(j, f, nf);
		hs_json_key(j, "alloc_stack");
		if (e->has_block)
			stack_by_id(j, a, e->alloc_stack, 0);
		else
			hs_json_null(j);
		hs_json_key(j, "free_stack");
		if (e->has_block && e->free_stack)
			stack_by_id(j, a, e->free_stack, 1);
		else
			hs_json_null(j);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
}

static void write_guard(struct hs_json *j, const struct hs_process *p)
{
	if (!p->guard.present) {
		hs_json_null(j);
		return;
	}
	hs_json_begin_object(j);
	hs_json_key(j, "guarded_blocks");
	hs_json_uint(j, p->guard.guarded);
	hs_json_key(j, "peak_live_guarded");
	hs_json_uint(j, p->guard.peak_live);
	hs_json_key(j, "budget");
	hs_json_uint(j, p->guard.budget);
	hs_json_key(j, "budget_exhausted");
	hs_json_bool(j, p->guard.budget_exhausted);
	hs_json_key(j, "map_limit_hit");
	hs_json_bool(j, p->guard.map_failed);
	hs_json_end_object(j);
}

static void kv(struct hs_json *j, const char *k, uint64_t v)
{
	hs_json_key(j, k);
	hs_json_uint(j, v);
}

static void kd(struct hs_json *j, const char *k, double v)
{
	hs_json_key(j, k);
	hs_json_double(j, v);
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

static void site_list(struct hs_json *j, struct hs_analysis *a, int (*cmp)(const void *, const void *),
		      uint64_t (*value)(const struct hs_site *), const char *key, unsigned top)
{
	const struct hs_process *p = &a->proc;
	struct hs_site_rank *r = malloc((p->nstacks ? p->nstacks : 1) * sizeof *r);
	size_t n = 0;
	for (uint32_t id = 0; r && id < p->nstacks; id++)
		if (value(&p->sites[id]))
			r[n++] = (struct hs_site_rank){id, p->sites[id]};
	qsort(r, n, sizeof *r, cmp);
	hs_json_begin_array(j);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct hs_frame *f;
		size_t nf = hs_symbolize_stack(a->sym, r[i].stack, &f);
		begin_site(j, f, nf);
		kv(j, key, value(&r[i].site));
		kv(j, "allocations", r[i].site.allocations);
		kv(j, "bytes", r[i].site.bytes);
		end_site(j, f, nf);
	}
	hs_json_end_array(j);
	free(r);
}

static uint64_t v_at_peak(const struct hs_site *s)
{
	return s->at_peak;
}

static uint64_t v_waste(const struct hs_site *s)
{
	return s->waste;
}

static int by_at_peak(const void *x, const void *y)
{
	const struct hs_site_rank *a = x, *b = y;
	return a->site.at_peak != b->site.at_peak ? (a->site.at_peak > b->site.at_peak ? -1 : 1)
						   : (a->stack > b->stack) - (a->stack < b->stack);
}

static int by_waste(const void *x, const void *y)
{
	const struct hs_site_rank *a = x, *b = y;
	return a->site.waste != b->site.waste ? (a->site.waste > b->site.waste ? -1 : 1)
					       : (a->stack > b->stack) - (a->stack < b->stack);
}

static void write_timeline(struct hs_json *j, struct hs_analysis *a, unsigned top)
{
	const struct hs_process *p = &a->proc;
	hs_json_begin_object(j);
	kv(j, "resolution_ms", p->timeline.res_ms ? p->timeline.res_ms : 1);
	hs_json_key(j, "points");
	hs_json_begin_array(j);
	for (size_t i = 0; i < p->timeline.n; i++) {
		const struct hs_tpoint *t = &p->timeline.pt[i];
		hs_json_begin_object(j);
		kv(j, "t_ms", t->t_ms);
		kv(j, "live_bytes", t->live_bytes);
		kv(j, "live_blocks", t->live_blocks);
		kv(j, "allocations", t->allocations);
		kv(j, "frees", t->frees);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_key(j, "peak");
	hs_json_begin_object(j);
	kv(j, "t_ms", p->heap.peak_time_ms);
	kv(j, "bytes", p->heap.peak_bytes);
	kv(j, "blocks", p->heap.peak_blocks);
	hs_json_key(j, "sites");
	site_list(j, a, by_at_peak, v_at_peak, "bytes_at_peak", top);
	hs_json_end_object(j);
	hs_json_end_object(j);
}

static void write_detail(struct hs_json *j, const struct hs_snap *s)
{
	struct hs_snap_summary m;
	hs_snap_summarize(s, &m);
	hs_json_begin_object(j);
	kv(j, "t_ms", s->t_ms);
	kv(j, "requested_bytes", m.requested);
	kv(j, "handed_out_bytes", m.handed_out);
	kv(j, "internal_bytes", m.waste_class + m.waste_pow2 + m.waste_page);
	hs_json_key(j, "internal_by_cause");
	hs_json_begin_object(j);
	kv(j, "size_class", m.waste_class);
	kv(j, "power_of_two", m.waste_pow2);
	kv(j, "page", m.waste_page);
	hs_json_end_object(j);
	kd(j, "external", m.buddy_free ? 1.0 - ratio(m.buddy_largest_free, m.buddy_free) : 0.0);
	kv(j, "buddy_free_bytes", m.buddy_free);
	kv(j, "buddy_largest_free_bytes", m.buddy_largest_free);
	kd(j, "slab_utilisation", ratio(m.slab_live, m.slab_capacity));
	kv(j, "heap_committed_bytes", s->committed);
	kv(j, "guard_bytes", s->guard_live);
	kv(j, "guard_slot_bytes", s->guard_slots);
	kv(j, "quarantine_bytes", s->quarantine);
	kv(j, "heapscope_bytes", s->internal_mem);
	hs_json_key(j, "classes");
	hs_json_begin_array(j);
	for (unsigned i = 0; i < HS_SLAB_CLASSES; i++) {
		const struct hs_snap_class *c = &s->cls[i];
		if (!c->capacity && !c->live)
			continue;
		uint64_t out = c->live * hs_class_size[i];
		hs_json_begin_object(j);
		kv(j, "size", hs_class_size[i]);
		hs_json_key(j, "slabs");
		hs_json_begin_object(j);
		kv(j, "empty", c->slabs[0]);
		kv(j, "partial", c->slabs[1]);
		kv(j, "full", c->slabs[2]);
		hs_json_end_object(j);
		kv(j, "slab_bytes", (uint64_t)(HS_PAGE_SIZE << hs_slab_order(i)));
		kv(j, "capacity", c->capacity);
		kv(j, "live", c->live);
		kv(j, "requested_bytes", c->requested);
		kv(j, "handed_out_bytes", out);
		kv(j, "waste_bytes", out > c->requested ? out - c->requested : 0);
		kd(j, "utilisation", ratio(c->live, c->capacity));
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_key(j, "orders");
	hs_json_begin_array(j);
	for (unsigned k = 0; k < HS_BUDDY_ORDERS; k++) {
		const struct hs_snap_order *o = &s->order[k];
		uint64_t bs = (uint64_t)HS_PAGE_SIZE << k, out = o->used * bs;
		hs_json_begin_object(j);
		kv(j, "order", k);
		kv(j, "block_bytes", bs);
		kv(j, "used", o->used);
		kv(j, "slab", o->slab);
		kv(j, "free", o->free);
		kv(j, "requested_bytes", o->requested);
		kv(j, "handed_out_bytes", out);
		kv(j, "waste_bytes", out > o->requested ? out - o->requested : 0);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_key(j, "large");
	hs_json_begin_object(j);
	kv(j, "blocks", s->large_blocks);
	kv(j, "requested_bytes", s->large_requested);
	kv(j, "mapped_bytes", s->large_mapped);
	hs_json_end_object(j);
	hs_json_end_object(j);
}

static void write_fragmentation(struct hs_json *j, struct hs_analysis *a, unsigned top)
{
	const struct hs_snapshots *s = a->proc.snaps;
	if (!s) {
		hs_json_null(j);
		return;
	}
	hs_json_begin_object(j);
	kv(j, "snapshots", s->total);
	hs_json_key(j, "at_peak");
	write_detail(j, &s->peak);
	hs_json_key(j, "at_exit");
	write_detail(j, &s->last);
	hs_json_key(j, "series");
	hs_json_begin_array(j);
	for (size_t i = 0; i < s->n; i++) {
		const struct hs_snap_summary *m = &s->series[i];
		hs_json_begin_object(j);
		kv(j, "t_ms", m->t_ms);
		kv(j, "requested_bytes", m->requested);
		kv(j, "handed_out_bytes", m->handed_out);
		kv(j, "internal_bytes", m->waste_class + m->waste_pow2 + m->waste_page);
		kd(j, "external", m->buddy_free ? 1.0 - ratio(m->buddy_largest_free, m->buddy_free) : 0.0);
		kd(j, "slab_utilisation", ratio(m->slab_live, m->slab_capacity));
		kv(j, "guard_bytes", m->guard_live);
		kv(j, "quarantine_bytes", m->quarantine);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_key(j, "waste_sites");
	site_list(j, a, by_waste, v_waste, "waste_bytes", top);
	hs_json_end_object(j);
}

static void seg_object(struct hs_json *j, const uint64_t *v)
{
	hs_json_begin_object(j);
	for (unsigned k = 0; k < HS_SEG_KINDS; k++)
		kv(j, hs_segment_name(k), v[k]);
	hs_json_end_object(j);
}

static void write_segments(struct hs_json *j, const struct hs_process *p)
{
	const struct hs_snapshots *s = p->snaps;
	if (!s) {
		hs_json_null(j);
		return;
	}
	uint64_t peak[HS_SEG_KINDS] = {0}, peak_rss = 0;
	for (size_t i = 0; i < s->n; i++) {
		for (unsigned k = 0; k < HS_SEG_KINDS; k++)
			if (s->series[i].virt[k] > peak[k])
				peak[k] = s->series[i].virt[k];
		if (s->series[i].rss > peak_rss)
			peak_rss = s->series[i].rss;
	}
	hs_json_begin_object(j);
	hs_json_key(j, "kinds");
	hs_json_begin_array(j);
	for (unsigned k = 0; k < HS_SEG_KINDS; k++)
		hs_json_string(j, hs_segment_name(k));
	hs_json_end_array(j);
	hs_json_key(j, "peak");
	seg_object(j, peak);
	kv(j, "peak_rss_bytes", peak_rss);
	hs_json_key(j, "at_exit");
	seg_object(j, s->last.virt);
	hs_json_key(j, "series");
	hs_json_begin_array(j);
	for (size_t i = 0; i < s->n; i++) {
		const struct hs_snap_summary *m = &s->series[i];
		hs_json_begin_object(j);
		kv(j, "t_ms", m->t_ms);
		hs_json_key(j, "virtual");
		seg_object(j, m->virt);
		hs_json_key(j, "resident");
		if (m->has_res)
			seg_object(j, m->res);
		else
			hs_json_null(j);
		kv(j, "rss_bytes", m->rss);
		kv(j, "minor_faults", m->minflt);
		kv(j, "major_faults", m->majflt);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_end_object(j);
}

static void write_process(struct hs_json *j, struct hs_analysis *a, const struct hs_report_opts *o)
{
	struct hs_process *p = &a->proc;
	hs_json_begin_object(j);
	hs_json_key(j, "pid");
	hs_json_uint(j, p->pid);
	hs_json_key(j, "ppid");
	hs_json_uint(j, p->ppid);
	hs_json_key(j, "trace");
	hs_json_string(j, p->path);
	hs_json_key(j, "executable");
	hs_json_string(j, p->exe);
	hs_json_key(j, "argv");
	hs_json_begin_array(j);
	for (size_t i = 0; i < p->argc; i++)
		hs_json_string(j, p->argv[i]);
	hs_json_end_array(j);
	hs_json_key(j, "truncated");
	hs_json_bool(j, p->truncated || !p->exit.present);
	hs_json_key(j, "exit");
	if (!p->exit.present) {
		hs_json_null(j);
	} else {
		hs_json_begin_object(j);
		if (p->exit.how == HS_EXIT_SIGNAL) {
			const char *name = hs_signal_name((int)p->exit.value);
			hs_json_key(j, "signal");
			if (name)
				hs_json_string(j, name);
			else
				hs_json_uint(j, p->exit.value);
		} else if (p->exit.how == HS_EXIT_EXEC) {
			hs_json_key(j, "exec");
			hs_json_bool(j, 1);
		} else {
			hs_json_key(j, "code");
			hs_json_uint(j, p->exit.value);
			if (p->exit.how == HS_EXIT_UNDERSCORE) {
				hs_json_key(j, "via");
				hs_json_string(j, "_exit");
			}
		}
		hs_json_end_object(j);
	}
	hs_json_key(j, "leaks");
	write_leaks(j, a);
	hs_json_key(j, "leak_check");
	hs_json_begin_object(j);
	hs_json_key(j, "ran");
	hs_json_bool(j, a->leaks.present);
	hs_json_key(j, "reason");
	if (a->leaks.present)
		hs_json_null(j);
	else
		hs_json_string(j, p->exit.present ? p->exit.reason : "the trace has no end record (killed, or still running)");
	hs_json_end_object(j);
	hs_json_key(j, "errors");
	write_errors(j, a);
	hs_json_key(j, "errors_suppressed");
	hs_json_uint(j, a->errors.suppressed);
	hs_json_key(j, "errors_dropped");
	hs_json_uint(j, p->errors_dropped);
	hs_json_key(j, "guard");
	write_guard(j, p);
	hs_json_key(j, "heap");
	hs_json_begin_object(j);
	const struct hs_heap_stats *h = &p->heap;
	hs_json_key(j, "peak_bytes");
	hs_json_uint(j, h->peak_bytes);
	hs_json_key(j, "peak_blocks");
	hs_json_uint(j, h->peak_blocks);
	hs_json_key(j, "peak_time_ms");
	hs_json_uint(j, h->peak_time_ms);
	hs_json_key(j, "allocations");
	hs_json_uint(j, h->allocations);
	hs_json_key(j, "reallocations");
	hs_json_uint(j, h->reallocs);
	hs_json_key(j, "frees");
	hs_json_uint(j, h->frees);
	hs_json_key(j, "total_bytes");
	hs_json_uint(j, h->total_bytes);
	blocks_bytes(j, "live_at_end", h->live_blocks, h->live_bytes);
	hs_json_key(j, "unknown_frees");
	hs_json_uint(j, h->unknown_frees);
	hs_json_key(j, "duration_ms");
	hs_json_uint(j, h->duration_ms);
	hs_json_key(j, "top_sites");
	write_sites(j, a, 0, o->top);
	hs_json_key(j, "top_sites_by_count");
	write_sites(j, a, 1, o->top);
	hs_json_end_object(j);
	hs_json_key(j, "fragmentation");
	write_fragmentation(j, a, o->top);
	hs_json_key(j, "segments");
	write_segments(j, p);
	hs_json_key(j, "timeline");
	write_timeline(j, a, o->top);
	hs_json_key(j, "simulate");
	hs_simulate_write_json(j, p);
	hs_json_end_object(j);
}

static void write_suppressions(struct hs_json *j, const struct hs_suppressions *supp)
{
	hs_json_begin_array(j);
	for (size_t i = 0; supp && i < supp->n; i++) {
		const struct hs_supp_rule *r = &supp->rule[i];
		if (!r->records)
			continue;
		hs_json_begin_object(j);
		hs_json_key(j, "rule");
		hs_json_string(j, r->text);
		hs_json_key(j, "file");
		hs_json_string(j, r->source);
		hs_json_key(j, "line");
		hs_json_uint(j, r->line);
		hs_json_key(j, "records");
		hs_json_uint(j, r->records);
		hs_json_key(j, "blocks");
		hs_json_uint(j, r->blocks);
		hs_json_key(j, "bytes");
		hs_json_uint(j, r->bytes);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
}

void hs_report_json(FILE *f, struct hs_analysis *a, size_t n, const struct hs_suppressions *supp,
		    const struct hs_report_opts *o)
{
	struct hs_json j;
	hs_json_init(&j, f, o->pretty);
	hs_json_begin_object(&j);
	hs_json_key(&j, "heapscope");
	hs_json_uint(&j, 1);
	hs_json_key(&j, "processes");
	hs_json_begin_array(&j);
	for (size_t i = 0; i < n; i++)
		write_process(&j, &a[i], o);
	hs_json_end_array(&j);
	hs_json_key(&j, "suppressions");
	write_suppressions(&j, supp);
	hs_json_end_object(&j);
	if (!o->pretty)
		fputc('\n', f);
}
