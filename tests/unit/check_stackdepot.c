/* check_stackdepot.c — the stack depot (stackdepot.h): one id per distinct
 * frame sequence (depth and every frame count, the last one too), ids dense
 * from 1 in interning order, hs_stack_get giving the frames back, hs_stack_find
 * never interning, a new epoch giving old frames new ids while the old ids
 * stay readable, growth of the table across many stacks, and four threads
 * interning overlapping sets concurrently getting one id per stack.
 * Recording is off here (no HEAPSCOPE_OPTIONS out=), so no STACK record is
 * written: hs_trace_on stays 0.
 */
#include "unit.h"

#include <pthread.h>

#include "stackdepot.h"
#include "trace_writer.h"

/* The frames of synthetic stack k: depth 1..8, every frame depending on k,
 * so that two different k never give the same sequence. */
static int make_stack(unsigned k, uintptr_t *f)
{
	int n = (int)(k % 8) + 1;
	for (int i = 0; i < n; i++)
		f[i] = (uintptr_t)0x400000 + (uintptr_t)k * 0x10 + (uintptr_t)i * 0x1000000;
	return n;
}

static void assert_frames(uint32_t id, const uintptr_t *want, int n)
{
	int got_n = -1;
	const uintptr_t *got = hs_stack_get(id, &got_n);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(got_n, n);
	for (int i = 0; i < n; i++)
		UNIT_EQ(got[i], want[i], "frame %d of stack %u", i, id);
}

START_TEST(test_trace_off)
{
	/* the premise of this suite */
	ck_assert_int_eq(hs_trace_on, 0);
	ck_assert_uint_eq(hs_stack_count(), 0);
}
END_TEST

START_TEST(test_same_and_distinct)
{
	static const uintptr_t a[] = {0x401000, 0x401100, 0x401200};
	static const uintptr_t a_copy[] = {0x401000, 0x401100, 0x401200};
	static const uintptr_t a_longer[] = {0x401000, 0x401100, 0x401200, 0x401300};
	static const uintptr_t a_last[] = {0x401000, 0x401100, 0x401201};
	static const uintptr_t a_first[] = {0x401001, 0x401100, 0x401200};
	static const uintptr_t b[] = {0x7f0000001000};

	ck_assert_uint_eq(hs_stack_intern(a, 3), 1);
	ck_assert_uint_eq(hs_stack_intern(a, 3), 1);
	ck_assert_uint_eq(hs_stack_intern(a_copy, 3), 1); /* by value, not by pointer */
	ck_assert_uint_eq(hs_stack_count(), 1);

	ck_assert_uint_eq(hs_stack_intern(a_longer, 4), 2); /* same frames, deeper */
	ck_assert_uint_eq(hs_stack_intern(a, 2), 3);	     /* same frames, shallower */
	ck_assert_uint_eq(hs_stack_intern(a_longer, 3), 1); /* a prefix equal to a */
	ck_assert_uint_eq(hs_stack_intern(a_last, 3), 4);   /* only the last frame differs */
	ck_assert_uint_eq(hs_stack_intern(a_first, 3), 5);  /* only the first frame differs */
	ck_assert_uint_eq(hs_stack_intern(b, 1), 6);
	ck_assert_uint_eq(hs_stack_count(), 6);

	/* everything again, in another order: the same ids, nothing new */
	ck_assert_uint_eq(hs_stack_intern(b, 1), 6);
	ck_assert_uint_eq(hs_stack_intern(a_first, 3), 5);
	ck_assert_uint_eq(hs_stack_intern(a_last, 3), 4);
	ck_assert_uint_eq(hs_stack_intern(a, 2), 3);
	ck_assert_uint_eq(hs_stack_intern(a_longer, 4), 2);
	ck_assert_uint_eq(hs_stack_intern(a, 3), 1);
	ck_assert_uint_eq(hs_stack_count(), 6);

	assert_frames(1, a, 3);
	assert_frames(2, a_longer, 4);
	assert_frames(3, a, 2);
	assert_frames(4, a_last, 3);
	assert_frames(5, a_first, 3);
	assert_frames(6, b, 1);
}
END_TEST

START_TEST(test_get_copies_and_unknown)
{
	uintptr_t f[4] = {0x1000, 0x2000, 0x3000, 0x4000};
	ck_assert_uint_eq(hs_stack_intern(f, 4), 1);
	const uintptr_t *kept = hs_stack_get(1, &(int){0});
	ck_assert_ptr_ne(kept, f); /* the depot keeps its own copy */
	f[3] = 0x5000;		   /* the caller's buffer changes afterwards */
	static const uintptr_t orig[] = {0x1000, 0x2000, 0x3000, 0x4000};
	assert_frames(1, orig, 4);
	ck_assert_uint_eq(hs_stack_intern(f, 4), 2);
	ck_assert_uint_eq(hs_stack_intern(orig, 4), 1);

	int n = 99;
	ck_assert_ptr_null(hs_stack_get(0, &n));
	ck_assert_int_eq(n, 0);
	n = 99;
	ck_assert_ptr_null(hs_stack_get(3, &n));
	ck_assert_int_eq(n, 0);
	n = 99;
	ck_assert_ptr_null(hs_stack_get(UINT32_MAX, &n));
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_find)
{
	static const uintptr_t a[] = {0xaaaa0, 0xbbbb0};
	static const uintptr_t b[] = {0xcccc0};
	ck_assert_uint_eq(hs_stack_find(a, 2), 0); /* empty depot */
	ck_assert_uint_eq(hs_stack_count(), 0);
	ck_assert_uint_eq(hs_stack_find(a, 2), 0); /* find never interns */
	ck_assert_uint_eq(hs_stack_intern(b, 1), 1);
	ck_assert_uint_eq(hs_stack_find(a, 2), 0);
	ck_assert_uint_eq(hs_stack_find(a, 1), 0);
	ck_assert_uint_eq(hs_stack_find(b, 1), 1);
	ck_assert_uint_eq(hs_stack_intern(a, 2), 2);
	ck_assert_uint_eq(hs_stack_find(a, 2), 2);
	ck_assert_uint_eq(hs_stack_find(a, 1), 0);
	ck_assert_uint_eq(hs_stack_find(b, 1), 1);
	ck_assert_uint_eq(hs_stack_count(), 2);
}
END_TEST

START_TEST(test_epoch)
{
	static const uintptr_t a[] = {0x401000, 0x402000};
	static const uintptr_t b[] = {0x403000};
	ck_assert_uint_eq(hs_stack_intern(a, 2), 1);
	ck_assert_uint_eq(hs_stack_intern(b, 1), 2);
	hs_stack_new_epoch();
	/* the same frames now mean other code: unknown, then a new id */
	ck_assert_uint_eq(hs_stack_find(a, 2), 0);
	ck_assert_uint_eq(hs_stack_find(b, 1), 0);
	ck_assert_uint_eq(hs_stack_intern(a, 2), 3);
	ck_assert_uint_eq(hs_stack_intern(a, 2), 3);
	ck_assert_uint_eq(hs_stack_find(a, 2), 3);
	ck_assert_uint_eq(hs_stack_count(), 3);
	/* the old definitions stay readable for the events that named them */
	assert_frames(1, a, 2);
	assert_frames(2, b, 1);
	assert_frames(3, a, 2);
	hs_stack_new_epoch();
	ck_assert_uint_eq(hs_stack_intern(a, 2), 4);
	ck_assert_uint_eq(hs_stack_intern(b, 1), 5);
	ck_assert_uint_eq(hs_stack_count(), 5);
}
END_TEST

/* Enough stacks to grow the table several times (it starts at 4096 slots
 * and grows at 3/4 load) and to span several pages of the id index. */
START_TEST(test_many_dense)
{
	enum { N = 50000 };
	uintptr_t f[8];
	for (unsigned k = 0; k < N; k++) {
		int n = make_stack(k, f);
		UNIT_EQ(hs_stack_intern(f, n), k + 1, "stack %u", k);
	}
	UNIT_EQ(hs_stack_count(), N, "count%s", "");
	for (unsigned k = 0; k < N; k++) {
		int n = make_stack(k, f);
		UNIT_EQ(hs_stack_find(f, n), k + 1, "find %u", k);
		UNIT_EQ(hs_stack_intern(f, n), k + 1, "intern again %u", k);
		int gn = 0;
		const uintptr_t *g = hs_stack_get(k + 1, &gn);
		UNIT_EQ(gn, n, "depth of %u", k);
		for (int i = 0; i < n; i++)
			UNIT_EQ(g[i], f[i], "frame %d of %u", i, k);
	}
	UNIT_EQ(hs_stack_count(), N, "count%s", "");
}
END_TEST

/* ---- concurrency -------------------------------------------------------- */

enum { THREADS = 4, PER_THREAD = 10000, STRIDE = 5000, UNIVERSE = STRIDE * (THREADS - 1) + PER_THREAD };

struct worker {
	unsigned t;
	pthread_barrier_t *go;
	uint32_t id[UNIVERSE]; /* 0: not interned by this thread */
};

static void *work(void *arg)
{
	struct worker *w = arg;
	uintptr_t f[8];
	pthread_barrier_wait(w->go);
	/* thread t interns [t*STRIDE, t*STRIDE + PER_THREAD): each half of its
	 * range is shared with a neighbour. Odd threads go backwards, so that
	 * neighbours race on the same stacks from both ends. */
	for (unsigned i = 0; i < PER_THREAD; i++) {
		unsigned k = w->t * STRIDE + (w->t & 1 ? PER_THREAD - 1 - i : i);
		int n = make_stack(k, f);
		w->id[k] = hs_stack_intern(f, n);
	}
	return NULL;
}

START_TEST(test_concurrent)
{
	static struct worker w[THREADS];
	pthread_t th[THREADS];
	pthread_barrier_t go;
	ck_assert_int_eq(pthread_barrier_init(&go, NULL, THREADS), 0);
	for (unsigned t = 0; t < THREADS; t++) {
		memset(&w[t], 0, sizeof w[t]);
		w[t].t = t;
		w[t].go = &go;
		ck_assert_int_eq(pthread_create(&th[t], NULL, work, &w[t]), 0);
	}
	for (unsigned t = 0; t < THREADS; t++)
		ck_assert_int_eq(pthread_join(th[t], NULL), 0);
	pthread_barrier_destroy(&go);

	UNIT_EQ(hs_stack_count(), UNIVERSE, "count%s", "");
	static uint32_t owner[UNIVERSE + 1]; /* id → k + 1 */
	uintptr_t f[8];
	for (unsigned k = 0; k < UNIVERSE; k++) {
		uint32_t id = 0;
		unsigned seen = 0;
		for (unsigned t = 0; t < THREADS; t++) {
			int mine = k >= t * STRIDE && k < t * STRIDE + PER_THREAD;
			if (!mine) {
				UNIT_EQ(w[t].id[k], 0, "thread %u, stack %u", t, k);
				continue;
			}
			if (w[t].id[k] == 0)
				ck_abort_msg("thread %u got no id for stack %u", t, k);
			if (seen++ && w[t].id[k] != id)
				ck_abort_msg("stack %u: id %u in thread %u, %u in another", k, w[t].id[k],
					     t, id);
			id = w[t].id[k];
		}
		UNIT_EQ(seen, k < STRIDE || k >= STRIDE * THREADS ? 1 : 2, "sharers of %u", k);
		if (id > UNIVERSE)
			ck_abort_msg("stack %u: id %u beyond the count", k, id);
		if (owner[id])
			ck_abort_msg("stacks %u and %u share id %u", owner[id] - 1, k, id);
		owner[id] = k + 1;
		int n = make_stack(k, f);
		UNIT_EQ(hs_stack_find(f, n), id, "find %u", k);
		int gn = 0;
		const uintptr_t *g = hs_stack_get(id, &gn);
		UNIT_EQ(gn, n, "depth of %u", k);
		for (int i = 0; i < n; i++)
			UNIT_EQ(g[i], f[i], "frame %d of %u", i, k);
	}
	/* dense: every id 1..UNIVERSE names exactly one stack */
	for (uint32_t id = 1; id <= UNIVERSE; id++)
		if (!owner[id])
			ck_abort_msg("id %u unused", id);
}
END_TEST

static Suite *stackdepot_suite(void)
{
	Suite *s = suite_create("stackdepot");
	TCase *tc = unit_tcase("depot", 1);
	tcase_add_test(tc, test_trace_off);
	tcase_add_test(tc, test_same_and_distinct);
	tcase_add_test(tc, test_get_copies_and_unknown);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_epoch);
	tcase_add_test(tc, test_many_dense);
	suite_add_tcase(s, tc);
	tc = unit_tcase("concurrency", 1);
	tcase_add_loop_test(tc, test_concurrent, 0, 5);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(stackdepot_suite(), argv);
}
