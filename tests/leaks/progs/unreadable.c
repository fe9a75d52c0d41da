/* Scenario unreadable: memory the leak scan may read faults, and must
 * neither end the scan or the process nor change a verdict. `victim`,
 * whose only pointer comes after the others among the roots, stays
 * reachable.
 * A block whose words point where reading faults, and an interior pointer
 * to it, so that the scan asks whether those words are vtables (the
 * multiple-inheritance heuristic): the answer is no, the block possibly
 * lost.
 *   file:   a shared mapping of a file truncated since (reading: SIGBUS);
 *           it belongs to no loaded object, so it is never read;
 *   rodata: a page of this program's own read-only data made
 *           inaccessible (reading: SIGSEGV), which is read and faults.
 * A block of four pages with its second made inaccessible (a coroutine
 * stack's guard page, say):
 *   guarded: held by its start and by an interior pointer into that page
 *            (the heuristics read there): reachable;
 *   guarded-leak: held by nothing: definitely lost (the pass that groups
 *            lost blocks reads it).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "leaktest.h"

static void *volatile roots[3];

/* three pages, so that a whole page lies inside it */
static const char table[3 * 4096] = {1};

static uintptr_t unreadable_file(void)
{
	char path[] = "/tmp/hs-unreadable.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, 8192) != 0)
		return 0;
	void *map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	unlink(path);
	if (map == MAP_FAILED || ftruncate(fd, 0) != 0) /* reading map now raises SIGBUS */
		return 0;
	close(fd);
	return (uintptr_t)map + 64;
}

static uintptr_t unreadable_rodata(void)
{
	uintptr_t page = ((uintptr_t)table + 4095) & ~(uintptr_t)4095;
	if (mprotect((void *)page, 4096, PROT_NONE) != 0)
		return 0;
	return page + 64;
}

static char *guarded_block(void)
{
	void *blk;
	if (posix_memalign(&blk, 4096, 4 * 4096) != 0) /* @unreadable_guarded */
		return NULL;
	memset(blk, 0, 4 * 4096);
	if (mprotect((char *)blk + 4096, 4096, PROT_NONE) != 0)
		return NULL;
	return blk;
}

enum mode { FILE_MAP, RODATA, GUARDED, GUARDED_LEAK };

__attribute__((noinline)) static int setup(enum mode m)
{
	if (m == GUARDED || m == GUARDED_LEAK) {
		char *blk = guarded_block();
		if (!blk)
			return -1;
		if (m == GUARDED) {
			roots[0] = blk;
			roots[1] = blk + 4096 + 16; /* into the inaccessible page */
		}
	} else {
		uintptr_t bad = m == FILE_MAP ? unreadable_file() : unreadable_rodata();
		if (!bad)
			return -1;
		uintptr_t *bait = malloc(32); /* @unreadable_bait */
		bait[0] = bait[1] = bait[2] = bait[3] = bad;
		roots[0] = bait + 2; /* an interior pointer */
	}
	char *victim = malloc(100); /* @unreadable_victim */
	memset(victim, 7, 100);
	roots[2] = victim; /* the only pointer to victim */
	return 0;
}

/* setup's frame put below the top of lt_scrub_stack's frame, whose
 * buffer covers all but its top few words: one of setup's locals landed
 * there and kept the bait block reachable. */
__attribute__((noinline)) static int setup_deeper(enum mode m)
{
	volatile char pad[256];
	pad[0] = 0;
	return setup(m) + pad[0];
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"file", "rodata", "guarded", "guarded-leak"};
	int m = 0;
	while (m < 4 && !(argc > 1 && strcmp(argv[1], names[m]) == 0))
		m++;
	if (m == 4 || setup_deeper((enum mode)m) != 0) {
		lt_say("setup failed\n");
		return 1;
	}
	lt_scrub_stack();
	lt_say("done\n");
	return 0;
}
