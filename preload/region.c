/* region.c — classifies an address for a report: NULL page, heapscope's
 * heap, a stack, a global (a file-backed writable mapping), another mapping,
 * or nothing at all. Parses /proc/self/maps in a fixed buffer, line by
 * line, with no allocation. */
#include "region.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "guard.h"
#include "pagemap.h"

#define NULL_ZONE 65536

static uintptr_t hex(const char **p, const char *end)
{
	uintptr_t v = 0;
	for (; *p < end; (*p)++) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v * 16 + (uintptr_t)d;
	}
	return v;
}

unsigned hs_region_of(uintptr_t addr, uintptr_t sp)
{
	if (addr < NULL_ZONE)
		return HS_REGION_NULL;
	if (hs_heap_contains((void *)addr) || hs_guard_contains((void *)addr))
		return HS_REGION_HEAP;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return HS_REGION_UNKNOWN;
	char buf[8192];
	size_t have = 0;
	unsigned result = HS_REGION_UNMAPPED;
	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof buf - have);
		if (r <= 0)
			break;
		have += (size_t)r;
		char *line = buf, *end = buf + have, *nl;
		while ((nl = memchr(line, '\n', (size_t)(end - line)))) {
			const char *p = line;
			uintptr_t lo = hex(&p, nl);
			p++;
			uintptr_t hi = hex(&p, nl);
			if (addr >= lo && addr < hi) {
				const char *perms = p + 1;
				const char *path = memchr(perms, '/', (size_t)(nl - perms));
				const char *bracket = memchr(perms, '[', (size_t)(nl - perms));
				if ((bracket && !strncmp(bracket, "[stack", 6)) || (sp >= lo && sp < hi))
					result = HS_REGION_STACK;
				else if (path && perms[1] == 'w')
					result = HS_REGION_GLOBAL;
				else
					result = HS_REGION_MAPPED;
				close(fd);
				return result;
			}
			line = nl + 1;
		}
		have = (size_t)(end - line);
		memmove(buf, line, have);
		if (have == sizeof buf)
			have = 0; /* a line longer than the buffer: drop it */
	}
	close(fd);
	return result;
}
