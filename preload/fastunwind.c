/* fastunwind.c — the stack capture's fast path: x86-64 frames unwound from
 * their DWARF call-frame information (.eh_frame), the rule for each return
 * address computed once and cached; libgcc's unwinder does every capture
 * this one cannot (see hs_fast_backtrace and capture.c).
 *
 * Why: libunwind's unw_backtrace costs ~14 ns per frame even when its cache
 * is hot (a 256 KiB hash table: cache misses), and every frame it has not
 * seen costs system calls; a compiler's allocations are 25 frames deep. A
 * rule here is (CFA = rsp or rbp + offset, return address and saved rbp at
 * fixed offsets from the CFA): one cache probe and two loads per frame.
 *
 * What it handles, and it must give exactly libunwind's answer there (the
 * unit test compares both on many stacks): frames whose CFI defines the CFA
 * from rsp or rbp and saves the return address and rbp at constant offsets
 * — what compilers emit for ordinary functions, with or without frame
 * pointers, alloca and shrink-wrapping. Everything else — no object or no
 * FDE for an address (JIT code), signal frames, DWARF expressions, a CFA
 * from another register (stack realignment), a frame outside the thread's
 * stack (sigaltstack, coroutines) — makes hs_fast_backtrace return -1 and
 * the caller use another unwinder for the whole capture.
 *
 * Safety: every read is of the current thread's stack, between the stack
 * pointer and the stack's top, and each frame's CFA must be above the last
 * one; objects are found with _dl_find_object (lock-free, made for
 * unwinders), so an unloaded library's tables are never read. The rule
 * cache is one table shared by the threads, written without a lock: an
 * entry is a key and a packed rule, each one word; a reader loads the key,
 * the rule, then the key again, and a changed key is a miss (see struct
 * table for its probing). dlclose
 * empties it (an address may then belong to another object). In
 * front of it each thread keeps a small table of its own, and its last
 * walks, step by step: a walk that would start from the same place and
 * read the same words is answered from there, and one that reaches a frame
 * of the last walk with the same registers takes the rest from it if the
 * words that walk read from there are unchanged.
 *
 * Where it starts: the caller of malloc (or new, free…), from the
 * registers saved in the entry point's own frame (interpose.c keeps frame
 * pointers for that), so heapscope's own frames are never walked; or, with
 * no such frame, the walker's own frame, those frames dropped afterwards.
 */
#define _GNU_SOURCE
#include "fastunwind.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "hs_internal.h"
#include "lock.h"
#include "pages.h"

enum { REG_RBP = 6, REG_RSP = 7, REG_RA = 16 };

/* A rule, packed in one word: cfa_off (32 bits), rbp_off (16, NO_SAVE when
 * rbp is not saved in the frame), ra_off (8), cfa from rbp (1), kind (2). */
enum kind { K_NONE = 0, K_OK = 1, K_END = 2, K_FAIL = 3 };
#define NO_SAVE INT16_MIN

struct rule {
	int32_t cfa_off;
	int16_t rbp_off;
	int8_t ra_off;
	uint8_t cfa_rbp;
	uint8_t kind;
};

static uint64_t pack_rule(struct rule r)
{
	return (uint64_t)(uint32_t)r.cfa_off | (uint64_t)(uint16_t)r.rbp_off << 32 | (uint64_t)(uint8_t)r.ra_off << 48 |
	       (uint64_t)(r.cfa_rbp & 1) << 56 | (uint64_t)(r.kind & 3) << 57;
}

/* The fields of a packed rule: what the walk reads. */
static inline int32_t r_cfa_off(uint64_t v) { return (int32_t)(uint32_t)v; }
static inline int16_t r_rbp_off(uint64_t v) { return (int16_t)(uint16_t)(v >> 32); }
static inline int8_t r_ra_off(uint64_t v) { return (int8_t)(uint8_t)(v >> 48); }
static inline int r_cfa_rbp(uint64_t v) { return (int)((v >> 56) & 1); }
static inline unsigned r_kind(uint64_t v) { return (unsigned)((v >> 57) & 3); }

/* ---- the rule cache -------------------------------------------------------- */

struct slot {
	uintptr_t pc; /* 0: empty */
	uint64_t rule;
};

/* Open addressing, linear probing from slot_of(pc), at most MAX_PROBE slots;
 * slots are only ever filled (a dlclose empties the whole table), so an
 * empty slot ends a search. Kept at most half full: a short process's few
 * hundred rules stay in the first table's four pages, and a compiler's
 * thousands in a table a quarter the size a direct-mapped one needed for
 * the same misses. */
struct table {
	uint32_t mask;
	uint32_t used; /* approximate: racy increments */
	struct slot slot[];
};

#define FIRST_SLOTS 1024u /* 16 KiB: what a short process needs */
#define MAX_SLOTS (1u << 20)
#define MAX_PROBE 16u

static struct table *table;
static hs_lock_t table_lock;
static hs_lock_t resume_lock; /* the CFA runs to resume (see compute) */
static hs_lock_t tc_lock;     /* the free list of thread caches (struct thread_caches) */

static struct table *new_table(uint32_t n)
{
	struct table *t = hs_pages_map_internal(sizeof *t + (size_t)n * sizeof t->slot[0], HS_PAGES_POPULATE);
	if (t)
		t->mask = n - 1;
	return t;
}

static uint32_t slot_of(uintptr_t pc, uint32_t mask)
{
	return (uint32_t)((pc * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

static int cache_get(struct table *t, uintptr_t pc, uint64_t *out)
{
	uint32_t mask = t->mask, i = slot_of(pc, mask);
	for (unsigned probe = 0; probe < MAX_PROBE; probe++, i = (i + 1) & mask) {
		struct slot *s = &t->slot[i];
		uintptr_t k = __atomic_load_n(&s->pc, __ATOMIC_ACQUIRE);
		if (k == 0)
			return 0;
		if (k != pc)
			continue;
		uint64_t v = __atomic_load_n(&s->rule, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&s->pc, __ATOMIC_ACQUIRE) != pc)
			return 0;
		*out = v;
		return r_kind(v) != K_NONE;
	}
	return 0;
}

#define BUSY UINTPTR_MAX /* a slot being written: a miss for readers */

/* Claim the first empty slot on pc's path, or find pc there already; 0 if
 * the path is full. Two writers never share a slot: a claim is a CAS of an
 * empty slot to BUSY, then the rule, then the pc. */
static int put_slot(struct table *t, uintptr_t pc, uint64_t rule)
{
	uint32_t mask = t->mask, i = slot_of(pc, mask);
	for (unsigned probe = 0; probe < MAX_PROBE; probe++, i = (i + 1) & mask) {
		struct slot *s = &t->slot[i];
		uintptr_t old = __atomic_load_n(&s->pc, __ATOMIC_ACQUIRE);
		if (old == pc)
			return 0; /* another thread's, the same rule */
		if (old != 0 || !__atomic_compare_exchange_n(&s->pc, &old, BUSY, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue; /* taken (a racing claim may leave a duplicate further on: harmless) */
		__atomic_store_n(&s->rule, rule, __ATOMIC_RELEASE);
		__atomic_store_n(&s->pc, pc, __ATOMIC_RELEASE);
		return 1;
	}
	return 0;
}

static void cache_put(struct table *t, uintptr_t pc, uint64_t rule)
{
	if (!put_slot(t, pc, rule))
		return;
	/* A table half full is replaced by one four times larger (a cache: a
	 * rule put into the old one meanwhile is only computed again). */
	if (__atomic_add_fetch(&t->used, 1, __ATOMIC_RELAXED) > (t->mask + 1) / 2 && t->mask + 1 < MAX_SLOTS &&
	    hs_trylock(&table_lock)) {
		if (__atomic_load_n(&table, __ATOMIC_ACQUIRE) == t) {
			struct table *n = new_table((t->mask + 1) * 4);
			if (n) {
				for (uint32_t i = 0; i <= t->mask; i++) {
					uintptr_t k = __atomic_load_n(&t->slot[i].pc, __ATOMIC_ACQUIRE);
					uint64_t v = __atomic_load_n(&t->slot[i].rule, __ATOMIC_ACQUIRE);
					if (k && k != BUSY && k == __atomic_load_n(&t->slot[i].pc, __ATOMIC_ACQUIRE))
						n->used += (uint32_t)put_slot(n, k, v);
				}
				__atomic_store_n(&table, n, __ATOMIC_RELEASE);
			}
		}
		hs_unlock(&table_lock);
	}
}

/* This thread's counts (hs_fast_unwind_counts). */
static __thread struct hs_fast_counts tl_counts HS_TLS;

/* Bumped when the rules are forgotten, the first table's making included
 * (so 1 at any walk): the per-thread caches and the remembered walks are
 * tagged with it. */
static uint32_t generation;

void hs_fast_unwind_forget(void)
{
	hs_lock(&table_lock);
	struct table *t = __atomic_load_n(&table, __ATOMIC_ACQUIRE);
	if (!t) {
		__atomic_store_n(&table, new_table(FIRST_SLOTS), __ATOMIC_RELEASE);
	} else {
		/* emptied in place (a new table per dlclose would grow without
		 * end in a program that loads and unloads plugins): the pages
		 * go back to the kernel and read as zeros, empty slots; a
		 * reader meanwhile finds mask 0, slot 0, empty */
		uint32_t mask = t->mask;
		hs_pages_decommit(t, sizeof *t + ((size_t)mask + 1) * sizeof t->slot[0]);
		t->mask = mask;
	}
	__atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
	hs_unlock(&table_lock);
}

/* ---- reading .eh_frame ------------------------------------------------------ */

struct rd {
	const uint8_t *p, *end;
	int bad;
};

/* ULEB128 is the trace format's varint. */
static uint64_t rd_uleb(struct rd *r)
{
	uint64_t v = 0;
	if (hs_get_varint(&r->p, r->end, &v) != 0)
		r->bad = 1;
	return v;
}

static int64_t rd_sleb(struct rd *r)
{
	int64_t v = 0;
	unsigned shift = 0;
	for (; r->p < r->end && shift < 64; shift += 7) {
		uint8_t b = *r->p++;
		v |= (int64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (shift + 7 < 64 && (b & 0x40))
				v |= -((int64_t)1 << (shift + 7));
			return v;
		}
	}
	r->bad = 1;
	return 0;
}

static uint64_t rd_fixed(struct rd *r, unsigned n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return 0;
	}
	uint64_t v = 0;
	memcpy(&v, r->p, n); /* little-endian */
	r->p += n;
	return v;
}

/* A pointer in DW_EH_PE encoding `enc` (pcrel, datarel from `data`,
 * absolute; no indirection). */
static uintptr_t rd_ptr(struct rd *r, uint8_t enc, uintptr_t data)
{
	if (enc == 0xff)
		return 0;
	uintptr_t at = (uintptr_t)r->p;
	uint64_t v;
	switch (enc & 0x0f) {
	case 0x00: v = rd_fixed(r, 8); break;
	case 0x01: v = rd_uleb(r); break;
	case 0x02: v = rd_fixed(r, 2); break;
	case 0x03: v = rd_fixed(r, 4); break;
	case 0x04: v = rd_fixed(r, 8); break;
	case 0x09: v = (uint64_t)rd_sleb(r); break;
	case 0x0a: v = (uint64_t)(int64_t)(int16_t)rd_fixed(r, 2); break;
	case 0x0b: v = (uint64_t)(int64_t)(int32_t)rd_fixed(r, 4); break;
	case 0x0c: v = rd_fixed(r, 8); break;
	default: r->bad = 1; return 0;
	}
	switch (enc & 0x70) {
	case 0x00: break;
	case 0x10: v += at; break;
	case 0x30: v += data; break;
	default: r->bad = 1; return 0;
	}
	if (enc & 0x80)
		r->bad = 1; /* indirect: not for code addresses */
	return (uintptr_t)v;
}

/* The FDE covering pc, from the object's .eh_frame_hdr search table; 0 if
 * none. */
static const uint8_t *find_fde(const uint8_t *hdr, uintptr_t pc)
{
	if (hdr[0] != 1 || hdr[3] != 0x3b) /* version 1, table of datarel sdata4 */
		return NULL;
	struct rd r = {hdr + 4, hdr + 4 + 16, 0};
	rd_ptr(&r, hdr[1], (uintptr_t)hdr); /* eh_frame_ptr */
	uint64_t count = rd_ptr(&r, hdr[2], (uintptr_t)hdr);
	if (r.bad || count == 0)
		return NULL;
	const int32_t *tab = (const int32_t *)(const void *)r.p; /* pairs: initial_loc, fde */
	int32_t rel = (int32_t)((intptr_t)pc - (intptr_t)hdr);
	if ((intptr_t)pc - (intptr_t)hdr != rel || rel < tab[0])
		return NULL;
	uint64_t lo = 0, hi = count;
	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;
		if (tab[2 * mid] <= rel)
			lo = mid;
		else
			hi = mid;
	}
	return hdr + tab[2 * lo + 1];
}

struct cie {
	const uint8_t *insns, *end;
	uint64_t code_align;
	int64_t data_align;
	uint64_t ra_reg;
	uint8_t fde_enc;
	int has_z, signal;
};

static int parse_cie(const uint8_t *p, struct cie *c)
{
	uint32_t len;
	memcpy(&len, p, 4);
	if (len == 0 || len == 0xffffffffu)
		return -1;
	struct rd r = {p + 4, p + 4 + len, 0};
	if (rd_fixed(&r, 4) != 0) /* CIE id */
		return -1;
	unsigned version = (unsigned)rd_fixed(&r, 1);
	if (version != 1 && version != 3)
		return -1;
	const char *aug = (const char *)r.p;
	size_t alen = strnlen(aug, (size_t)(r.end - r.p));
	r.p += alen + 1;
	c->code_align = rd_uleb(&r);
	c->data_align = rd_sleb(&r);
	c->ra_reg = version == 1 ? rd_fixed(&r, 1) : rd_uleb(&r);
	c->fde_enc = 0; /* absptr */
	c->has_z = aug[0] == 'z';
	c->signal = 0;
	if (c->has_z) {
		uint64_t dlen = rd_uleb(&r);
		const uint8_t *dend = r.p + dlen;
		for (size_t i = 1; i < alen && !r.bad; i++) {
			switch (aug[i]) {
			case 'R': c->fde_enc = (uint8_t)rd_fixed(&r, 1); break;
			case 'L': rd_fixed(&r, 1); break;
			case 'P': {
				uint8_t enc = (uint8_t)rd_fixed(&r, 1);
				struct rd skip = r;
				rd_ptr(&skip, (uint8_t)(enc & 0x7f), 0); /* its size only */
				r.p = skip.p;
				r.bad |= skip.bad;
				break;
			}
			case 'S': c->signal = 1; break;
			default: return -1;
			}
		}
		if (r.bad || dend > r.end)
			return -1;
		r.p = dend;
	} else if (alen) {
		return -1;
	}
	c->insns = r.p;
	c->end = r.end;
	return r.bad ? -1 : 0;
}

/* The CFA program's state: what unwinding needs of it. */
struct regs {
	int cfa_reg;
	int64_t cfa_off;
	int ra_saved, rbp_saved;
	int64_t ra_off, rbp_off;
	int ra_undef;
};

#define STATE_DEPTH 8

/* A run of an FDE's program, resumable: p is the next instruction, loc the
 * address the state applies from; the remember_state stack is part of it,
 * stack[0..depth) in use (0 <= depth <= STATE_DEPTH). */
struct cfa_run {
	const uint8_t *p, *end;
	uintptr_t loc;
	struct regs st;
	int depth;
	struct regs stack[STATE_DEPTH];
};

/* Run the instructions from run->p while the location is <= pc: 0 and
 * *done when an advance would pass pc (run->p is then that advance, so the
 * run resumes there for a later pc), 0 at the program's end, or -1 for what
 * this unwinder does not handle. initial: the CIE's state (NULL while
 * running the CIE's own program). */
static int run_cfa(struct cfa_run *run, const struct cie *c, uintptr_t pc, const struct regs *initial, int *done)
{
	struct regs *st = &run->st;
	struct rd r = {run->p, run->end, 0};
	while (r.p < r.end && !r.bad) {
		const uint8_t *insn = r.p;
		uint8_t op = *r.p++;
		uint64_t reg = 0;
		int64_t off = 0;
		uint64_t delta = 0;
		switch (op & 0xc0) {
		case 0x40:
			delta = (op & 0x3f) * c->code_align;
			goto advance;
		case 0x80:
			reg = op & 0x3f;
			off = (int64_t)rd_uleb(&r) * c->data_align;
			goto offset;
		case 0xc0:
			reg = op & 0x3f;
			goto restore;
		}
		switch (op) {
		case 0x00: /* nop */
			continue;
		case 0x02:
			delta = rd_fixed(&r, 1) * c->code_align;
			goto advance;
		case 0x03:
			delta = rd_fixed(&r, 2) * c->code_align;
			goto advance;
		case 0x04:
			delta = rd_fixed(&r, 4) * c->code_align;
			goto advance;
		case 0x05: /* offset_extended */
			reg = rd_uleb(&r);
			off = (int64_t)rd_uleb(&r) * c->data_align;
			goto offset;
		case 0x06: /* restore_extended */
			reg = rd_uleb(&r);
			goto restore;
		case 0x07: /* undefined */
			reg = rd_uleb(&r);
			if (reg == REG_RA)
				st->ra_undef = 1;
			else if (reg == REG_RBP)
				return -1;
			continue;
		case 0x08: /* same_value */
			reg = rd_uleb(&r);
			if (reg == REG_RBP)
				st->rbp_saved = 0;
			else if (reg == REG_RA)
				return -1;
			continue;
		case 0x09: /* register */
			reg = rd_uleb(&r);
			rd_uleb(&r);
			if (reg == REG_RA || reg == REG_RBP)
				return -1;
			continue;
		case 0x0a: /* remember_state */
			if (run->depth == STATE_DEPTH)
				return -1;
			run->stack[run->depth++] = *st;
			continue;
		case 0x0b: /* restore_state */
			if (run->depth == 0)
				return -1;
			*st = run->stack[--run->depth];
			continue;
		case 0x0c: /* def_cfa */
			st->cfa_reg = (int)rd_uleb(&r);
			st->cfa_off = (int64_t)rd_uleb(&r);
			continue;
		case 0x0d: /* def_cfa_register */
			st->cfa_reg = (int)rd_uleb(&r);
			continue;
		case 0x0e: /* def_cfa_offset */
			st->cfa_off = (int64_t)rd_uleb(&r);
			continue;
		case 0x11: /* offset_extended_sf */
			reg = rd_uleb(&r);
			off = rd_sleb(&r) * c->data_align;
			goto offset;
		case 0x12: /* def_cfa_sf */
			st->cfa_reg = (int)rd_uleb(&r);
			st->cfa_off = rd_sleb(&r) * c->data_align;
			continue;
		case 0x13: /* def_cfa_offset_sf */
			st->cfa_off = rd_sleb(&r) * c->data_align;
			continue;
		case 0x10: /* expression */
		case 0x16: /* val_expression */
			reg = rd_uleb(&r);
			delta = rd_uleb(&r);
			if (reg == REG_RA || reg == REG_RBP || delta > (uint64_t)(r.end - r.p))
				return -1;
			r.p += delta;
			continue;
		case 0x14: /* val_offset */
		case 0x15: /* val_offset_sf */
			reg = rd_uleb(&r);
			if (op == 0x14)
				rd_uleb(&r);
			else
				rd_sleb(&r);
			if (reg == REG_RA || reg == REG_RBP)
				return -1;
			continue;
		case 0x2e: /* GNU_args_size */
			rd_uleb(&r);
			continue;
		case 0x2f: /* GNU_negative_offset_extended */
			reg = rd_uleb(&r);
			off = -(int64_t)rd_uleb(&r) * c->data_align;
			goto offset;
		default: /* set_loc, def_cfa_expression, vendor extensions */
			return -1;
		}
	advance:
		if (r.bad)
			return -1;
		if (run->loc + delta > pc) {
			run->p = insn;
			*done = 1;
			return 0;
		}
		run->loc += delta;
		continue;
	offset:
		if (reg == REG_RA) {
			st->ra_saved = 1;
			st->ra_undef = 0;
			st->ra_off = off;
		} else if (reg == REG_RBP) {
			st->rbp_saved = 1;
			st->rbp_off = off;
		}
		continue;
	restore:
		if (!initial)
			return -1; /* restore inside the CIE itself */
		if (reg == REG_RA) {
			st->ra_saved = initial->ra_saved;
			st->ra_undef = initial->ra_undef;
			st->ra_off = initial->ra_off;
		} else if (reg == REG_RBP) {
			st->rbp_saved = initial->rbp_saved;
			st->rbp_off = initial->rbp_off;
		}
		continue;
	}
	run->p = r.p;
	return r.bad ? -1 : 0;
}

/* An FDE found for an address, ready to run: its object's .eh_frame_hdr,
 * its CIE parsed, the range of code it covers, its own instructions. */
struct fde_info {
	const uint8_t *hdr, *fde;
	struct cie c;
	uintptr_t start, range;
	const uint8_t *insns, *end;
};

/* The FDE covering pc in the object fo (the loader's), from the object's
 * .eh_frame_hdr search table; -1 if none or not for us. */
static int locate(uintptr_t pc, const struct dl_find_object *fo, struct fde_info *fi)
{
	const uint8_t *fde = find_fde(fo->dlfo_eh_frame, pc);
	if (!fde)
		return -1;
	uint32_t len, cie_off;
	memcpy(&len, fde, 4);
	memcpy(&cie_off, fde + 4, 4);
	if (len == 0 || len == 0xffffffffu || cie_off == 0)
		return -1;
	if (parse_cie(fde + 4 - cie_off, &fi->c) != 0 || fi->c.signal || fi->c.ra_reg != REG_RA)
		return -1;
	struct rd r = {fde + 8, fde + 4 + len, 0};
	fi->start = rd_ptr(&r, fi->c.fde_enc, 0);
	fi->range = rd_ptr(&r, (uint8_t)(fi->c.fde_enc & 0x0f), 0);
	if (r.bad || pc < fi->start || pc - fi->start >= fi->range)
		return -1;
	if (fi->c.has_z) {
		uint64_t alen = rd_uleb(&r);
		if (r.bad || alen > (uint64_t)(r.end - r.p))
			return -1;
		r.p += alen;
	}
	fi->hdr = fo->dlfo_eh_frame;
	fi->fde = fde;
	fi->insns = r.p;
	fi->end = r.end;
	return 0;
}

/* Where the last run of each of a few recent FDEs stopped: a compiler's
 * large functions have CFA programs of hundreds of bytes (pushes, pops and
 * remember/restore around every early return), and each of their call
 * sites' rules is computed once, in no order. A later pc at or past where
 * a run stopped resumes it there instead of running the program from its
 * start (cc1: 6,100 rules over 2,100 FDEs took 1.3 MB of CFA instructions
 * from the start). A pc inside the code an FDE here covers is its, when
 * the loader still has the same object there (its .eh_frame_hdr, and the
 * FDE inside its mapping: an object glibc unloads itself, past our dlclose,
 * leaves a slot behind) in the same generation of rules, so the binary
 * search of .eh_frame_hdr, cache misses in a large program, is skipped.
 * Slots are taken in turn; `covers` repeats each slot's code range,
 * packed, for the search by pc. One thread at a time (trylock: another
 * computes from the start meanwhile). */
#define RESUME_SLOTS 16
struct resume {
	struct fde_info fi; /* fi.fde NULL: an empty slot */
	uint32_t gen;
	struct regs initial;
	struct cfa_run run;
};
static struct {
	struct resume slot[RESUME_SLOTS];
	struct {
		uintptr_t lo, hi;
	} covers[RESUME_SLOTS];
	unsigned next; /* the slot a new FDE replaces: the oldest taken */
} *resume_tab;      /* under resume_lock */
static int resume_off; /* its mapping failed: not tried again */

static struct resume *resume_find(uintptr_t pc, uint32_t gen, const struct dl_find_object *fo)
{
	for (unsigned i = 0; i < RESUME_SLOTS; i++) {
		const struct resume *s = &resume_tab->slot[i];
		if (pc - resume_tab->covers[i].lo < resume_tab->covers[i].hi - resume_tab->covers[i].lo &&
		    s->gen == gen && s->fi.fde && s->fi.hdr == fo->dlfo_eh_frame &&
		    (uintptr_t)s->fi.fde >= (uintptr_t)fo->dlfo_map_start && (uintptr_t)s->fi.end <= (uintptr_t)fo->dlfo_map_end)
			return &resume_tab->slot[i];
	}
	return NULL;
}

/* A resume record whole but for the remember_state entries past the run's
 * depth (mostly none): the whole record is 600 bytes, and copying it in
 * and out was a tenth of computing a rule. */
static void resume_copy(struct resume *to, const struct resume *from)
{
	_Static_assert(offsetof(struct resume, run.stack) + sizeof from->run.stack == sizeof *from,
		       "the state stack ends the record");
	memcpy(to, from, offsetof(struct resume, run.stack) + (size_t)from->run.depth * sizeof from->run.stack[0]);
}

/* Keep r (a run that succeeded) in its slot, or in the oldest one when its
 * FDE had none. Under resume_lock. */
static void resume_keep(struct resume *slot, const struct resume *r)
{
	if (!slot) {
		unsigned i = resume_tab->next++ % RESUME_SLOTS;
		slot = &resume_tab->slot[i];
		resume_tab->covers[i].lo = r->fi.start;
		resume_tab->covers[i].hi = r->fi.start + r->fi.range;
	}
	resume_copy(slot, r);
}

/* Drop a slot whose run failed. Under resume_lock. */
static void resume_forget(struct resume *slot)
{
	slot->fi.fde = NULL;
	unsigned i = (unsigned)(slot - resume_tab->slot);
	resume_tab->covers[i].lo = resume_tab->covers[i].hi = 0;
}

void hs_fast_unwind_after_fork_child(void)
{
	hs_lock_reset(&table_lock);
	hs_lock_reset(&tc_lock);
	/* A thread of the parent holding the lock at the fork may have left a
	 * slot half copied: no run is the child's to resume then. */
	if (__atomic_load_n(&resume_lock.state, __ATOMIC_RELAXED) && resume_tab)
		memset(resume_tab, 0, sizeof *resume_tab);
	hs_lock_reset(&resume_lock);
}

/* r's run from its FDE's start: the CIE's instructions (its initial state),
 * then the FDE's own from the first; -1 for what this unwinder does not
 * handle. */
static int run_from_start(struct resume *r, uintptr_t pc)
{
	int done = 0;
	r->run = (struct cfa_run){.p = r->fi.c.insns, .end = r->fi.c.end, .loc = r->fi.start, .st = {-1, 0, 0, 0, 0, 0, 0}};
	if (run_cfa(&r->run, &r->fi.c, pc, NULL, &done) != 0 || done)
		return -1;
	r->initial = r->run.st;
	r->run.p = r->fi.insns;
	r->run.end = r->fi.end;
	r->run.depth = 0;
	return 0;
}

/* The rule in force at pc (for a return address: pc - 1, the call). The
 * run is made on a copy, read from the resume cache at the start and kept
 * there at the end. */
static struct rule compute(uintptr_t pc)
{
	struct rule fail = {0, NO_SAVE, 0, 0, K_FAIL};
	uint32_t gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
	tl_counts.computed++;
	/* the loader's object first, always: only a loaded object's tables
	 * are read */
	struct dl_find_object fo;
	if (_dl_find_object((void *)pc, &fo) != 0 || !fo.dlfo_eh_frame)
		return fail;
	int locked = !resume_off && hs_trylock(&resume_lock);
	if (locked && !resume_tab && !(resume_tab = hs_pages_map_internal(sizeof *resume_tab, HS_PAGES_POPULATE))) {
		resume_off = 1;
		hs_unlock(&resume_lock);
		locked = 0;
	}
	struct resume *slot = locked ? resume_find(pc, gen, &fo) : NULL;
	struct resume r;
	int ok;
	if (slot && slot->run.loc <= pc) {
		resume_copy(&r, slot);
		tl_counts.resumed++;
		ok = 1;
	} else if (slot) { /* behind where its run stopped: from the start */
		r.fi = slot->fi;
		ok = run_from_start(&r, pc) == 0;
	} else {
		ok = locate(pc, &fo, &r.fi) == 0 && run_from_start(&r, pc) == 0;
	}
	int done = 0;
	ok = ok && run_cfa(&r.run, &r.fi.c, pc, &r.initial, &done) == 0;
	if (locked) {
		if (ok) {
			r.gen = gen;
			resume_keep(slot, &r);
		} else if (slot) {
			resume_forget(slot);
		}
		hs_unlock(&resume_lock);
	}
	if (!ok)
		return fail;
	const struct regs st = r.run.st;
	struct rule out = {0, NO_SAVE, 0, 0, K_OK};
	if (st.ra_undef) {
		out.kind = K_END;
		return out;
	}
	if ((st.cfa_reg != REG_RSP && st.cfa_reg != REG_RBP) || !st.ra_saved || st.cfa_off < 8 ||
	    st.cfa_off > INT32_MAX || st.ra_off < -128 || st.ra_off > 127 ||
	    (st.rbp_saved && (st.rbp_off <= NO_SAVE || st.rbp_off > INT16_MAX)))
		return fail;
	out.cfa_off = (int32_t)st.cfa_off;
	out.cfa_rbp = st.cfa_reg == REG_RBP;
	out.ra_off = (int8_t)st.ra_off;
	out.rbp_off = st.rbp_saved ? (int16_t)st.rbp_off : NO_SAVE;
	return out;
}

/* In front of the shared table, a small one per thread for the frames its
 * stacks keep going through (main, the event loop, the pass manager): they
 * stay in the L1 cache. Tagged with the generation it was filled in: a
 * walk empties it when the rules were forgotten since (dlclose). The shared
 * table growing into a new one changes no rule. */
#define NEAR_SLOTS 1024u
struct near_table {
	uint32_t gen; /* 0: a new thread's, never filled (generation starts at 1) */
	struct slot slot[NEAR_SLOTS];
};

/* The near table up to date with generation gen (a walk's first step):
 * the walk's loop then needs one compare per frame. */
static void near_check(struct near_table *nt, uint32_t gen)
{
	if (nt->gen != gen) {
		/* a new thread's table is zeros already */
		if (nt->gen)
			memset(nt->slot, 0, sizeof nt->slot);
		nt->gen = gen;
	}
}

/* A near miss: the shared table, else the CFI; the near slot is filled. */
__attribute__((noinline)) static uint64_t rule_slow(struct table *t, uintptr_t pc, struct slot *near)
{
	uint64_t r;
	if (!t || !cache_get(t, pc, &r)) {
		r = pack_rule(compute(pc));
		if (t)
			cache_put(t, pc, r);
	}
	near->pc = pc;
	near->rule = r;
	return r;
}

static inline uint64_t rule_for(struct table *t, struct near_table *nt, uintptr_t pc)
{
	struct slot *near = &nt->slot[slot_of(pc, NEAR_SLOTS - 1)];
	if (__builtin_expect(near->pc == pc, 1))
		return near->rule;
	return rule_slow(t, pc, near);
}

/* ---- the walk ---------------------------------------------------------------- */

/* This thread's stack: [lo, hi). hi 0 until known. */
static __thread uintptr_t tl_stack_lo HS_TLS, tl_stack_hi HS_TLS;
extern void *__libc_stack_end;

/* Set while this thread is inside pthread_getattr_np. glibc's holds the
 * thread's lock while it reallocates its CPU set: a capture there that
 * asked for the stack's bounds (pthread_getattr_np again) waited for
 * itself forever (a JVM's new threads did, at their first allocation). */
static __thread int tl_in_getattr HS_TLS;

HS_EXPORT int pthread_getattr_np(pthread_t th, pthread_attr_t *attr)
{
	static int (*real)(pthread_t, pthread_attr_t *);
	tl_in_getattr++; /* before dlsym too: it may allocate */
	if (!real)
		real = (int (*)(pthread_t, pthread_attr_t *))dlsym(RTLD_NEXT, "pthread_getattr_np");
	int r = real ? real(th, attr) : ENOSYS;
	tl_in_getattr--;
	return r;
}

static int stack_bounds(uintptr_t sp)
{
	if (!tl_stack_hi) {
		if (tl_in_getattr)
			return -1; /* the other unwinder, which needs no bounds */
		if (getpid() == (pid_t)gettid()) {
			/* the main thread: its frames are all below where _start
			 * began; it grows down as far as the rlimit lets it */
			struct rlimit rl;
			uintptr_t room = (uintptr_t)1 << 30;
			if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < room)
				room = (uintptr_t)rl.rlim_cur;
			tl_stack_hi = (uintptr_t)__libc_stack_end;
			tl_stack_lo = tl_stack_hi - room;
		} else {
			pthread_attr_t a;
			void *addr;
			size_t size;
			if (pthread_getattr_np(pthread_self(), &a) != 0)
				return -1;
			int ok = pthread_attr_getstack(&a, &addr, &size) == 0;
			pthread_attr_destroy(&a);
			if (!ok)
				return -1;
			tl_stack_lo = (uintptr_t)addr;
			tl_stack_hi = (uintptr_t)addr + size;
		}
	}
	return sp >= tl_stack_lo && sp < tl_stack_hi ? 0 : -1;
}

/* A walk is a function of its start (stack and frame pointers; the code
 * address is always the same), the rules (fixed until dlclose makes them
 * forgotten: a new generation) and the stack words it reads. So a walk remembered with the
 * words it read is the answer again while those words are unchanged:
 * checking them is independent loads of hot stack lines instead of a
 * dependent chain of rule lookups. Per thread, by starting stack pointer.
 *
 * The same holds from any frame on: the rest of a walk depends only on the
 * registers it reached that frame with (pc, sp, fp) and the words it reads
 * after. A compiler's stacks differ in their inner frames and share the
 * outer ones, so a new walk that reaches a frame of the thread's last walk
 * with the same registers, and finds the words that walk read from there
 * unchanged, takes the rest of its frames from it. */
#define MEMO_WAYS 8
#define MEMO_STEPS 50 /* the default depth's walk: 32 + 16 frames, the walker's own and hs_fast_backtrace's */

/* Where a walk stood at the start of one step: the registers (pc, sp, fp)
 * and where the rule it unwound pc's frame with reads. The step's reads are
 * implied by the next one: the return address at next.sp + ra_off was
 * next.pc, and unless rbp_off is NO_SAVE, the word at next.sp + rbp_off was
 * next.fp. (The rule's offsets unpacked once here: checking them is most of
 * following a walk.)
 *
 * needfp: whether the rest of the walk depends on fp here — a rule of a
 * later step takes its CFA from rbp before another restores rbp from the
 * stack (needfp = cfa_rbp || (rbp_off == NO_SAVE && the next's needfp)).
 * Optimised code keeps data in rbp: the value a frame saved, or the one a
 * walk starts with, changes from call to call while the frames are the
 * same; comparing it where no rule reads it made most of an interpreter's
 * walks (perl's) miss their memo. A walk that stopped at its max counts
 * fp as needed at its end (another may walk on from there). */
struct step {
	uintptr_t pc, sp, fp;
	int32_t rbp_off;
	int16_t ra_off;
	uint8_t cfa_rbp, needfp;
};

/* A remembered walk (valid while nsteps > 0): it started at step[0],
 * the walker's own frame (then step[1] is hs_fast_backtrace's and the
 * frames it gave are the pcs of step[2..]: first 2) or the frame of the
 * entry point's caller (first 0); step[nsteps] is where it stopped, by the
 * stack's end (ended: a rule said so, or a return address 0, then
 * step[nsteps].pc is 0) or by max. */
struct memo {
	uint32_t gen;
	int max, ended, first;
	unsigned nsteps;
	uint64_t seq_id; /* rewrite count << 32 | the caller's stack id (0: none yet) */
	struct step step[MEMO_STEPS + 1];
};

/* A thread's walk caches: its near table and its remembered walks. They
 * are mapped at the thread's first walk, not kept in static TLS: glibc
 * zeroes a library's static TLS for every thread it starts, and these
 * 31 KiB were pages every process and every new thread touched, walking or
 * not (an alloc-only run too). When a thread exits its caches go to a free
 * list for the next thread (their contents stay valid: the near table's
 * rules are the process's, and a remembered walk answers only for the very
 * words it read).
 *
 * memo: MEMO_WAYS entries are found by starting stack pointer (way), one
 * more is the spare a walk is written into: the entry it replaces becomes
 * the spare, so the last walk, which the new one may be following, is
 * never written while read. last is never the spare. */
struct thread_caches {
	struct thread_caches *next_free;
	struct near_table near;
	struct memo memo[MEMO_WAYS + 1];
	uint8_t way[MEMO_WAYS];
	uint8_t spare;
	int8_t last;
};
static __thread struct thread_caches *tl_tc HS_TLS;
static __thread int tl_tc_gone HS_TLS; /* the thread is exiting: no more caches */
static struct thread_caches *tc_free;  /* under tc_lock */

/* A walk's memo token: entry index + 1 << 32 | the entry's rewrite count.
 * The id kept for it is only read or set while the entry still holds that
 * walk: a signal handler's walk between the caller's walk and its use of
 * the token may rewrite the entry (the count then differs). */
static __thread int tl_walking HS_TLS;


void hs_fast_unwind_counts(struct hs_fast_counts *out)
{
	*out = tl_counts;
}

uint32_t hs_fast_memo_get(uint64_t token)
{
	struct thread_caches *tc = tl_tc;
	if (!token || !tc)
		return 0;
	uint64_t v = __atomic_load_n(&tc->memo[(token >> 32) - 1].seq_id, __ATOMIC_RELAXED);
	return (uint32_t)(v >> 32) == (uint32_t)token ? (uint32_t)v : 0;
}

void hs_fast_memo_put(uint64_t token, uint32_t id)
{
	struct thread_caches *tc = tl_tc;
	if (!token || !tc)
		return;
	uint64_t want = (uint64_t)(uint32_t)token << 32;
	/* One instruction: a signal handler cannot come in between. Without
	 * the lock prefix: only this thread writes its memo, and the bus lock
	 * cost more than the rest of the call. */
	__asm__ volatile("cmpxchgq %2, %1"
			 : "+a"(want), "+m"(tc->memo[(token >> 32) - 1].seq_id)
			 : "r"(want | id)
			 : "cc", "memory");
}

static uint64_t token_of(const struct thread_caches *tc, const struct memo *m)
{
	return (uint64_t)(m - tc->memo + 1) << 32 | (uint32_t)(m->seq_id >> 32);
}

/* Reads other functions' frames: not for a sanitizer's eyes (the unit tests
 * run under ASan). */
#define STACK_READER __attribute__((no_sanitize("address")))

/* Would m's steps from..nsteps-1 read what they read then? If not, *bad
 * is the step that would not. */
STACK_READER static int unchanged(const struct memo *m, unsigned from, unsigned *bad)
{
	for (unsigned i = from; i < m->nsteps; i++) {
		const struct step *s = &m->step[i], *next = s + 1;
		if (*(const uintptr_t *)(next->sp + (uintptr_t)(intptr_t)s->ra_off) != next->pc ||
		    (s->rbp_off != NO_SAVE && next->needfp &&
		     *(const uintptr_t *)(next->sp + (uintptr_t)(intptr_t)s->rbp_off) != next->fp)) {
			*bad = i;
			return 0;
		}
	}
	return 1;
}

/* m's frames from step k on, as many as fit below max; the count. */
static int frames_from(const struct memo *m, unsigned k, uintptr_t *buf, int n, int max)
{
	unsigned end = m->nsteps - (m->step[m->nsteps].pc == 0);
	if (k > end || n >= max)
		return n;
	/* one bound, worked out first: this copy is a fifth of a walk */
	unsigned count = end - k + 1 < (unsigned)(max - n) ? end - k + 1 : (unsigned)(max - n);
	const struct step *s = &m->step[k];
	for (unsigned i = 0; i < count; i++)
		buf[n + (int)i] = s[i].pc;
	return n + (int)count;
}

/* The walk being made, and where it is: its record goes to m, and is kept
 * if its steps fit there (steps <= MEMO_STEPS at the end). */
struct walk {
	struct step s;
	uintptr_t *buf;
	int n, max;
	unsigned steps;
	unsigned tail;	/* m's steps from here on are a walk's whole tail, with their needfp */
	struct memo *m;
};

enum follow { F_NO, F_STOP, F_WALK };

/* w stands at the start of a step, not yet put: if the last walk l stood
 * there too (at its step *j or later) and would read the same words from
 * there, its steps are w's. F_STOP: w is done (w->s where it stopped,
 * *ended how); F_WALK: l stopped at its max, w walks on from w->s; F_NO:
 * not there. *bad: a step of l's known to read a changed word (0 at
 * first: step 0 is never followed); from a step before it, l's reads
 * cannot all be the same, which spares checking them again at every frame
 * when only an outer word changed (the same helper called from elsewhere). */
static enum follow follow(const struct memo *l, unsigned *j, unsigned *bad, struct walk *w, int *ended)
{
	while (*j < l->nsteps && l->step[*j].sp < w->s.sp)
		(*j)++;
	unsigned k = *j;
	if (k >= l->nsteps || k <= *bad || l->step[k].sp != w->s.sp || l->step[k].pc != w->s.pc ||
	    (l->step[k].needfp && l->step[k].fp != w->s.fp) || !unchanged(l, k, bad))
		return F_NO;
	/* l's steps k.. are w's, up to where w reaches its max: w's frame n
	 * is l's step k + 1 + (n - w->n) */
	unsigned room = (unsigned)(w->max - w->n);
	unsigned last = l->nsteps - k <= room ? l->nsteps : k + room; /* w's last state */
	unsigned count = last - k;
	if (w->steps + count <= MEMO_STEPS)
		memcpy(&w->m->step[w->steps], &l->step[k], count * sizeof l->step[0]);
	unsigned from = w->steps;
	w->steps += count;
	w->n = frames_from(l, k + 1, w->buf, w->n, w->n + (int)count);
	w->s = l->step[last];
	if (last < l->nsteps) {
		*ended = 0; /* at w's max */
		return F_STOP;
	}
	*ended = l->ended;
	/* w ends where and as l did: l's needfp from k on are w's too, if w
	 * stops here */
	w->tail = from;
	return l->ended || w->n >= w->max ? F_STOP : F_WALK;
}

static int walk(struct thread_caches *tc, uintptr_t *buf, int max, const void *frame, uint64_t *token);

/* This thread's caches, made (or taken from the free list) at its first
 * walk; NULL if that failed now, or once the thread is exiting. Only
 * trylocks: this may run in a signal handler that interrupted the lock's
 * holder. */
static struct thread_caches *thread_caches(void)
{
	struct thread_caches *tc = tl_tc;
	if (__builtin_expect(tc != NULL, 1) || tl_tc_gone)
		return tc;
	if (hs_trylock(&tc_lock)) {
		tc = tc_free;
		if (tc)
			tc_free = tc->next_free;
		hs_unlock(&tc_lock);
	}
	if (!tc) {
		/* populated: the near table and the memos are read before
		 * they are written */
		tc = hs_pages_map_internal_try(sizeof *tc, HS_PAGES_POPULATE);
		if (!tc)
			return NULL;
		for (unsigned i = 0; i < MEMO_WAYS; i++)
			tc->way[i] = (uint8_t)i;
		tc->spare = MEMO_WAYS;
		tc->last = -1;
	}
	tl_tc = tc;
	return tc;
}

void hs_fast_unwind_thread_exit(void)
{
	tl_walking = 1; /* a signal handler's walk meanwhile: declined */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	tl_tc_gone = 1;
	struct thread_caches *tc = tl_tc;
	tl_tc = NULL;
	if (tc) {
		hs_lock(&tc_lock);
		tc->next_free = tc_free;
		tc_free = tc;
		hs_unlock(&tc_lock);
	}
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	tl_walking = 0;
}

__attribute__((noinline)) int hs_fast_backtrace(uintptr_t *buf, int max, const void *frame, uint64_t *token)
{
	*token = 0;
	/* a signal handler's capture inside ours: the other unwinder's to do
	 * (the memo and the per-thread rules are ours until we return) */
	if (tl_walking)
		return -1;
	tl_walking = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	struct thread_caches *tc = thread_caches();
	int n = tc ? walk(tc, buf, max, frame, token) : -1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	tl_walking = 0;
	return n;
}

__attribute__((noinline)) STACK_READER static int walk(struct thread_caches *tc, uintptr_t *buf, int max,
							const void *frame, uint64_t *token)
{
	struct walk w = {.buf = buf, .max = max, .tail = UINT_MAX};
	unsigned bad;
	__asm__ volatile("lea 0(%%rip), %0\n\tmov %%rsp, %1\n\tmov %%rbp, %2"
			 : "=r"(w.s.pc), "=r"(w.s.sp), "=r"(w.s.fp));
	int first = 2; /* the state whose pc is the answer's first frame */
	if (frame) {
		/* an entry's frame (frame pointer): saved rbp, return address */
		const uintptr_t *f = frame;
		if ((uintptr_t)f <= w.s.sp || ((uintptr_t)f & 7))
			return -1;
		w.s.pc = f[1];
		w.s.sp = (uintptr_t)(f + 2);
		w.s.fp = f[0];
		first = 0;
	}
	struct table *t = __atomic_load_n(&table, __ATOMIC_ACQUIRE);
	if (!t) {
		hs_fast_unwind_forget(); /* the first table */
		t = __atomic_load_n(&table, __ATOMIC_ACQUIRE);
	}
	if (stack_bounds(w.s.sp) != 0)
		return -1;
	uint32_t gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
	near_check(&tc->near, gen);
	tl_counts.walks++;
	unsigned way = (unsigned)(w.s.sp >> 4) % MEMO_WAYS;
	struct memo *old = &tc->memo[tc->way[way]];
	if (old->nsteps && old->step[0].sp == w.s.sp && (!old->step[0].needfp || old->step[0].fp == w.s.fp) &&
	    old->step[0].pc == w.s.pc &&
	    old->max == max && old->gen == gen && unchanged(old, 0, &bad)) {
		tl_counts.remembered++;
		*token = token_of(tc, old);
		return frames_from(old, (unsigned)old->first, buf, 0, max);
	}
	struct memo *m = &tc->memo[tc->spare];
	m->seq_id = ((m->seq_id >> 32) + 1) << 32;
	m->nsteps = 0;
	w.m = m;
	const struct memo *l = tc->last >= 0 ? &tc->memo[tc->last] : NULL;
	if (l && (!l->nsteps || l->gen != gen))
		l = NULL;
	unsigned lj = 1;
	bad = 0;
	uintptr_t hi = tl_stack_hi;
	int ended = 1;
	/* the walker's own pc is no return address (a caller's is: its call
	 * is the instruction before) */
	uint64_t v = rule_for(t, &tc->near, first ? w.s.pc : w.s.pc - 1);
	if (!first)
		buf[w.n++] = w.s.pc;
	for (;;) {
		if (w.n >= max) {
			ended = 0;
			break;
		}
		if (r_kind(v) != K_OK) {
			if (r_kind(v) == K_END)
				break;
			return -1;
		}
		uintptr_t sp = w.s.sp, fp = w.s.fp;
		uintptr_t cfa = (r_cfa_rbp(v) ? fp : sp) + (uintptr_t)(intptr_t)r_cfa_off(v);
		uintptr_t ra_at = cfa + (uintptr_t)(intptr_t)r_ra_off(v);
		if (cfa <= sp || cfa > hi || (cfa & 7) || ra_at < sp || ra_at + 8 > hi)
			return -1;
		uintptr_t ra = *(const uintptr_t *)ra_at;
		if (r_rbp_off(v) != NO_SAVE) {
			uintptr_t fp_at = cfa + (uintptr_t)(intptr_t)r_rbp_off(v);
			if (fp_at < sp || fp_at + 8 > hi)
				return -1;
			fp = *(const uintptr_t *)fp_at;
		}
		if (w.steps < MEMO_STEPS) {
			struct step *st = &m->step[w.steps];
			st->pc = w.s.pc;
			st->sp = sp;
			st->fp = w.s.fp;
			st->ra_off = r_ra_off(v);
			st->rbp_off = r_rbp_off(v);
			st->cfa_rbp = (uint8_t)r_cfa_rbp(v);
		}
		w.steps++;
		w.s.pc = ra;
		w.s.sp = cfa;
		w.s.fp = fp;
		if (!ra)
			break;
		if (w.steps >= (unsigned)first) /* the state just reached is a frame of the answer */
			buf[w.n++] = ra;
		if (l && w.n < max) {
			enum follow f = follow(l, &lj, &bad, &w, &ended);
			tl_counts.followed += f != F_NO;
			if (f == F_STOP)
				break;
			if (f == F_WALK) { /* walks on past l's end: its flags are not w's */
				l = NULL;
				w.tail = UINT_MAX;
			}
		}
		v = rule_for(t, &tc->near, w.s.pc - 1);
	}
	if (w.steps > 0 && w.steps <= MEMO_STEPS) {
		w.s.ra_off = 0;
		w.s.rbp_off = NO_SAVE;
		w.s.cfa_rbp = 0;
		w.s.needfp = !ended;
		m->step[w.steps] = w.s;
		/* (the steps taken whole from the last walk have theirs already) */
		unsigned i = w.tail != UINT_MAX ? w.tail : w.steps;
		while (i-- > 0) {
			struct step *st = &m->step[i];
			st->needfp = st->cfa_rbp || (st->rbp_off == NO_SAVE && st[1].needfp);
		}
		m->nsteps = w.steps;
		m->ended = ended;
		m->first = first;
		m->max = max;
		m->gen = gen;
		tc->way[way] = tc->spare;
		tc->spare = (uint8_t)(old - tc->memo);
		tc->last = (int8_t)(m - tc->memo);
		*token = token_of(tc, m);
	}
	return w.n;
}

HS_EXPORT int dlclose(void *handle)
{
	static int (*real)(void *);
	if (!real)
		real = (int (*)(void *))dlsym(RTLD_NEXT, "dlclose");
	if (!real)
		return -1;
	int r = real(handle);
	/* the unloaded object's addresses may be another's next */
	if (r == 0 && __atomic_load_n(&table, __ATOMIC_ACQUIRE))
		hs_fast_unwind_forget();
	return r;
}
