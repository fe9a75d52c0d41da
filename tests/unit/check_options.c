/* check_options.c — the HEAPSCOPE_OPTIONS parser (options.h): defaults,
 * every valid key and value form, unknown keys, bad values and items
 * without '=' (each reported in one exact line on hs_err_fd, counted and
 * otherwise ignored), empty items, and the parse done by hs_init from the
 * environment. Only the options verbosity, stats and retain_chunks are
 * covered here.
 */
#include "unit.h"

#include <stdio.h>
#include <sys/wait.h>

#include "options.h"

#include <heapscope/options_syntax.h>

static struct unit_capture cap;
static struct hs_options saved;

static void cap_setup(void)
{
	saved = hs_opt;
	unit_capture_start(&cap);
}

/* Put the options back: the exit hook would print statistics if a test
 * left stats or verbosity >= 2 set. */
static void cap_teardown(void)
{
	unit_capture_stop(&cap);
	hs_opt = saved;
}

/* parse spec: returns `bad`, prints exactly `out` */
static void parse(const char *spec, int bad, const char *out)
{
	ck_assert_int_eq(hs_options_parse(spec), bad);
	ck_assert_str_eq(unit_capture_take(&cap), out);
}

static void assert_defaults(void)
{
	ck_assert_uint_eq(hs_opt.verbosity, 1);
	ck_assert_uint_eq(hs_opt.stats, 0);
	ck_assert_uint_eq(hs_opt.retain_chunks, 4);
	ck_assert_uint_eq(hs_opt.depth, 32);
	ck_assert_uint_eq(hs_opt.quarantine_mb, 32);
	ck_assert_str_eq(hs_opt.unwinder, "fast");
}

START_TEST(test_defaults)
{
	assert_defaults();
	parse(NULL, 0, "");
	assert_defaults();
	parse("", 0, "");
	assert_defaults();
}
END_TEST

START_TEST(test_valid_keys)
{
	parse("verbosity=0", 0, "");
	ck_assert_uint_eq(hs_opt.verbosity, 0);
	parse("verbosity=2:stats=1:retain_chunks=17", 0, "");
	/* the string a trace's INFO gives, whatever becomes of the one parsed
	 * (a program may write its process title over its environment) */
	char env[] = "verbosity=2:out=/tmp/x";
	parse(env, 0, "");
	memset(env, 'X', sizeof env - 1);
	ck_assert_str_eq(hs_opt_spec, "verbosity=2:out=/tmp/x");
	ck_assert_uint_eq(hs_opt_len(hs_opt.out), 6);
	ck_assert_int_eq(memcmp(hs_opt.out, "/tmp/x", 6), 0);
	ck_assert_uint_eq(hs_opt.verbosity, 2);
	ck_assert_uint_eq(hs_opt.stats, 1);
	ck_assert_uint_eq(hs_opt.retain_chunks, 17);
	parse("retain_chunks=0", 0, "");
	ck_assert_uint_eq(hs_opt.retain_chunks, 0);
	parse("retain_chunks=007", 0, "");
	ck_assert_uint_eq(hs_opt.retain_chunks, 7);
	/* the last of repeated keys wins */
	parse("verbosity=5:verbosity=3", 0, "");
	ck_assert_uint_eq(hs_opt.verbosity, 3);
	/* the ends of the ranges */
	parse("depth=1:quarantine_mb=1048576:unwinder=libgcc", 0, "");
	ck_assert_uint_eq(hs_opt.depth, 1);
	ck_assert_uint_eq(hs_opt.quarantine_mb, 1048576);
	parse("depth=64:unwinder=libunwind", 0, "");
	ck_assert_uint_eq(hs_opt.depth, 64);
	ck_assert_uint_eq(hs_opt_len(hs_opt.unwinder), 9);
}
END_TEST

/* The last value of a key, by the parser's own item rule (what `heapscope
 * run` and the analyzer read out of a trace's options). */
START_TEST(test_option_last)
{
	size_t n = 0;
	const char *v = hs_option_last("out=/a:b:detect=0:guard=sample:10:detect=1", "detect", &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq((int)n, 1);
	ck_assert_int_eq(v[0], '1');
	v = hs_option_last("out=/a:b:detect=0:guard=sample:10:detect=1", "guard", &n);
	ck_assert_int_eq((int)n, 9);
	ck_assert_int_eq(memcmp(v, "sample:10", 9), 0);
	v = hs_option_last("out=/tmp/xdetect=0", "detect", &n); /* part of a value */
	ck_assert_ptr_null(v);
	v = hs_option_last("::run_id=7:", "run_id", &n); /* stray ':' */
	ck_assert_int_eq((int)n, 1);
	ck_assert_int_eq(v[0], '7');
	ck_assert_ptr_null(hs_option_last("", "run_id", &n));
	ck_assert_ptr_null(hs_option_last("run_idx=1", "run_id", &n));
}
END_TEST

static int is_bool(const char *v, size_t n)
{
	uint64_t b;
	return hs_option_bool(v, n, &b) == 0;
}

/* A refused value leaves the one before it: the analyzer reading a
 * trace's options by the same rules finds the value the preload kept
 * (detect=maybe after detect=0 read as detect on). */
START_TEST(test_refused_value_kept_out)
{
	static const char spec[] = "verbosity=0:detect=0:detect=maybe";
	ck_assert_int_eq(hs_options_parse(spec), 1); /* one bad value */
	ck_assert_uint_eq(hs_opt.detect, 0);
	size_t n = 0;
	const char *v = hs_option_last_valid(spec, "detect", &n, is_bool);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq((int)n, 1);
	ck_assert_int_eq(v[0], '0');
	/* guard= values: one grammar (overflow refused on both sides) */
	struct hs_guard_spec g;
	ck_assert_int_eq(hs_option_guard("size:10-20", 10, &g), 0);
	ck_assert_int_eq(g.mode, HS_GUARD_SIZE);
	ck_assert_uint_eq(g.min, 10);
	ck_assert_uint_eq(g.max, 20);
	ck_assert_int_eq(hs_option_guard("sample:0", 8, &g), -1);
	ck_assert_int_eq(hs_option_guard("sample:+5", 9, &g), -1);
	ck_assert_int_eq(hs_option_guard("sample:99999999999999999999", 27, &g), -1);
	ck_assert_int_eq(hs_option_guard("size:20-10", 10, &g), -1);
}
END_TEST

START_TEST(test_bool_forms)
{
	static const char *const yes[] = {"stats=1", "stats=true", "stats=yes"};
	static const char *const no[] = {"stats=0", "stats=false", "stats=no"};
	for (unsigned k = 0; k < 3; k++) {
		hs_opt.stats = 0;
		parse(yes[k], 0, "");
		ck_assert_uint_eq(hs_opt.stats, 1);
		parse(no[k], 0, "");
		ck_assert_uint_eq(hs_opt.stats, 0);
	}
}
END_TEST

START_TEST(test_u64_range)
{
	parse("retain_chunks=18446744073709551609", 0, "");
	ck_assert_uint_eq(hs_opt.retain_chunks, UINT64_MAX - 6);
	parse("retain_chunks=18446744073709551616", 1,
	      "heapscope: HEAPSCOPE_OPTIONS: bad value for retain_chunks: "
	      "'18446744073709551616' ignored\n");
	ck_assert_uint_eq(hs_opt.retain_chunks, UINT64_MAX - 6);
	parse("retain_chunks=99999999999999999999", 1,
	      "heapscope: HEAPSCOPE_OPTIONS: bad value for retain_chunks: "
	      "'99999999999999999999' ignored\n");
	ck_assert_uint_eq(hs_opt.retain_chunks, UINT64_MAX - 6);
}
END_TEST

/* u64 options take every 64-bit value: the largest ones included. */
START_TEST(test_u64_max)
{
	parse("retain_chunks=18446744073709551615", 0, "");
	ck_assert_uint_eq(hs_opt.retain_chunks, UINT64_MAX);
	parse("retain_chunks=18446744073709551610", 0, "");
	ck_assert_uint_eq(hs_opt.retain_chunks, UINT64_MAX - 5);
}
END_TEST

START_TEST(test_unknown_key)
{
	parse("nosuch=1", 1, "heapscope: HEAPSCOPE_OPTIONS: unknown option 'nosuch' ignored\n");
	assert_defaults();
	/* the known keys around it still apply */
	parse("verbosity=3:nosuch=1:stats=1", 1,
	      "heapscope: HEAPSCOPE_OPTIONS: unknown option 'nosuch' ignored\n");
	ck_assert_uint_eq(hs_opt.verbosity, 3);
	ck_assert_uint_eq(hs_opt.stats, 1);
	/* keys match exactly: no prefixes, no case folding, no trimming */
	parse("verbos=1", 1, "heapscope: HEAPSCOPE_OPTIONS: unknown option 'verbos' ignored\n");
	parse("verbosityx=1", 1,
	      "heapscope: HEAPSCOPE_OPTIONS: unknown option 'verbosityx' ignored\n");
	parse("VERBOSITY=1", 1, "heapscope: HEAPSCOPE_OPTIONS: unknown option 'VERBOSITY' ignored\n");
	parse(" verbosity=1", 1,
	      "heapscope: HEAPSCOPE_OPTIONS: unknown option ' verbosity' ignored\n");
	parse("=1", 1, "heapscope: HEAPSCOPE_OPTIONS: unknown option '' ignored\n");
	ck_assert_uint_eq(hs_opt.verbosity, 3);
}
END_TEST

/* A key longer than the output buffer is still reported whole. */
START_TEST(test_long_key)
{
	static char spec[3000], want[3200];
	memset(spec, 'k', 2500);
	strcpy(spec + 2500, "=1");
	snprintf(want, sizeof want, "heapscope: HEAPSCOPE_OPTIONS: unknown option '%.2500s' ignored\n",
		 spec);
	parse(spec, 1, want);
}
END_TEST

START_TEST(test_bad_values)
{
	static const struct {
		const char *spec, *msg;
	} t[] = {
		{"verbosity=abc", "bad value for verbosity: 'abc'"},
		{"verbosity=", "bad value for verbosity: ''"},
		{"verbosity=-1", "bad value for verbosity: '-1'"},
		{"verbosity=+1", "bad value for verbosity: '+1'"},
		{"verbosity= 1", "bad value for verbosity: ' 1'"},
		{"verbosity=1x", "bad value for verbosity: '1x'"},
		{"verbosity=1=2", "bad value for verbosity: '1=2'"},
		{"verbosity=0x10", "bad value for verbosity: '0x10'"},
		{"stats=2", "bad value for stats: '2'"},
		{"stats=TRUE", "bad value for stats: 'TRUE'"},
		{"stats=", "bad value for stats: ''"},
		{"stats=on", "bad value for stats: 'on'"},
		{"stats=yess", "bad value for stats: 'yess'"},
		{"retain_chunks=4k", "bad value for retain_chunks: '4k'"},
		/* out of the option's range: refused, the default kept */
		{"depth=0", "bad value for depth: '0'"},
		{"depth=65", "bad value for depth: '65'"},
		{"depth=4294967296", "bad value for depth: '4294967296'"},
		{"depth=18446744073709551615", "bad value for depth: '18446744073709551615'"},
		{"quarantine_mb=17592186044416", "bad value for quarantine_mb: '17592186044416'"},
		{"quarantine_mb=1048577", "bad value for quarantine_mb: '1048577'"},
		{"unwinder=bogus", "bad value for unwinder: 'bogus'"},
		{"unwinder=", "bad value for unwinder: ''"},
		{"unwinder=fast2", "bad value for unwinder: 'fast2'"},
	};
	char want[256];
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		snprintf(want, sizeof want, "heapscope: HEAPSCOPE_OPTIONS: %s ignored\n", t[k].msg);
		parse(t[k].spec, 1, want);
		assert_defaults();
	}
}
END_TEST

START_TEST(test_no_equals)
{
	parse("stats", 1, "heapscope: HEAPSCOPE_OPTIONS: item without '=': 'stats' ignored\n");
	assert_defaults();
	/* A ':' belongs to the value unless a key=value follows it (values such
	 * as guard=sample:1000 contain ':'), so junk after a value is part of
	 * that value and makes it bad. */
	parse("verbosity=2:junk:stats=1", 1,
	      "heapscope: HEAPSCOPE_OPTIONS: bad value for verbosity: '2:junk' ignored\n");
	ck_assert_uint_eq(hs_opt.verbosity, 1);
	ck_assert_uint_eq(hs_opt.stats, 1);
	parse("junk:stats=1", 1, "heapscope: HEAPSCOPE_OPTIONS: item without '=': 'junk' ignored\n");
}
END_TEST

START_TEST(test_value_with_colon)
{
	parse("guard=sample:1000:depth=8", 0, "");
	ck_assert_uint_eq(hs_opt_len(hs_opt.guard), 11);
	ck_assert(!memcmp(hs_opt.guard, "sample:1000", 11));
	ck_assert_uint_eq(hs_opt.depth, 8);
	parse("depth=9:guard=size:16-64", 0, "");
	ck_assert_uint_eq(hs_opt_len(hs_opt.guard), 10);
	ck_assert(!memcmp(hs_opt.guard, "size:16-64", 10));
	ck_assert_uint_eq(hs_opt.depth, 9);
}
END_TEST

START_TEST(test_empty_items)
{
	parse(":", 0, "");
	parse("::", 0, "");
	parse(":verbosity=2:", 0, "");
	ck_assert_uint_eq(hs_opt.verbosity, 2);
	parse("verbosity=3::stats=1:::", 0, "");
	ck_assert_uint_eq(hs_opt.verbosity, 3);
	ck_assert_uint_eq(hs_opt.stats, 1);
}
END_TEST

START_TEST(test_several_bad)
{
	parse("b:a=1:verbosity=x:stats=1:retain_chunks=9", 3,
	      "heapscope: HEAPSCOPE_OPTIONS: item without '=': 'b' ignored\n"
	      "heapscope: HEAPSCOPE_OPTIONS: unknown option 'a' ignored\n"
	      "heapscope: HEAPSCOPE_OPTIONS: bad value for verbosity: 'x' ignored\n");
	ck_assert_uint_eq(hs_opt.verbosity, 1);
	ck_assert_uint_eq(hs_opt.stats, 1);
	ck_assert_uint_eq(hs_opt.retain_chunks, 9);
}
END_TEST

/* options.def: verbosity "0: silent". Once verbosity=0 has been read,
 * later complaints are still counted but not printed. */
START_TEST(test_verbosity_zero_silences)
{
	parse("verbosity=0:nosuch=1", 1, "");
	ck_assert_uint_eq(hs_opt.verbosity, 0);
}
END_TEST

/* Run this program again as a helper (see main) with HEAPSCOPE_OPTIONS set
 * to spec; collect what it prints on stdout and stderr. */
static void run_helper(const char *spec, char *out, size_t outsz, char *err, size_t errsz)
{
	int o[2], e[2];
	ck_assert_int_eq(pipe(o), 0);
	ck_assert_int_eq(pipe(e), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(o[1], 1);
		dup2(e[1], 2);
		setenv("HEAPSCOPE_OPTIONS", spec, 1);
		char *argv[] = {"check_options", "--print-options", NULL};
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	int fds[2] = {o[0], e[0]};
	char *bufs[2] = {out, err};
	size_t sizes[2] = {outsz, errsz};
	for (unsigned k = 0; k < 2; k++) {
		size_t n = 0;
		ssize_t r;
		while ((r = read(fds[k], bufs[k] + n, sizes[k] - 1 - n)) > 0)
			n += (size_t)r;
		bufs[k][n] = '\0';
		close(fds[k]);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}

/* hs_init reads HEAPSCOPE_OPTIONS and reports bad items on stderr. */
START_TEST(test_init_reads_environment)
{
	char out[256], err[1024];
	run_helper("retain_chunks=11:verbosity=0", out, sizeof out, err, sizeof err);
	ck_assert_str_eq(out, "verbosity=0 stats=0 retain_chunks=11\n");
	ck_assert_str_eq(err, "");
	run_helper("bogus=1:retain_chunks=12:stats=maybe", out, sizeof out, err, sizeof err);
	ck_assert_str_eq(out, "verbosity=1 stats=0 retain_chunks=12\n");
	ck_assert_str_eq(err, "heapscope: HEAPSCOPE_OPTIONS: unknown option 'bogus' ignored\n"
			      "heapscope: HEAPSCOPE_OPTIONS: bad value for stats: 'maybe' ignored\n");
	run_helper("", out, sizeof out, err, sizeof err);
	ck_assert_str_eq(out, "verbosity=1 stats=0 retain_chunks=4\n");
	ck_assert_str_eq(err, "");
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = unit_tcase("parse", 0);
	tcase_add_checked_fixture(tc, cap_setup, cap_teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_valid_keys);
	tcase_add_test(tc, test_bool_forms);
	tcase_add_test(tc, test_option_last);
	tcase_add_test(tc, test_refused_value_kept_out);
	tcase_add_test(tc, test_u64_range);
	tcase_add_test(tc, test_u64_max);
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_long_key);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_no_equals);
	tcase_add_test(tc, test_empty_items);
	tcase_add_test(tc, test_value_with_colon);
	tcase_add_test(tc, test_several_bad);
	tcase_add_test(tc, test_verbosity_zero_silences);
	suite_add_tcase(s, tc);
	tc = unit_tcase("init", 0);
	tcase_add_test(tc, test_init_reads_environment);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--print-options")) {
		/* helper for test_init_reads_environment */
		hs_init();
		printf("verbosity=%ju stats=%ju retain_chunks=%ju\n", (uintmax_t)hs_opt.verbosity,
		       (uintmax_t)hs_opt.stats, (uintmax_t)hs_opt.retain_chunks);
		return 0;
	}
	return unit_run(options_suite(), argv);
}
