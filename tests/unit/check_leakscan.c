/* check_leakscan.c — the leak graph (leakscan.c): a reachability scan over
 * a heap built by hand, read back from the trace by the analyzer, with the
 * exact kind, block count and bytes of each group. The blocks carry made-up
 * allocation stacks, one per role, so that every group is its own:
 *
 *   R   reachable: a root points at its start
 *   R2  reachable through R only
 *   P   possibly lost: a root points 8 bytes into it
 *   D   definitely lost: nothing points to it
 *   I   indirectly lost: two blocks pointed to only from D, one through
 *       the other
 *   C   a cycle of two lost blocks: one is its leader (definite), the other
 *       indirect, as valgrind reports them
 *   T   a root XOR-hides its address: not a pointer, so definitely lost
 *   P2  (test_possible_chain) pointed to at its start only from P: possibly
 *       lost, as valgrind has it (root -?-> P ---> P2)
 *   U   pointed to at its start from P and from R2: reachable
 *   U2  pointed to at its start from U only: reachable through R2
 *
 * Pointers the scan must not see are kept XOR-hidden between the steps and
 * the dead stack below the test is wiped before the scan.
 */
#include "unit.h"

#include <ftw.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <heapscope/trace_format.h>

#include "block.h"
#include "leakscan.h"
#include "pages.h"
#include "procmaps.h"
#include "process.h"
#include "record.h"
#include "stackdepot.h"
#include "trace_writer.h"

#define HIDE 0x5a5a5a5a5a5a5a5aull

static char dir[256];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

enum role { R, R2, P, D, I, C, T, P2, U, U2, ROLES };
static uint32_t stack_of[ROLES];
static const size_t size_of[ROLES] = {[R] = 40,	 [R2] = 56,  [P] = 72,	[D] = 88,  [I] = 104,
				      [C] = 120, [T] = 136, [P2] = 152, [U] = 168, [U2] = 184};

/* The roots: an anonymous mapping of the program's, which the scan takes
 * as it takes globals (this executable's own globals are skipped: the scan
 * takes the object it is linked into for heapscope's). */
struct roots {
	void *root;
	char *interior;
	uintptr_t hidden;
};
static struct roots *volatile g;

/* Where the next map_roots puts them (NULL: anywhere): a page held next
 * to a mapping of heapscope's, mapped over with that mapping's flags. */
static struct {
	char *hold;
	int flags;
} beside;

static void map_roots(void)
{
	void *m;
	if (beside.hold) {
		m = mmap(beside.hold, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | beside.flags,
			 -1, 0);
	} else {
		m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	ck_assert_ptr_ne(m, MAP_FAILED);
	g = m;
}

/* A block for `role`, its address returned hidden. */
__attribute__((noinline)) static uintptr_t make(enum role r)
{
	char *p = hs_alloc(size_of[r], HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_nonnull(p);
	memset(p, 0, size_of[r]);
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	b.meta->alloc_stack = stack_of[r];
	return (uintptr_t)p ^ HIDE;
}

static void *show(uintptr_t h)
{
	return (void *)(h ^ HIDE);
}

__attribute__((noinline)) static void build(void)
{
	uintptr_t r = make(R), r2 = make(R2), p = make(P), d = make(D), i1 = make(I), i2 = make(I),
		  c1 = make(C), c2 = make(C), t = make(T);
	*(void **)show(r) = show(r2);
	g->root = show(r);
	g->interior = (char *)show(p) + 8;
	*(void **)show(d) = show(i1);
	*(void **)((char *)show(i1) + 16) = show(i2); /* a pointer anywhere in the block counts */
	*(void **)show(c1) = show(c2);
	*(void **)show(c2) = show(c1);
	g->hidden = t; /* still XOR-hidden */
}

/* Overwrite the dead stack the helpers left below this frame. */
__attribute__((noinline)) static void wipe_stack(void)
{
	volatile char junk[64 * 1024];
	memset((char *)junk, 0, sizeof junk);
}

static const struct hs_leak_group *group(const struct hs_process *pr, enum role r)
{
	const struct hs_leak_group *found = NULL;
	for (size_t k = 0; k < pr->leaks.ngroups; k++)
		if (pr->leaks.groups[k].stack == stack_of[r]) {
			ck_assert_msg(!found, "role %d in two groups", r);
			found = &pr->leaks.groups[k];
		}
	ck_assert_msg(found != NULL, "no group for role %d", r);
	return found;
}

static void expect(const struct hs_process *pr, enum role r, unsigned kind, uint64_t blocks)
{
	const struct hs_leak_group *g = group(pr, r);
	ck_assert_msg(g->kind == kind, "role %d: kind %u, expected %u", r, g->kind, kind);
	ck_assert_uint_eq(g->blocks, blocks);
	ck_assert_uint_eq(g->bytes, blocks * size_of[r]);
	ck_assert_uint_eq(g->api, HS_API_MALLOC);
}

/* A trace, the roles' stacks, recording on, the graph built. */
static void start(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/hs-leakscan.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(hs_trace_open(dir, strlen(dir)), 0);
	for (int r = 0; r < ROLES; r++) {
		uintptr_t frame = 0x1000 + (uintptr_t)r * 0x10; /* nowhere near the loader */
		stack_of[r] = hs_stack_intern(&frame, 1);
	}
	hs_rec_active = 1;
	map_roots();
	build();
	wipe_stack();
}

/* End the trace and read it back. */
static void finish(struct hs_process *pr)
{
	hs_rec_active = 0;
	hs_trace_exit(HS_EXIT_CODE, 0, 0, "test end");
	char path[512], err[512] = "";
	snprintf(path, sizeof path, "%s/heapscope.%d.hst", dir, (int)getpid());
	ck_assert_int_eq(hs_process_load(pr, path, err, sizeof err, NULL), 0);
	ck_assert_str_eq(err, "");
	ck_assert(pr->leaks.present);
	ck_assert_uint_eq(pr->leaks.trigger, HS_LEAKCHECK_ON_DEMAND);
}

/* An on-demand scan that finds `lost` blocks lost, read back: `live` blocks
 * in all. */
static void scan_and_read(struct hs_process *pr, int lost, uint64_t live)
{
	ck_assert_int_eq(hs_leak_check(HS_LEAKCHECK_ON_DEMAND, NULL), lost);
	finish(pr);
	ck_assert_uint_eq(pr->leaks.live_blocks, live);
}

static void cleanup(struct hs_process *pr)
{
	hs_process_free(pr);
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

START_TEST(test_graph)
{
	start();
	/* 2 (cycle) + 1 (D) + 2 (I) + 1 (T) blocks lost */
	struct hs_process pr;
	scan_and_read(&pr, 6, 9);
	expect(&pr, R, HS_LEAK_REACHABLE, 1);
	expect(&pr, R2, HS_LEAK_REACHABLE, 1);
	expect(&pr, P, HS_LEAK_POSSIBLE, 1);
	expect(&pr, D, HS_LEAK_DEFINITE, 1);
	expect(&pr, I, HS_LEAK_INDIRECT, 2);
	expect(&pr, T, HS_LEAK_DEFINITE, 1);
	/* the cycle: one group per kind, one block each */
	unsigned kinds = 0;
	for (size_t k = 0; k < pr.leaks.ngroups; k++)
		if (pr.leaks.groups[k].stack == stack_of[C]) {
			ck_assert_uint_eq(pr.leaks.groups[k].blocks, 1);
			ck_assert_uint_eq(pr.leaks.groups[k].bytes, size_of[C]);
			kinds |= 1u << pr.leaks.groups[k].kind;
		}
	ck_assert_uint_eq(kinds, (1u << HS_LEAK_DEFINITE) | (1u << HS_LEAK_INDIRECT));
	ck_assert_uint_eq(pr.leaks.ngroups, 8);
	cleanup(&pr);
}
END_TEST

/* P2, U and U2 hung from the graph; no pointer to them is left behind on
 * the stack (a root). */
__attribute__((noinline)) static void build_chains(void)
{
	uintptr_t p2 = make(P2), u = make(U), u2 = make(U2);
	char *p = g->interior - 8;
	*(void **)(p + 16) = show(p2);
	*(void **)(p + 24) = show(u);
	*(void **)show(u) = show(u2);
	char *r2 = *(char **)g->root;
	*(void **)(r2 + 8) = show(u);
}

/* Through an interior pointer anywhere on the way a block is only possibly
 * lost (valgrind's cases 5 to 8), even when the last link points to its
 * start: P2. A block found that way first and then from a definite one is
 * reachable, and so is what it holds: the scan takes P before R (the last
 * root pushed is scanned first), so U is found possible, then upgraded and
 * scanned again, which upgrades U2. */
START_TEST(test_possible_chain)
{
	start();
	build_chains();
	wipe_stack();
	struct hs_process pr;
	scan_and_read(&pr, 6, 12);
	expect(&pr, R, HS_LEAK_REACHABLE, 1);
	expect(&pr, R2, HS_LEAK_REACHABLE, 1);
	expect(&pr, P, HS_LEAK_POSSIBLE, 1);
	expect(&pr, P2, HS_LEAK_POSSIBLE, 1);
	expect(&pr, U, HS_LEAK_REACHABLE, 1);
	expect(&pr, U2, HS_LEAK_REACHABLE, 1);
	expect(&pr, D, HS_LEAK_DEFINITE, 1);
	cleanup(&pr);
}
END_TEST

/* Freeing the root makes what it held lost; a second scan says so. */
START_TEST(test_rescan_after_free)
{
	start();
	ck_assert_int_eq(hs_leak_check(HS_LEAKCHECK_ON_DEMAND, NULL), 6);
	void *r = g->root;
	g->root = NULL;
	hs_free(r, HS_API_FREE);
	r = NULL;
	wipe_stack();
	/* R2 now hangs from nothing: lost too */
	ck_assert_int_eq(hs_leak_check(HS_LEAKCHECK_ON_DEMAND, NULL), 7);
	struct hs_process pr;
	finish(&pr);
	ck_assert_uint_eq(pr.leaks.live_blocks, 8); /* the last scan */
	expect(&pr, R2, HS_LEAK_DEFINITE, 1);
	cleanup(&pr);
}
END_TEST

/* A root that cannot be read any more when the scan reads it (the maps
 * were read before it was made inaccessible; its page is resident, so the
 * scan does not skip it as unbacked): the scan skips it on the fault and
 * finds the same graph; the fault leaves the signal mask as it was, so a
 * second scan's fault is caught the same way. */
START_TEST(test_root_gone)
{
	start();
	size_t size = 1 << 16;
	char *gone = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(gone, MAP_FAILED);
	gone[0] = 1;
	static struct hs_maps maps;
	ck_assert_int_eq(hs_maps_read(&maps), 0);
	ck_assert_int_eq(mprotect(gone, size, PROT_NONE), 0);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(hs_leak_check(HS_LEAKCHECK_ON_DEMAND, &maps), 6);
		sigset_t now;
		ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &now), 0);
		ck_assert(!sigismember(&now, SIGSEGV));
	}
	struct hs_process pr;
	finish(&pr);
	ck_assert_uint_eq(pr.leaks.live_blocks, 9);
	expect(&pr, R, HS_LEAK_REACHABLE, 1);
	expect(&pr, D, HS_LEAK_DEFINITE, 1);
	cleanup(&pr);
	hs_maps_free(&maps);
	munmap(gone, size);
}
END_TEST

/* The roots in a mapping the kernel merged with a neighbour of heapscope's
 * (flags alike): one maps line holds both, and only its program part is a
 * root. (Such a line used to be skipped whole: everything the roots hold
 * was reported lost, 9 blocks.) */
/* Hold the page next to [ours, ours + len), before start() maps more of
 * ours there; 0 if both neighbours are taken (the kernel may fit a
 * mapping into a hole exactly: the caller tries another). */
static int hold_beside(char *ours, size_t len)
{
	int f = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
	beside.hold = mmap(ours + len, 4096, PROT_NONE, f, -1, 0);
	if (beside.hold == MAP_FAILED)
		beside.hold = mmap(ours - 4096, 4096, PROT_NONE, f, -1, 0);
	if (beside.hold == MAP_FAILED) {
		beside.hold = NULL;
		return 0;
	}
	return 1;
}

static void merged_case(char *ours, size_t len, int flags)
{
	ck_assert_ptr_nonnull(beside.hold);
	beside.flags = flags;
	start();
	static struct hs_maps maps;
	ck_assert_int_eq(hs_maps_read(&maps), 0);
	int merged = 0;
	for (size_t i = 0; i < maps.n; i++)
		merged |= maps.m[i].lo <= (uintptr_t)g && maps.m[i].hi >= (uintptr_t)g + 4096 &&
			  maps.m[i].lo <= (uintptr_t)ours && maps.m[i].hi >= (uintptr_t)ours + len;
	ck_assert_msg(merged, "the kernel did not merge the roots' mapping with heapscope's");
	ck_assert_int_eq(hs_leak_check(HS_LEAKCHECK_ON_DEMAND, &maps), 6);
	struct hs_process pr;
	finish(&pr);
	expect(&pr, R, HS_LEAK_REACHABLE, 1);
	expect(&pr, R2, HS_LEAK_REACHABLE, 1);
	expect(&pr, P, HS_LEAK_POSSIBLE, 1);
	cleanup(&pr);
	hs_maps_free(&maps);
	beside.hold = NULL;
}

START_TEST(test_roots_beside_internal)
{
	size_t len = 1 << 16;
	for (int tries = 0; tries < 16; tries++) {
		char *ours = hs_pages_map_internal(len, HS_PAGES_LAZY);
		ck_assert_ptr_nonnull(ours);
		if (hold_beside(ours, len)) {
			merged_case(ours, len, MAP_NORESERVE);
			return;
		}
	}
	ck_abort_msg("16 internal mappings, none with a free page beside it");
}
END_TEST

START_TEST(test_roots_beside_large_block)
{
	/* a large block has a plain mapping of its own; it is a live block,
	 * made before the recording's stacks: a root itself, never lost */
	size_t len = 2u << 20;
	char *tried[16];
	for (int t = 0; t < 16; t++) {
		char *big = tried[t] = hs_alloc(len, HS_MIN_ALIGN, HS_API_MALLOC, 0);
		ck_assert_ptr_nonnull(big);
		struct hs_block b;
		ck_assert_int_eq(hs_block_find(big, &b), HS_FIND_START);
		char *ours = (char *)((uintptr_t)big & ~(uintptr_t)4095);
		if (hold_beside(ours, hs_align_up(len, 4096))) {
			/* the blocks tried before are nobody's: not leaks to count */
			for (int u = 0; u < t; u++)
				hs_free(tried[u], HS_API_FREE);
			merged_case(ours, hs_align_up(len, 4096), 0);
			return;
		}
	}
	ck_abort_msg("16 large blocks, none with a free page beside it");
}
END_TEST

/* The scan reads words four at a time, then the rest one by one: a block
 * of 7 words and a half holding a pointer in each of its words keeps each
 * of the 7 blocks they point to (one word: a count, three, then a tail).
 * Seven children found means no word position is skipped; the half word
 * at the end holds none. */
START_TEST(test_every_word_position)
{
	start();
	uintptr_t frame[2] = {0x2000, 0x2010};
	uint32_t holder_stack = hs_stack_intern(&frame[0], 1), child_stack = hs_stack_intern(&frame[1], 1);
	size_t holder_size = 7 * sizeof(void *) + 4;
	void **holder = hs_alloc(holder_size, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_nonnull(holder);
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(holder, &b), HS_FIND_START);
	b.meta->alloc_stack = holder_stack;
	for (int i = 0; i < 7; i++) {
		holder[i] = hs_alloc(24, HS_MIN_ALIGN, HS_API_MALLOC, 0);
		ck_assert_ptr_nonnull(holder[i]);
		ck_assert_int_eq(hs_block_find(holder[i], &b), HS_FIND_START);
		b.meta->alloc_stack = child_stack;
	}
	g->hidden = (uintptr_t)holder; /* the roots' third word, T's hidden address before */
	holder = NULL;
	wipe_stack();
	/* the standard graph's 6 lost blocks, and no more */
	ck_assert_int_eq(hs_leak_check(HS_LEAKCHECK_ON_DEMAND, NULL), 6);
	struct hs_process pr;
	finish(&pr);
	unsigned seen = 0;
	for (size_t k = 0; k < pr.leaks.ngroups; k++) {
		const struct hs_leak_group *lg = &pr.leaks.groups[k];
		if (lg->stack == holder_stack) {
			ck_assert_uint_eq(lg->kind, HS_LEAK_REACHABLE);
			ck_assert_uint_eq(lg->blocks, 1);
			ck_assert_uint_eq(lg->bytes, holder_size);
			seen |= 1;
		} else if (lg->stack == child_stack) {
			ck_assert_uint_eq(lg->kind, HS_LEAK_REACHABLE);
			ck_assert_uint_eq(lg->blocks, 7);
			ck_assert_uint_eq(lg->bytes, 7 * 24);
			seen |= 2;
		}
	}
	ck_assert_uint_eq(seen, 3);
	cleanup(&pr);
}
END_TEST

int main(int argc, char **argv)
{
	(void)argc;
	Suite *s = suite_create("leakscan");
	TCase *tc = unit_tcase("leakscan", 1);
	tcase_add_test(tc, test_graph);
	tcase_add_test(tc, test_possible_chain);
	tcase_add_test(tc, test_rescan_after_free);
	tcase_add_test(tc, test_root_gone);
	tcase_add_test(tc, test_roots_beside_internal);
	tcase_add_test(tc, test_roots_beside_large_block);
	tcase_add_test(tc, test_every_word_position);
	suite_add_tcase(s, tc);
	return unit_run(s, argv);
}
