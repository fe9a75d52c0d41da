/* check_fastunwind.c — the fast stack walker (fastunwind.h) gives exactly
 * libunwind's unw_backtrace answer on the stacks it takes, and declines
 * (-1) the ones it must leave to libunwind: recursion with and without
 * frame pointers, alloca'd frames (CFA from rbp), C library frames (qsort
 * calling back), a thread's stack, a stack deeper than asked for, a signal
 * handler on an alternate stack; walks remembered from the same stack
 * pointer answer only for the same stack.
 *
 * A walk may start from an entry point's frame instead of its caller's.
 * A walk that shares its outer frames with the one before takes them from
 * it ("followed"): only while the words that walk read there are the same.
 *
 * Each comparison walks from one function twice, at two call sites: the
 * first address (the return into that function) differs, every one after
 * it must be the same.
 */
#define UNW_LOCAL_ONLY
#include "unit.h"

#include <alloca.h>
#include <dlfcn.h>
#include <libunwind.h>
#include <pthread.h>
#include <signal.h>

#include "fastunwind.h"
#include "modules.h"
#include "trace_writer.h"

#define MAX 64

struct walk {
	uintptr_t fast[MAX];
	void *slow[MAX];
	int nfast, nslow;
};

__attribute__((noinline)) static void walk_here(struct walk *w, int max)
{
	uint64_t token;
	w->nfast = hs_fast_backtrace(w->fast, max, NULL, &token);
	w->nslow = unw_backtrace(w->slow, max);
	__asm__ volatile("" ::: "memory");
}

static void same(const struct walk *w, const char *what)
{
	ck_assert_msg(w->nfast > 0, "%s: the fast walk declined (%d)", what, w->nfast);
	ck_assert_msg(w->nfast == w->nslow, "%s: %d frames, libunwind %d", what, w->nfast, w->nslow);
	for (int i = 1; i < w->nfast; i++)
		ck_assert_msg((void *)w->fast[i] == w->slow[i], "%s: frame %d is %p, libunwind %p", what, i, (void *)w->fast[i],
			      w->slow[i]);
}

/* plain recursion: CFA from rsp */
__attribute__((noinline)) static int plain(struct walk *w, int depth, int max)
{
	if (depth == 0)
		walk_here(w, max);
	else
		plain(w, depth - 1, max);
	__asm__ volatile("" ::: "memory");
	return depth;
}

/* a frame with alloca: the CFA comes from rbp */
__attribute__((noinline)) static int with_alloca(struct walk *w, int depth, size_t n)
{
	volatile char *p = alloca(n);
	p[0] = (char)depth;
	if (depth == 0)
		walk_here(w, MAX);
	else
		with_alloca(w, depth - 1, n + 16);
	__asm__ volatile("" ::: "memory");
	return p[0];
}

START_TEST(test_plain)
{
	static struct walk w;
	for (int depth = 0; depth < 40; depth += 3) {
		plain(&w, depth, MAX);
		char what[32];
		snprintf(what, sizeof what, "depth %d", depth);
		same(&w, what);
	}
}
END_TEST

START_TEST(test_truncated)
{
	static struct walk w;
	plain(&w, 30, 10);
	ck_assert_int_eq(w.nfast, 10);
	same(&w, "10 of 30+ frames");
}
END_TEST

START_TEST(test_alloca)
{
	static struct walk w;
	with_alloca(&w, 5, 24);
	same(&w, "alloca frames");
}
END_TEST

/* Two functions alike but for their address: called one after the other
 * from the same place, their walks start at the same stack pointer, and
 * the walk remembered from one must not answer for the other. */
static volatile int via;

__attribute__((noinline)) static void via_a(struct walk *w)
{
	via = 1; /* not identical to via_b: the compiler would fold them */
	walk_here(w, MAX);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void via_b(struct walk *w)
{
	via = 2;
	walk_here(w, MAX);
	__asm__ volatile("" ::: "memory");
}

START_TEST(test_remembered_walks)
{
	static struct walk a1, b1, a2;
	for (int round = 0; round < 3; round++) {
		via_a(&a1);
		via_a(&a2); /* answered from the walk remembered */
		via_b(&b1); /* same start, another stack */
		same(&a1, "via_a");
		same(&a2, "via_a again");
		same(&b1, "via_b, after via_a");
		ck_assert_uint_ne(a1.fast[1], b1.fast[1]); /* the return into via_a or via_b */
		ck_assert_uint_eq(a1.fast[1], a2.fast[1]);
	}
}
END_TEST

/* Stacks alike in their outer frames, unlike in their inner ones (another
 * leaf, another depth): the second walk follows the first from the first
 * frame they share, and gives libunwind's answer. */
static int chain_max = MAX;

__attribute__((noinline)) static void leaf_small(struct walk *w)
{
	via = 3;
	walk_here(w, chain_max);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void leaf_big(struct walk *w)
{
	volatile char pad[512];
	pad[0] = 1;
	walk_here(w, chain_max);
	__asm__ volatile("" ::: "memory");
	(void)pad[0];
}

__attribute__((noinline)) static void chain(struct walk *w, int depth, int big)
{
	if (depth == 0) {
		if (big)
			leaf_big(w);
		else
			leaf_small(w);
	} else {
		chain(w, depth - 1, big);
	}
	__asm__ volatile("" ::: "memory");
}

START_TEST(test_followed_walks)
{
	static struct walk w[2];
	for (int round = 0; round < 3; round++) {
		struct hs_fast_counts before, after;
		for (int i = 0; i < 2; i++) { /* one call site: the outer frames are the same */
			hs_fast_unwind_counts(&before);
			chain(&w[i], 12, i);
			hs_fast_unwind_counts(&after);
		}
		same(&w[0], "small leaf");
		same(&w[1], "big leaf, after the small one");
		ck_assert_int_eq(w[0].nfast, w[1].nfast);
		/* the big leaf's walk is never made whole: the first time it
		 * follows the small one's, later it may also be remembered */
		if (round == 0)
			ck_assert_uint_eq(after.followed - before.followed, 1);
		ck_assert_uint_eq(after.followed - before.followed + after.remembered - before.remembered, 1);
	}
}
END_TEST

/* The walk followed stopped at its max: the next one takes its frames
 * and walks on from where it stopped. */
START_TEST(test_followed_then_walked)
{
	static struct walk w[2];
	for (int i = 0; i < 2; i++) {
		chain_max = i ? MAX : 8;
		chain(&w[i], 12, i);
	}
	chain_max = MAX;
	ck_assert_int_eq(w[0].nfast, 8);
	same(&w[1], "past the max of the walk followed");
	ck_assert_int_gt(w[1].nfast, 14);
}
END_TEST

/* The same helper called from two places of one function: every frame up
 * to the caller's has the same registers as in the walk before, but the
 * return address into the caller differs. Following must see it. */
__attribute__((noinline)) static void helper(struct walk *w)
{
	via = 4;
	walk_here(w, MAX);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void two_sites(struct walk *a, struct walk *b)
{
	helper(a);
	__asm__ volatile("" ::: "memory");
	helper(b);
	__asm__ volatile("" ::: "memory");
}

START_TEST(test_followed_changed)
{
	static struct walk a, b;
	for (int round = 0; round < 3; round++) {
		two_sites(&a, &b);
		same(&a, "first call site");
		same(&b, "second call site");
		ck_assert_uint_ne(a.fast[2], b.fast[2]); /* the return into two_sites */
	}
}
END_TEST

/* rbp as a data register, as optimised code without frame pointers has
 * it: rbp_saver saves its caller's rbp (a value that changes from call to
 * call) and holds data of its own in rbp while it walks. Every CFA on the
 * way comes from rsp, so neither value decides any frame: the second walk
 * from the same place is answered from the first. */
__attribute__((noinline, optimize("omit-frame-pointer"))) static void rbp_saver(struct walk *w, long v)
{
	register long data __asm__("rbp");
	__asm__ volatile("mov %1, %0" : "=r"(data) : "r"(v * 3));
	walk_here(w, MAX);
	__asm__ volatile("" ::"r"(data));
}

__attribute__((noinline, optimize("omit-frame-pointer"))) static void rbp_caller(struct walk *w, long v)
{
	register long data __asm__("rbp");
	__asm__ volatile("mov %1, %0" : "=r"(data) : "r"(v));
	rbp_saver(w, v);
	__asm__ volatile("" ::"r"(data));
}

START_TEST(test_rbp_as_data)
{
	static struct walk w;
	for (long i = 0; i < 4; i++) {
		struct hs_fast_counts before, after;
		hs_fast_unwind_counts(&before);
		rbp_caller(&w, 1000 + i);
		hs_fast_unwind_counts(&after);
		same(&w, "rbp holding data");
		if (i > 0)
			ck_assert_uint_eq(after.remembered - before.remembered, 1);
	}
}
END_TEST

/* Chains deeper or shallower than the walk's max whose frames keep their
 * pc and sp from walk to walk while rbp and the rbp values saved on the
 * stack change: frame-pointer frames padded with alloca to a fixed point
 * per level (their CFA comes from rbp, which moves with the layout above),
 * frames keeping data in rbp, frames leaving rbp alone, under outer frames
 * of changing depth. Walks are made at random levels, so that they are
 * answered whole, followed or walked; each must be libunwind's. (Without
 * the frame pointer checks where a rule needs it, or with a walk stopped
 * at its max not treating rbp as needed there, some of these differ.) */
#define NOFP __attribute__((noinline, noclone, optimize("omit-frame-pointer")))
#define WITHFP __attribute__((noinline, noclone, optimize("no-omit-frame-pointer")))

static unsigned mix_state = 12345;
static uintptr_t mix_anchor[80];
static int mix_max;
static unsigned long mix_walks;

static unsigned mix_rnd(void)
{
	mix_state = mix_state * 1103515245u + 12345u;
	return mix_state >> 8;
}

static void mix_chain(int level, int depth);

NOFP static void mix_walk(void)
{
	static struct walk w;
	walk_here(&w, mix_max);
	same(&w, "mixed frames");
	mix_walks++;
}

WITHFP static void mix_mover(int level, int depth)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	if (!mix_anchor[level])
		mix_anchor[level] = here - 2048;
	size_t pad = here > mix_anchor[level] ? here - mix_anchor[level] : 16;
	volatile char *a = alloca(pad);
	a[0] = 1;
	if (mix_rnd() % 4 == 0)
		mix_walk();
	mix_chain(level + 1, depth);
	__asm__ volatile("" ::: "memory");
}

NOFP static void mix_datar(int level, int depth)
{
	register long data __asm__("rbp");
	__asm__ volatile("mov %1, %0" : "=r"(data) : "r"((long)mix_rnd() * 7919));
	if (mix_rnd() % 4 == 0)
		mix_walk();
	mix_chain(level + 1, depth);
	__asm__ volatile("" ::"r"(data));
}

NOFP static void mix_plain(int level, int depth)
{
	if (mix_rnd() % 4 == 0)
		mix_walk();
	mix_chain(level + 1, depth);
	__asm__ volatile("" ::: "memory");
}

static void mix_chain(int level, int depth)
{
	if (level >= depth) {
		mix_walk();
		return;
	}
	switch ((unsigned)(level * 7 + depth) % 3) {
	case 0:
		mix_mover(level, depth);
		break;
	case 1:
		mix_datar(level, depth);
		break;
	default:
		mix_plain(level, depth);
		break;
	}
}

/* outer frames of changing depth and rbp */
NOFP static void mix_outer(int n, int depth)
{
	register long data __asm__("rbp");
	__asm__ volatile("mov %1, %0" : "=r"(data) : "r"((long)mix_rnd()));
	if (n > 0)
		mix_outer(n - 1, depth);
	else
		mix_chain(0, depth);
	__asm__ volatile("" ::"r"(data));
}

START_TEST(test_mixed_frames)
{
	static const int maxes[] = {8, 16, 32, 64};
	for (unsigned m = 0; m < sizeof maxes / sizeof maxes[0]; m++) {
		mix_max = maxes[m];
		for (int i = 0; i < 1500; i++) {
			unsigned r = mix_rnd();
			mix_outer((int)(r % 5), 2 + (int)((r >> 4) % 70));
		}
	}
	ck_assert_uint_gt(mix_walks, 10000);
}
END_TEST

/* From an entry point's own frame (with a frame pointer, as interpose.c
 * builds them): the walk starts at the entry's caller, the first frame
 * libunwind gives above the entry. */
__attribute__((noinline, optimize("no-omit-frame-pointer", "no-optimize-sibling-calls"))) static void
entry(struct walk *w)
{
	uint64_t token;
	w->nfast = hs_fast_backtrace(w->fast, MAX, __builtin_frame_address(0), &token);
	w->nslow = unw_backtrace(w->slow, MAX);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static int entry_chain(struct walk *w, int depth)
{
	if (depth == 0)
		entry(w);
	else
		entry_chain(w, depth - 1);
	__asm__ volatile("" ::: "memory");
	return depth;
}

START_TEST(test_from_entry_frame)
{
	static struct walk w;
	for (int round = 0; round < 2; round++) /* the second from the remembered walks */
		for (int depth = 0; depth < 30; depth += 3) {
			entry_chain(&w, depth);
			ck_assert_int_eq(w.nfast, w.nslow - 1);
			for (int i = 0; i < w.nfast; i++)
				ck_assert_msg((void *)w.fast[i] == w.slow[i + 1], "depth %d: frame %d is %p, libunwind %p", depth,
					      i, (void *)w.fast[i], w.slow[i + 1]);
		}
}
END_TEST

/* After the rules are forgotten (what dlclose does), walks are computed
 * afresh, remembered ones included, and still libunwind's. */
START_TEST(test_forget)
{
	static struct walk w1, w2;
	for (int i = 0; i < 3; i++) {
		plain(&w1, 5, MAX);
		same(&w1, "before forgetting");
		hs_fast_unwind_forget();
		plain(&w2, 5, MAX);
		same(&w2, "after forgetting");
		ck_assert_int_eq(w1.nfast, w2.nfast);
	}
}
END_TEST

/* Rules computed by one walk of plain(). */
static uint64_t computed_by_walk(void)
{
	static struct walk w;
	struct hs_fast_counts a, b;
	hs_fast_unwind_counts(&a);
	plain(&w, 5, MAX);
	hs_fast_unwind_counts(&b);
	same(&w, "plain");
	return b.computed - a.computed;
}

/* An object unloaded without our dlclose (glibc unloads gconv modules
 * itself): the module sync that sees it forgets the rules and walks, as
 * our dlclose does; a load alone does not. */
START_TEST(test_unload_seen_by_sync)
{
	char dir[] = "/tmp/hs-fastunwind.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(hs_trace_open(dir, strlen(dir)), 0);
	hs_modules_sync(1);
	int (*libc_dlclose)(void *) = (int (*)(void *))dlsym(RTLD_NEXT, "dlclose");
	ck_assert_ptr_nonnull(libc_dlclose);
	void *h = NULL;
	uint64_t computed[6];
	for (int step = 0; step < 6; step++) { /* one call site for every walk */
		switch (step) {
		case 2:
			h = dlopen("libanl.so.1", RTLD_NOW | RTLD_LOCAL);
			ck_assert_ptr_nonnull(h);
			hs_modules_sync(0);
			break;
		case 3:
			ck_assert_int_eq(libc_dlclose(h), 0);
			break;
		case 4:
			hs_modules_sync(0);
			break;
		}
		computed[step] = computed_by_walk();
	}
	ck_assert_uint_eq(computed[1], 0); /* the rules are cached */
	ck_assert_uint_eq(computed[2], 0); /* a load changes none */
	ck_assert_uint_eq(computed[3], 0); /* the unload is not seen yet */
	ck_assert_uint_gt(computed[4], 0); /* seen: every rule computed again */
	ck_assert_uint_eq(computed[5], 0);
	char path[64];
	snprintf(path, sizeof path, "%s/heapscope.%d.hst", dir, (int)getpid());
	unlink(path);
	rmdir(dir);
}
END_TEST

static struct walk *cmp_walk;
static int walked;

static int cmp(const void *a, const void *b)
{
	if (!walked) {
		walked = 1;
		walk_here(cmp_walk, MAX);
	}
	return *(const int *)a - *(const int *)b;
}

START_TEST(test_through_libc)
{
	static struct walk w;
	int v[64];
	for (int i = 0; i < 64; i++)
		v[i] = 64 - i;
	cmp_walk = &w;
	qsort(v, 64, sizeof v[0], cmp);
	same(&w, "qsort's callback");
}
END_TEST

static void *in_thread(void *arg)
{
	plain(arg, 7, MAX);
	return NULL;
}

START_TEST(test_thread)
{
	static struct walk w;
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, in_thread, &w), 0);
	pthread_join(t, NULL);
	same(&w, "a thread");
}
END_TEST

/* 900 functions whose frames differ in size (61 sizes, without frame
 * pointers): as many rules, past the shared rule table's first growth, and
 * a rule taken for another address would unwind wrongly; then every one
 * again from a new thread, whose own small table is empty: each rule must
 * come from the shared one, not be computed again. */
#define FN(n)                                                          \
	__attribute__((noinline)) static void fn_##n(struct walk *w)   \
	{                                                              \
		volatile char pad[(n % 61) * 16 + 8];                  \
		pad[0] = 1;                                            \
		walk_here(w, MAX);                                     \
		__asm__ volatile("" ::"r"(pad) : "memory");            \
	}
#define FN10(n) FN(n##0) FN(n##1) FN(n##2) FN(n##3) FN(n##4) FN(n##5) FN(n##6) FN(n##7) FN(n##8) FN(n##9)
#define FN100(n) FN10(n##0) FN10(n##1) FN10(n##2) FN10(n##3) FN10(n##4) FN10(n##5) FN10(n##6) FN10(n##7) FN10(n##8) FN10(n##9)
FN100(1) FN100(2) FN100(3) FN100(4) FN100(5) FN100(6) FN100(7) FN100(8) FN100(9)
#define P(n) fn_##n,
#define P10(n) P(n##0) P(n##1) P(n##2) P(n##3) P(n##4) P(n##5) P(n##6) P(n##7) P(n##8) P(n##9)
#define P100(n) P10(n##0) P10(n##1) P10(n##2) P10(n##3) P10(n##4) P10(n##5) P10(n##6) P10(n##7) P10(n##8) P10(n##9)
static void (*const fns[])(struct walk *) = {P100(1) P100(2) P100(3) P100(4) P100(5) P100(6) P100(7) P100(8) P100(9)};

struct pass {
	const char *what;
	uint64_t computed;
};

static void *every_fn(void *arg)
{
	static struct walk w;
	struct pass *p = arg;
	struct hs_fast_counts before, after;
	hs_fast_unwind_counts(&before);
	for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
		fns[k](&w);
		same(&w, p->what);
	}
	hs_fast_unwind_counts(&after);
	p->computed = after.computed - before.computed;
	return NULL;
}

START_TEST(test_many_rules)
{
	hs_fast_unwind_forget();
	struct pass first = {"first pass", 0}, second = {"a new thread's pass", 0};
	every_fn(&first);
	ck_assert_uint_ge(first.computed, 900);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, every_fn, &second), 0);
	pthread_join(t, NULL);
	/* the thread's own frames (its start, the test's walker) at most */
	ck_assert_uint_le(second.computed, 8);
}
END_TEST

/* One function whose CFA program has many rows: calls with arguments on
 * the stack (the CFA offset moves with each push), early returns (each
 * remembers the state, pops, and restores it) and plain calls, its call
 * sites computed in three orders of the source (the compiler lays the code
 * out in an order of its own): a site at or past where the last run
 * stopped resumes that run (compute's resume cache), one before it starts
 * the program over. Every walk is libunwind's, and runs were resumed. */
__attribute__((noinline)) static long stack_args(struct walk *w, long a, long b, long c, long d, long e, long f,
						long g, long h, long i)
{
	walk_here(w, MAX);
	__asm__ volatile("" ::: "memory");
	return a + b + c + d + e + f + g + h + i;
}

static volatile long sink;

#define ROW(n)                                                                          \
	if (k == n)                                                                     \
		s += stack_args(w, n, k, s, n + 1, k + 2, s + 3, n * 4, k * 5, s * 6);  \
	if (k == n + 100) {                                                             \
		walk_here(w, MAX);                                                      \
		return s + sink;                                                        \
	}                                                                               \
	if (sink == n + 1000)                                                           \
		return s;                                                               \
	s += sink;

__attribute__((noinline)) static long many_rows(struct walk *w, long k)
{
	long s = sink;
	ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7) ROW(8) ROW(9)
	ROW(10) ROW(11) ROW(12) ROW(13) ROW(14) ROW(15) ROW(16) ROW(17) ROW(18) ROW(19)
	return s;
}

static void rows_pass(int from, int to, int step, const char *what)
{
	static struct walk w;
	for (int k = from; step > 0 ? k < to : k > to; k += step) {
		for (int plain = 0; plain < 2; plain++) {
			memset(&w, 0, sizeof w);
			many_rows(&w, k + 100 * plain);
			same(&w, what);
		}
	}
}

START_TEST(test_resumed_rows)
{
	struct hs_fast_counts before, after;
	hs_fast_unwind_counts(&before);
	hs_fast_unwind_forget();
	rows_pass(19, -1, -1, "sites last to first");
	hs_fast_unwind_forget();
	rows_pass(0, 20, 1, "sites first to last");
	hs_fast_unwind_forget();
	rows_pass(0, 20, 3, "every third site");
	rows_pass(1, 20, 3, "every third site, shifted by one");
	hs_fast_unwind_counts(&after);
	ck_assert_uint_ge(after.computed - before.computed, 40);
	ck_assert_uint_ge(after.resumed - before.resumed, 10);
}
END_TEST

/* A thread that exits hands its walk caches on: its own later walks are
 * declined (libgcc takes them), and the next thread's walks, on the
 * caches it left, are still libunwind's. */
static void *walk_then_exit(void *arg)
{
	struct walk *w = arg;
	plain(&w[0], 6, MAX);
	hs_fast_unwind_thread_exit();
	uint64_t token;
	w[1].nfast = hs_fast_backtrace(w[1].fast, MAX, NULL, &token);
	return NULL;
}

START_TEST(test_thread_exit)
{
	static struct walk w[2], next;
	for (int round = 0; round < 3; round++) {
		pthread_t t;
		ck_assert_int_eq(pthread_create(&t, NULL, walk_then_exit, w), 0);
		pthread_join(t, NULL);
		same(&w[0], "before the thread's exit");
		ck_assert_int_eq(w[1].nfast, -1);
		ck_assert_int_eq(pthread_create(&t, NULL, in_thread, &next), 0);
		pthread_join(t, NULL);
		same(&next, "the next thread, on the caches left");
	}
}
END_TEST

static struct walk sig_walk;

static void on_usr1(int sig)
{
	(void)sig;
	uint64_t token;
	sig_walk.nfast = hs_fast_backtrace(sig_walk.fast, MAX, NULL, &token);
}

/* On an alternate signal stack the walk is outside the thread's stack: it
 * declines, and libunwind takes it. */
START_TEST(test_altstack_declined)
{
	static char altstack[64 * 1024];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
	ck_assert_int_eq(sigaltstack(&ss, NULL), 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	ck_assert_int_eq(sig_walk.nfast, -1);
}
END_TEST

int main(int argc, char **argv)
{
	(void)argc;
	Suite *s = suite_create("fastunwind");
	TCase *tc = unit_tcase("fastunwind", 1);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_alloca);
	tcase_add_test(tc, test_through_libc);
	tcase_add_test(tc, test_remembered_walks);
	tcase_add_test(tc, test_followed_walks);
	tcase_add_test(tc, test_followed_then_walked);
	tcase_add_test(tc, test_followed_changed);
	tcase_add_test(tc, test_rbp_as_data);
	tcase_add_test(tc, test_mixed_frames);
	tcase_add_test(tc, test_from_entry_frame);
	tcase_add_test(tc, test_forget);
	tcase_add_test(tc, test_unload_seen_by_sync);
	tcase_add_test(tc, test_thread);
	tcase_add_test(tc, test_many_rules);
	tcase_add_test(tc, test_thread_exit);
	tcase_add_test(tc, test_resumed_rows);
	tcase_add_test(tc, test_altstack_declined);
	suite_add_tcase(s, tc);
	return unit_run(s, argv);
}
