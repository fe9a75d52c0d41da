/* hs_internal.h — constants and tiny helpers shared by every preload file.
 *
 * Glossary of the allocator (read this first):
 *   page    4 KiB, the unit of the page map and of the buddy allocator.
 *   heap    one reserved, contiguous address range holding every slab and
 *           buddy block; "is this pointer ours" is a range check on it.
 *   chunk   a max-order buddy block (HS_CHUNK_SIZE), the unit by which the
 *           heap's committed top grows.
 *   slab    a run of pages cut into equal objects of one size class.
 *   large   a request above the largest buddy order, served by its own mmap.
 *   meta    hs_meta_t, the out-of-band record of one user block.
 *
 * Nothing in preload/ may call malloc or stdio: heapscope *is* malloc here.
 */
#ifndef HS_INTERNAL_H
#define HS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <heapscope/size_classes.h> /* page size, orders, slab classes */

#define HS_CHUNK_SIZE (HS_PAGE_SIZE << HS_BUDDY_MAX_ORDER)

/* Address space reserved for slab and buddy blocks (never committed up
 * front; blocks above 1 MiB have mappings of their own, outside it). */
#define HS_HEAP_RESERVE ((size_t)16 << 30)
#define HS_HEAP_RESERVE_MIN ((size_t)256 << 20)

/* Every block honours malloc's 16-byte alignment. */
#define HS_MIN_ALIGN 16

#define HS_LIKELY(x) __builtin_expect(!!(x), 1)
#define HS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define HS_HIDDEN __attribute__((visibility("hidden")))
#define HS_EXPORT __attribute__((visibility("default")))
/* Another exported name for the same function f (defined above it). */
#define HS_ALIAS(f) __attribute__((alias(#f), copy(f)))
#define HS_TLS __attribute__((tls_model("initial-exec")))

static inline size_t hs_align_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

static inline int hs_is_pow2(size_t n)
{
	return n && !(n & (n - 1));
}

#endif
