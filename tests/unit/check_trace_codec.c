/* check_trace_codec.c — the trace format end to end: the varint and zigzag
 * codecs of trace_format.h at their edges; a trace written by the real
 * writer (trace_writer.c, stackdepot.c) and read back by the analyzer
 * (trace_reader.c, process.c) with exact process information, stacks, heap
 * statistics, per-site totals, live blocks and exit; every prefix of that
 * trace (a process killed at any byte) read without a crash, with the right
 * error or the right truncated state and monotonically growing counts; and
 * hostile files: bad magic, unsupported versions, huge record lengths (no
 * huge allocation), unknown and corrupt records.
 *
 * hs_trace_open starts this process's one trace: every test runs in its own
 * forked child (unit_run sets CK_FORK whatever the environment says), so
 * each test that needs a trace writes its own, into its own directory.
 */
#include "unit.h"

#include <ftw.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <heapscope/trace_format.h>

#include "process.h"
#include "stackdepot.h"
#include "trace_reader.h"
#include "trace_writer.h"

/* ---- varints ------------------------------------------------------------ */

static const struct {
	uint64_t v;
	size_t len;
} varints[] = {
	{0, 1},
	{1, 1},
	{127, 1},
	{128, 2},
	{255, 2},
	{16383, 2},
	{16384, 3},
	{(uint64_t)1 << 32, 5},
	{((uint64_t)1 << 56) - 1, 8},
	{(uint64_t)1 << 56, 9},
	{((uint64_t)1 << 63) - 1, 9},
	{(uint64_t)1 << 63, 10},
	{UINT64_MAX - 1, 10},
	{UINT64_MAX, 10},
};

START_TEST(test_varint_bytes)
{
	uint8_t b[HS_VARINT_MAX + 2];
	static const uint8_t v0[] = {0x00};
	static const uint8_t v127[] = {0x7f};
	static const uint8_t v128[] = {0x80, 0x01};
	static const uint8_t v300[] = {0xac, 0x02};
	static const uint8_t v2_63[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
	static const uint8_t vmax[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	ck_assert_uint_eq(hs_put_varint(b, 0), 1);
	ck_assert_mem_eq(b, v0, 1);
	ck_assert_uint_eq(hs_put_varint(b, 127), 1);
	ck_assert_mem_eq(b, v127, 1);
	ck_assert_uint_eq(hs_put_varint(b, 128), 2);
	ck_assert_mem_eq(b, v128, 2);
	ck_assert_uint_eq(hs_put_varint(b, 300), 2);
	ck_assert_mem_eq(b, v300, 2);
	ck_assert_uint_eq(hs_put_varint(b, (uint64_t)1 << 63), 10);
	ck_assert_mem_eq(b, v2_63, 10);
	ck_assert_uint_eq(hs_put_varint(b, UINT64_MAX), 10);
	ck_assert_mem_eq(b, vmax, 10);
}
END_TEST

START_TEST(test_varint_round_trip)
{
	for (unsigned k = 0; k < sizeof varints / sizeof varints[0]; k++) {
		uint8_t b[HS_VARINT_MAX + 2];
		memset(b, 0xee, sizeof b);
		size_t n = hs_put_varint(b, varints[k].v);
		ck_assert_uint_eq(n, varints[k].len);
		ck_assert_uint_eq(b[n], 0xee); /* nothing written past it */
		/* decoded from exactly its bytes, and from a longer buffer */
		for (size_t room = n; room <= n + 1; room++) {
			const uint8_t *p = b;
			uint64_t out = 12345;
			ck_assert_int_eq(hs_get_varint(&p, b + room, &out), 0);
			ck_assert_uint_eq(out, varints[k].v);
			ck_assert_ptr_eq(p, b + n);
		}
		/* every truncation fails */
		for (size_t cut = 0; cut < n; cut++) {
			const uint8_t *p = b;
			uint64_t out = 12345;
			ck_assert_int_eq(hs_get_varint(&p, b + cut, &out), -1);
			ck_assert_uint_eq(out, 12345);
		}
	}
}
END_TEST

START_TEST(test_varint_overlong)
{
	/* 11 bytes: ten continuation bytes, then a last one */
	static const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
	/* 10 bytes whose last carries bits beyond the 64th */
	static const uint8_t over[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
	static const uint8_t over7f[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
	/* 10 continuation bytes and nothing after: no terminator within 10 */
	static const uint8_t unterminated[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81};
	uint64_t out;
	const uint8_t *p = eleven;
	ck_assert_int_eq(hs_get_varint(&p, eleven + sizeof eleven, &out), -1);
	p = over;
	ck_assert_int_eq(hs_get_varint(&p, over + sizeof over, &out), -1);
	p = over7f;
	ck_assert_int_eq(hs_get_varint(&p, over7f + sizeof over7f, &out), -1);
	p = unterminated;
	ck_assert_int_eq(hs_get_varint(&p, unterminated + sizeof unterminated, &out), -1);
	/* the largest 10-byte form is UINT64_MAX */
	static const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	p = max;
	ck_assert_int_eq(hs_get_varint(&p, max + sizeof max, &out), 0);
	ck_assert_uint_eq(out, UINT64_MAX);
}
END_TEST

START_TEST(test_zigzag)
{
	static const struct {
		int64_t s;
		uint64_t z;
	} t[] = {
		{0, 0}, {-1, 1}, {1, 2}, {-2, 3}, {2, 4}, {-64, 127}, {64, 128},
		{INT64_MAX, UINT64_MAX - 1}, {INT64_MIN, UINT64_MAX}, {INT64_MIN + 1, UINT64_MAX - 2},
	};
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		ck_assert_uint_eq(hs_zigzag(t[k].s), t[k].z);
		ck_assert_int_eq(hs_unzigzag(t[k].z), t[k].s);
		uint8_t b[HS_VARINT_MAX];
		size_t n = hs_put_varint(b, hs_zigzag(t[k].s));
		const uint8_t *p = b;
		uint64_t out;
		ck_assert_int_eq(hs_get_varint(&p, b + n, &out), 0);
		ck_assert_int_eq(hs_unzigzag(out), t[k].s);
	}
	/* address deltas wrap: from near the top of the space to 0 and back */
	uint64_t a = UINT64_MAX - 15, b = 0x10;
	ck_assert_uint_eq(a + (uint64_t)hs_unzigzag(hs_zigzag((int64_t)(b - a))), b);
	ck_assert_uint_eq(b + (uint64_t)hs_unzigzag(hs_zigzag((int64_t)(a - b))), a);
}
END_TEST

START_TEST(test_cursor)
{
	static const uint8_t d[] = {0x05, 'h', 'e', 'l', 'l', 'o', 0x03, 0x01, 'x', 0x09, 'a'};
	struct hs_cursor c = {d, d + sizeof d, 0};
	size_t n;
	const uint8_t *s = hs_cur_bytes(&c, &n);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(s, "hello", 5);
	ck_assert_int_eq(hs_cur_zigzag(&c), -2);
	ck_assert_uint_eq(hs_cur_byte(&c), 0x01);
	ck_assert_uint_eq(hs_cur_byte(&c), 'x');
	ck_assert_int_eq(c.bad, 0);
	ck_assert_int_eq(hs_cur_done(&c), 0);
	s = hs_cur_bytes(&c, &n); /* 9 bytes announced, 1 present */
	ck_assert_int_eq(c.bad, 1);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(hs_cur_done(&c), 1);
	ck_assert_uint_eq(hs_cur_varint(&c), 0); /* sticky */
	ck_assert_uint_eq(hs_cur_byte(&c), 0);
	ck_assert_int_eq(c.bad, 1);
}
END_TEST

/* ---- a real trace --------------------------------------------------------- */

#define TiB ((uint64_t)1 << 40)

static const uintptr_t S1[] = {0x401000, 0x401234, 0x7f0000001000};
static const uintptr_t S2[] = {0x7ffff7a00010, 0x400010};
static const uintptr_t S3[] = {0x1000};
static const uintptr_t S4[] = {UINTPTR_MAX - 15, 0, 0x10};
static uintptr_t S5[64];
/* stacks sharing S5's outer frames: written as references to it */
static uintptr_t S6[42]; /* two frames of its own, then S5's last 40 */
static uintptr_t S7[4];	 /* S5's last 4: one frame written, 3 referenced */
enum { DATA_EVENTS = 9, N_STACKS = 7 };

static char root[256], dir[512], trace_path[700];
static struct timespec t_before, t_after;

/* Unchecked fixture, in the runner: one directory for the whole test case,
 * removed afterwards even when a test failed (a failed test's child exits
 * on the spot). Each test makes its own directory inside. */
static void root_setup(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(root, sizeof root, "%s/hs_codec.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		perror(root);
		root[0] = 0;
	}
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void root_teardown(void)
{
	if (root[0])
		nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void make_dir(void)
{
	ck_assert_int_ne(root[0], 0);
	snprintf(dir, sizeof dir, "%s/t.XXXXXX", root);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write the reference trace with the real writer; sets trace_path. */
static void make_trace(void)
{
	make_dir();
	for (unsigned i = 0; i < 64; i++)
		S5[i] = 0x500000 + (uintptr_t)i * 0x40 * (i & 1 ? 3 : 1);
	ck_assert_int_eq(hs_trace_on, 0);
	clock_gettime(CLOCK_REALTIME, &t_before);
	ck_assert_int_eq(hs_trace_open(dir, strlen(dir)), 0);
	clock_gettime(CLOCK_REALTIME, &t_after);
	ck_assert_int_eq(hs_trace_on, 1);
	ck_assert_uint_eq(hs_stack_intern(S1, 3), 1);
	ck_assert_uint_eq(hs_stack_intern(S2, 2), 2);
	ck_assert_uint_eq(hs_stack_intern(S3, 1), 3);

	hs_trace_alloc((void *)0x10000, 100, 1, HS_API_MALLOC, 1);
	hs_trace_alloc((void *)0x7f0000000000, 5000, 2, HS_API_CALLOC, 2);
	hs_trace_alloc((void *)0x20000, 1, 1, HS_API_NEW, 1);
	hs_trace_free((void *)0x10000, HS_API_FREE, 0, 1);
	hs_trace_realloc((void *)0x20000, (void *)0x30000, 300, 3, 2);
	hs_trace_alloc((void *)0x10000, 64, 2, HS_API_MALLOC, 2);
	/* a new stack in the middle of the events: its definition comes first */
	ck_assert_uint_eq(hs_stack_intern(S4, 3), 4);
	hs_trace_alloc((void *)0x40000, TiB, 4, HS_API_NEW_ARRAY, 3);
	hs_trace_free((void *)0x40000, HS_API_DELETE_ARRAY, 4, 3);
	hs_trace_free((void *)0x50000, HS_API_FREE, 0, 3); /* never allocated */
	ck_assert_uint_eq(hs_stack_intern(S5, 64), 5);
	S6[0] = 0x9000;
	S6[1] = 0x9abc;
	memcpy(S6 + 2, S5 + 24, 40 * sizeof S5[0]);
	memcpy(S7, S5 + 60, 4 * sizeof S5[0]);
	ck_assert_uint_eq(hs_stack_intern(S6, 42), 6);
	ck_assert_uint_eq(hs_stack_intern(S7, 4), 7);
	hs_trace_exit(HS_EXIT_CODE, 3, 1, "test end");
	snprintf(trace_path, sizeof trace_path, "%s/heapscope.%d.hst", dir, (int)getpid());
	struct stat st;
	ck_assert_int_eq(stat(trace_path, &st), 0);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	size_t n = 0, cap = 4096, r;
	uint8_t *b = malloc(cap);
	ck_assert_ptr_nonnull(b);
	/* read to the end: /proc files have no size */
	while ((r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			b = realloc(b, cap *= 2);
			ck_assert_ptr_nonnull(b);
		}
	}
	ck_assert_int_eq(ferror(f), 0);
	fclose(f);
	*len = n;
	return b;
}

static void spit(const char *path, const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

/* Bytes of the file header plus the INFO record. */
static size_t info_end(const uint8_t *b)
{
	ck_assert_uint_eq(b[16], HS_REC_INFO);
	return 16 + HS_RECORD_HEADER + hs_get_u32le(b + 17);
}

static void assert_site(const struct hs_process *p, uint32_t id, uint64_t allocations,
			uint64_t bytes, uint64_t live, uint64_t peak)
{
	ck_assert_uint_lt(id, p->nstacks);
	ck_assert_uint_eq(p->sites[id].allocations, allocations);
	ck_assert_uint_eq(p->sites[id].bytes, bytes);
	ck_assert_uint_eq(p->sites[id].live, live);
	ck_assert_uint_eq(p->sites[id].peak, peak);
}

static void assert_stack(const struct hs_process *p, uint32_t id, const uintptr_t *f, uint32_t n)
{
	ck_assert_uint_lt(id, p->nstacks);
	ck_assert_ptr_nonnull(p->stacks[id].frames);
	ck_assert_uint_eq(p->stacks[id].n, n);
	ck_assert_uint_eq(p->stacks[id].map, UINT32_MAX); /* no MODULES record */
	for (uint32_t i = 0; i < n; i++)
		UNIT_EQ(p->stacks[id].frames[i], f[i], "frame %u of stack %u", i, id);
}

static void assert_live(struct hs_process *p, uint64_t addr, uint64_t size, uint32_t stack)
{
	struct hs_live l;
	ck_assert_int_eq(hs_livemap_take(&p->live, addr, &l), 1);
	ck_assert_uint_eq(l.addr, addr);
	ck_assert_uint_eq(l.size, size);
	ck_assert_uint_eq(l.stack, stack);
}

/* The heap accounting of the complete reference trace. */
static void assert_full_heap(struct hs_process *p)
{
	const struct hs_heap_stats *h = &p->heap;
	ck_assert_uint_eq(h->allocations, 6);
	ck_assert_uint_eq(h->frees, 4); /* the realloc's among them */
	ck_assert_uint_eq(h->reallocs, 1);
	ck_assert_uint_eq(h->unknown_frees, 1);
	ck_assert_uint_eq(h->total_bytes, 100 + 5000 + 1 + 300 + 64 + TiB);
	ck_assert_uint_eq(h->peak_bytes, TiB + 5364);
	ck_assert_uint_eq(h->peak_blocks, 4);
	ck_assert_uint_eq(h->live_bytes, 5364);
	ck_assert_uint_eq(h->live_blocks, 3);
	/* allocations, frees and reallocs (not TIME or THREAD) */
	ck_assert_uint_eq(h->events, DATA_EVENTS);
	ck_assert_uint_le(h->peak_time_ms, h->duration_ms);
	ck_assert_uint_lt(h->duration_ms, 60000);
	assert_site(p, 0, 0, 0, 0, 0);
	assert_site(p, 1, 2, 101, 0, 101);
	assert_site(p, 2, 2, 5064, 5064, 5064);
	assert_site(p, 3, 1, 300, 300, 300);
	assert_site(p, 4, 1, TiB, 0, TiB);
	assert_site(p, 5, 0, 0, 0, 0);
	ck_assert_uint_eq(p->live.count, 3);
	assert_live(p, 0x7f0000000000, 5000, 2);
	assert_live(p, 0x30000, 300, 3);
	assert_live(p, 0x10000, 64, 2);
	ck_assert_uint_eq(p->live.count, 0);
}

START_TEST(test_round_trip)
{
	make_trace();
	struct hs_process p;
	char err[512] = "";
	ck_assert_int_eq(hs_process_load(&p, trace_path, err, sizeof err, NULL), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(p.version, HS_TRACE_VERSION);
	ck_assert_int_eq(p.truncated, 0);
	ck_assert_uint_eq(p.corrupt_records, 0);
	struct stat st;
	ck_assert_int_eq(stat(trace_path, &st), 0);
	ck_assert_uint_eq(p.valid_bytes, (uint64_t)st.st_size);

	/* INFO */
	ck_assert_int_eq(p.has_info, 1);
	ck_assert_uint_eq(p.pid, (uint64_t)getpid());
	ck_assert_uint_eq(p.ppid, (uint64_t)getppid());
	ck_assert_uint_eq(p.page_size, (uint64_t)sysconf(_SC_PAGESIZE));
	uint64_t before = (uint64_t)t_before.tv_sec * 1000000000u + (uint64_t)t_before.tv_nsec;
	uint64_t after = (uint64_t)t_after.tv_sec * 1000000000u + (uint64_t)t_after.tv_nsec;
	ck_assert_uint_ge(p.start_ns, before);
	ck_assert_uint_le(p.start_ns, after);
	char exe[4096];
	ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
	ck_assert_int_gt(el, 0);
	exe[el] = 0;
	ck_assert_str_eq(p.exe, exe);
	size_t cl;
	uint8_t *cmd = slurp("/proc/self/cmdline", &cl);
	size_t argc = 0;
	for (size_t i = 0; i < cl; i++)
		argc += cmd[i] == 0;
	ck_assert_uint_ge(argc, 1);
	ck_assert_uint_eq(p.argc, argc);
	const char *arg = (const char *)cmd;
	for (size_t i = 0; i < argc; i++) {
		ck_assert_str_eq(p.argv[i], arg);
		arg += strlen(arg) + 1;
	}
	free(cmd);
	ck_assert_str_eq(p.options, ""); /* unit_run runs without HEAPSCOPE_OPTIONS */

	/* STACKs */
	ck_assert_uint_eq(p.nstacks, N_STACKS + 1);
	assert_stack(&p, 1, S1, 3);
	assert_stack(&p, 2, S2, 2);
	assert_stack(&p, 3, S3, 1);
	assert_stack(&p, 4, S4, 3);
	assert_stack(&p, 5, S5, 64);
	assert_stack(&p, 6, S6, 42);
	assert_stack(&p, 7, S7, 4);
	ck_assert_uint_eq(p.nmodules, 0);
	ck_assert_uint_eq(p.nmaps, 0);
	ck_assert_int_eq(p.leaks.present, 0);

	/* EXIT */
	ck_assert_int_eq(p.exit.present, 1);
	ck_assert_uint_eq(p.exit.how, HS_EXIT_CODE);
	ck_assert_uint_eq(p.exit.value, 3);
	ck_assert_int_eq(p.exit.leak_check, 1);
	ck_assert_str_eq(p.exit.reason, "test end");

	assert_full_heap(&p);
	hs_process_free(&p);

	/* the records as written: header, INFO first, EXIT last, the stacks
	 * defined inline in the one run of events (a new stack does not end
	 * the EVENTS record) */
	size_t len;
	uint8_t *b = slurp(trace_path, &len);
	ck_assert_mem_eq(b, "HSTRACE\0", 8);
	ck_assert_uint_eq(hs_get_u32le(b + 8), HS_TRACE_VERSION);
	ck_assert_uint_eq(hs_get_u32le(b + 12), 0);
	unsigned count[16] = {0}, last = 0, first = 0;
	size_t off = 16;
	while (off + HS_RECORD_HEADER <= len) {
		unsigned type = b[off];
		ck_assert_uint_lt(type, 16);
		if (!first)
			first = type;
		last = type;
		count[type]++;
		off += HS_RECORD_HEADER + hs_get_u32le(b + off + 1);
	}
	ck_assert_uint_eq(off, len);
	ck_assert_uint_eq(first, HS_REC_INFO);
	ck_assert_uint_eq(last, HS_REC_EXIT);
	ck_assert_uint_eq(count[HS_REC_INFO], 1);
	ck_assert_uint_eq(count[HS_REC_STACK] + count[HS_REC_STACK_REF], 0);
	ck_assert_uint_eq(count[HS_REC_EVENTS], 1);
	ck_assert_uint_eq(count[HS_REC_EXIT], 1);
	ck_assert_uint_eq(count[HS_REC_MODULES] + count[HS_REC_LEAKS] + count[0] + count[7], 0);
	free(b);
	remove_dir();
}
END_TEST

/* A process killed at any byte of its trace. */
START_TEST(test_every_prefix)
{
	make_trace();
	size_t len;
	uint8_t *b = slurp(trace_path, &len);
	size_t ie = info_end(b);
	/* record boundaries */
	uint8_t *boundary = calloc(len + 1, 1);
	ck_assert_ptr_nonnull(boundary);
	for (size_t off = 16; off <= len; off += HS_RECORD_HEADER + hs_get_u32le(b + off + 1)) {
		boundary[off] = 1;
		if (off == len)
			break;
	}
	ck_assert_int_eq(boundary[len], 1);
	char path[800];
	snprintf(path, sizeof path, "%s/prefix.hst", dir);
	struct hs_heap_stats prev = {0};
	uint32_t prev_stacks = 0;
	uint64_t prev_valid = 0;
	for (size_t n = 0; n <= len; n++) {
		spit(path, b, n);
		struct hs_process p;
		char err[512] = "";
		int rc = hs_process_load(&p, path, err, sizeof err, NULL);
		if (n < ie) {
			if (rc != -1)
				ck_abort_msg("prefix of %zu bytes (INFO ends at %zu) loaded", n, ie);
			if (strncmp(err, path, strlen(path)) != 0)
				ck_abort_msg("prefix %zu: message '%s' does not name the file", n, err);
			const char *want = n == 0  ? "empty: not a heapscope trace"
					   : n < 8 ? "not a heapscope trace (bad magic)"
					   : n < 16 ? "truncated in the file header"
						    : "no process information";
			if (!strstr(err, want))
				ck_abort_msg("prefix %zu: message '%s' lacks '%s'", n, err, want);
			hs_process_free(&p);
			continue;
		}
		if (rc != 0)
			ck_abort_msg("prefix %zu of %zu: %s", n, len, err);
		UNIT_EQ(p.has_info, 1, "prefix %zu", n);
		UNIT_EQ(p.truncated, !boundary[n], "prefix %zu", n);
		UNIT_EQ(p.exit.present, n == len, "prefix %zu", n);
		UNIT_EQ(p.corrupt_records, 0, "prefix %zu", n);
		/* the readable part ends at the last whole record */
		size_t vb = n;
		while (!boundary[vb])
			vb--;
		UNIT_EQ(p.valid_bytes, vb, "prefix %zu", n);
		const struct hs_heap_stats *h = &p.heap;
		if (h->allocations < prev.allocations || h->frees < prev.frees ||
		    h->reallocs < prev.reallocs || h->events < prev.events ||
		    h->total_bytes < prev.total_bytes || h->peak_bytes < prev.peak_bytes ||
		    p.nstacks < prev_stacks || p.valid_bytes < prev_valid)
			ck_abort_msg("prefix %zu: counts went down", n);
		/* nothing changes inside a record */
		if (!boundary[n] && n > ie &&
		    (h->allocations != prev.allocations || h->events != prev.events ||
		     p.nstacks != prev_stacks))
			ck_abort_msg("prefix %zu: a partial record was used", n);
		/* the accounting stays consistent at every point */
		UNIT_EQ(h->live_blocks, p.live.count, "prefix %zu", n);
		UNIT_EQ(h->live_blocks, h->allocations - (h->frees - h->unknown_frees), "prefix %zu", n);
		prev = *h;
		prev_stacks = p.nstacks;
		prev_valid = p.valid_bytes;
		if (n == len)
			assert_full_heap(&p);
		hs_process_free(&p);
	}
	free(boundary);
	free(b);
	remove_dir();
}
END_TEST

static int load(const char *path, struct hs_process *p, char *err, size_t errlen)
{
	err[0] = 0;
	return hs_process_load(p, path, err, errlen, NULL);
}

START_TEST(test_bad_files)
{
	make_trace();
	size_t len;
	uint8_t *b = slurp(trace_path, &len);
	char path[800], err[512];
	struct hs_process p;
	snprintf(path, sizeof path, "%s/bad.hst", dir);

	/* bad magic, with an otherwise perfect trace behind it */
	b[6] = 'X';
	spit(path, b, len);
	ck_assert_int_eq(load(path, &p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a heapscope trace"));
	ck_assert_int_eq(strncmp(err, path, strlen(path)), 0);
	hs_process_free(&p);
	b[6] = 'E';
	spit(path, (const uint8_t *)"hello, world\n", 13);
	ck_assert_int_eq(load(path, &p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a heapscope trace"));
	hs_process_free(&p);
	spit(path, (const uint8_t *)"", 0);
	ck_assert_int_eq(load(path, &p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a heapscope trace"));
	hs_process_free(&p);

	/* versions */
	hs_put_u32le(b + 8, 99);
	spit(path, b, len);
	ck_assert_int_eq(load(path, &p, err, sizeof err), -1);
	ck_assert_int_eq(strncmp(err, path, strlen(path)), 0);
	ck_assert_ptr_nonnull(strstr(err, "version 99"));
	char want[64];
	snprintf(want, sizeof want, "reads versions 1 to %u", HS_TRACE_VERSION);
	ck_assert_ptr_nonnull(strstr(err, want));
	hs_process_free(&p);
	hs_put_u32le(b + 8, 0);
	spit(path, b, len);
	ck_assert_int_eq(load(path, &p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "version 0 "));
	ck_assert_ptr_nonnull(strstr(err, want));
	hs_process_free(&p);
	/* version 1 (stacks defined in id order) is a subset of 2 */
	hs_put_u32le(b + 8, 1);
	spit(path, b, len);
	ck_assert_int_eq(load(path, &p, err, sizeof err), 0);
	ck_assert_uint_eq(p.version, 1);
	ck_assert_uint_eq(p.corrupt_records, 0);
	hs_process_free(&p);
	hs_put_u32le(b + 8, HS_TRACE_VERSION);

	/* not a file */
	ck_assert_int_eq(load(dir, &p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "is a directory"));
	hs_process_free(&p);
	snprintf(path, sizeof path, "%s/missing.hst", dir);
	ck_assert_int_eq(load(path, &p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	hs_process_free(&p);

	/* still intact after all that */
	spit(path, b, len);
	ck_assert_int_eq(load(path, &p, err, sizeof err), 0);
	assert_full_heap(&p);
	hs_process_free(&p);
	free(b);
	remove_dir();
}
END_TEST

/* Allow only `extra` more bytes of address space, so that an attempt to
 * allocate a record's announced length fails visibly. Not under ASan,
 * whose shadow memory needs far more than that. */
static void limit_address_space(size_t extra)
{
#if defined(__SANITIZE_ADDRESS__)
	(void)extra;
#else
	FILE *f = fopen("/proc/self/statm", "r");
	ck_assert_ptr_nonnull(f);
	unsigned long pages = 0;
	ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
	fclose(f);
	struct rlimit rl;
	ck_assert_int_eq(getrlimit(RLIMIT_AS, &rl), 0);
	rl.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + extra;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
#endif
}

START_TEST(test_huge_length)
{
	make_trace();
	size_t len;
	uint8_t *b = slurp(trace_path, &len);
	size_t ie = info_end(b);
	static const uint32_t lengths[] = {UINT32_MAX, 0xfffffff0u, HS_RECORD_LIMIT + 1, HS_RECORD_LIMIT,
					   60u << 20, 48u << 20};
	char path[800], err[512];
	snprintf(path, sizeof path, "%s/huge.hst", dir);
	uint8_t *t = malloc(ie + HS_RECORD_HEADER + 4096);
	ck_assert_ptr_nonnull(t);
	memcpy(t, b, ie);
	for (size_t i = 0; i < 4096; i++)
		t[ie + HS_RECORD_HEADER + i] = (uint8_t)(HS_EV_ALLOC | 1);
	limit_address_space((size_t)40 << 20);
	for (unsigned k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
		t[ie] = HS_REC_EVENTS;
		hs_put_u32le(t + ie + 1, lengths[k]);
		spit(path, t, ie + HS_RECORD_HEADER + 4096);
		struct hs_process p;
		if (load(path, &p, err, sizeof err) != 0)
			ck_abort_msg("length %u: %s", lengths[k], err);
		ck_assert_int_eq(p.has_info, 1);
		ck_assert_int_eq(p.truncated, 1);
		ck_assert_uint_eq(p.valid_bytes, ie);
		ck_assert_uint_eq(p.heap.events, 0);
		ck_assert_uint_eq(p.heap.allocations, 0);
		hs_process_free(&p);
	}
	/* record type 0 is never written: garbage, the end of the trace */
	b[ie] = 0;
	spit(path, b, len);
	struct hs_process p;
	ck_assert_int_eq(load(path, &p, err, sizeof err), 0);
	ck_assert_int_eq(p.truncated, 1);
	ck_assert_uint_eq(p.valid_bytes, ie);
	hs_process_free(&p);
	free(t);
	free(b);
	remove_dir();
}
END_TEST

/* The reference trace with `rec` (whole records) inserted after INFO, or
 * before EXIT. */
static void load_with(const uint8_t *rec, size_t rn, int before_exit, struct hs_process *p)
{
	size_t len;
	uint8_t *b = slurp(trace_path, &len);
	size_t at = info_end(b);
	if (before_exit) {
		at = 0;
		for (size_t off = 16; off + HS_RECORD_HEADER <= len; off += HS_RECORD_HEADER + hs_get_u32le(b + off + 1))
			if (b[off] == HS_REC_EXIT)
				at = off;
		ck_assert_uint_gt(at, 0);
	}
	uint8_t *t = malloc(len + rn);
	ck_assert_ptr_nonnull(t);
	memcpy(t, b, at);
	memcpy(t + at, rec, rn);
	memcpy(t + at + rn, b + at, len - at);
	char path[800], err[512];
	snprintf(path, sizeof path, "%s/inserted.hst", dir);
	spit(path, t, len + rn);
	if (load(path, p, err, sizeof err) != 0)
		ck_abort_msg("%s", err);
	ck_assert_int_eq(p->truncated, 0);
	ck_assert_uint_eq(p->valid_bytes, len + rn);
	ck_assert_int_eq(p->exit.present, 1);
	free(t);
	free(b);
}

static void load_with_inserted(const uint8_t *rec, size_t rn, struct hs_process *p)
{
	load_with(rec, rn, 0, p);
}

/* Append a record of `type` whose payload is the varints v[0..n-1]. */
static size_t put_varint_record(uint8_t *rec, size_t k, unsigned type, const uint64_t *v, size_t n)
{
	rec[k++] = (uint8_t)type;
	size_t len_at = k;
	k += 4;
	for (size_t i = 0; i < n; i++)
		k += hs_put_varint(rec + k, v[i]);
	hs_put_u32le(rec + len_at, (uint32_t)(k - len_at - 4));
	return k;
}

/* Stacks as records of their own (STACK, STACK_REF) read as inline ones,
 * in any id order. */
START_TEST(test_stack_records)
{
	make_trace();
	uint8_t rec[128];
	size_t k = 0;
	/* STACK 8: 0x1000, 0x1010; STACK_REF 9: 0x2000 then S5's last 3 */
	const uint64_t s8_rec[] = {8, 2, 0x1000, hs_zigzag(0x10)};
	const uint64_t s9_rec[] = {9, 5, 3, 1, hs_zigzag((int64_t)(0x2000 - S5[0]))};
	/* a fork child's order: STACK 5000 (an inherited id, far beyond the
	 * others), then STACK_REF 10 on it: 0x4000 then 5000's last 2 */
	const uint64_t s5000_rec[] = {5000, 3, 0x3000, hs_zigzag(0x10), hs_zigzag(0x10)};
	const uint64_t s10_rec[] = {10, 5000, 2, 1, hs_zigzag(0x1000)};
	k = put_varint_record(rec, k, HS_REC_STACK, s8_rec, 4);
	k = put_varint_record(rec, k, HS_REC_STACK_REF, s9_rec, 5);
	k = put_varint_record(rec, k, HS_REC_STACK, s5000_rec, 5);
	k = put_varint_record(rec, k, HS_REC_STACK_REF, s10_rec, 5);
	/* an allocation naming id 4000, in the gap: not a site of its own */
	rec[k++] = HS_REC_EVENTS;
	size_t len_at = k;
	k += 4;
	rec[k++] = HS_EV_ALLOC | HS_API_MALLOC;
	k += hs_put_varint(rec + k, hs_zigzag(0x10000000));
	k += hs_put_varint(rec + k, 24);
	k += hs_put_varint(rec + k, 4000);
	hs_put_u32le(rec + len_at, (uint32_t)(k - len_at - 4));
	struct hs_process p;
	load_with(rec, k, 1, &p);
	ck_assert_uint_eq(p.corrupt_records, 0);
	static const uintptr_t s8[] = {0x1000, 0x1010};
	assert_stack(&p, 8, s8, 2);
	uintptr_t s9[4] = {0x2000, S5[61], S5[62], S5[63]};
	assert_stack(&p, 9, s9, 4);
	static const uintptr_t s5000[] = {0x3000, 0x3010, 0x3020}, s10[] = {0x4000, 0x3010, 0x3020};
	assert_stack(&p, 5000, s5000, 3);
	assert_stack(&p, 10, s10, 3);
	ck_assert_ptr_null(p.stacks[11].frames); /* the ids between: not defined */
	ck_assert_ptr_null(p.stacks[4999].frames);
	ck_assert_uint_eq(p.heap.allocations, 6 + 1); /* assert_full_heap's 6 */
	ck_assert_uint_eq(p.sites[4000].allocations, 0);
	ck_assert_uint_eq(p.sites[0].allocations, 1); /* counted as without a stack */
	assert_stack(&p, 7, S7, 4);
	hs_process_free(&p);
	remove_dir();
}
END_TEST

/* A process reporting more errors than the report keeps: the first
 * HS_MAX_ERRORS are kept, the others counted as dropped. */
START_TEST(test_errors_dropped)
{
	make_dir();
	ck_assert_int_eq(hs_trace_open(dir, strlen(dir)), 0);
	/* a double free with no block, no stacks, one frame */
	uint8_t rec[32];
	size_t k = 0;
	k += hs_put_varint(rec + k, HS_ERR_DOUBLE_FREE);
	for (int i = 0; i < 8; i++) /* access size address detected region api alloc_api free_api */
		k += hs_put_varint(rec + k, 0);
	k += hs_put_varint(rec + k, 0); /* has_block */
	k += hs_put_varint(rec + k, 0); /* alloc_stack */
	k += hs_put_varint(rec + k, 0); /* free_stack */
	k += hs_put_varint(rec + k, 1); /* tid */
	k += hs_put_varint(rec + k, 1); /* nframes */
	k += hs_put_varint(rec + k, 0x401000);
	for (unsigned i = 0; i < HS_MAX_ERRORS + 7; i++)
		hs_trace_record(HS_REC_ERROR, rec, k);
	hs_trace_exit(HS_EXIT_CODE, 0, 0, "test end");
	snprintf(trace_path, sizeof trace_path, "%s/heapscope.%d.hst", dir, (int)getpid());
	struct hs_process p;
	char err[512] = "";
	ck_assert_int_eq(hs_process_load(&p, trace_path, err, sizeof err, NULL), 0);
	ck_assert_uint_eq(p.corrupt_records, 0);
	ck_assert_uint_eq(p.nerrors, HS_MAX_ERRORS);
	ck_assert_uint_eq(p.errors_dropped, 7);
	ck_assert_uint_eq(p.errors[0].kind, HS_ERR_DOUBLE_FREE);
	ck_assert_uint_eq(p.errors[0].frames[0], 0x401000);
	hs_process_free(&p);
	remove_dir();
}
END_TEST

START_TEST(test_unknown_and_corrupt_records)
{
	make_trace();
	struct hs_process p;
	/* a record type from the future: skipped by its length */
	static const uint8_t future[] = {200, 7, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7};
	load_with_inserted(future, sizeof future, &p);
	ck_assert_uint_eq(p.corrupt_records, 0);
	assert_full_heap(&p);
	hs_process_free(&p);
	/* an empty record of a known type */
	static const uint8_t empty_events[] = {HS_REC_EVENTS, 0, 0, 0, 0};
	load_with_inserted(empty_events, sizeof empty_events, &p);
	ck_assert_uint_eq(p.corrupt_records, 0);
	assert_full_heap(&p);
	hs_process_free(&p);
	/* an unknown event tag: that record is corrupt, the rest is read */
	static const uint8_t bad_tag[] = {HS_REC_EVENTS, 2, 0, 0, 0, 0x70, 0x00};
	load_with_inserted(bad_tag, sizeof bad_tag, &p);
	ck_assert_uint_eq(p.corrupt_records, 1);
	assert_full_heap(&p);
	hs_process_free(&p);
	/* an event cut inside its record */
	static const uint8_t cut_event[] = {HS_REC_EVENTS, 2, 0, 0, 0, HS_EV_ALLOC | 1, 0x80};
	load_with_inserted(cut_event, sizeof cut_event, &p);
	ck_assert_uint_eq(p.corrupt_records, 1);
	assert_full_heap(&p);
	hs_process_free(&p);
	/* an inline stack (in an EVENTS record) referring to itself */
	static const uint8_t ev_ref_self[] = {HS_REC_EVENTS, 6, 0, 0, 0, HS_EV_STACK | HS_EV_STACK_REF, 4, 8, 8, 2, 0};
	load_with_inserted(ev_ref_self, sizeof ev_ref_self, &p);
	ck_assert_uint_eq(p.corrupt_records, 1);
	assert_full_heap(&p);
	assert_stack(&p, 7, S7, 4);
	hs_process_free(&p);
	/* a stack with id 0, and one claiming more frames than it holds */
	static const uint8_t stack0[] = {HS_REC_STACK, 3, 0, 0, 0, 0, 1, 0x10};
	load_with_inserted(stack0, sizeof stack0, &p);
	ck_assert_uint_eq(p.corrupt_records, 1);
	assert_stack(&p, 1, S1, 3);
	hs_process_free(&p);
	static const uint8_t stack_short[] = {HS_REC_STACK, 3, 0, 0, 0, 9, 200, 0x10};
	load_with_inserted(stack_short, sizeof stack_short, &p);
	ck_assert_uint_eq(p.corrupt_records, 1);
	ck_assert(p.nstacks <= 9 || p.stacks[9].frames == NULL);
	for (uint32_t id = N_STACKS + 1; id < p.nstacks; id++)
		ck_assert_ptr_null(p.stacks[id].frames);
	assert_stack(&p, 5, S5, 64);
	assert_full_heap(&p);
	hs_process_free(&p);
	/* references to itself, and to more frames than the stack has */
	static const uint8_t ref_self[] = {HS_REC_STACK_REF, 4, 0, 0, 0, 8, 8, 2, 0};
	load_with_inserted(ref_self, sizeof ref_self, &p);
	ck_assert_uint_eq(p.corrupt_records, 1);
	assert_stack(&p, 7, S7, 4);
	hs_process_free(&p);
	static const uint8_t ref_long[] = {HS_REC_STACK_REF, 4, 0, 0, 0, 8, 1, 5, 0};
	load_with_inserted(ref_long, sizeof ref_long, &p);
	ck_assert_uint_eq(p.corrupt_records, 1);
	ck_assert(p.nstacks <= 8 || p.stacks[8].frames == NULL);
	assert_full_heap(&p);
	hs_process_free(&p);
	/* a stack id beyond any table */
	static const uint8_t stack_far[] = {HS_REC_STACK, 7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 0x10};
	load_with_inserted(stack_far, sizeof stack_far, &p);
	ck_assert_uint_eq(p.corrupt_records, 1);
	ck_assert_uint_eq(p.nstacks, N_STACKS + 1);
	assert_full_heap(&p);
	hs_process_free(&p);
	remove_dir();
}
END_TEST

/* Check runs each test in a forked child here: hs_trace_open, once per
 * process, is safe to call in every test. */
START_TEST(test_forked_per_test)
{
	static pid_t first;
	if (_i == 0) {
		first = getpid();
		ck_assert_int_ne(first, 0);
		/* the runner is our parent and ran no test itself */
		ck_assert_int_ne(getppid(), 1);
	}
	ck_assert_int_eq(hs_trace_on, 0);
	make_trace();
	ck_assert_int_eq(hs_trace_on, 1);
	if (_i == 1)
		/* a fresh child: static state from iteration 0 is not here */
		ck_assert_int_eq(first, 0);
	remove_dir();
}
END_TEST

static Suite *codec_suite(void)
{
	Suite *s = suite_create("trace_codec");
	TCase *tc = unit_tcase("varint", 0);
	tcase_add_test(tc, test_varint_bytes);
	tcase_add_test(tc, test_varint_round_trip);
	tcase_add_test(tc, test_varint_overlong);
	tcase_add_test(tc, test_zigzag);
	tcase_add_test(tc, test_cursor);
	suite_add_tcase(s, tc);
	tc = unit_tcase("trace", 1);
	tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
	tcase_add_loop_test(tc, test_forked_per_test, 0, 2);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_every_prefix);
	tcase_add_test(tc, test_bad_files);
	tcase_add_test(tc, test_huge_length);
	tcase_add_test(tc, test_unknown_and_corrupt_records);
	tcase_add_test(tc, test_stack_records);
	tcase_add_test(tc, test_errors_dropped);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(codec_suite(), argv);
}
