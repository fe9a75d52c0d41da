/* process.c — decodes a trace's records into struct hs_process: INFO,
 * MODULES (module maps, modules deduplicated), STACK definitions and the
 * EVENTS stream, which drives the heap accounting (live blocks, peak, and
 * per-site totals). A record that does not decode is counted and skipped;
 * the stream after it stays readable because records are framed by length.
 */
#include "process.h"

#include <stdlib.h>
#include <string.h>

#include <heapscope/size_classes.h>
#include <heapscope/options_syntax.h>
#include <heapscope/trace_format.h>

#include "events.h"
#include "snapshots.h"
#include "trace_reader.h"

static char *dup_bytes(const uint8_t *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

static int is_bool(const char *v, size_t n)
{
	uint64_t b;
	return hs_option_bool(v, n, &b) == 0;
}

static int decode_info(struct hs_process *p, struct hs_cursor *c)
{
	size_t n;
	const uint8_t *s;
	p->pid = hs_cur_varint(c);
	p->ppid = hs_cur_varint(c);
	p->start_ns = hs_cur_varint(c);
	p->page_size = hs_cur_varint(c);
	s = hs_cur_bytes(c, &n);
	free(p->exe);
	p->exe = dup_bytes(s, n);
	uint64_t argc = hs_cur_varint(c);
	if (c->bad || argc > (uint64_t)(c->end - c->p))
		return -1;
	for (size_t i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	p->argv = calloc(argc ? argc : 1, sizeof *p->argv);
	p->argc = 0;
	for (uint64_t i = 0; i < argc && !c->bad && !hs_cur_done(c); i++) {
		s = hs_cur_bytes(c, &n);
		p->argv[p->argc++] = dup_bytes(s, n);
	}
	s = hs_cur_bytes(c, &n);
	free(p->options);
	p->options = dup_bytes(s, n);
	p->has_info = !c->bad;
	/* recording with detect=1 (the default) gives every block a canary byte;
	 * the detect= the preload kept: the last it could read (an out
	 * directory named …detect=0… is no such item) */
	size_t dl = 0;
	uint64_t on = 1;
	const char *d = p->options ? hs_option_last_valid(p->options, "detect", &dl, is_bool) : NULL;
	if (d)
		hs_option_bool(d, dl, &on);
	p->detect = on != 0;
	return c->bad ? -1 : 0;
}

static int same_module(const struct hs_module *a, const char *path, size_t pl, uint64_t base,
		       const uint8_t *bid, size_t bl)
{
	return a->base == base && strlen(a->path) == pl && !memcmp(a->path, path, pl) &&
	       a->build_id_len == bl && !memcmp(a->build_id, bid, bl);
}

static int decode_modules(struct hs_process *p, struct hs_cursor *c)
{
	hs_cur_varint(c); /* generation: the order of records already says it */
	uint64_t count = hs_cur_varint(c);
	if (c->bad || count > (uint64_t)(c->end - c->p))
		return -1;
	struct hs_modmap map = {calloc(count ? count : 1, sizeof(uint32_t)), 0};
	if (!map.mods)
		return -1;
	for (uint64_t i = 0; i < count; i++) {
		size_t pl, bl;
		const uint8_t *path = hs_cur_bytes(c, &pl);
		uint64_t base = hs_cur_varint(c);
		const uint8_t *bid = hs_cur_bytes(c, &bl);
		uint64_t nseg = hs_cur_varint(c);
		if (c->bad || nseg > (uint64_t)(c->end - c->p))
			break;
		struct hs_seg *seg = calloc(nseg ? nseg : 1, sizeof *seg);
		uint64_t lo = UINT64_MAX, hi = 0;
		for (uint64_t k = 0; k < nseg; k++) {
			seg[k].vaddr = hs_cur_varint(c);
			seg[k].memsz = hs_cur_varint(c);
			seg[k].flags = (uint32_t)hs_cur_varint(c);
			uint64_t a = base + seg[k].vaddr;
			if (a < lo)
				lo = a;
			if (a + seg[k].memsz > hi)
				hi = a + seg[k].memsz;
		}
		if (c->bad) {
			free(seg);
			break;
		}
		size_t m;
		for (m = 0; m < p->nmodules; m++)
			if (same_module(&p->modules[m], (const char *)path, pl, base, bid, bl))
				break;
		if (m == p->nmodules) {
			if (p->nmodules == p->modcap) {
				size_t nc = p->modcap ? p->modcap * 2 : 64;
				struct hs_module *nm = realloc(p->modules, nc * sizeof *nm);
				if (!nm) {
					free(seg);
					break;
				}
				p->modules = nm;
				p->modcap = nc;
			}
			struct hs_module *mod = &p->modules[p->nmodules++];
			memset(mod, 0, sizeof *mod);
			mod->path = dup_bytes(path, pl);
			mod->base = base;
			mod->build_id = (uint8_t *)dup_bytes(bid, bl);
			mod->build_id_len = bl;
			mod->seg = seg;
			mod->nseg = (unsigned)nseg;
			mod->lo = lo;
			mod->hi = hi;
		} else {
			free(seg);
		}
		map.mods[map.n++] = (uint32_t)m;
	}
	if (p->nmaps == p->mapcap) {
		size_t nc = p->mapcap ? p->mapcap * 2 : 8;
		struct hs_modmap *nm = realloc(p->maps, nc * sizeof *nm);
		if (!nm) {
			free(map.mods);
			return -1;
		}
		p->maps = nm;
		p->mapcap = nc;
	}
	p->maps[p->nmaps++] = map;
	return c->bad ? -1 : 0;
}

/* A zeroed array of n elements holding the first `old_n` of `old` (freed).
 * calloc, not realloc and memset: a fork child's trace may define only a
 * few high ids, and the pages between them stay untouched. */
static void *regrow(void *old, size_t old_n, size_t n, size_t elem)
{
	void *a = calloc(n, elem);
	if (!a)
		return NULL;
	if (old_n)
		memcpy(a, old, old_n * elem);
	free(old);
	return a;
}

static int ensure_stack(struct hs_process *p, uint64_t id)
{
	if (id >= HS_MAX_STACKS)
		return -1;
	if (id >= p->stackcap) {
		uint32_t nc = p->stackcap ? p->stackcap : 1024;
		while (nc <= id)
			nc *= 2;
		/* on a failure the tables stay consistent up to stackcap */
		struct hs_stack *ns = regrow(p->stacks, p->stackcap, nc, sizeof *ns);
		if (!ns)
			return -1;
		p->stacks = ns;
		struct hs_site *nsi = regrow(p->sites, p->stackcap, nc, sizeof *nsi);
		if (!nsi)
			return -1;
		p->sites = nsi;
		p->stackcap = nc;
	}
	if (id >= p->nstacks)
		p->nstacks = (uint32_t)id + 1;
	return 0;
}

/* STACK, or STACK_REF (with_ref): see trace_format.h. */
static int decode_stack(struct hs_process *p, struct hs_cursor *c, int with_ref)
{
	uint64_t id = hs_cur_varint(c);
	uint64_t ref = with_ref ? hs_cur_varint(c) : 0;
	uint64_t keep = with_ref ? hs_cur_varint(c) : 0;
	uint64_t n = hs_cur_varint(c);
	/* Ids come in any order (a fork child defines inherited ones as it
	 * names them), up to HS_MAX_STACKS. A reference is to another stack,
	 * defined, with at least `keep` frames. */
	if (c->bad || id == 0 || n > 256 || (uint64_t)(c->end - c->p) < n)
		return -1;
	const struct hs_stack *r = NULL;
	if (with_ref) {
		if (ref == 0 || ref == id || ref >= p->nstacks || !p->stacks[ref].frames || keep < 2 ||
		    keep > p->stacks[ref].n || n + keep > 256)
			return -1;
		r = &p->stacks[ref];
	}
	if (ensure_stack(p, id) != 0)
		return -1;
	if (r)
		r = &p->stacks[ref]; /* the table may have moved */
	uint64_t total = n + keep;
	uint64_t *f = calloc(total ? total : 1, sizeof *f);
	if (!f)
		return -1;
	for (uint64_t i = 0; i < n; i++)
		f[i] = i ? f[i - 1] + (uint64_t)hs_cur_zigzag(c)
			 : r ? r->frames[0] + (uint64_t)hs_cur_zigzag(c) : hs_cur_varint(c);
	if (c->bad) {
		free(f);
		return -1;
	}
	if (r)
		memcpy(f + n, r->frames + (r->n - keep), keep * sizeof *f);
	struct hs_stack *s = &p->stacks[id];
	free(s->frames);
	s->frames = f;
	s->n = (uint32_t)total;
	s->map = p->nmaps ? (uint32_t)(p->nmaps - 1) : UINT32_MAX;
	return 0;
}

static int on_stack(struct hs_cursor *body, int ref, void *ctx)
{
	return decode_stack(ctx, body, ref);
}

/* Before a site's live bytes change: remember its value at the latest heap
 * peak if it has not changed since (see hs_site). */
static void touch(struct hs_process *p, struct hs_site *s)
{
	if (s->stamp != p->peak_version) {
		s->at_peak = s->live;
		s->stamp = p->peak_version;
	}
}

/* Bytes the allocator hands out for a request (its slot), as the run's
 * allocator did: see size_classes.h; with detect on, one canary byte more. */
static uint64_t slot_bytes(const struct hs_process *p, uint64_t size)
{
	uint64_t room = size + (p->detect ? 1 : 0);
	if (room <= HS_SLAB_MAX_SIZE)
		return hs_class_size[hs_size_class(room)];
	int order = hs_order_for(room);
	if (order >= 0)
		return (uint64_t)HS_PAGE_SIZE << order;
	return (size + HS_PAGE_SIZE - 1) & ~(uint64_t)(HS_PAGE_SIZE - 1);
}

static void account_alloc(struct hs_process *p, uint64_t addr, uint64_t size, uint64_t stack)
{
	struct hs_heap_stats *h = &p->heap;
	/* an id the trace has not defined (ids may have gaps: see decode_stack) */
	if (stack >= p->nstacks || !p->stacks[stack].frames)
		stack = 0;
	struct hs_live old;
	if (hs_livemap_take(&p->live, addr, &old)) {
		/* Only possible in a corrupt trace: keep the accounting sane. */
		h->live_bytes -= old.size;
		h->live_blocks--;
		if (old.stack < p->nstacks) {
			touch(p, &p->sites[old.stack]);
			p->sites[old.stack].live -= old.size;
		}
	}
	hs_livemap_put(&p->live, addr, size, (uint32_t)stack);
	h->live_bytes += size;
	h->live_blocks++;
	h->total_bytes += size;
	struct hs_site *s = &p->sites[stack];
	touch(p, s);
	s->allocations++;
	s->bytes += size;
	s->waste += slot_bytes(p, size) - size;
	s->live += size;
	if (s->live > s->peak)
		s->peak = s->live;
	if (h->live_bytes > h->peak_bytes) {
		h->peak_bytes = h->live_bytes;
		h->peak_blocks = h->live_blocks;
		h->peak_time_ms = 0; /* set by the caller, who knows the time */
		p->peak_version++;
	}
}

static int account_free(struct hs_process *p, uint64_t addr)
{
	struct hs_live old;
	if (!hs_livemap_take(&p->live, addr, &old)) {
		p->heap.unknown_frees++;
		return 0;
	}
	p->heap.live_bytes -= old.size;
	p->heap.live_blocks--;
	touch(p, &p->sites[old.stack]);
	p->sites[old.stack].live -= old.size;
	return 1;
}

static void on_event(const struct hs_event *ev, void *ctx)
{
	struct hs_process *p = ctx;
	struct hs_heap_stats *h = &p->heap;
	uint64_t before_peak = h->peak_bytes;
	switch (ev->kind) {
	case HS_EVENT_ALLOC:
		h->allocations++;
		account_alloc(p, ev->addr, ev->size, ev->stack);
		break;
	case HS_EVENT_FREE:
		h->frees++;
		account_free(p, ev->addr);
		break;
	case HS_EVENT_REALLOC:
		/* an allocation and a free, as valgrind counts it: allocations
		 * minus frees is then what is in use */
		h->allocations++;
		if (ev->old)
			h->frees++;
		h->reallocs++;
		account_free(p, ev->old);
		account_alloc(p, ev->addr, ev->size, ev->stack);
		break;
	}
	if (h->peak_bytes != before_peak)
		h->peak_time_ms = ev->t_ms;
	if (ev->t_ms > h->duration_ms)
		h->duration_ms = ev->t_ms;
	h->events++;
	hs_timeline_add(&p->timeline, ev, h);
}

static int decode_leaks(struct hs_process *p, struct hs_cursor *c)
{
	struct hs_leak_scan l = {0};
	l.trigger = (unsigned)hs_cur_varint(c);
	l.live_blocks = hs_cur_varint(c);
	l.threads = hs_cur_varint(c);
	l.unscanned_threads = hs_cur_varint(c);
	uint64_t n = hs_cur_varint(c);
	if (c->bad || n > (uint64_t)(c->end - c->p))
		return -1;
	l.groups = calloc(n ? n : 1, sizeof *l.groups);
	if (!l.groups)
		return -1;
	for (uint64_t i = 0; i < n && !c->bad; i++) {
		struct hs_leak_group *g = &l.groups[l.ngroups];
		g->kind = (unsigned)hs_cur_varint(c);
		uint64_t stack = hs_cur_varint(c);
		g->api = (unsigned)hs_cur_varint(c);
		g->blocks = hs_cur_varint(c);
		g->bytes = hs_cur_varint(c);
		if (g->kind >= HS_LEAK_KINDS || stack >= HS_MAX_STACKS)
			c->bad = 1;
		g->stack = (uint32_t)stack;
		l.ngroups += !c->bad;
	}
	if (c->bad) {
		free(l.groups);
		return -1;
	}
	/* An on-demand scan never replaces the one at exit. */
	if (p->leaks.present && p->leaks.trigger == HS_LEAKCHECK_EXIT && l.trigger != HS_LEAKCHECK_EXIT) {
		free(l.groups);
		return 0;
	}
	free(p->leaks.groups);
	p->leaks = l;
	p->leaks.present = 1;
	return 0;
}

static int decode_error(struct hs_process *p, struct hs_cursor *c)
{
	struct hs_error_rec e = {0};
	e.kind = (unsigned)hs_cur_varint(c);
	e.access = (unsigned)hs_cur_varint(c);
	e.size = hs_cur_varint(c);
	e.addr = hs_cur_varint(c);
	e.detected = (unsigned)hs_cur_varint(c);
	e.region = (unsigned)hs_cur_varint(c);
	e.api = (unsigned)hs_cur_varint(c);
	e.alloc_api = (unsigned)hs_cur_varint(c);
	e.free_api = (unsigned)hs_cur_varint(c);
	e.has_block = hs_cur_varint(c) != 0;
	if (e.has_block) {
		e.block_start = hs_cur_varint(c);
		e.block_size = hs_cur_varint(c);
		e.offset = hs_cur_zigzag(c);
	}
	uint64_t as = hs_cur_varint(c), fs = hs_cur_varint(c);
	e.tid = hs_cur_varint(c);
	uint64_t n = hs_cur_varint(c);
	if (c->bad || n > 256 || as >= HS_MAX_STACKS || fs >= HS_MAX_STACKS || e.kind >= HS_ERR_KINDS)
		return -1;
	e.alloc_stack = (uint32_t)as;
	e.free_stack = (uint32_t)fs;
	e.frames = calloc(n ? n : 1, sizeof *e.frames);
	if (!e.frames)
		return -1;
	for (uint64_t i = 0; i < n; i++)
		e.frames[i] = hs_cur_varint(c);
	e.nframes = (uint32_t)n;
	e.map = p->nmaps ? (uint32_t)(p->nmaps - 1) : UINT32_MAX;
	if (c->bad) {
		free(e.frames);
		return -1;
	}
	if (p->nerrors >= HS_MAX_ERRORS) {
		p->errors_dropped++;
		free(e.frames);
		return 0;
	}
	if (p->nerrors == p->errcap) {
		size_t nc = p->errcap ? p->errcap * 2 : 16;
		struct hs_error_rec *ne = realloc(p->errors, nc * sizeof *ne);
		if (!ne) {
			free(e.frames);
			return -1;
		}
		p->errors = ne;
		p->errcap = nc;
	}
	p->errors[p->nerrors++] = e;
	return 0;
}

static int decode_guard(struct hs_process *p, struct hs_cursor *c)
{
	struct hs_guard_info g = {0};
	g.guarded = hs_cur_varint(c);
	g.budget = hs_cur_varint(c);
	g.budget_exhausted = hs_cur_varint(c) != 0;
	g.map_failed = hs_cur_varint(c) != 0;
	g.peak_live = hs_cur_varint(c);
	if (c->bad)
		return -1;
	g.present = 1;
	p->guard = g;
	return 0;
}

static int decode_exit(struct hs_process *p, struct hs_cursor *c)
{
	p->exit.how = (unsigned)hs_cur_varint(c);
	p->exit.value = hs_cur_varint(c);
	p->exit.leak_check = (int)hs_cur_varint(c);
	size_t n;
	const uint8_t *s = hs_cur_bytes(c, &n);
	if (n >= sizeof p->exit.reason)
		n = sizeof p->exit.reason - 1;
	memcpy(p->exit.reason, s, n);
	p->exit.reason[n] = 0;
	p->exit.present = !c->bad;
	return c->bad ? -1 : 0;
}

int hs_process_load(struct hs_process *p, const char *path, char *err, size_t errlen,
		    void (*progress)(uint64_t, uint64_t))
{
	memset(p, 0, sizeof *p);
	p->path = path;
	hs_livemap_init(&p->live);
	if (ensure_stack(p, 0) != 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	struct hs_reader r;
	if (hs_reader_open(&r, path) != 0) {
		snprintf(err, errlen, "%s", r.error);
		return -1;
	}
	p->version = r.version;
	struct hs_event_state st = {.on_stack = on_stack};
	struct hs_record rec;
	int rc;
	uint64_t next_progress = 64u << 20;
	while ((rc = hs_reader_next(&r, &rec)) == 1) {
		struct hs_cursor c = {rec.data, rec.data + rec.len, 0};
		int bad = 0;
		switch (rec.type) {
		case HS_REC_INFO:
			bad = decode_info(p, &c);
			break;
		case HS_REC_MODULES:
			bad = decode_modules(p, &c);
			break;
		case HS_REC_STACK:
		case HS_REC_STACK_REF:
			bad = decode_stack(p, &c, rec.type == HS_REC_STACK_REF);
			break;
		case HS_REC_EVENTS:
			bad = hs_events_decode(&c, &st, on_event, p);
			p->corrupt_records += st.stacks_bad;
			st.stacks_bad = 0;
			if (st.ms > p->heap.duration_ms)
				p->heap.duration_ms = st.ms;
			break;
		case HS_REC_EXIT:
			bad = decode_exit(p, &c);
			break;
		case HS_REC_LEAKS:
			bad = decode_leaks(p, &c);
			break;
		case HS_REC_ERROR:
			bad = decode_error(p, &c);
			break;
		case HS_REC_GUARD:
			bad = decode_guard(p, &c);
			break;
		case HS_REC_SNAPSHOT:
			if (!p->snaps)
				p->snaps = hs_snapshots_new();
			bad = p->snaps ? hs_snapshots_add(p->snaps, &c) : -1;
			break;
		default:
			break; /* a newer record type: skipped by its length */
		}
		if (bad)
			p->corrupt_records++;
		if (progress && r.offset >= next_progress) {
			progress(r.offset, r.size);
			next_progress = r.offset + (64u << 20);
		}
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s", r.error);
		hs_reader_close(&r);
		return -1;
	}
	p->truncated = r.truncated;
	p->valid_bytes = r.offset;
	/* sites that never allocated have nothing to remember, and a few high
	 * ids must not make every page between them resident */
	for (uint32_t i = 0; i < p->nstacks; i++)
		if (p->sites[i].allocations)
			touch(p, &p->sites[i]);
	hs_timeline_end(&p->timeline, p->heap.duration_ms, &p->heap);
	hs_reader_close(&r);
	if (!p->has_info) {
		snprintf(err, errlen, "%s: trace has no process information (truncated at byte %llu)",
			 path, (unsigned long long)p->valid_bytes);
		return -1;
	}
	return 0;
}

char *hs_trace_options(const char *path)
{
	struct hs_reader r;
	if (hs_reader_open(&r, path) != 0)
		return NULL;
	struct hs_process p;
	memset(&p, 0, sizeof p);
	struct hs_record rec;
	char *opts = NULL;
	/* INFO is the first record; a few more are looked at for a writer
	 * that put something else first */
	for (int i = 0; i < 4 && hs_reader_next(&r, &rec) == 1; i++)
		if (rec.type == HS_REC_INFO) {
			struct hs_cursor c = {rec.data, rec.data + rec.len, 0};
			if (decode_info(&p, &c) == 0) {
				opts = p.options;
				p.options = NULL;
			}
			break;
		}
	hs_reader_close(&r);
	hs_process_free(&p);
	return opts;
}

void hs_process_free(struct hs_process *p)
{
	free(p->exe);
	for (size_t i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	free(p->options);
	for (size_t i = 0; i < p->nmodules; i++) {
		free(p->modules[i].path);
		free(p->modules[i].build_id);
		free(p->modules[i].seg);
	}
	free(p->modules);
	for (size_t i = 0; i < p->nmaps; i++)
		free(p->maps[i].mods);
	free(p->maps);
	for (uint32_t i = 0; i < p->nstacks; i++)
		free(p->stacks[i].frames);
	free(p->stacks);
	free(p->sites);
	free(p->leaks.groups);
	hs_timeline_free(&p->timeline);
	hs_snapshots_free(p->snaps);
	for (size_t i = 0; i < p->nerrors; i++)
		free(p->errors[i].frames);
	free(p->errors);
	hs_livemap_free(&p->live);
}

struct hs_module *hs_process_module_at(struct hs_process *p, uint32_t map, uint64_t addr)
{
	if (map >= p->nmaps)
		return NULL;
	struct hs_modmap *m = &p->maps[map];
	for (size_t i = 0; i < m->n; i++) {
		struct hs_module *mod = &p->modules[m->mods[i]];
		if (addr < mod->lo || addr >= mod->hi)
			continue;
		for (unsigned k = 0; k < mod->nseg; k++) {
			uint64_t a = mod->base + mod->seg[k].vaddr;
			if (addr >= a && addr < a + mod->seg[k].memsz)
				return mod;
		}
	}
	return NULL;
}
