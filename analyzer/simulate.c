/* simulate.c — see simulate.h.
 *
 * Data structures. Every ordered set here (the holes of a contiguous heap by
 * address and, for best-fit, by size; the free blocks of each buddy order;
 * the slabs of a class that have free objects) is a treap from one shared
 * node pool. A node is keyed by (k1, k2) and carries a value; each subtree
 * keeps its node count and its largest value, which answer "the first hole
 * in address order with at least n bytes, and its position in the list" in
 * one descent. Live blocks are found by address in an open-addressing hash
 * (backward-shift deletion) whose entries index a pool of block records.
 * Nodes, records and slabs freed are reused, so memory follows the live
 * blocks and free spaces, not the length of the trace.
 */
#include "report.h"
#include "simulate.h"

#include <stdlib.h>
#include <string.h>

#include <heapscope/size_classes.h>

#include "events.h"

#define NONE UINT64_MAX
/* Requests above this are not placed (only a corrupt trace has them); the
 * arithmetic below stays far from overflowing. */
#define MAX_REQUEST ((uint64_t)1 << 46)
#define MAX_BRK ((uint64_t)1 << 62)
#define KEEP_EMPTY 1 /* as preload/slab.c */
#define NCONT 4	     /* the contiguous-heap strategies come first */

/* ---- treap --------------------------------------------------------------- */

/* One cache line. A node also keeps its left subtree's count and maximum,
 * so that descents (rank, first fit) read only the nodes on their path. */
struct tnode {
	uint64_t k1, k2; /* key, ordered by (k1, k2) */
	uint64_t val;
	uint64_t max;	 /* largest val in the subtree */
	uint64_t lmax;	 /* largest val in the left subtree */
	uint32_t cnt;	 /* nodes in the subtree */
	uint32_t lcnt;	 /* nodes in the left subtree */
	uint32_t c[2];	 /* children: left, right */
	uint32_t pri;
	uint32_t pad;
};
_Static_assert(sizeof(struct tnode) == 64, "a node is a cache line");

/* Node 0 is the empty tree (cnt 0, max 0); it is made with the pool. */
struct pool {
	struct tnode *n;
	uint32_t cap, used, free;
	uint64_t rng;
	int oom;
};

static int pool_grow(struct pool *P)
{
	uint32_t nc = P->cap ? P->cap * 2 : 1024;
	struct tnode *nn = nc > P->cap ? aligned_alloc(64, (size_t)nc * sizeof *nn) : NULL;
	if (!nn) {
		P->oom = 1;
		return -1;
	}
	if (P->cap)
		memcpy(nn, P->n, (size_t)P->cap * sizeof *nn);
	else
		memset(&nn[0], 0, sizeof nn[0]);
	free(P->n);
	P->n = nn;
	P->cap = nc;
	if (!P->used)
		P->used = 1;
	return 0;
}

static uint32_t node_new(struct pool *P, uint64_t k1, uint64_t k2, uint64_t val)
{
	uint32_t x;
	if (P->free) {
		x = P->free;
		P->free = P->n[x].c[0];
	} else {
		if (P->used == P->cap && pool_grow(P) != 0)
			return 0;
		x = P->used++;
	}
	P->rng ^= P->rng << 13;
	P->rng ^= P->rng >> 7;
	P->rng ^= P->rng << 17;
	struct tnode *t = &P->n[x];
	memset(t, 0, sizeof *t);
	t->k1 = k1;
	t->k2 = k2;
	t->val = t->max = val;
	t->cnt = 1;
	t->pri = (uint32_t)(P->rng >> 32);
	return x;
}

static void node_free(struct pool *P, uint32_t x)
{
	if (!x)
		return;
	P->n[x].c[0] = P->free;
	P->free = x;
}

static inline void pull(struct pool *P, uint32_t x)
{
	struct tnode *t = &P->n[x];
	const struct tnode *l = &P->n[t->c[0]], *r = &P->n[t->c[1]];
	uint64_t m = t->val;
	m = l->max > m ? l->max : m;
	m = r->max > m ? r->max : m;
	t->max = m;
	t->lmax = l->max;
	t->lcnt = l->cnt;
	t->cnt = 1 + l->cnt + r->cnt;
}

/* t's key < (k1, k2), as 0 or 1 (an index into c[]) */
static inline unsigned key_lt(const struct tnode *t, uint64_t k1, uint64_t k2)
{
	return (unsigned)((t->k1 < k1) | ((t->k1 == k1) & (t->k2 < k2)));
}

static inline int key_eq(const struct tnode *t, uint64_t k1, uint64_t k2)
{
	return t->k1 == k1 && t->k2 == k2;
}

/* t into keys < (k1, k2) and keys ≥ (k1, k2). */
static void t_split(struct pool *P, uint32_t t, uint64_t k1, uint64_t k2, uint32_t *a, uint32_t *b)
{
	if (!t) {
		*a = *b = 0;
		return;
	}
	if (key_lt(&P->n[t], k1, k2)) {
		uint32_t r;
		t_split(P, P->n[t].c[1], k1, k2, &r, b);
		P->n[t].c[1] = r;
		*a = t;
	} else {
		uint32_t l;
		t_split(P, P->n[t].c[0], k1, k2, a, &l);
		P->n[t].c[0] = l;
		*b = t;
	}
	pull(P, t);
}

/* Every key of a below every key of b. */
static uint32_t t_merge(struct pool *P, uint32_t a, uint32_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (P->n[a].pri > P->n[b].pri) {
		uint32_t r = t_merge(P, P->n[a].c[1], b);
		P->n[a].c[1] = r;
		pull(P, a);
		return a;
	}
	uint32_t l = t_merge(P, a, P->n[b].c[0]);
	P->n[b].c[0] = l;
	pull(P, b);
	return b;
}

static uint32_t t_insert_node(struct pool *P, uint32_t t, uint32_t x)
{
	if (!t)
		return x;
	const struct tnode *xn = &P->n[x];
	if (xn->pri > P->n[t].pri) {
		uint32_t a, b;
		t_split(P, t, xn->k1, xn->k2, &a, &b);
		P->n[x].c[0] = a;
		P->n[x].c[1] = b;
		pull(P, x);
		return x;
	}
	unsigned d = key_lt(&P->n[t], xn->k1, xn->k2) | key_eq(&P->n[t], xn->k1, xn->k2);
	uint32_t sub = t_insert_node(P, P->n[t].c[d], x);
	P->n[t].c[d] = sub;
	pull(P, t);
	return t;
}

/* Insert a new node; on out of memory the tree is unchanged (P->oom set). */
static void t_insert(struct pool *P, uint32_t *root, uint64_t k1, uint64_t k2, uint64_t val)
{
	uint32_t x = node_new(P, k1, k2, val);
	if (x)
		*root = t_insert_node(P, *root, x);
}

static uint32_t t_erase_rec(struct pool *P, uint32_t t, uint64_t k1, uint64_t k2, uint32_t *out)
{
	if (!t)
		return 0;
	struct tnode *x = &P->n[t];
	if (key_eq(x, k1, k2)) {
		*out = t;
		return t_merge(P, x->c[0], x->c[1]);
	}
	unsigned d = key_lt(x, k1, k2);
	uint32_t sub = t_erase_rec(P, x->c[d], k1, k2, out);
	if (!*out)
		return t; /* not there: nothing changed below */
	P->n[t].c[d] = sub;
	pull(P, t);
	return t;
}

/* Remove the node with key (k1, k2); 1 if there was one. */
static int t_erase(struct pool *P, uint32_t *root, uint64_t k1, uint64_t k2)
{
	uint32_t out = 0;
	*root = t_erase_rec(P, *root, k1, k2, &out);
	node_free(P, out);
	return out != 0;
}

static void t_repull_all(struct pool *P, uint32_t t, uint64_t k1, uint64_t k2)
{
	if (!t)
		return;
	const struct tnode *x = &P->n[t];
	if (!key_eq(x, k1, k2))
		t_repull_all(P, x->c[key_lt(x, k1, k2)], k1, k2);
	pull(P, t);
}

/* After changing the node with key (k1, k2) in place (its val, or its key
 * without changing its order among the others): refresh the maxima on its
 * path, bottom-up, stopping where a subtree's maximum did not change (the
 * counts do not change). */
static void t_repull(struct pool *P, uint32_t t, uint64_t k1, uint64_t k2)
{
	uint32_t path[128];
	unsigned d = 0;
	for (uint32_t u = t; u;) {
		if (d == sizeof path / sizeof path[0]) {
			t_repull_all(P, t, k1, k2); /* a very unlucky treap */
			return;
		}
		path[d++] = u;
		const struct tnode *x = &P->n[u];
		if (key_eq(x, k1, k2))
			break;
		u = x->c[key_lt(x, k1, k2)];
	}
	while (d--) {
		uint64_t before = P->n[path[d]].max;
		pull(P, path[d]);
		if (P->n[path[d]].max == before)
			break;
	}
}

static uint32_t t_find(const struct pool *P, uint32_t t, uint64_t k1, uint64_t k2)
{
	while (t) {
		const struct tnode *x = &P->n[t];
		if (key_eq(x, k1, k2))
			return t;
		t = x->c[key_lt(x, k1, k2)];
	}
	return 0;
}

/* In a tree keyed (k1, 0): the last node with k1 < a and the first with
 * k1 ≥ a (0 when none), in one descent. */
static void t_neighbours(const struct pool *P, uint32_t t, uint64_t a, uint32_t *below, uint32_t *above)
{
	uint32_t lo = 0, hi = 0;
	while (t) {
		const struct tnode *x = &P->n[t];
		unsigned lt = x->k1 < a;
		lo = lt ? t : lo;
		hi = lt ? hi : t;
		t = x->c[lt];
	}
	*below = lo;
	*above = hi;
}

/* The largest key ≤ (k1, 0) in a tree keyed (k1, 0), or 0. */
static uint32_t t_pred_le(const struct pool *P, uint32_t t, uint64_t k1)
{
	uint32_t best = 0;
	while (t) {
		const struct tnode *x = &P->n[t];
		unsigned le = x->k1 <= k1;
		best = le ? t : best;
		t = x->c[le];
	}
	return best;
}

/* The smallest key ≥ (k1, k2), or 0. */
static uint32_t t_lower_bound(const struct pool *P, uint32_t t, uint64_t k1, uint64_t k2)
{
	uint32_t best = 0;
	while (t) {
		const struct tnode *x = &P->n[t];
		unsigned lt = key_lt(x, k1, k2);
		best = lt ? best : t;
		t = x->c[lt];
	}
	return best;
}

/* How many keys are < (k1, 0) in a tree keyed (k1, 0). */
static uint64_t t_rank_lt(const struct pool *P, uint32_t t, uint64_t k1)
{
	uint64_t n = 0;
	while (t) {
		const struct tnode *x = &P->n[t];
		unsigned lt = x->k1 < k1;
		n += lt ? (uint64_t)x->lcnt + 1 : 0;
		t = x->c[lt];
	}
	return n;
}

static uint32_t t_leftmost(const struct pool *P, uint32_t t)
{
	while (t && P->n[t].c[0])
		t = P->n[t].c[0];
	return t;
}

/* The first node in key order with val ≥ need (need ≥ 1), and how many
 * nodes come before it; 0 if none. */
static uint32_t t_first_fit(const struct pool *P, uint32_t t, uint64_t need, uint64_t *rank)
{
	uint64_t acc = 0;
	if (P->n[t].max < need)
		return 0;
	while (t) {
		const struct tnode *x = &P->n[t];
		if (x->lmax >= need) {
			t = x->c[0];
			continue;
		}
		if (x->val >= need) {
			*rank = acc + x->lcnt;
			return t;
		}
		acc += (uint64_t)x->lcnt + 1;
		t = x->c[1];
	}
	return 0;
}

/* The first node with key ≥ (s1, 0) and val ≥ need; *rank as above. */
static uint32_t t_first_fit_from(const struct pool *P, uint32_t t, uint64_t s1, uint64_t need, uint64_t acc,
				 uint64_t *rank)
{
	while (t && P->n[t].max >= need) {
		const struct tnode *x = &P->n[t];
		if (x->k1 < s1) {
			acc += (uint64_t)x->lcnt + 1;
			t = x->c[1];
			continue;
		}
		if (x->lmax >= need) {
			uint32_t in_left = t_first_fit_from(P, x->c[0], s1, need, acc, rank);
			if (in_left)
				return in_left;
		}
		if (x->val >= need) {
			*rank = acc + x->lcnt;
			return t;
		}
		acc += (uint64_t)x->lcnt + 1;
		t = x->c[1];
	}
	return 0;
}

/* ---- results ------------------------------------------------------------- */

static void note_peak(struct hs_sim_result *r, uint64_t foot, uint64_t held, uint64_t req, uint64_t free,
		      uint64_t largest)
{
	if (foot <= r->peak_footprint)
		return;
	r->peak_footprint = foot;
	r->peak_live = held;
	r->peak_requested = req;
	r->external_at_peak = free ? 1.0 - (double)largest / (double)free : 0.0;
	r->compaction_reclaim = foot > held ? foot - held : 0;
}

/* ---- contiguous heap ----------------------------------------------------- */

struct cheap {
	unsigned policy; /* HS_SIM_FIRST_FIT .. HS_SIM_WORST_FIT */
	uint32_t by_addr; /* holes: key (address, 0), val size */
	uint32_t by_size; /* best-fit only: key (size, address) */
	uint64_t brk, rover;
	uint64_t free_bytes, held, req;
};

static uint64_t round16(uint64_t size)
{
	return size ? (size + 15) & ~(uint64_t)15 : 16;
}

static void hole_add(struct pool *P, struct cheap *h, uint64_t a, uint64_t n)
{
	t_insert(P, &h->by_addr, a, 0, n);
	if (h->policy == HS_SIM_BEST_FIT)
		t_insert(P, &h->by_size, n, a, 0);
	h->free_bytes += n;
}

static void hole_del(struct pool *P, struct cheap *h, uint64_t a, uint64_t n)
{
	t_erase(P, &h->by_addr, a, 0);
	if (h->policy == HS_SIM_BEST_FIT)
		t_erase(P, &h->by_size, n, a);
	h->free_bytes -= n;
}

/* Take `n` bytes from the low end of hole x. */
static void hole_take_front(struct pool *P, struct cheap *h, uint32_t x, uint64_t n)
{
	uint64_t a = P->n[x].k1, s = P->n[x].val;
	if (s == n) {
		hole_del(P, h, a, s);
		return;
	}
	/* the remainder keeps its place in address order: change it in place */
	P->n[x].k1 = a + n;
	P->n[x].val = s - n;
	t_repull(P, h->by_addr, a + n, 0);
	if (h->policy == HS_SIM_BEST_FIT) {
		t_erase(P, &h->by_size, s, a);
		t_insert(P, &h->by_size, s - n, a + n, 0);
	}
	h->free_bytes -= n;
}

/* Give [a, a+n) back: coalesced with its neighbours, or the break lowered.
 * A hole never touches the break, and no hole starts inside [a, a+n). */
static void c_release(struct pool *P, struct cheap *h, uint64_t a, uint64_t n)
{
	uint64_t end = a + n;
	uint32_t p, s;
	t_neighbours(P, h->by_addr, a, &p, &s);
	int left = p && P->n[p].k1 + P->n[p].val == a;
	int right = s && P->n[s].k1 == end;
	if (end == h->brk) {
		if (left) {
			h->brk = P->n[p].k1;
			hole_del(P, h, P->n[p].k1, P->n[p].val);
		} else {
			h->brk = a;
		}
		return;
	}
	if (!left && !right) {
		hole_add(P, h, a, n);
		return;
	}
	/* grow a neighbour in place: its order among the holes stays */
	uint64_t start = left ? P->n[p].k1 : a, size = n;
	if (left)
		size += P->n[p].val;
	if (right) {
		uint64_t ssize = P->n[s].val;
		if (left)
			hole_del(P, h, end, ssize); /* p absorbs it */
		size += ssize;
	}
	uint32_t keep = left ? p : s;
	uint64_t old_key = P->n[keep].k1, old_size = P->n[keep].val;
	P->n[keep].k1 = start;
	P->n[keep].val = size;
	t_repull(P, h->by_addr, start, 0);
	if (h->policy == HS_SIM_BEST_FIT) {
		t_erase(P, &h->by_size, old_size, old_key);
		t_insert(P, &h->by_size, size, start, 0);
	}
	h->free_bytes += size - old_size;
}

/* Place a block of n bytes (a multiple of 16); its address, or NONE. */
static uint64_t c_place(struct pool *P, struct cheap *h, struct hs_sim_result *res, uint64_t n)
{
	uint32_t root = h->by_addr, x = 0;
	uint64_t cnt = P->n[root].cnt, examined = cnt, rank = 0;
	switch (h->policy) {
	case HS_SIM_FIRST_FIT:
		x = t_first_fit(P, root, n, &rank);
		if (x)
			examined = rank + 1;
		break;
	case HS_SIM_NEXT_FIT: {
		uint64_t start = h->rover;
		uint32_t p = t_pred_le(P, root, start);
		if (p && P->n[p].k1 + P->n[p].val > start)
			start = P->n[p].k1;
		uint64_t srank = t_rank_lt(P, root, start);
		x = t_first_fit_from(P, root, start, n, 0, &rank);
		if (x) {
			examined = rank - srank + 1;
		} else {
			x = t_first_fit(P, root, n, &rank);
			if (x)
				examined = cnt - srank + rank + 1;
		}
		break;
	}
	case HS_SIM_BEST_FIT: {
		uint32_t b = t_lower_bound(P, h->by_size, n, 0);
		if (b) {
			uint64_t size = P->n[b].k1, addr = P->n[b].k2;
			x = t_find(P, root, addr, 0);
			if (size == n)
				examined = t_rank_lt(P, root, addr) + 1;
		}
		break;
	}
	case HS_SIM_WORST_FIT:
		if (P->n[root].max >= n)
			x = t_first_fit(P, root, P->n[root].max, &rank);
		break;
	}
	res->searches++;
	res->examined += examined;
	uint64_t a;
	if (x) {
		a = P->n[x].k1;
		hole_take_front(P, h, x, n);
	} else {
		if (h->brk + n > MAX_BRK)
			return NONE;
		a = h->brk;
		h->brk += n;
	}
	h->rover = a + n;
	return a;
}

static void c_note(const struct pool *P, struct cheap *h, struct hs_sim_result *res)
{
	note_peak(res, h->brk, h->held, h->req, h->free_bytes, P->n[h->by_addr].max);
}

static uint64_t c_alloc(struct pool *P, struct cheap *h, struct hs_sim_result *res, uint64_t req)
{
	uint64_t n = round16(req);
	uint64_t a = c_place(P, h, res, n);
	if (a == NONE) {
		res->failed++;
		return NONE;
	}
	h->held += n;
	h->req += req;
	c_note(P, h, res);
	return a;
}

static void c_free(struct pool *P, struct cheap *h, uint64_t a, uint64_t req)
{
	if (a == NONE)
		return;
	uint64_t n = round16(req);
	c_release(P, h, a, n);
	h->held -= n;
	h->req -= req;
}

/* Grow the block [a, a+n) by `more` bytes where it lies; 1 if done. */
static int c_grow_in_place(struct pool *P, struct cheap *h, uint64_t a, uint64_t n, uint64_t more)
{
	uint64_t end = a + n;
	if (end == h->brk) {
		if (h->brk + more > MAX_BRK)
			return 0;
		h->brk += more;
		return 1;
	}
	uint32_t x = t_find(P, h->by_addr, end, 0);
	if (!x || P->n[x].val < more)
		return 0;
	hole_take_front(P, h, x, more);
	return 1;
}

static uint64_t c_realloc(struct pool *P, struct cheap *h, struct hs_sim_result *res, uint64_t a,
			  uint64_t old_req, uint64_t req)
{
	if (a == NONE)
		return c_alloc(P, h, res, req);
	uint64_t n0 = round16(old_req), n1 = round16(req);
	if (n1 < n0) {
		c_release(P, h, a + n1, n0 - n1);
	} else if (n1 > n0) {
		if (!c_grow_in_place(P, h, a, n0, n1 - n0)) {
			uint64_t b = c_alloc(P, h, res, req);
			c_free(P, h, a, old_req);
			return b;
		}
	}
	h->held += n1 - n0; /* modulo 2^64: a shrink subtracts */
	h->req += req - old_req;
	c_note(P, h, res);
	return a;
}

/* ---- buddy allocators ---------------------------------------------------- */

#define BUD_ORDERS 63

/* Blocks of (1 << order) units of (1 << shift) bytes. doubling: one arena
 * of 2^arena_order units that doubles when nothing fits (pure buddy);
 * otherwise chunks of 2^max_order units added at the top (heapscope). */
struct bud {
	unsigned shift, max_order, arena_order;
	int doubling;
	uint64_t top;		    /* units in the arena */
	uint64_t free_units;
	uint32_t free[BUD_ORDERS]; /* free blocks by address, per order */
};

static void bud_release(struct pool *P, struct bud *b, uint64_t addr, unsigned order)
{
	unsigned lim = b->doubling ? b->arena_order : b->max_order;
	while (order < lim) {
		uint64_t mate = addr ^ ((uint64_t)1 << order);
		if (mate >= b->top || !t_erase(P, &b->free[order], mate, 0))
			break;
		addr &= ~((uint64_t)1 << order);
		order++;
	}
	t_insert(P, &b->free[order], addr, 0, 0);
}

/* A block of 2^order units; its address in units, or NONE. */
static uint64_t bud_alloc(struct pool *P, struct bud *b, unsigned order)
{
	if (order >= BUD_ORDERS - 1 || (!b->doubling && order > b->max_order))
		return NONE;
	if (b->doubling && b->top == 0) {
		b->arena_order = order;
		b->top = (uint64_t)1 << order;
		return 0;
	}
	unsigned o;
	for (;;) {
		unsigned hi = b->doubling ? b->arena_order : b->max_order;
		for (o = order; o <= hi && !b->free[o]; o++)
			;
		if (o <= hi)
			break;
		if (b->doubling) {
			if (b->arena_order >= BUD_ORDERS - 2)
				return NONE;
			uint64_t half = b->top;
			b->top <<= 1;
			b->arena_order++;
			b->free_units += half;
			bud_release(P, b, half, b->arena_order - 1);
		} else {
			uint64_t chunk = (uint64_t)1 << b->max_order;
			if (b->top > MAX_BRK >> b->shift)
				return NONE;
			b->top += chunk;
			b->free_units += chunk;
			bud_release(P, b, b->top - chunk, b->max_order);
		}
		if (P->oom)
			return NONE;
	}
	uint32_t x = t_leftmost(P, b->free[o]);
	uint64_t addr = P->n[x].k1;
	t_erase(P, &b->free[o], addr, 0);
	while (o > order) {
		o--;
		t_insert(P, &b->free[o], addr + ((uint64_t)1 << o), 0, 0);
	}
	b->free_units -= (uint64_t)1 << order;
	return addr;
}

static void bud_free(struct pool *P, struct bud *b, uint64_t addr, unsigned order)
{
	b->free_units += (uint64_t)1 << order;
	bud_release(P, b, addr, order);
}

static uint64_t bud_largest_units(const struct bud *b)
{
	for (unsigned o = BUD_ORDERS; o-- > 0;)
		if (b->free[o])
			return (uint64_t)1 << o;
	return 0;
}

static unsigned ceil_log2(uint64_t v)
{
	return v <= 1 ? 0 : 64 - (unsigned)__builtin_clzll(v - 1);
}

/* Pure buddy: order of a request in 16-byte units. */
static unsigned pure_order(uint64_t req)
{
	return ceil_log2(req ? (req + 15) >> 4 : 1);
}

struct pure {
	struct bud b;
	uint64_t held, req;
};

static void pure_note(struct pure *u, struct hs_sim_result *res)
{
	note_peak(res, u->b.top << 4, u->held, u->req, u->b.free_units << 4, bud_largest_units(&u->b) << 4);
}

static uint64_t pure_alloc(struct pool *P, struct pure *u, struct hs_sim_result *res, uint64_t req)
{
	unsigned o = pure_order(req);
	uint64_t a = bud_alloc(P, &u->b, o);
	if (a == NONE) {
		res->failed++;
		return NONE;
	}
	u->held += (uint64_t)16 << o;
	u->req += req;
	pure_note(u, res);
	return a;
}

static void pure_free(struct pool *P, struct pure *u, uint64_t a, uint64_t req)
{
	if (a == NONE)
		return;
	unsigned o = pure_order(req);
	bud_free(P, &u->b, a, o);
	u->held -= (uint64_t)16 << o;
	u->req -= req;
}

static uint64_t pure_realloc(struct pool *P, struct pure *u, struct hs_sim_result *res, uint64_t a,
			     uint64_t old_req, uint64_t req)
{
	if (a != NONE && pure_order(old_req) == pure_order(req)) {
		u->req += req - old_req;
		return a;
	}
	uint64_t b = pure_alloc(P, u, res, req);
	pure_free(P, u, a, old_req);
	return b;
}

/* ---- heapscope: slabs + page buddy + large mappings ---------------------- */

struct sslab {
	uint64_t page;	  /* first page (buddy address) */
	uint64_t bits[4]; /* free objects (a slab has at most 256) */
	uint16_t nobj, nfree;
	uint8_t cls;
};

enum { HK_SLAB, HK_BUDDY, HK_LARGE };

struct hsim {
	struct bud pb;
	uint32_t avail[HS_SLAB_CLASSES]; /* slabs with a free object: key (page, slab index) */
	uint32_t nempty[HS_SLAB_CLASSES];
	unsigned order[HS_SLAB_CLASSES], nobj[HS_SLAB_CLASSES];
	struct sslab *slab;
	uint32_t nslab, capslab;
	uint32_t *spare; /* indices of unused slab entries */
	uint32_t nspare, capspare;
	uint64_t pages, held, req;
	int oom;
};

static unsigned hk_kind(uint64_t req)
{
	if (req <= HS_SLAB_MAX_SIZE)
		return HK_SLAB;
	return req <= (HS_PAGE_SIZE << HS_BUDDY_MAX_ORDER) ? HK_BUDDY : HK_LARGE;
}

static uint64_t hk_pages(uint64_t req)
{
	return (req + HS_PAGE_SIZE - 1) >> HS_PAGE_SHIFT;
}

static void hsim_note(const struct hsim *s, struct hs_sim_result *res)
{
	note_peak(res, s->pages << HS_PAGE_SHIFT, s->held, s->req, s->pb.free_units << HS_PAGE_SHIFT,
		  bud_largest_units(&s->pb) << HS_PAGE_SHIFT);
}

static uint32_t slab_new(struct pool *P, struct hsim *s, unsigned cls)
{
	uint64_t page = bud_alloc(P, &s->pb, s->order[cls]);
	if (page == NONE)
		return UINT32_MAX;
	uint32_t si;
	if (s->nspare) {
		si = s->spare[--s->nspare];
	} else {
		if (s->nslab == s->capslab) {
			uint32_t nc = s->capslab ? s->capslab * 2 : 64;
			struct sslab *ns = nc > s->capslab ? realloc(s->slab, (size_t)nc * sizeof *ns) : NULL;
			if (!ns) {
				bud_free(P, &s->pb, page, s->order[cls]);
				s->oom = 1;
				return UINT32_MAX;
			}
			s->slab = ns;
			s->capslab = nc;
		}
		si = s->nslab++;
	}
	struct sslab *sl = &s->slab[si];
	memset(sl, 0, sizeof *sl);
	sl->page = page;
	sl->cls = (uint8_t)cls;
	sl->nobj = sl->nfree = (uint16_t)s->nobj[cls];
	for (unsigned i = 0; i < sl->nobj; i++)
		sl->bits[i >> 6] |= (uint64_t)1 << (i & 63);
	s->pages += (uint64_t)1 << s->order[cls];
	s->nempty[cls]++;
	t_insert(P, &s->avail[cls], page, si, 0);
	return si;
}

static void slab_destroy(struct pool *P, struct hsim *s, uint32_t si)
{
	struct sslab *sl = &s->slab[si];
	unsigned cls = sl->cls;
	t_erase(P, &s->avail[cls], sl->page, si);
	bud_free(P, &s->pb, sl->page, s->order[cls]);
	s->pages -= (uint64_t)1 << s->order[cls];
	s->nempty[cls]--;
	if (s->nspare == s->capspare) {
		uint32_t nc = s->capspare ? s->capspare * 2 : 64;
		uint32_t *n = realloc(s->spare, (size_t)nc * sizeof *n);
		if (!n) {
			s->oom = 1;
			return;
		}
		s->spare = n;
		s->capspare = nc;
	}
	s->spare[s->nspare++] = si;
}

/* Where the block went: slab (index << 16 | object), buddy page, or pages
 * of a large mapping; NONE if it could not be placed. */
static uint64_t hsim_alloc(struct pool *P, struct hsim *s, struct hs_sim_result *res, uint64_t req)
{
	uint64_t loc;
	switch (hk_kind(req)) {
	case HK_SLAB: {
		unsigned cls = hs_size_class(req);
		if (!s->avail[cls] && (slab_new(P, s, cls) == UINT32_MAX || !s->avail[cls])) {
			res->failed++;
			return NONE;
		}
		uint32_t x = t_leftmost(P, s->avail[cls]);
		uint32_t si = (uint32_t)P->n[x].k2;
		struct sslab *sl = &s->slab[si];
		unsigned w = 0;
		while (!sl->bits[w])
			w++;
		unsigned obj = w * 64 + (unsigned)__builtin_ctzll(sl->bits[w]);
		sl->bits[w] &= sl->bits[w] - 1;
		if (sl->nfree == sl->nobj)
			s->nempty[cls]--;
		if (--sl->nfree == 0)
			t_erase(P, &s->avail[cls], sl->page, si);
		s->held += hs_class_size[cls];
		loc = (uint64_t)si << 16 | obj;
		break;
	}
	case HK_BUDDY: {
		unsigned o = (unsigned)hs_order_for(req);
		loc = bud_alloc(P, &s->pb, o);
		if (loc == NONE) {
			res->failed++;
			return NONE;
		}
		s->pages += (uint64_t)1 << o;
		s->held += HS_PAGE_SIZE << o;
		break;
	}
	default:
		if (req > MAX_REQUEST) {
			res->failed++;
			return NONE;
		}
		loc = hk_pages(req);
		s->pages += loc;
		s->held += loc << HS_PAGE_SHIFT;
		break;
	}
	s->req += req;
	hsim_note(s, res);
	return loc;
}

static void hsim_free(struct pool *P, struct hsim *s, uint64_t loc, uint64_t req)
{
	if (loc == NONE)
		return;
	switch (hk_kind(req)) {
	case HK_SLAB: {
		uint32_t si = (uint32_t)(loc >> 16);
		unsigned obj = (unsigned)(loc & 0xffff);
		struct sslab *sl = &s->slab[si];
		unsigned cls = sl->cls;
		sl->bits[obj >> 6] |= (uint64_t)1 << (obj & 63);
		if (sl->nfree++ == 0)
			t_insert(P, &s->avail[cls], sl->page, si, 0);
		s->held -= hs_class_size[cls];
		if (sl->nfree == sl->nobj && ++s->nempty[cls] > KEEP_EMPTY)
			slab_destroy(P, s, si);
		break;
	}
	case HK_BUDDY: {
		unsigned o = (unsigned)hs_order_for(req);
		bud_free(P, &s->pb, loc, o);
		s->pages -= (uint64_t)1 << o;
		s->held -= HS_PAGE_SIZE << o;
		break;
	}
	default:
		s->pages -= loc;
		s->held -= loc << HS_PAGE_SHIFT;
		break;
	}
	s->req -= req;
}

static uint64_t hsim_realloc(struct pool *P, struct hsim *s, struct hs_sim_result *res, uint64_t loc,
			     uint64_t old_req, uint64_t req)
{
	if (loc != NONE) {
		unsigned k0 = hk_kind(old_req), k1 = hk_kind(req);
		int same = k0 == k1 &&
			   ((k0 == HK_SLAB && hs_size_class(old_req) == hs_size_class(req)) ||
			    (k0 == HK_BUDDY && hs_order_for(old_req) == hs_order_for(req)) ||
			    (k0 == HK_LARGE && req <= MAX_REQUEST));
		if (same) {
			if (k0 == HK_LARGE) {
				uint64_t np = hk_pages(req);
				s->pages += np - loc;
				s->held += (np - loc) << HS_PAGE_SHIFT;
				loc = np;
			}
			s->req += req - old_req;
			hsim_note(s, res);
			return loc;
		}
	}
	uint64_t b = hsim_alloc(P, s, res, req);
	hsim_free(P, s, loc, old_req);
	return b;
}

/* ---- live blocks ----------------------------------------------------------- */

struct rec {
	uint64_t req;
	uint64_t cont[NCONT]; /* address in each contiguous heap */
	uint64_t bud;	      /* pure buddy address, in 16-byte units */
	uint64_t hs;	      /* heapscope location (hsim_alloc) */
};

struct slot {
	uint64_t addr; /* 0: empty */
	uint32_t rec;
};

struct sim {
	struct pool P;
	struct cheap c[NCONT];
	struct pure pure;
	struct hsim hs;
	struct hs_sim_report *out;
	struct slot *slot;
	size_t cap, count;
	struct rec *rec;
	uint32_t nrec, caprec, freerec; /* free records chained through req */
	int oom;
};

static size_t hash_of(uint64_t addr, size_t cap)
{
	return (size_t)(((addr >> 4) * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

static int hash_resize(struct sim *S, size_t nc)
{
	struct slot *ns = calloc(nc, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < S->cap; i++) {
		if (!S->slot[i].addr)
			continue;
		size_t h = hash_of(S->slot[i].addr, nc);
		while (ns[h].addr)
			h = (h + 1) & (nc - 1);
		ns[h] = S->slot[i];
	}
	free(S->slot);
	S->slot = ns;
	S->cap = nc;
	return 0;
}

static int hash_put(struct sim *S, uint64_t addr, uint32_t rec)
{
	if ((S->count + 1) * 2 > S->cap && hash_resize(S, S->cap ? S->cap * 2 : 1024) != 0)
		return -1;
	size_t h = hash_of(addr, S->cap);
	while (S->slot[h].addr)
		h = (h + 1) & (S->cap - 1);
	S->slot[h] = (struct slot){addr, rec};
	S->count++;
	return 0;
}

/* Remove addr; its record index, or UINT32_MAX if not live. */
static uint32_t hash_take(struct sim *S, uint64_t addr)
{
	if (!S->cap || !addr)
		return UINT32_MAX;
	size_t mask = S->cap - 1, h = hash_of(addr, S->cap);
	while (S->slot[h].addr && S->slot[h].addr != addr)
		h = (h + 1) & mask;
	if (!S->slot[h].addr)
		return UINT32_MAX;
	uint32_t rec = S->slot[h].rec;
	/* backward-shift deletion */
	size_t hole = h;
	for (size_t i = (h + 1) & mask; S->slot[i].addr; i = (i + 1) & mask) {
		size_t home = hash_of(S->slot[i].addr, S->cap);
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			S->slot[hole] = S->slot[i];
			hole = i;
		}
	}
	S->slot[hole].addr = 0;
	S->count--;
	if (S->cap > 4096 && S->count * 8 < S->cap)
		hash_resize(S, S->cap / 2); /* on failure the bigger table stays */
	return rec;
}

static uint32_t rec_new(struct sim *S)
{
	if (S->freerec != UINT32_MAX) {
		uint32_t r = S->freerec;
		S->freerec = (uint32_t)S->rec[r].req;
		return r;
	}
	if (S->nrec == S->caprec) {
		uint32_t nc = S->caprec ? S->caprec * 2 : 1024;
		struct rec *n = nc > S->caprec ? realloc(S->rec, (size_t)nc * sizeof *n) : NULL;
		if (!n)
			return UINT32_MAX;
		S->rec = n;
		S->caprec = nc;
	}
	return S->nrec++;
}

static void rec_free(struct sim *S, uint32_t r)
{
	S->rec[r].req = S->freerec;
	S->freerec = r;
}

/* ---- the replay -------------------------------------------------------------- */

static void block_alloc(struct sim *S, struct rec *b, uint64_t req)
{
	struct hs_sim_result *res = S->out->s;
	b->req = req;
	if (req > MAX_REQUEST) {
		for (unsigned i = 0; i < NCONT; i++)
			b->cont[i] = NONE;
		b->bud = b->hs = NONE;
		for (unsigned i = 0; i < HS_SIM_STRATEGIES; i++)
			res[i].failed++;
		return;
	}
	for (unsigned i = 0; i < NCONT; i++)
		b->cont[i] = c_alloc(&S->P, &S->c[i], &res[i], req);
	b->bud = pure_alloc(&S->P, &S->pure, &res[HS_SIM_BUDDY], req);
	b->hs = hsim_alloc(&S->P, &S->hs, &res[HS_SIM_HEAPSCOPE], req);
}

static void block_free(struct sim *S, const struct rec *b)
{
	for (unsigned i = 0; i < NCONT; i++)
		c_free(&S->P, &S->c[i], b->cont[i], b->req);
	pure_free(&S->P, &S->pure, b->bud, b->req);
	hsim_free(&S->P, &S->hs, b->hs, b->req);
}

static void block_realloc(struct sim *S, struct rec *b, uint64_t req)
{
	struct hs_sim_result *res = S->out->s;
	if (req > MAX_REQUEST) {
		block_free(S, b);
		block_alloc(S, b, req);
		return;
	}
	for (unsigned i = 0; i < NCONT; i++)
		b->cont[i] = c_realloc(&S->P, &S->c[i], &res[i], b->cont[i], b->req, req);
	b->bud = pure_realloc(&S->P, &S->pure, &res[HS_SIM_BUDDY], b->bud, b->req, req);
	b->hs = hsim_realloc(&S->P, &S->hs, &res[HS_SIM_HEAPSCOPE], b->hs, b->req, req);
	b->req = req;
}

/* A block was placed at addr: it replaces whatever the trace had there
 * (only a corrupt trace allocates a live address twice). */
static void place(struct sim *S, uint64_t addr, uint32_t r)
{
	uint32_t old = hash_take(S, addr);
	if (old != UINT32_MAX) {
		block_free(S, &S->rec[old]);
		rec_free(S, old);
	}
	if (hash_put(S, addr, r) != 0)
		S->oom = 1;
}

static void on_event(const struct hs_event *ev, void *ctx)
{
	struct sim *S = ctx;
	if (S->oom || S->P.oom || S->hs.oom)
		return;
	switch (ev->kind) {
	case HS_EVENT_ALLOC: {
		S->out->allocations++;
		uint32_t r = rec_new(S);
		if (r == UINT32_MAX) {
			S->oom = 1;
			return;
		}
		uint32_t old = hash_take(S, ev->addr);
		if (old != UINT32_MAX) {
			block_free(S, &S->rec[old]);
			rec_free(S, old);
		}
		block_alloc(S, &S->rec[r], ev->size);
		place(S, ev->addr, r);
		break;
	}
	case HS_EVENT_FREE: {
		S->out->frees++;
		uint32_t r = hash_take(S, ev->addr);
		if (r == UINT32_MAX) {
			S->out->unknown_frees++;
			return;
		}
		block_free(S, &S->rec[r]);
		rec_free(S, r);
		break;
	}
	case HS_EVENT_REALLOC: {
		S->out->reallocs++;
		uint32_t r = hash_take(S, ev->old);
		if (r == UINT32_MAX) {
			/* resized a block from before recording: a new block here */
			r = rec_new(S);
			if (r == UINT32_MAX) {
				S->oom = 1;
				return;
			}
			block_alloc(S, &S->rec[r], ev->size);
		} else {
			block_realloc(S, &S->rec[r], ev->size);
		}
		place(S, ev->addr, r);
		break;
	}
	}
}

static const char *const strategy_name[HS_SIM_STRATEGIES] = {
	"first-fit", "next-fit", "best-fit", "worst-fit", "buddy", "heapscope"};

int hs_simulate_trace(const char *path, struct hs_sim_report *out, char *err, size_t errlen)
{
	struct sim *S = calloc(1, sizeof *S);
	if (!S) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	memset(out, 0, sizeof *out);
	for (unsigned i = 0; i < HS_SIM_STRATEGIES; i++) {
		out->s[i].name = strategy_name[i];
		out->s[i].has_search = i < NCONT;
	}
	S->out = out;
	S->P.rng = 0x2545f4914f6cdd1dull;
	/* node 0, the empty tree, exists from the start */
	if (pool_grow(&S->P) != 0) {
		free(S);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	S->freerec = UINT32_MAX;
	for (unsigned i = 0; i < NCONT; i++)
		S->c[i].policy = i;
	S->pure.b.shift = 4;
	S->pure.b.doubling = 1;
	S->hs.pb.shift = HS_PAGE_SHIFT;
	S->hs.pb.max_order = HS_BUDDY_MAX_ORDER;
	for (unsigned c = 0; c < HS_SLAB_CLASSES; c++) {
		S->hs.order[c] = hs_slab_order(c);
		S->hs.nobj[c] = (unsigned)((HS_PAGE_SIZE << S->hs.order[c]) / hs_class_size[c]);
	}
	int rc = hs_events_replay(path, on_event, S, err, errlen);
	if (rc == 0 && (S->oom || S->P.oom || S->hs.oom)) {
		snprintf(err, errlen, "%s: out of memory while simulating", path);
		rc = -1;
	}
	free(S->P.n);
	free(S->slot);
	free(S->rec);
	free(S->hs.slab);
	free(S->hs.spare);
	free(S);
	return rc;
}

/* ---- results kept for the report writers ----------------------------------- */

struct kept {
	const struct hs_process *p;
	struct hs_sim_report r;
};

static struct kept *kept;
static size_t nkept, capkept;

int hs_simulate_process(const struct hs_process *p)
{
	struct hs_sim_report r;
	char err[512];
	if (hs_simulate_trace(p->path, &r, err, sizeof err) != 0) {
		fprintf(stderr, "heapscope: simulate: %s\n", err);
		return -1;
	}
	if (nkept == capkept) {
		size_t nc = capkept ? capkept * 2 : 8;
		struct kept *n = realloc(kept, nc * sizeof *n);
		if (!n) {
			fprintf(stderr, "heapscope: simulate: out of memory\n");
			return -1;
		}
		kept = n;
		capkept = nc;
	}
	kept[nkept++] = (struct kept){p, r};
	return 0;
}

const struct hs_sim_report *hs_simulate_result(const struct hs_process *p)
{
	for (size_t i = 0; i < nkept; i++)
		if (kept[i].p == p)
			return &kept[i].r;
	return NULL;
}

void hs_simulate_forget(void)
{
	free(kept);
	kept = NULL;
	nkept = capkept = 0;
}

static double avg_search(const struct hs_sim_result *s)
{
	return s->searches ? (double)s->examined / (double)s->searches : 0.0;
}

void hs_simulate_write_json(struct hs_json *j, const struct hs_process *p)
{
	const struct hs_sim_report *r = hs_simulate_result(p);
	if (!r) {
		hs_json_null(j);
		return;
	}
	hs_json_begin_object(j);
	hs_json_key(j, "strategies");
	hs_json_begin_array(j);
	for (unsigned i = 0; i < HS_SIM_STRATEGIES; i++) {
		const struct hs_sim_result *s = &r->s[i];
		hs_json_begin_object(j);
		hs_json_key(j, "name");
		hs_json_string(j, s->name);
		hs_json_key(j, "peak_footprint_bytes");
		hs_json_uint(j, s->peak_footprint);
		hs_json_key(j, "peak_live_bytes");
		hs_json_uint(j, s->peak_live);
		hs_json_key(j, "peak_requested_bytes");
		hs_json_uint(j, s->peak_requested);
		hs_json_key(j, "external_fragmentation_at_peak");
		hs_json_double(j, s->external_at_peak);
		hs_json_key(j, "average_search_length");
		if (s->has_search)
			hs_json_double(j, avg_search(s));
		else
			hs_json_null(j);
		hs_json_key(j, "compaction_reclaim_bytes");
		hs_json_uint(j, s->compaction_reclaim);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_end_object(j);
}


void hs_simulate_write_text(FILE *f, const struct hs_process *p)
{
	const struct hs_sim_report *r = hs_simulate_result(p);
	if (!r)
		return;
	unsigned long long pid = (unsigned long long)p->pid;
	char b1[32], b2[32], b3[32];
	fprintf(f, "==%llu== ALLOCATOR SIMULATION: %s allocations, %s reallocations, %s frees replayed\n", pid,
		hs_thousands(b1, r->allocations), hs_thousands(b2, r->reallocs), hs_thousands(b3, r->frees));
	fprintf(f, "==%llu==   %-10s %16s %16s %10s %10s %16s\n", pid, "strategy", "peak footprint",
		"live at peak", "ext. frag", "avg search", "compaction frees");
	for (unsigned i = 0; i < HS_SIM_STRATEGIES; i++) {
		const struct hs_sim_result *s = &r->s[i];
		char search[32];
		if (s->has_search)
			snprintf(search, sizeof search, "%.2f", avg_search(s));
		else
			snprintf(search, sizeof search, "-");
		fprintf(f, "==%llu==   %-10s %16s %16s %9.1f%% %10s %16s\n", pid, s->name, hs_thousands(b1, s->peak_footprint),
			hs_thousands(b2, s->peak_live), 100.0 * s->external_at_peak, search, hs_thousands(b3, s->compaction_reclaim));
	}
	fprintf(f, "==%llu==   (bytes; footprint: break, arena or pages at their high-water mark; "
		   "live: the blocks as that allocator holds them then)\n==%llu==\n", pid, pid);
}
