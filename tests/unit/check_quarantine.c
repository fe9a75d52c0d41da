/* check_quarantine.c — the quarantine (quarantine.h): a parked block is
 * poisoned and not handed out again, the byte budget pushes the oldest
 * blocks out first (FIFO) and gives their memory back, the tally counts what
 * is parked per tier, a write into a parked block is reported when it
 * leaves, and drain empties everything.
 */
#include "unit.h"

#include <stdio.h>

#include <heapscope/trace_format.h>

#include "block.h"
#include "magic.h"
#include "options.h"
#include "quarantine.h"

#define SIZE 1000 /* slab class 1024 */

static struct hs_block park(void *p)
{
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	b.meta->state = HS_STATE_QUARANTINED;
	hs_quarantine_put(&b);
	return b;
}

static unsigned state_of(void *p)
{
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(p, &b), HS_FIND_START);
	return b.meta->state;
}

START_TEST(test_poisoned_and_not_reused)
{
	char *p = hs_alloc(SIZE, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	memset(p, 'x', SIZE);
	struct hs_block b = park(p);
	ck_assert_uint_eq(hs_quarantine_bytes(), b.usable);
	ck_assert_uint_eq(b.usable, 1024);
	for (size_t k = 0; k < SIZE; k++)
		UNIT_EQ((unsigned char)p[k], k < HS_POISON_MAX ? HS_POISON_FREE : 'x', "byte %zu", k);
	for (int i = 0; i < 100; i++)
		ck_assert_ptr_ne(hs_alloc(SIZE, HS_MIN_ALIGN, HS_API_MALLOC, 0), p);
	ck_assert_uint_eq(state_of(p), HS_STATE_QUARANTINED);
}
END_TEST

START_TEST(test_budget_fifo)
{
	hs_opt.quarantine_mb = 1;
	enum { N = 1024 + 10 }; /* 1 MiB holds 1024 blocks of 1024 */
	static char *p[N];
	for (int i = 0; i < N; i++)
		p[i] = hs_alloc(SIZE, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	for (int i = 0; i < 1024; i++)
		park(p[i]);
	ck_assert_uint_eq(hs_quarantine_bytes(), (size_t)1 << 20);
	for (int i = 0; i < 1024; i++)
		UNIT_EQ(state_of(p[i]), HS_STATE_QUARANTINED, "block %d", i);
	/* each further block pushes exactly the oldest one out */
	for (int i = 1024; i < N; i++) {
		park(p[i]);
		ck_assert_uint_eq(hs_quarantine_bytes(), (size_t)1 << 20);
		UNIT_EQ(state_of(p[i - 1024]), HS_STATE_FREE, "block %d", i - 1024);
		UNIT_EQ(state_of(p[i - 1023]), HS_STATE_QUARANTINED, "block %d", i - 1023);
	}
	/* what left is reused: the thread cache hands the latest release back */
	ck_assert_ptr_eq(hs_alloc(SIZE, HS_MIN_ALIGN, HS_API_MALLOC, 0), p[N - 1 - 1024]);
}
END_TEST

START_TEST(test_tally)
{
	char *s = hs_alloc(SIZE, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	char *bd = hs_alloc(20000, HS_MIN_ALIGN, HS_API_MALLOC, 0); /* buddy order 3: 32 KiB */
	char *lg = hs_alloc(3 << 20, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	park(s);
	park(bd);
	park(lg);
	struct hs_quarantine_tally t;
	hs_quarantine_tally(&t);
	unsigned cls = hs_slab_class_of(SIZE);
	ck_assert_uint_eq(t.cls_count[cls], 1);
	ck_assert_uint_eq(t.cls_requested[cls], SIZE);
	ck_assert_uint_eq(t.order_count[3], 1);
	ck_assert_uint_eq(t.order_requested[3], 20000);
	ck_assert_uint_eq(t.large_blocks, 1);
	ck_assert_uint_eq(t.large_requested, 3 << 20);
	ck_assert_uint_eq(t.large_mapped, 3 << 20);
	ck_assert_uint_eq(hs_quarantine_bytes(), 1024 + 32768 + (3 << 20));
	hs_quarantine_drain();
	hs_quarantine_tally(&t);
	ck_assert_uint_eq(t.cls_count[cls] + t.order_count[3] + t.large_blocks, 0);
	ck_assert_uint_eq(hs_quarantine_bytes(), 0);
	ck_assert_uint_eq(state_of(s), HS_STATE_FREE);
	/* the buddy block merged back into free pages; the mapping is gone */
	struct hs_block b;
	ck_assert_int_eq(hs_block_find(bd, &b), HS_FIND_FREE);
	ck_assert_int_eq(hs_block_find(lg, &b), HS_FIND_FOREIGN);
}
END_TEST

START_TEST(test_write_after_free)
{
	struct unit_capture cap;
	unit_capture_start(&cap);
	char *p = hs_alloc(SIZE, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	park(p);
	p[200] = 1; /* past the poisoned part: not seen */
	hs_quarantine_drain();
	ck_assert_str_eq(unit_capture_take(&cap), "");
	char *q = hs_alloc(SIZE, HS_MIN_ALIGN, HS_API_MALLOC, 0);
	ck_assert_ptr_eq(q, p);
	park(q);
	q[37] = 1;
	hs_quarantine_drain();
	const char *text = unit_capture_take(&cap);
	char want[256];
	/* the drain is the exit's: found at exit, not at a free */
	snprintf(want, sizeof want, "==%d== Invalid write (heap-use-after-free, found at exit)\n", (int)getpid());
	ck_assert_msg(!strncmp(text, want, strlen(want)), "'%s' does not start with '%s'", text, want);
	snprintf(want, sizeof want, "Address 0x%jx is 37 bytes inside a block of size 1000 free'd (allocated by malloc)\n",
		 (uintmax_t)(uintptr_t)(q + 37));
	ck_assert_msg(strstr(text, want) != NULL, "'%s' has no '%s'", text, want);
	unit_capture_stop(&cap);
}
END_TEST

int main(int argc, char **argv)
{
	(void)argc;
	Suite *s = suite_create("quarantine");
	TCase *tc = unit_tcase("quarantine", 1);
	tcase_add_test(tc, test_poisoned_and_not_reused);
	tcase_add_test(tc, test_budget_fifo);
	tcase_add_test(tc, test_tally);
	tcase_add_test(tc, test_write_after_free);
	suite_add_tcase(s, tc);
	return unit_run(s, argv);
}
