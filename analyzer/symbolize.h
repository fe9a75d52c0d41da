/* symbolize.h — return addresses → function, file, line, module, with
 * inlined frames expanded, using elfutils libdw on the files named in the
 * trace's module map. Each distinct (module, address) is resolved once. */
#ifndef HS_SYMBOLIZE_H
#define HS_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

#include "process.h"

/* One source-level frame. Strings are owned by the symbolizer's cache and
 * live until hs_symbolizer_free; NULL means unknown. */
struct hs_frame {
	const char *function;	/* demangled */
	const char *symbol;	/* as in the object file (mangled), for suppressions */
	const char *file;
	unsigned line;		/* 0: unknown */
	const char *module;	/* base name of the object */
	const char *module_path; /* its full path as recorded */
	uint64_t address;	/* the recorded return address */
	uint64_t offset;	/* from the function symbol (or module base when no symbol) */
	int inlined;		/* inlined into the next frame */
};

struct hs_symbolizer;

struct hs_symbolizer *hs_symbolizer_new(struct hs_process *p);
void hs_symbolizer_free(struct hs_symbolizer *s);

/* The frames of stack `id` (inlined ones expanded), in *out (valid until the
 * next call); returns how many. 0 for unknown ids. */
size_t hs_symbolize_stack(struct hs_symbolizer *s, uint32_t id, const struct hs_frame **out);

/* The same for raw return addresses resolved against module map `map`. */
size_t hs_symbolize_frames(struct hs_symbolizer *s, uint32_t map, const uint64_t *frames, uint32_t n,
			   const struct hs_frame **out);

/* Stable identity of a stack: 8 hex digits hashing module base names and
 * function names, no addresses (survives ASLR and rebuilds). */
void hs_stack_fingerprint(const struct hs_frame *f, size_t n, char out[9]);

#endif
