/* check_guard.c — the guard-page pool (guard.h): a block ends flush against
 * its guard page at the alignment the API promised (or starts right after
 * it, below), the byte past it faults, a retired slot faults on any access,
 * released slots are reused so the pool (and the number of mappings) stays
 * bounded, the map budget stops guarding and says so, page → slot lookup,
 * and the sampling policies (sample:N per thread, size:MIN-MAX). Where the
 * kernel has guard markers, the pool's mappings do not grow with the blocks
 * guarded, and a fork child inherits the markers.
 */
#include "unit.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "block.h"
#include "guard.h"
#include "options.h"

static void guard_mode(const char *spec)
{
	ck_assert_int_eq(hs_options_parse(spec), 0);
	hs_guard_init();
}

static int page_aligned(const void *p)
{
	return ((uintptr_t)p & (HS_PAGE_SIZE - 1)) == 0;
}

START_TEST(test_flush_against_guard)
{
	guard_mode("guard=all");
	/* size → the distance from the block's start to the guard: rounded
	 * up to the 16 bytes malloc promises, canaries in between */
	static const size_t sizes[] = {1, 13, 16, 24, 4095, 4096, 4097, 100000};
	for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t size = sizes[i];
		struct hs_guard_slot *s = hs_guard_alloc(size, HS_MIN_ALIGN, HS_API_MALLOC, 0);
		ck_assert_ptr_nonnull(s);
		size_t rounded = (size + 15) & ~(size_t)15;
		UNIT_EQ(s->user + rounded - s->data, (size_t)s->npages << HS_PAGE_SHIFT, "size %zu", size);
		UNIT_EQ(s->npages, (rounded + HS_PAGE_SIZE - 1) / HS_PAGE_SIZE, "size %zu", size);
		UNIT_EQ(page_aligned(s->user + rounded), 1, "size %zu", size);
		UNIT_EQ((uintptr_t)s->user % 16, 0, "size %zu", size);
		UNIT_EQ(s->size, size, "size %zu", size);
		UNIT_EQ(s->meta.state, HS_STATE_LIVE, "size %zu", size);
		memset(s->user, 'x', rounded); /* all of it writable */
		/* the slack between the block and the guard holds the canary */
		struct hs_block b = {.start = s->user, .size = size, .usable = rounded, .meta = &s->meta};
		UNIT_EQ(hs_block_broken_canary(&b), size < rounded ? (long)size : -1L, "size %zu", size);
	}
}
END_TEST

START_TEST(test_alignment)
{
	guard_mode("guard=all");
	struct hs_guard_slot *s = hs_guard_alloc(13, 64, HS_API_MEMALIGN, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq((uintptr_t)s->user % 64, 0);
	ck_assert(page_aligned(s->user + 64));
	s = hs_guard_alloc(100, 4096, HS_API_MEMALIGN, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_eq(s->user, s->data); /* a whole page */
	ck_assert_ptr_null(hs_guard_alloc(100, 8192, HS_API_MEMALIGN, 0)); /* over a page: canaries */
}
END_TEST

START_TEST(test_byte_past_faults)
{
	guard_mode("guard=all");
	struct hs_guard_slot *s = hs_guard_alloc(32, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	s->user[31] = 1;
	((volatile char *)s->user)[32] = 1; /* SIGSEGV */
}
END_TEST

START_TEST(test_below_byte_before_faults)
{
	guard_mode("guard=all");
	struct hs_guard_slot *s = hs_guard_alloc(24, HS_MIN_ALIGN, HS_API_MALLOC, 1);
	ck_assert_ptr_eq(s->user, s->data);
	ck_assert(page_aligned(s->user));
	s->user[0] = 1;
	((volatile char *)s->user)[-1] = 1; /* SIGSEGV */
}
END_TEST

START_TEST(test_retired_faults)
{
	guard_mode("guard=all");
	struct hs_guard_slot *s = hs_guard_alloc(100, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	s->user[0] = 1;
	hs_guard_retire(s);
	ck_assert_uint_eq(s->state, HS_SLOT_QUARANTINED);
	(void)((volatile char *)s->user)[0]; /* a read after free: SIGSEGV */
}
END_TEST

static int count_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(f);
	int n = 0, c;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* The mappings added since `before`: with markers the pool grows in
 * place (at most 2: its read/write part and a locked slot's split), with
 * mprotect every live block splits it. */
static void expect_grown(int before, int markers, int live_blocks)
{
	int grown = count_mappings() - before;
	if (markers)
		UNIT_EQ(grown <= 2, 1, "%d more mappings", grown);
	else
		UNIT_EQ(grown >= live_blocks, 1, "%d more mappings", grown);
}

/* Reading p kills a fork child with SIGSEGV. */
static void faults_in_child(const char *p)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		(void)((const volatile char *)p)[0];
		_exit(0);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGSEGV);
}

/* 500 guarded blocks, half of them freed: with markers the pool stays the
 * same two mappings (read/write carved part, PROT_NONE rest); with mprotect
 * each live block splits it (data read/write between PROT_NONE guards). */
START_TEST(test_mappings)
{
	guard_mode("guard=all");
	(void)hs_guard_alloc(16, HS_MIN_ALIGN, HS_API_MALLOC, 0); /* the pool's first step */
	struct hs_guard_stats st;
	hs_guard_stats(&st);
	int before = count_mappings();
	static struct hs_guard_slot *s[500];
	for (int i = 0; i < 500; i++) {
		s[i] = hs_guard_alloc(100 + (size_t)i * 16, HS_MIN_ALIGN, HS_API_MALLOC, 0);
		ck_assert_ptr_nonnull(s[i]);
		s[i]->user[0] = 1;
	}
	for (int i = 0; i < 500; i += 2)
		hs_guard_retire(s[i]);
	expect_grown(before, st.markers, 250);
}
END_TEST

/* A freed block's pages go back to the kernel, and stay a trap in a fork
 * child (markers are copied with the page tables, as PROT_NONE is). */
START_TEST(test_retired_in_child)
{
	guard_mode("guard=all");
	struct hs_guard_slot *s = hs_guard_alloc(3000, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	memset(s->user, 7, s->size);
	hs_guard_retire(s);
	unsigned char v = 1;
	ck_assert_int_eq(mincore(s->data, HS_PAGE_SIZE, &v), 0);
	ck_assert_int_eq(v & 1, 0);
	faults_in_child(s->user);
}
END_TEST

/* A program may change a block's protection before freeing it: the slot
 * is read/write again when it comes back (with markers, removing them did
 * not undo the program's mprotect, and the next block there faulted). */
START_TEST(test_reuse_after_mprotect)
{
	guard_mode("guard=all");
	struct hs_guard_slot *s = hs_guard_alloc(8192, HS_PAGE_SIZE, HS_API_MEMALIGN, 0);
	char *data = s->data;
	ck_assert_int_eq(mprotect(s->data, 8192, PROT_READ), 0);
	hs_guard_retire(s);
	hs_guard_release(s);
	struct hs_guard_slot *t = hs_guard_alloc(8192, HS_PAGE_SIZE, HS_API_MEMALIGN, 0);
	ck_assert_ptr_eq(t->data, data);
	memset(t->user, 1, 8192);
	ck_assert_int_eq(t->user[8191], 1);
}
END_TEST

/* The pool past the newest slot's guard page is not memory: a wild access
 * there faults (with markers the pool is opened slot by slot). */
START_TEST(test_past_newest_slot_faults)
{
	guard_mode("guard=all");
	struct hs_guard_slot *s = hs_guard_alloc(100, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	(void)((volatile char *)s->data)[((size_t)s->npages + 1) * HS_PAGE_SIZE];
}
END_TEST

/* A block the program mlocked and freed: the kernel refuses a marker
 * there, so that slot is closed by mprotect (a use after free still
 * faults, the block reads as zeros when reused), but the rest of the pool
 * keeps its markers. */
START_TEST(test_locked_block)
{
	guard_mode("guard=all");
	struct hs_guard_slot *s = hs_guard_alloc(100, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	struct hs_guard_stats st;
	hs_guard_stats(&st);
	int markers = st.markers;
	memset(s->user, 0xab, 100);
	ck_assert_int_eq(mlock(s->data, HS_PAGE_SIZE), 0);
	hs_guard_retire(s);
	hs_guard_stats(&st);
	ck_assert_int_eq(st.markers, markers);
	faults_in_child(s->user);
	/* its pages are zeros when it comes back (the kernel refuses to
	 * drop locked pages with MADV_DONTNEED: calloc returned old data) */
	hs_guard_release(s);
	struct hs_guard_slot *again = hs_guard_alloc(100, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_eq(again, s);
	for (int i = 0; i < 100; i++)
		UNIT_EQ(again->user[i], 0, "byte %d", i);
	int before = count_mappings();
	for (int i = 0; i < 200; i++)
		ck_assert_ptr_nonnull(hs_guard_alloc(100, HS_MIN_ALIGN, HS_API_MALLOC, 0));
	expect_grown(before, markers, 200);
}
END_TEST

START_TEST(test_slots_reused)
{
	guard_mode("guard=all");
	struct hs_guard_slot *first = hs_guard_alloc(5000, HS_MIN_ALIGN, HS_API_MALLOC, 0); /* 2 pages */
	char *data = first->data;
	struct hs_guard_stats st;
	hs_guard_stats(&st);
	ck_assert_uint_eq(st.slot_bytes, 3 * HS_PAGE_SIZE);
	ck_assert_uint_eq(st.live, 1);
	ck_assert_uint_eq(st.live_bytes, 2 * HS_PAGE_SIZE);
	hs_guard_retire(first);
	hs_guard_release(first);
	for (int i = 0; i < 10000; i++) {
		struct hs_guard_slot *s = hs_guard_alloc(4097 + (size_t)(i % 4000), HS_MIN_ALIGN, HS_API_MALLOC, 0);
		UNIT_EQ(s->data, data, "round %d", i); /* the same 2-page slot each time */
		memset(s->user, 0, s->size);
		hs_guard_retire(s);
		hs_guard_release(s);
	}
	hs_guard_stats(&st);
	ck_assert_uint_eq(st.slot_bytes, 3 * HS_PAGE_SIZE);
	ck_assert_uint_eq(st.guarded, 10001);
	ck_assert_uint_eq(st.live, 0);
	ck_assert_uint_eq(st.peak_live, 1);
	/* a slot of another size is carved fresh */
	struct hs_guard_slot *one = hs_guard_alloc(10, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_eq(one->data, data + 3 * HS_PAGE_SIZE);
}
END_TEST

START_TEST(test_slot_of)
{
	guard_mode("guard=all");
	struct hs_guard_slot *a = hs_guard_alloc(8192, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	struct hs_guard_slot *b = hs_guard_alloc(8, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_eq(hs_guard_slot_of(a->data), a);
	ck_assert_ptr_eq(hs_guard_slot_of(a->data + 8191), a);
	ck_assert_ptr_eq(hs_guard_slot_of(a->data + 8192), a); /* a's guard page */
	ck_assert_ptr_eq(hs_guard_slot_of(b->user), b);
	ck_assert(hs_guard_contains(b->user));
	static char outside;
	ck_assert(!hs_guard_contains(&outside));
	ck_assert_ptr_null(hs_guard_slot_of(&outside));
	struct hs_block blk;
	ck_assert_int_eq(hs_block_find(b->user, &blk), HS_FIND_START);
	ck_assert_int_eq(blk.kind, HS_BLOCK_GUARD);
	ck_assert_uint_eq(blk.size, 8);
	ck_assert_int_eq(hs_block_find(b->user + 3, &blk), HS_FIND_INTERIOR);
}
END_TEST

/* The budget: two mappings per live guarded block within 40 % of
 * vm.max_map_count. At the budget the pool says no (the caller falls back
 * to canaries) and records that it ran out; a freed block makes room. */
START_TEST(test_budget)
{
	guard_mode("guard=all");
	struct hs_guard_stats st;
	hs_guard_stats(&st);
	uint64_t budget = st.budget;
	ck_assert_uint_gt(budget, 1000);
	static struct hs_guard_slot *live[1 << 20];
	ck_assert_uint_le(budget, sizeof live / sizeof live[0]);
	for (uint64_t i = 0; i < budget; i++) {
		live[i] = hs_guard_alloc(16, HS_MIN_ALIGN, HS_API_MALLOC, 0);
		UNIT_EQ(live[i] != NULL, 1, "block %ju", (uintmax_t)i);
	}
	hs_guard_stats(&st);
	ck_assert_int_eq(st.budget_exhausted, 0);
	ck_assert_ptr_null(hs_guard_alloc(16, HS_MIN_ALIGN, HS_API_MALLOC, 0));
	hs_guard_stats(&st);
	ck_assert_int_eq(st.budget_exhausted, 1);
	ck_assert_uint_eq(st.live, budget);
	ck_assert_uint_eq(st.peak_live, budget);
	hs_guard_retire(live[0]);
	hs_guard_release(live[0]);
	ck_assert_ptr_eq(hs_guard_alloc(16, HS_MIN_ALIGN, HS_API_MALLOC, 0), live[0]);
}
END_TEST

static void *count_sampled(void *arg)
{
	int *hits = arg;
	for (int i = 0; i < 12; i++)
		hits[i] = hs_guard_wanted(100);
	return NULL;
}

START_TEST(test_sample_per_thread)
{
	guard_mode("guard=sample:4");
	ck_assert(hs_guard_sampling());
	int hits[12], other[12];
	count_sampled(hits);
	/* the first block of a thread, then every 4th */
	static const int want[12] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
	for (int i = 0; i < 12; i++)
		UNIT_EQ(hits[i], want[i], "block %d", i);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, count_sampled, other), 0);
	pthread_join(t, NULL);
	for (int i = 0; i < 12; i++)
		UNIT_EQ(other[i], want[i], "other thread's block %d", i);
}
END_TEST

START_TEST(test_size_range)
{
	guard_mode("guard=size:100-200");
	ck_assert(!hs_guard_sampling());
	ck_assert_int_eq(hs_guard_wanted(99), 0);
	ck_assert_int_eq(hs_guard_wanted(100), 1);
	ck_assert_int_eq(hs_guard_wanted(200), 1);
	ck_assert_int_eq(hs_guard_wanted(201), 0);
}
END_TEST

START_TEST(test_off)
{
	guard_mode("guard=off");
	ck_assert_int_eq(hs_guard_wanted(1), 0);
	ck_assert_int_eq(hs_guard_wanted(4096), 0);
}
END_TEST

START_TEST(test_all)
{
	guard_mode("guard=all");
	ck_assert_int_eq(hs_guard_wanted(1), 1);
	ck_assert_int_eq(hs_guard_wanted(1 << 20), 1);
}
END_TEST

int main(int argc, char **argv)
{
	(void)argc;
	Suite *s = suite_create("guard");
	TCase *tc = unit_tcase("guard", 1);
	tcase_add_test(tc, test_flush_against_guard);
	tcase_add_test(tc, test_alignment);
	tcase_add_test_raise_signal(tc, test_byte_past_faults, SIGSEGV);
	tcase_add_test_raise_signal(tc, test_below_byte_before_faults, SIGSEGV);
	tcase_add_test_raise_signal(tc, test_retired_faults, SIGSEGV);
	tcase_add_test(tc, test_slots_reused);
	tcase_add_test(tc, test_mappings);
	tcase_add_test(tc, test_reuse_after_mprotect);
	tcase_add_test_raise_signal(tc, test_past_newest_slot_faults, SIGSEGV);
	tcase_add_test(tc, test_locked_block);
	tcase_add_test(tc, test_retired_in_child);
	tcase_add_test(tc, test_slot_of);
	tcase_add_test(tc, test_budget);
	tcase_add_test(tc, test_sample_per_thread);
	tcase_add_test(tc, test_size_range);
	tcase_add_test(tc, test_off);
	tcase_add_test(tc, test_all);
	suite_add_tcase(s, tc);
	return unit_run(s, argv);
}
