/* check_procmaps.c — reading /proc files without malloc (procmaps.h): a
 * mapping line parsed field by field, a file read whole into a growing
 * buffer of heapscope's own and gone through line by line, the same lines
 * as the streaming reader gives; /proc/self/maps parsed once into an array
 * that grows (and is read again) when the process has more mappings than
 * it holds.
 */
#include "unit.h"

#include <sys/mman.h>

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

/* 600 mappings that cannot merge (every other page of a reservation made
 * read-only): past the array's first 256 entries. Every one of them must be
 * in the result, exactly, and the result must match the lines as streamed
 * once nothing changes any more. */
START_TEST(test_maps_parsed_once)
{
	enum { N = 600 };
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *base = mmap(NULL, 2 * N * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(base, MAP_FAILED);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(mprotect(base + 2 * (size_t)i * page, page, PROT_READ), 0);
	static struct hs_maps maps;
	ck_assert_int_eq(hs_maps_read(&maps), 0);
	ck_assert_uint_ge(maps.cap, maps.n);
	ck_assert_uint_gt(maps.n, 2 * N);
	unsigned ro = 0, rw = 0;
	for (size_t i = 0; i < maps.n; i++) {
		const struct hs_mapping *m = &maps.m[i];
		if (m->lo < (uintptr_t)base || m->hi > (uintptr_t)base + 2 * N * page)
			continue;
		ck_assert_uint_eq(m->hi - m->lo, page);
		ck_assert_uint_eq((m->lo - (uintptr_t)base) / page % 2, strcmp(m->perms, "r--p") == 0 ? 0 : 1);
		ck_assert_int_eq(m->anon, 1);
		ro += m->perms[1] == '-';
		rw += m->perms[1] == 'w';
	}
	ck_assert_uint_eq(ro, N);
	ck_assert_uint_eq(rw, N);
	/* buffers grown already: a second read changes nothing */
	size_t cap = maps.cap;
	ck_assert_int_eq(hs_maps_read(&maps), 0);
	ck_assert_uint_eq(maps.cap, cap);
	struct lines b = {0, 0};
	hs_proc_each_line("/proc/self/maps", count_line, &b);
	ck_assert_uint_eq(maps.n, b.n);
	for (size_t i = 1; i < maps.n; i++)
		ck_assert_uint_ge(maps.m[i].lo, maps.m[i - 1].hi);
	hs_maps_free(&maps);
	ck_assert_ptr_null(maps.m);
	ck_assert_uint_eq(maps.n, 0);
	munmap(base, 2 * N * page);
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
	tcase_add_test(tc, test_maps_parsed_once);
	suite_add_tcase(s, tc);
	return unit_run(s, argv);
}
