/* large.c — blocks above 1 MiB, each in a mapping of its own (as glibc does
 * above its mmap threshold), so freeing one returns its memory at once.
 *
 * A block is found from its address through an open-addressing hash table
 * (linear probing, tombstones, grown at 1/2 load) of entries allocated in
 * the internal arena. Guarded by `lock`; the table never calls malloc.
 */
#define _GNU_SOURCE
#include "large.h"

#include <errno.h>
#include <string.h>

#include "arena.h"
#include "hs_internal.h"
#include "lock.h"
#include "buddy.h"
#include "pages.h"
#include "snapshot.h"

#define TOMB ((struct hs_large *)1)

static struct {
	hs_lock_t lock;
	struct hs_large **slot;
	size_t cap, used, tombs; /* used counts live entries */
	struct hs_large_stats st;
} large;

static size_t hash(const void *p)
{
	uint64_t x = (uintptr_t)p >> HS_PAGE_SHIFT;
	x *= 0x9E3779B97F4A7C15ull;
	return (size_t)(x >> 17);
}

static int insert_locked(struct hs_large *e);

static int grow_locked(void)
{
	size_t ncap = large.cap ? large.cap * 2 : 256;
	if (large.used * 4 < large.cap)
		ncap = large.cap; /* mostly tombstones: rehash at the same size */
	struct hs_large **nslot = hs_arena_alloc(ncap * sizeof *nslot);
	if (!nslot)
		return -1;
	struct hs_large **old = large.slot;
	size_t ocap = large.cap;
	large.slot = nslot;
	large.cap = ncap;
	large.used = 0;
	large.tombs = 0;
	for (size_t i = 0; i < ocap; i++)
		if (old[i] && old[i] != TOMB)
			insert_locked(old[i]);
	hs_arena_free(old, ocap * sizeof *old);
	return 0;
}

/* Make room for one more entry so that insert_locked cannot fail. */
static int ensure_room_locked(void)
{
	if ((large.used + large.tombs + 1) * 2 > large.cap)
		return grow_locked();
	return 0;
}

static int insert_locked(struct hs_large *e)
{
	if (ensure_room_locked() != 0)
		return -1;
	size_t mask = large.cap - 1;
	for (size_t i = hash(e->user) & mask;; i = (i + 1) & mask) {
		if (!large.slot[i] || large.slot[i] == TOMB) {
			if (large.slot[i] == TOMB)
				large.tombs--;
			large.slot[i] = e;
			large.used++;
			return 0;
		}
	}
}

static size_t find_locked(const void *p)
{
	if (!large.cap)
		return SIZE_MAX;
	size_t mask = large.cap - 1;
	for (size_t i = hash(p) & mask;; i = (i + 1) & mask) {
		struct hs_large *e = large.slot[i];
		if (!e)
			return SIZE_MAX;
		if (e != TOMB && e->user == p)
			return i;
	}
}

struct hs_large *hs_large_alloc(size_t size, size_t align, unsigned api)
{
	if (align < HS_PAGE_SIZE)
		align = HS_PAGE_SIZE;
	/* at least a page: a zero-size block still needs an address of its own */
	size_t len = hs_align_up(size ? size : 1, HS_PAGE_SIZE);
	if (len < size || len + align < len) {
		errno = ENOMEM;
		return NULL;
	}
	size_t span = len + (align > HS_PAGE_SIZE ? align : 0);
	char *map = hs_pages_map(span, 0);
	if (!map) {
		errno = ENOMEM;
		return NULL;
	}
	char *user = (char *)hs_align_up((uintptr_t)map, align);
	if (user > map)
		hs_pages_unmap(map, (size_t)(user - map));
	if (map + span > user + len)
		hs_pages_unmap(user + len, (size_t)(map + span - (user + len)));
	struct hs_large *e = hs_arena_alloc(sizeof *e);
	if (!e) {
		hs_pages_unmap(user, len);
		errno = ENOMEM;
		return NULL;
	}
	e->user = user;
	e->map = user;
	e->mapped = len;
	e->size = size;
	e->meta.state = HS_STATE_LIVE;
	e->meta.api = (uint8_t)api;
	e->meta.size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
	hs_large_lock();
	if (insert_locked(e) != 0) {
		hs_large_unlock();
		hs_pages_unmap(user, len);
		hs_arena_free(e, sizeof *e);
		errno = ENOMEM;
		return NULL;
	}
	large.st.blocks++;
	large.st.requested += size;
	large.st.mapped += len;
	hs_large_unlock();
	hs_snapshot_note_growth(large.st.mapped + hs_buddy_committed_bytes());
	return e;
}

struct hs_large *hs_large_find(const void *p)
{
	hs_large_lock();
	size_t i = find_locked(p);
	struct hs_large *e = i == SIZE_MAX ? NULL : large.slot[i];
	hs_large_unlock();
	return e;
}

int hs_large_find_containing(const void *p, struct hs_large *out)
{
	int found = 0;
	hs_large_lock();
	for (size_t i = 0; i < large.cap && !found; i++) {
		struct hs_large *e = large.slot[i];
		if (e && e != TOMB && (const char *)p >= e->map &&
		    (const char *)p < e->map + e->mapped) {
			*out = *e;
			found = 1;
		}
	}
	hs_large_unlock();
	return found;
}

void hs_large_free(void *p)
{
	hs_large_lock();
	size_t i = find_locked(p);
	if (i == SIZE_MAX) {
		hs_large_unlock();
		return;
	}
	struct hs_large *e = large.slot[i];
	large.slot[i] = TOMB;
	large.used--;
	large.tombs++;
	large.st.blocks--;
	large.st.requested -= e->size;
	large.st.mapped -= e->mapped;
	hs_large_unlock();
	hs_pages_unmap(e->map, e->mapped);
	hs_arena_free(e, sizeof *e);
}

void *hs_large_realloc(void *p, size_t new_size)
{
	size_t len = hs_align_up(new_size, HS_PAGE_SIZE);
	if (len < new_size)
		return NULL;
	hs_large_lock();
	size_t i = find_locked(p);
	if (i == SIZE_MAX) {
		hs_large_unlock();
		return NULL;
	}
	struct hs_large *e = large.slot[i];
	if (ensure_room_locked() != 0) {
		hs_large_unlock();
		return NULL;
	}
	i = find_locked(p); /* the table may have been rehashed */
	/* Only page-aligned blocks can move with mremap: the user pointer must
	 * be the mapping start (over-aligned blocks are, since we trim). */
	char *q = len == e->mapped ? e->map : hs_pages_remap(e->map, e->mapped, len);
	if (!q) {
		hs_large_unlock();
		return NULL;
	}
	large.st.requested += new_size - e->size;
	large.st.mapped += len - e->mapped;
	if (q != e->user) {
		large.slot[i] = TOMB;
		large.used--;
		large.tombs++;
		e->user = e->map = q;
		e->mapped = len;
		e->size = new_size;
		insert_locked(e); /* cannot fail: room was ensured above */
	} else {
		e->mapped = len;
		e->size = new_size;
	}
	e->meta.size = new_size > UINT32_MAX ? UINT32_MAX : (uint32_t)new_size;
	hs_large_unlock();
	return q;
}

uint64_t hs_large_mapped_bytes(void)
{
	return __atomic_load_n(&large.st.mapped, __ATOMIC_RELAXED);
}

void hs_large_stats(struct hs_large_stats *out)
{
	hs_large_lock();
	*out = large.st;
	hs_large_unlock();
}

size_t hs_large_collect_unlocked(struct hs_large **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < large.cap && n < max; i++) {
		struct hs_large *e = large.slot[i];
		if (e && e != TOMB && e->meta.state == HS_STATE_LIVE)
			out[n++] = e;
	}
	return n;
}

void hs_large_each_mapping(void (*fn)(uintptr_t lo, uintptr_t hi, void *ctx), void *ctx)
{
	hs_large_lock();
	for (size_t i = 0; i < large.cap; i++) {
		struct hs_large *e = large.slot[i];
		if (e && e != TOMB && e->meta.state == HS_STATE_LIVE)
			fn((uintptr_t)e->map, (uintptr_t)e->map + e->mapped, ctx);
	}
	hs_large_unlock();
}

size_t hs_large_count_unlocked(void)
{
	return large.used;
}

void hs_large_lock(void)
{
	hs_lock(&large.lock);
}

void hs_large_unlock(void)
{
	hs_unlock(&large.lock);
}

void hs_large_reset_lock(void)
{
	hs_lock_reset(&large.lock);
}
