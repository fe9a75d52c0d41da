/* check_procmaps.c — reading /proc files without malloc (procmaps.h): a
 * mapping line parsed field by field, a file read whole into a growing
 * buffer of heapscope's own and gone through line by line, the same lines
 * as the streaming reader gives.
 */
#include "unit.h"

#include "procmaps.h"

START_TEST(test_parse_mapping)
{
	static const char line[] = "7f0000001000-7f0000003000 rw-p 00002000 08:01 1234     /usr/lib/libx.so";
	struct hs_mapping m;
	ck_assert_int_eq(hs_mapping_parse(line, sizeof line - 1, &m), 0);
	ck_assert_uint_eq(m.lo, 0x7f0000001000u);
	ck_assert_uint_eq(m.hi, 0x7f0000003000u);
	ck_assert_str_eq(m.perms, "rw-p");
	ck_assert_int_eq(m.anon, 0);
	ck_assert_uint_eq(m.path_len, strlen("/usr/lib/libx.so"));
	ck_assert_int_eq(memcmp(m.path, "/usr/lib/libx.so", m.path_len), 0);
	static const char anon[] = "7f0000004000-7f0000005000 rw-p 00000000 00:00 0 ";
	ck_assert_int_eq(hs_mapping_parse(anon, sizeof anon - 1, &m), 0);
	ck_assert_int_eq(m.anon, 1);
	ck_assert_int_eq(hs_mapping_parse("Rss:  4 kB", 10, &m), -1);
}
END_TEST

struct lines {
	unsigned n;
	uint64_t sum; /* of line lengths, times their number */
};

static void count_line(const char *line, size_t len, void *ctx)
{
	(void)line;
	struct lines *l = ctx;
	l->n++;
	l->sum += len * l->n;
}

/* 3000 lines of 40 bytes and one of 7: past the first 64 KiB, so the
 * buffer grows while the file is read. */
START_TEST(test_text_grows)
{
	char path[] = "/tmp/hs_procmaps_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	char line[41];
	memset(line, 'x', 39);
	line[39] = '\n';
	for (int i = 0; i < 3000; i++)
		ck_assert_int_eq(write(fd, line, 40), 40);
	ck_assert_int_eq(write(fd, "last 7\n", 7), 7);
	close(fd);
	struct hs_text t = {0};
	ck_assert_int_eq(hs_text_read(path, &t), 0);
	unlink(path);
	ck_assert_uint_eq(t.len, 3000 * 40 + 7);
	ck_assert_uint_ge(t.cap, t.len);
	struct lines l = {0, 0};
	hs_text_each_line(&t, count_line, &l);
	ck_assert_uint_eq(l.n, 3001);
	ck_assert_uint_eq(l.sum, 39ull * 3000 * 3001 / 2 + 6 * 3001);
	/* read again into the same buffer */
	ck_assert_int_eq(hs_text_read("/proc/self/stat", &t), 0);
	ck_assert_uint_gt(t.len, 0);
	ck_assert_int_eq(hs_text_read("/nonexistent/file", &t), -1);
	ck_assert_uint_eq(t.len, 0);
}
END_TEST

/* /proc/self/maps through both readers: the same lines. The mappings
 * must not change between the two reads: no allocation in between. */
START_TEST(test_text_as_streamed)
{
	static struct hs_text t;
	ck_assert_int_eq(hs_text_read("/proc/self/maps", &t), 0);
	struct lines a = {0, 0}, b = {0, 0};
	hs_text_each_line(&t, count_line, &a);
	hs_proc_each_line("/proc/self/maps", count_line, &b);
	ck_assert_uint_gt(a.n, 5);
	ck_assert_uint_eq(a.n, b.n);
	ck_assert_uint_eq(a.sum, b.sum);
}
END_TEST

int main(int argc, char **argv)
{
	(void)argc;
	Suite *s = suite_create("procmaps");
	TCase *tc = unit_tcase("procmaps", 1);
	tcase_add_test(tc, test_parse_mapping);
	tcase_add_test(tc, test_text_grows);
	tcase_add_test(tc, test_text_as_streamed);
	suite_add_tcase(s, tc);
	return unit_run(s, argv);
}
