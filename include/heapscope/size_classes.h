/* size_classes.h — heapscope's allocator geometry, shared by the allocator
 * (preload/) and the analyzer, which replays allocations against it and
 * computes rounding waste: slab size classes, page size, buddy orders. */
#ifndef HEAPSCOPE_SIZE_CLASSES_H
#define HEAPSCOPE_SIZE_CLASSES_H

#include <stddef.h>
#include <stdint.h>

#define HS_PAGE_SHIFT 12
#define HS_PAGE_SIZE ((size_t)1 << HS_PAGE_SHIFT)

/* Buddy orders 0..HS_BUDDY_MAX_ORDER: 4 KiB .. 1 MiB. A request that needs
 * more than 1 MiB is "large" and gets its own mapping, as glibc does above
 * its mmap threshold. */
#define HS_BUDDY_MAX_ORDER 8
#define HS_BUDDY_ORDERS (HS_BUDDY_MAX_ORDER + 1)

/* Slab classes: 16 B to 3584 B, about four per power of two. */
#define HS_SLAB_CLASSES 27
#define HS_SLAB_MAX_SIZE 3584

static const uint16_t hs_class_size[HS_SLAB_CLASSES] = {
	16, 32, 48, 64, 80, 96, 112, 128,
	160, 192, 224, 256,
	320, 384, 448, 512,
	640, 768, 896, 1024,
	1280, 1536, 1792, 2048,
	2560, 3072, 3584,
};

/* (size + 15) >> 4 → class, for sizes up to 1024 */
static const uint8_t hs_small_class[(1024 >> 4) + 1] = {
	0, 0, 1, 2, 3, 4, 5, 6, 7,	/* 0..128 */
	8, 8, 9, 9, 10, 10, 11, 11,	/* ..256 */
	12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 15, /* ..512 */
	16, 16, 16, 16, 16, 16, 16, 16, 17, 17, 17, 17, 17, 17, 17, 17,
	18, 18, 18, 18, 18, 18, 18, 18, 19, 19, 19, 19, 19, 19, 19, 19, /* ..1024 */
};

/* Class index for a size in 0..HS_SLAB_MAX_SIZE. */
static inline unsigned hs_size_class(size_t size)
{
	if (__builtin_expect(size <= 1024, 1))
		return hs_small_class[(size + 15) >> 4];
	/* 1280..2048 in steps of 256, then 2560..3584 in steps of 512 */
	if (size <= 2048)
		return 20 + (unsigned)((size - 1025) >> 8);
	return 24 + (unsigned)((size - 2049) >> 9);
}

/* Pages per slab of a class: the smallest slab (1..16 pages) holding at
 * least 8 objects with under 1/16 waste. */
static inline unsigned hs_slab_order(unsigned cls)
{
	size_t size = hs_class_size[cls];
	unsigned order = 0;
	for (; order < 4; order++) {
		size_t bytes = HS_PAGE_SIZE << order;
		size_t n = bytes / size;
		if (n >= 8 && (bytes - n * size) * 16 <= bytes)
			break;
	}
	return order;
}

/* Smallest buddy order whose block holds `size` bytes; -1 above the maximum. */
static inline int hs_order_for(size_t size)
{
	for (unsigned o = 0; o < HS_BUDDY_ORDERS; o++)
		if (size <= (HS_PAGE_SIZE << o))
			return (int)o;
	return -1;
}

#endif
