/* trace_format.h — the heapscope trace (.hst) format, and the vocabulary
 * preload/ (the writer, in the traced process) and analyzer/ (the reader)
 * share. Nothing here allocates or depends on either side.
 *
 * A trace is a 16-byte file header followed by records:
 *
 *     header  := "HSTRACE\0" u32le:version u32le:flags
 *     record  := u8:type u32le:length payload[length]
 *
 * Records are only ever appended, each written whole; a reader stops at the
 * first record that does not fit in the file (a trace cut off by SIGKILL)
 * and reports what came before. Unknown record types are skipped by length,
 * so adding a record type does not need a version bump; changing the layout
 * of an existing one does. Integers inside payloads are LEB128 varints
 * (signed ones zigzag-encoded); strings are varint length + bytes.
 *
 * Record payloads:
 *   INFO     pid ppid start_unix_ns page_size exe:str argc argv:str... options:str
 *   MODULES  generation count { path:str base build_id:bytes nseg { vaddr memsz flags } }
 *            — the complete module map from this point on (replaces the previous).
 *   STACK    id n frame0 { zigzag(frame[i] - frame[i-1]) }   (return addresses)
 *   STACK_REF id ref keep n zigzag(frame0 - ref.frame0) { zigzag(frame[i] - frame[i-1]) }
 *            — the n frames given, then the last `keep` frames of stack `ref`
 *            (defined earlier; keep >= 2): stacks share their outer frames.
 *            Every id is defined before a record names it, once per trace,
 *            in no particular order: ids are the process's, and a fork
 *            child's trace defines the ids it inherited when it names them.
 *   EVENTS   a run of events, see below
 *   EXIT     how:varint value:varint leak_check:varint reason:str
 *   LEAKS    trigger live_blocks threads unscanned_threads ngroups { kind stack api blocks bytes }
 *            — the result of one reachability scan (trigger: HS_LEAKCHECK_*),
 *            blocks grouped by (kind, allocation stack, allocating API); kind is
 *            enum hs_leak_kind, api enum hs_api.
 *   ERROR    kind access size address detected region api alloc_api free_api
 *            has_block [block_start block_size zigzag(offset)] alloc_stack free_stack
 *            tid nframes { frame } — one memory error; the current stack is
 *            inline (raw return addresses: it may come from a signal handler,
 *            where the stack depot cannot be used), the block's stacks are ids.
 *   SNAPSHOT t_ms  nclasses { slabs_empty slabs_partial slabs_full capacity live requested }
 *            norders { used_blocks slab_blocks free_blocks requested } committed zero_free
 *            large_blocks large_requested large_mapped guard_live_bytes guard_slot_bytes
 *            quarantine_bytes internal_bytes rss minflt majflt
 *            nseg { kind virtual } has_resident [ nseg { kind resident } ]
 *            — the allocator's state and the process's segments (enum hs_segment),
 *            every snapshot_ms of run time and at exit. Class i has size
 *            hs_class_size[i] (size_classes.h); order k blocks are 4 KiB << k.
 *   GUARD    guarded_blocks budget budget_exhausted map_failed peak_live — how
 *            many blocks got guard pages (written at exit).
 *   VOID     — a record taken back: the EXIT written before an exec that then
 *            failed gets this type in place (its length unchanged), and the
 *            trace goes on after it. Readers skip it, as any type they do
 *            not know.
 *
 * Events (inside EVENTS; state carried from one event to the next in the same
 * trace: `addr` the last address, `thread` the current thread):
 *   0x10|api          ALLOC    zigzag(addr' - addr) size stack     (api 1..12)
 *   0x20|rel[|0x08]   FREE     zigzag(addr' - addr) [stack]        (rel = api - HS_API_FREE;
 *                                                                  0x08: a free stack follows)
 *   0x30              REALLOC  zigzag(old - addr) zigzag(new - old) size stack
 *   0x40              TIME     ms since the previous TIME (the clock starts at INFO's time)
 *   0x50              THREAD   tid   — following events come from heapscope thread `tid`
 *   0x60[|1]          STACK    len body[len] — a stack definition inline, body
 *                              as a STACK payload (0x61: as STACK_REF): the
 *                              writer's way, so that a new stack does not end
 *                              the EVENTS record; the records stay valid
 * Addresses in events are stored divided by 16 (every block is 16-aligned).
 * Events appear in the order the allocator serialised them: a block's free
 * is always before any reuse of its address.
 */
#ifndef HEAPSCOPE_TRACE_FORMAT_H
#define HEAPSCOPE_TRACE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define HS_TRACE_MAGIC "HSTRACE"
/* 2: stack ids may be defined in any order, and a STACK_REF may name a
 * stack of a higher id (a fork child defines its parent's stacks as it
 * first names them). Readers of 2 read 1. */
#define HS_TRACE_VERSION 2u

struct hs_trace_file_header {
	char magic[8]; /* HS_TRACE_MAGIC, NUL-padded */
	uint32_t version;
	uint32_t flags;
};
_Static_assert(sizeof(struct hs_trace_file_header) == 16, "file header layout is fixed");

#define HS_RECORD_HEADER 5 /* u8 type + u32le length */

enum hs_record_type {
	HS_REC_INFO = 1,
	HS_REC_MODULES = 2,
	HS_REC_STACK = 3,
	HS_REC_EVENTS = 4,
	HS_REC_EXIT = 5,
	HS_REC_LEAKS = 6,
	HS_REC_ERROR = 7,
	HS_REC_GUARD = 8,
	HS_REC_SNAPSHOT = 9,
	HS_REC_STACK_REF = 10,
	HS_REC_VOID = 11,
};

enum hs_event_op {
	HS_EV_ALLOC = 0x10,
	HS_EV_FREE = 0x20,
	HS_EV_REALLOC = 0x30,
	HS_EV_TIME = 0x40,
	HS_EV_THREAD = 0x50,
	HS_EV_STACK = 0x60,
};
#define HS_EV_STACK_REF 0x01
#define HS_EV_FREE_HAS_STACK 0x08

/* How the process ended (EXIT record). */
enum hs_exit_how {
	HS_EXIT_CODE = 0,	/* exit(value) or return from main */
	HS_EXIT_SIGNAL = 1,	/* killed by signal `value` */
	HS_EXIT_UNDERSCORE = 2,	/* _exit(value): no destructors, no leak check */
	HS_EXIT_EXEC = 3,	/* the image was replaced by exec */
};

/* Reachability classes, as valgrind names them. */
enum hs_leak_kind {
	HS_LEAK_DEFINITE = 0,	/* no pointer to it from anywhere reachable */
	HS_LEAK_INDIRECT = 1,	/* reachable only from lost blocks */
	HS_LEAK_POSSIBLE = 2,	/* reachable only through interior pointers */
	HS_LEAK_REACHABLE = 3,	/* still pointed to at exit */
	HS_LEAK_KINDS = 4,
};

enum hs_leakcheck_trigger {
	HS_LEAKCHECK_EXIT = 0,		/* at exit, after destructors */
	HS_LEAKCHECK_ON_DEMAND = 1,	/* heapscope_check_leaks() */
};

/* Memory error kinds (DESIGN.md). */
enum hs_error_kind {
	HS_ERR_HEAP_BUFFER_OVERFLOW = 0,
	HS_ERR_HEAP_BUFFER_UNDERFLOW = 1,
	HS_ERR_USE_AFTER_FREE = 2,
	HS_ERR_DOUBLE_FREE = 3,
	HS_ERR_INVALID_FREE = 4,
	HS_ERR_MISMATCHED_FREE = 5,
	HS_ERR_STACK_OVERFLOW = 6,
	HS_ERR_WILD_ACCESS = 7,
	HS_ERR_KINDS = 8,
};

enum hs_access { HS_ACCESS_UNKNOWN = 0, HS_ACCESS_READ = 1, HS_ACCESS_WRITE = 2 };

enum hs_detected { HS_DETECTED_AT_ACCESS = 0, HS_DETECTED_AT_FREE = 1, HS_DETECTED_AT_EXIT = 2 };

/* Where an address lies. */
enum hs_region {
	HS_REGION_UNKNOWN = 0,
	HS_REGION_HEAP = 1,
	HS_REGION_STACK = 2,
	HS_REGION_GLOBAL = 3,
	HS_REGION_NULL = 4,
	HS_REGION_UNMAPPED = 5,
	HS_REGION_MAPPED = 6, /* some other mapping */
	HS_REGION_KINDS = 7,
};

static inline const char *hs_error_kind_name(unsigned k)
{
	static const char *const n[HS_ERR_KINDS] = {
		"heap-buffer-overflow", "heap-buffer-underflow", "heap-use-after-free", "double-free",
		"invalid-free", "mismatched-free", "stack-overflow", "wild-access"};
	return k < HS_ERR_KINDS ? n[k] : "unknown";
}

static inline const char *hs_region_name(unsigned r)
{
	static const char *const n[HS_REGION_KINDS] = {"unknown", "heap", "stack", "global", "null",
						       "unmapped", "mapped"};
	return r < HS_REGION_KINDS ? n[r] : "unknown";
}

/* What a piece of the address space is, as the program sees it. */
enum hs_segment {
	HS_SEG_TEXT = 0,	 /* code of loaded objects */
	HS_SEG_RODATA = 1,	 /* their read-only data (literals, relro) */
	HS_SEG_DATA = 2,	 /* their initialised writable data */
	HS_SEG_BSS = 3,		 /* their zero-initialised data */
	HS_SEG_BRK = 4,		 /* the brk heap ([heap]) */
	HS_SEG_HEAP = 5,	 /* heapscope's heap: slabs, buddy blocks, large blocks, guard slots */
	HS_SEG_HEAPSCOPE = 6,	 /* heapscope's own metadata */
	HS_SEG_STACK = 7,	 /* the main thread's stack */
	HS_SEG_THREAD_STACKS = 8,
	HS_SEG_ANON = 9,	 /* other anonymous memory */
	HS_SEG_FILES = 10,	 /* other mapped files */
	HS_SEG_KINDS = 11,
};

static inline const char *hs_segment_name(unsigned k)
{
	static const char *const n[HS_SEG_KINDS] = {"text", "rodata", "data", "bss", "brk", "heap",
						    "heapscope", "stack", "thread_stacks", "anon", "files"};
	return k < HS_SEG_KINDS ? n[k] : "unknown";
}

#define HS_ADDR_SHIFT 4

/* ---- varints ------------------------------------------------------------ */

#define HS_VARINT_MAX 10

static inline size_t hs_put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static inline uint64_t hs_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t hs_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Decode a varint from [*p, end). Returns 0 and advances *p, or -1 if the
 * bytes end first or the value does not fit in 64 bits. */
static inline int hs_get_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -1;
		uint8_t b = *(*p)++;
		if (shift == 63 && b > 1)
			return -1;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

static inline void hs_put_u32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t hs_get_u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

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
