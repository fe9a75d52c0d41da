/* region.c — classifies an address for a report: NULL page, heapscope's
 * heap, a stack, a global (a file-backed writable mapping), another mapping,
 * or nothing at all, from /proc/self/maps (procmaps.c: no allocation). */
#include "region.h"

#include <string.h>

#include <heapscope/trace_format.h>

#include "guard.h"
#include "pagemap.h"
#include "procmaps.h"

#define NULL_ZONE 65536

struct find {
	uintptr_t addr, sp;
	unsigned result;
};

static void classify(const char *line, size_t len, void *ctx)
{
	struct find *f = ctx;
	struct hs_mapping m;
	if (f->result != HS_REGION_UNMAPPED || hs_mapping_parse(line, len, &m) != 0)
		return;
	if (f->addr < m.lo || f->addr >= m.hi)
		return;
	if ((m.path_len >= 6 && !memcmp(m.path, "[stack", 6)) || (f->sp >= m.lo && f->sp < m.hi))
		f->result = HS_REGION_STACK;
	else if (!m.anon && m.path_len && m.path[0] == '/' && m.perms[1] == 'w')
		f->result = HS_REGION_GLOBAL;
	else
		f->result = HS_REGION_MAPPED;
}

unsigned hs_region_of(uintptr_t addr, uintptr_t sp)
{
	if (addr < NULL_ZONE)
		return HS_REGION_NULL;
	if (hs_heap_contains((void *)addr) || hs_guard_contains((void *)addr))
		return HS_REGION_HEAP;
	struct find f = {addr, sp, HS_REGION_UNMAPPED};
	hs_proc_each_line("/proc/self/maps", classify, &f);
	return f.result;
}
