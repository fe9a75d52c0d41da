/* Scenario unreadable: a block whose words point where reading faults, and
 * an interior pointer to it, so that the leak scan asks whether those
 * words are vtables (the multiple-inheritance heuristic). The answer must
 * be no without ending the scan or the process: the block is possibly
 * lost, and `victim`, whose only pointer comes after it among the roots,
 * stays reachable.
 *   file:   a shared mapping of a file truncated since (reading: SIGBUS);
 *           it belongs to no loaded object, so it is never read;
 *   rodata: a page of this program's own read-only data made
 *           inaccessible (reading: SIGSEGV), which is read and faults.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "leaktest.h"

static void *volatile roots[2];

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

__attribute__((noinline)) static int setup(int file)
{
	uintptr_t bad = file ? unreadable_file() : unreadable_rodata();
	if (!bad)
		return -1;
	uintptr_t *bait = malloc(32); /* @unreadable_bait */
	bait[0] = bait[1] = bait[2] = bait[3] = bad;
	char *victim = malloc(100); /* @unreadable_victim */
	memset(victim, 7, 100);
	roots[0] = bait + 2; /* an interior pointer */
	roots[1] = victim;   /* the only pointer to victim */
	return 0;
}

/* setup's frame put below the top of lt_scrub_stack's frame, whose
 * buffer covers all but its top few words: one of setup's locals landed
 * there and kept the bait block reachable. */
__attribute__((noinline)) static int setup_deeper(int file)
{
	volatile char pad[256];
	pad[0] = 0;
	return setup(file) + pad[0];
}

int main(int argc, char **argv)
{
	int file = argc > 1 && strcmp(argv[1], "file") == 0;
	if (setup_deeper(file) != 0) {
		lt_say("setup failed\n");
		return 1;
	}
	lt_scrub_stack();
	lt_say("done\n");
	return 0;
}
