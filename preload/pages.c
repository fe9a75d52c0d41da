/* pages.c — every mmap, munmap, mprotect, madvise and mremap heapscope makes.
 * Keeping them in one file makes the mapping budget (vm.max_map_count) and
 * the syscall cost auditable. Never allocates; preserves errno for callers
 * on the free path. */
#define _GNU_SOURCE
#include "pages.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "hs_internal.h"

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

void *hs_pages_map(size_t size, int lazy)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | (lazy ? MAP_NORESERVE : 0);
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

void hs_pages_decommit(void *p, size_t size)
{
	int saved = errno;
	madvise(p, size, MADV_DONTNEED);
	errno = saved;
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
