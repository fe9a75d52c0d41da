/* pages.c — every mmap, munmap, mprotect, madvise and mremap heapscope makes.
 * Keeping them in one file makes the mapping budget (vm.max_map_count) and
 * the syscall cost auditable. Never allocates; preserves errno for callers
 * on the free path. */
#define _GNU_SOURCE
#include "pages.h"

#include <errno.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

#include "hs_internal.h"
#include "lock.h"

/* Registry of heapscope's own mappings. Slots are reused when freed (lo=0).
 * Writers hold `lock`; readers (the leak scan, with other threads paused)
 * read without it. Mappings beyond the registry's size are still served,
 * only not excluded from the scan's roots. */
#define INTERNAL_MAX 8192
static struct {
	hs_lock_t lock;
	unsigned used; /* slots [0, used) have been written */
	struct {
		uintptr_t lo, hi;
	} slot[INTERNAL_MAX];
} reg;

static void reg_add_locked(void *p, size_t size)
{
	unsigned i = 0;
	while (i < reg.used && reg.slot[i].lo)
		i++;
	if (i < INTERNAL_MAX) {
		reg.slot[i].hi = (uintptr_t)p + size;
		__atomic_store_n(&reg.slot[i].lo, (uintptr_t)p, __ATOMIC_RELEASE);
		if (i == reg.used)
			reg.used++;
	}
}

static void reg_add(void *p, size_t size)
{
	hs_lock(&reg.lock);
	reg_add_locked(p, size);
	hs_unlock(&reg.lock);
}

static void reg_remove(void *p)
{
	hs_lock(&reg.lock);
	for (unsigned i = 0; i < reg.used; i++)
		if (reg.slot[i].lo == (uintptr_t)p) {
			__atomic_store_n(&reg.slot[i].lo, 0, __ATOMIC_RELEASE);
			break;
		}
	hs_unlock(&reg.lock);
}

void hs_pages_lock(void)
{
	hs_lock(&reg.lock);
}

void hs_pages_unlock(void)
{
	hs_unlock(&reg.lock);
}

void hs_pages_reset_lock(void)
{
	hs_lock_reset(&reg.lock);
}

int hs_pages_each_internal(uintptr_t lo, uintptr_t hi, int (*fn)(uintptr_t a, uintptr_t b, void *ctx), void *ctx)
{
	unsigned used = __atomic_load_n(&reg.used, __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < used; i++) {
		uintptr_t a = __atomic_load_n(&reg.slot[i].lo, __ATOMIC_ACQUIRE);
		if (a && a < hi && lo < reg.slot[i].hi && fn(a, reg.slot[i].hi, ctx))
			return 1;
	}
	return 0;
}

static int stop(uintptr_t a, uintptr_t b, void *ctx)
{
	(void)a;
	(void)b;
	(void)ctx;
	return 1;
}

int hs_pages_is_internal(uintptr_t lo, uintptr_t hi)
{
	return hs_pages_each_internal(lo, hi, stop, NULL);
}

void *hs_pages_map_internal(size_t size, int how)
{
	void *p = hs_pages_map(size, how);
	if (p)
		reg_add(p, size);
	return p;
}

void *hs_pages_map_internal_try(size_t size, int how)
{
	void *p = hs_pages_map(size, how);
	if (!p)
		return NULL;
	if (!hs_trylock(&reg.lock)) {
		hs_pages_unmap(p, size);
		return NULL;
	}
	reg_add_locked(p, size);
	hs_unlock(&reg.lock);
	return p;
}

void hs_pages_unmap_internal(void *p, size_t size)
{
	reg_remove(p);
	hs_pages_unmap(p, size);
}

void *hs_pages_remap_internal(void *p, size_t old_size, size_t new_size)
{
	void *q = hs_pages_remap(p, old_size, new_size);
	if (q) {
		reg_remove(p);
		reg_add(q, new_size);
	}
	return q;
}

void *hs_pages_reserve(size_t size, size_t align)
{
	size_t span = size + align;
	char *p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	char *start = (char *)hs_align_up((uintptr_t)p, align);
	if (start > p)
		munmap(p, (size_t)(start - p));
	char *end = start + size;
	if (p + span > end)
		munmap(end, (size_t)(p + span - end));
	return start;
}

void *hs_pages_map(size_t size, int how)
{
	/* populated ones are MAP_NORESERVE too: the kernel merges neighbouring
	 * mappings whose flags agree, and one of ours merged into the
	 * program's would hide that memory from the leak scan's roots */
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | (how ? MAP_NORESERVE : 0) |
		    (how == HS_PAGES_POPULATE ? MAP_POPULATE : 0);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void hs_pages_unmap(void *p, size_t size)
{
	int saved = errno;
	munmap(p, size);
	errno = saved;
}

int hs_pages_commit(void *p, size_t size)
{
	return mprotect(p, size, PROT_READ | PROT_WRITE);
}

#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24 /* Linux 5.18 */
#endif
void hs_pages_decommit(void *p, size_t size)
{
	int saved = errno;
	/* Every caller counts on the pages reading as zeros afterwards (a
	 * free chunk flagged zero, a reused guard slot, calloc). Pages locked
	 * by mlockall refuse MADV_DONTNEED: calloc then returned old data. */
	if (madvise(p, size, MADV_DONTNEED) != 0 && madvise(p, size, MADV_DONTNEED_LOCKED) != 0)
		memset(p, 0, size);
	errno = saved;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif
int hs_pages_populate(void *p, size_t size)
{
	int saved = errno;
	int r = madvise(p, size, MADV_POPULATE_WRITE);
	errno = saved;
	return r;
}

int hs_pages_protect_none(void *p, size_t size)
{
	return mprotect(p, size, PROT_NONE);
}

int hs_pages_protect_rw(void *p, size_t size)
{
	return mprotect(p, size, PROT_READ | PROT_WRITE);
}

void *hs_pages_remap(void *p, size_t old_size, size_t new_size)
{
	void *q = mremap(p, old_size, new_size, MREMAP_MAYMOVE);
	return q == MAP_FAILED ? NULL : q;
}
