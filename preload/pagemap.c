/* pagemap.c — reserves the heap's address range and its page map at init.
 * Nothing here is committed: heap pages are committed chunk by chunk by the
 * buddy allocator, page-map entries by first touch. */
#include "pagemap.h"

#include "pages.h"

struct hs_heap hs_heap;

int hs_heap_init(void)
{
	/* Ask for 16 GiB of address space; under an address-space rlimit,
	 * settle for less rather than fail. */
	for (size_t size = HS_HEAP_RESERVE; size >= HS_HEAP_RESERVE_MIN; size /= 2) {
		size_t npages = size >> HS_PAGE_SHIFT;
		hs_page_t *map = hs_pages_map_internal(npages * sizeof(hs_page_t), HS_PAGES_LAZY);
		if (!map)
			continue;
		char *base = hs_pages_reserve(size, HS_CHUNK_SIZE);
		if (!base) {
			hs_pages_unmap_internal(map, npages * sizeof(hs_page_t));
			continue;
		}
		hs_heap.map = map;
		hs_heap.npages = (uint32_t)npages;
		hs_heap.size = size;
		hs_heap.base = base;
		return 0;
	}
	return -1;
}
