/* trace_format.h — what preload/ and analyzer/ both need to agree on.
 *
 * This header is the single definition of the vocabulary shared by the
 * process being traced and the offline analyzer. Today it holds the
 * allocation-API enumeration that every block remembers; the trace records
 * (header, module map, stacks, events, footer) are added here, versioned,
 * when recording lands. Values are part of the on-disk format: append new
 * ones, never renumber.
 */
#ifndef HEAPSCOPE_TRACE_FORMAT_H
#define HEAPSCOPE_TRACE_FORMAT_H

#include <stdint.h>

/* The call that created or released a block. */
enum hs_api {
	HS_API_NONE = 0,
	HS_API_MALLOC = 1,
	HS_API_CALLOC = 2,
	HS_API_REALLOC = 3,
	HS_API_MEMALIGN = 4,
	HS_API_POSIX_MEMALIGN = 5,
	HS_API_ALIGNED_ALLOC = 6,
	HS_API_VALLOC = 7,
	HS_API_PVALLOC = 8,
	HS_API_NEW = 9,
	HS_API_NEW_ARRAY = 10,
	HS_API_NEW_ALIGNED = 11,
	HS_API_NEW_ARRAY_ALIGNED = 12,
	HS_API_FREE = 13,
	HS_API_DELETE = 14,
	HS_API_DELETE_ARRAY = 15,
	HS_API_DELETE_ALIGNED = 16,
	HS_API_DELETE_ARRAY_ALIGNED = 17,
	HS_API_COUNT
};

/* Which release call a block allocated by `api` must be given back with:
 * the families whose mixing is a "mismatched-free". */
enum hs_family {
	HS_FAMILY_NONE = 0,
	HS_FAMILY_MALLOC = 1,	   /* malloc, calloc, realloc, *align*, valloc → free */
	HS_FAMILY_NEW = 2,	   /* operator new → operator delete */
	HS_FAMILY_NEW_ARRAY = 3,   /* operator new[] → operator delete[] */
};

static inline enum hs_family hs_api_family(unsigned api)
{
	switch (api) {
	case HS_API_MALLOC: case HS_API_CALLOC: case HS_API_REALLOC:
	case HS_API_MEMALIGN: case HS_API_POSIX_MEMALIGN: case HS_API_ALIGNED_ALLOC:
	case HS_API_VALLOC: case HS_API_PVALLOC: case HS_API_FREE:
		return HS_FAMILY_MALLOC;
	case HS_API_NEW: case HS_API_NEW_ALIGNED:
	case HS_API_DELETE: case HS_API_DELETE_ALIGNED:
		return HS_FAMILY_NEW;
	case HS_API_NEW_ARRAY: case HS_API_NEW_ARRAY_ALIGNED:
	case HS_API_DELETE_ARRAY: case HS_API_DELETE_ARRAY_ALIGNED:
		return HS_FAMILY_NEW_ARRAY;
	default:
		return HS_FAMILY_NONE;
	}
}

static inline const char *hs_api_name(unsigned api)
{
	static const char *const names[HS_API_COUNT] = {
		"none", "malloc", "calloc", "realloc", "memalign", "posix_memalign",
		"aligned_alloc", "valloc", "pvalloc", "new", "new[]", "new(align)",
		"new[](align)", "free", "delete", "delete[]", "delete(align)",
		"delete[](align)",
	};
	return api < HS_API_COUNT ? names[api] : "unknown";
}

#endif
