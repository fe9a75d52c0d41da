/* check_suppress.c — suppression rules (suppress.h), matched directly with
 * hand-built frames: LeakSanitizer lines (substring match on function,
 * symbol, file and module path; ^ and $ anchors; * wildcards; comments;
 * error: rules never suppress leaks; first matching rule wins; bad lines
 * reported as "FILE:LINE: ..."), Valgrind blocks (fun:, obj:, src:, ...,
 * match-leak-kinds, Memcheck:Leak against other kinds, the synthetic
 * allocation frame that lets a block start with fun:malloc or fun:_Znwm,
 * prefix matching), and hs_glob at its edges.
 */
#include "unit.h"

#include <heapscope/trace_format.h>

#include "suppress.h"

static struct hs_suppressions supp;

static void supp_setup(void)
{
	memset(&supp, 0, sizeof supp);
}

static void supp_teardown(void)
{
	hs_supp_free(&supp);
}

static void load(const char *text)
{
	char err[512] = "";
	if (hs_supp_load_text(&supp, text, "test.supp", err, sizeof err) != 0)
		ck_abort_msg("load failed: %s", err);
	ck_assert_str_eq(err, "");
}

/* a frame: function (also its symbol), file, line, module path */
static struct hs_frame F(const char *fn, const char *file, unsigned line, const char *module_path)
{
	struct hs_frame f;
	memset(&f, 0, sizeof f);
	f.function = fn;
	f.symbol = fn;
	f.file = file;
	f.line = line;
	f.module_path = module_path;
	if (module_path) {
		const char *slash = strrchr(module_path, '/');
		f.module = slash ? slash + 1 : module_path;
	}
	f.address = 0x401000;
	return f;
}

/* Index of the rule that matches, or -1. */
static int match(unsigned kind, const char *alloc_fn, const struct hs_frame *f, size_t n)
{
	struct hs_supp_rule *r = hs_supp_match_leak(&supp, kind, alloc_fn, f, n);
	if (!r)
		return -1;
	ck_assert(r >= supp.rule && r < supp.rule + supp.n);
	return (int)(r - supp.rule);
}

/* the stack of a typical leak: make_thing ← helper ← main */
static struct hs_frame stack3[3];

static void stack3_init(void)
{
	stack3[0] = F("make_thing", "/src/proj/thing.c", 12, "/usr/lib/libthing.so.1");
	stack3[1] = F("helper", "/src/proj/helper.c", 40, "/opt/app/bin/app");
	stack3[2] = F("main", "/src/proj/main.c", 7, "/opt/app/bin/app");
}

/* ---- LeakSanitizer syntax ---------------------------------------------- */

START_TEST(test_lsan_parse)
{
	load("# a comment\n"
	     "\n"
	     "   leak:make_thing   \n"
	     "\t# indented comment\n"
	     "error:heap-buffer-overflow\r\n"
	     "leak:  spaced\n");
	ck_assert_uint_eq(supp.n, 3);
	ck_assert_str_eq(supp.rule[0].text, "leak:make_thing");
	ck_assert_str_eq(supp.rule[0].pattern, "make_thing");
	ck_assert_str_eq(supp.rule[0].source, "test.supp");
	ck_assert_uint_eq(supp.rule[0].line, 3);
	ck_assert_int_eq(supp.rule[0].is_error, 0);
	ck_assert_int_eq(supp.rule[0].valgrind, 0);
	ck_assert_str_eq(supp.rule[1].pattern, "heap-buffer-overflow");
	ck_assert_uint_eq(supp.rule[1].line, 5);
	ck_assert_int_eq(supp.rule[1].is_error, 1);
	ck_assert_str_eq(supp.rule[2].pattern, "spaced");
	ck_assert_uint_eq(supp.rule[2].line, 6);
	ck_assert_uint_eq(supp.rule[0].records + supp.rule[0].blocks + supp.rule[0].bytes, 0);
}
END_TEST

START_TEST(test_lsan_substring_fields)
{
	stack3_init();
	/* function, anywhere in the stack, as a substring */
	load("leak:ake_thi\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), 0);
	hs_supp_free(&supp);
	load("leak:elpe\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), 0);
	hs_supp_free(&supp);
	/* '?' is itself in LeakSanitizer's patterns (only '*' is special) */
	load("leak:he?per\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), -1);
	hs_supp_free(&supp);
	/* file */
	load("leak:proj/helper.c\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), 0);
	hs_supp_free(&supp);
	/* module path, and a part of it */
	load("leak:libthing.so\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), 0);
	hs_supp_free(&supp);
	load("leak:/opt/app/\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), 0);
	hs_supp_free(&supp);
	/* the mangled symbol */
	struct hs_frame cxx = F("ns::Widget::make(int)", "/src/w.cc", 3, "/opt/app/bin/app");
	cxx.symbol = "_ZN2ns6Widget4makeEi";
	load("leak:_ZN2ns6Widget\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "_Znwm", &cxx, 1), 0);
	hs_supp_free(&supp);
	load("leak:ns::Widget::make\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "_Znwm", &cxx, 1), 0);
	hs_supp_free(&supp);
	/* no field holds it */
	load("leak:make_thinG\nleak:thing.cc\nleak:/usr/lib64\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), -1);
	hs_supp_free(&supp);
	/* the allocation function itself is no frame of an LSan stack */
	load("leak:malloc\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), -1);
}
END_TEST

START_TEST(test_lsan_anchors_wildcards)
{
	stack3_init();
	static const struct {
		const char *rule;
		int hit;
	} t[] = {
		{"leak:^make_thing", 1},     {"leak:^ake_thing", 0},    {"leak:make_thing$", 1},
		{"leak:make_thin$", 0},      {"leak:^make_thing$", 1},  {"leak:^make$", 0},
		{"leak:^main$", 1},	     {"leak:^mai$", 0},	    {"leak:make*thing", 1},
		{"leak:^m*g$", 1},	     {"leak:^m*x$", 0},	    {"leak:*", 1},
		{"leak:^/src/proj/main.c$", 1}, {"leak:^src/proj", 0},  {"leak:^/usr/lib/*.so.1$", 1},
		{"leak:^/usr/lib/*.so$", 0}, {"leak:help*main", 0},	    /* one field, not across frames */
		{"leak:thing.c$", 1},	     {"leak:app$", 1},		    {"leak:bin$", 0},
	};
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		load(t[k].rule);
		int got = match(HS_LEAK_DEFINITE, "malloc", stack3, 3);
		if (got != (t[k].hit ? 0 : -1))
			ck_abort_msg("'%s': %s, expected %s", t[k].rule, got == 0 ? "matched" : "no match",
				     t[k].hit ? "a match" : "none");
		hs_supp_free(&supp);
	}
}
END_TEST

START_TEST(test_lsan_order_and_errors)
{
	stack3_init();
	/* error: rules never suppress leaks, however well they match */
	load("error:make_thing\nerror:*\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), -1);
	hs_supp_free(&supp);
	/* the first matching rule wins */
	load("error:main\nleak:nothing_here\nleak:main\nleak:make_thing\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), 2);
	ck_assert_int_eq(match(HS_LEAK_REACHABLE, "malloc", stack3, 3), 2); /* LSan rules: any kind */
	/* frames with unknown fields neither match nor crash */
	struct hs_frame unknown[2];
	memset(unknown, 0, sizeof unknown);
	unknown[1] = F("main", NULL, 0, NULL);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", unknown, 1), -1);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", unknown, 2), 2);
	/* matching does not count: hs_leaks_compute does */
	ck_assert_uint_eq(supp.rule[2].records, 0);
}
END_TEST

/* A leak whose stack is unknown (allocated before recording started, or
 * never defined): no frame at all. hs_symbolize_stack gives f = NULL and
 * n = 0 for it, and hs_leaks_compute passes those on as they are. */
START_TEST(test_empty_stack)
{
	load("leak:*\n"
	     "{\n  vg\n  Memcheck:Leak\n  fun:malloc\n}\n"
	     "{\n  vg2\n  Memcheck:Leak\n  fun:malloc\n  fun:main\n}\n");
	static const struct hs_frame none[1];
	/* LSan rules need a frame; the Valgrind block matches the allocation
	 * function alone */
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", none, 0), 1);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "calloc", none, 0), -1);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", NULL, 0), 1);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "calloc", NULL, 0), -1);
}
END_TEST

START_TEST(test_lsan_bad_lines)
{
	static const struct {
		const char *text;
		const char *err;
	} t[] = {
		{"leak:ok\n\nmake_thing\n", "test.supp:3: expected 'leak:PATTERN', 'error:PATTERN' or a '{' block, got 'make_thing'"},
		{"leak:\n", "test.supp:1: expected 'leak:PATTERN', 'error:PATTERN' or a '{' block, got 'leak:'"},
		{"# c\nleek:foo\n", "test.supp:2: unknown suppression type 'leek' (leak or error)"},
		{"race:foo\n", "test.supp:1: unknown suppression type 'race' (leak or error)"},
		{"leak:a\nleak:b\n  }\n", "test.supp:3: expected 'leak:PATTERN', 'error:PATTERN' or a '{' block, got '}'"},
	};
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		char err[512] = "";
		ck_assert_int_eq(hs_supp_load_text(&supp, t[k].text, "test.supp", err, sizeof err), -1);
		ck_assert_str_eq(err, t[k].err);
		hs_supp_free(&supp);
	}
}
END_TEST

START_TEST(test_load_file)
{
	char path[] = "/tmp/hs_supp_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	static const char text[] = "leak:make_thing\n{\n  blk\n  Memcheck:Leak\n  fun:main\n}\nbogus\n";
	ck_assert_int_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	char err[512] = "", want[600];
	ck_assert_int_eq(hs_supp_load_file(&supp, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:7: expected 'leak:PATTERN', 'error:PATTERN' or a '{' block, got 'bogus'", path);
	ck_assert_str_eq(err, want);
	ck_assert_uint_ge(supp.n, 2);
	ck_assert_str_eq(supp.rule[0].source, path);
	ck_assert_str_eq(supp.rule[1].source, path);
	ck_assert_uint_eq(supp.rule[1].line, 2);
	hs_supp_free(&supp);
	/* the same without the bad line loads */
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof text - 7), (ssize_t)(sizeof text - 7));
	close(fd);
	ck_assert_int_eq(hs_supp_load_file(&supp, path, err, sizeof err), 0);
	ck_assert_uint_eq(supp.n, 2);
	unlink(path);
	hs_supp_free(&supp);
	ck_assert_int_eq(hs_supp_load_file(&supp, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_defaults)
{
	hs_supp_load_defaults(&supp);
	ck_assert_uint_ge(supp.n, 1);
	for (size_t i = 0; i < supp.n; i++) {
		ck_assert_str_eq(supp.rule[i].source, "built-in");
		ck_assert_int_eq(supp.rule[i].is_error, 0);
	}
	/* an ordinary leak is not suppressed by default */
	stack3_init();
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), -1);
	ck_assert_int_eq(match(HS_LEAK_REACHABLE, "malloc", stack3, 3), -1);
	/* a still reachable block without a stack (the runtimes', from before
	 * recording started) is; a lost one is not */
	int untracked = match(HS_LEAK_REACHABLE, "malloc", NULL, 0);
	ck_assert_int_ge(untracked, 0);
	ck_assert_int_eq(supp.rule[untracked].untracked, 1);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", NULL, 0), -1);
	ck_assert_int_eq(match(HS_LEAK_POSSIBLE, "malloc", NULL, 0), -1);
}
END_TEST

/* ---- Valgrind syntax ---------------------------------------------------- */

/* "(below main)", as valgrind names the C library's frames under main */
START_TEST(test_vg_below_main)
{
	struct hs_frame st[4] = {
		F("make_thing", "/src/proj/thing.c", 12, "/opt/app/bin/app"),
		F("main", "/src/proj/main.c", 7, "/opt/app/bin/app"),
		F("__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h", 58, "/lib/x86_64-linux-gnu/libc.so.6"),
		F("_start", NULL, 0, "/opt/app/bin/app"),
	};
	static const struct {
		const char *frames;
		int ctor, want;
	} t[] = {
		{"  match-leak-kinds: definite\n  fun:malloc\n  fun:make_thing\n  fun:main\n  fun:(below main)\n", 0, 0},
		/* not a frame that is not below main */
		{"  fun:malloc\n  fun:(below main)\n", 0, -1},
		/* the constructor case: its caller below main */
		{"  fun:malloc\n  fun:make_thing\n  fun:(below main)\n", 1, 0},
	};
	struct hs_frame ctor[2] = {st[0], st[3]};
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		char text[256];
		snprintf(text, sizeof text, "{\n  gen\n  Memcheck:Leak\n%s}\n", t[k].frames);
		load(text);
		ck_assert_int_eq(t[k].ctor ? match(HS_LEAK_DEFINITE, "malloc", ctor, 2)
					   : match(HS_LEAK_DEFINITE, "malloc", st, 4),
				 t[k].want);
		hs_supp_free(&supp);
	}
}
END_TEST

START_TEST(test_vg_parse)
{
	load("{\n"
	     "   <insert_a_suppression_name_here>\n"
	     "   Memcheck:Leak\n"
	     "   match-leak-kinds: definite,indirect\n"
	     "   fun:malloc\n"
	     "   fun:make_thing\n"
	     "   ...\n"
	     "   obj:*/app\n"
	     "   src:main.c:7\n"
	     "}\n"
	     "{\n"
	     "   second\n"
	     "   Memcheck:Addr4\n"
	     "   fun:main\n"
	     "}\n");
	ck_assert_uint_eq(supp.n, 2);
	struct hs_supp_rule *r = &supp.rule[0];
	ck_assert_int_eq(r->valgrind, 1);
	ck_assert_str_eq(r->text, "<insert_a_suppression_name_here>");
	ck_assert_uint_eq(r->line, 1);
	ck_assert_int_eq(r->is_error, 0);
	ck_assert_uint_eq(r->kinds, (1u << HS_LEAK_DEFINITE) | (1u << HS_LEAK_INDIRECT));
	ck_assert_uint_eq(r->nframes, 5);
	ck_assert_str_eq(r->frames[0], "fun:malloc");
	ck_assert_str_eq(r->frames[1], "fun:make_thing");
	ck_assert_str_eq(r->frames[2], "...");
	ck_assert_str_eq(r->frames[3], "obj:*/app");
	ck_assert_str_eq(r->frames[4], "src:main.c:7");
	r = &supp.rule[1];
	ck_assert_str_eq(r->text, "second");
	ck_assert_uint_eq(r->line, 11);
	ck_assert_int_eq(r->is_error, 1);
	ck_assert_uint_eq(r->kinds, 0xf);
	ck_assert_uint_eq(r->nframes, 1);
}
END_TEST

START_TEST(test_vg_kinds)
{
	stack3_init();
	load("{\n b\n Memcheck:Leak\n match-leak-kinds: definite,indirect\n fun:malloc\n fun:make_thing\n}\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), 0);
	ck_assert_int_eq(match(HS_LEAK_INDIRECT, "malloc", stack3, 3), 0);
	ck_assert_int_eq(match(HS_LEAK_POSSIBLE, "malloc", stack3, 3), -1);
	ck_assert_int_eq(match(HS_LEAK_REACHABLE, "malloc", stack3, 3), -1);
	hs_supp_free(&supp);
	load("{\n b\n Memcheck:Leak\n match-leak-kinds: reachable\n fun:make_thing\n}\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), -1);
	ck_assert_int_eq(match(HS_LEAK_REACHABLE, "malloc", stack3, 3), 0);
	hs_supp_free(&supp);
	load("{\n b\n Memcheck:Leak\n match-leak-kinds: all\n fun:make_thing\n}\n");
	for (unsigned k = 0; k < HS_LEAK_KINDS; k++)
		ck_assert_int_eq(match(k, "malloc", stack3, 3), 0);
	hs_supp_free(&supp);
	load("{\n b\n Memcheck:Leak\n match-leak-kinds: possible, reachable\n fun:make_thing\n}\n");
	ck_assert_uint_eq(supp.rule[0].kinds, (1u << HS_LEAK_POSSIBLE) | (1u << HS_LEAK_REACHABLE));
	hs_supp_free(&supp);
	/* no kinds line: all kinds */
	load("{\n b\n Memcheck:Leak\n fun:make_thing\n}\n");
	for (unsigned k = 0; k < HS_LEAK_KINDS; k++)
		ck_assert_int_eq(match(k, "malloc", stack3, 3), 0);
	hs_supp_free(&supp);
	/* other Memcheck kinds are about errors */
	load("{\n b\n Memcheck:Free\n fun:make_thing\n}\n{\n c\n Memcheck:Cond\n ...\n}\n");
	ck_assert_int_eq(supp.rule[0].is_error, 1);
	ck_assert_int_eq(supp.rule[1].is_error, 1);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), -1);
}
END_TEST

START_TEST(test_vg_frames)
{
	stack3_init();
	static const struct {
		const char *frames; /* the block's frame lines */
		const char *alloc;  /* the allocating function */
		int hit;
	} t[] = {
		/* the synthetic allocation frame */
		{"fun:malloc\nfun:make_thing\nfun:helper\nfun:main\n", "malloc", 1},
		{"fun:malloc\nfun:make_thing\n", "malloc", 1},
		{"fun:malloc\n", "malloc", 1},
		{"fun:calloc\nfun:make_thing\n", "malloc", 0},
		{"fun:calloc\nfun:make_thing\n", "calloc", 1},
		{"fun:*alloc\nfun:make_thing\n", "realloc", 1},
		{"fun:_Znwm\nfun:make_thing\n", "_Znwm", 1},
		{"fun:_Znwm\nfun:make_thing\n", "malloc", 0},
		{"fun:_Znam\nfun:make_thing\n", "_Znwm", 0},
		{"fun:_Znwm\n", "_Znwm", 1},
		/* without it: from the first real frame */
		{"fun:make_thing\nfun:helper\n", "malloc", 1},
		{"fun:make_thing\nfun:helper\nfun:main\n", "_Znwm", 1},
		{"fun:make_*\n", "malloc", 1},
		/* frames are consecutive from the top */
		{"fun:helper\n", "malloc", 0},
		{"fun:make_thing\nfun:main\n", "malloc", 0},
		{"fun:malloc\nfun:helper\n", "malloc", 0},
		/* more lines than frames */
		{"fun:make_thing\nfun:helper\nfun:main\nfun:_start\n", "malloc", 0},
		/* ... anywhere, matching zero or more frames */
		{"...\nfun:main\n", "malloc", 1},
		{"...\nfun:helper\nfun:main\n", "malloc", 1},
		{"...\nfun:make_thing\n", "malloc", 1},
		{"fun:malloc\n...\nfun:main\n", "malloc", 1},
		{"fun:make_thing\n...\nfun:helper\n", "malloc", 1},
		{"fun:make_thing\n...\n...\nfun:main\n", "malloc", 1},
		{"...\nfun:main\nfun:helper\n", "malloc", 0},
		{"...\nfun:nowhere\n", "malloc", 0},
		{"...\n", "malloc", 1},
		{"", "malloc", 1}, /* no frame lines: any stack */
		/* obj: against the module path */
		{"obj:/usr/lib/libthing.so.1\n", "malloc", 1},
		{"obj:*/libthing.so*\nobj:/opt/app/bin/app\n", "malloc", 1},
		{"obj:libthing.so.1\n", "malloc", 0}, /* a whole path, not a part */
		{"fun:malloc\nobj:*/libthing.so.1\nobj:*/app\nfun:main\n", "malloc", 1},
		/* src: file base name, with or without the line */
		{"src:thing.c\n", "malloc", 1},
		{"src:thing.c:12\nsrc:helper.c:40\n", "malloc", 1},
		{"src:thing.c:13\n", "malloc", 0},
		{"src:/src/proj/thing.c\n", "malloc", 0},
		{"src:*.c:1?\n", "malloc", 1},
		{"...\nsrc:main.c:7\n", "malloc", 1},
	};
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		char text[512];
		snprintf(text, sizeof text, "{\n  name\n  Memcheck:Leak\n%s}\n", t[k].frames);
		load(text);
		int got = match(HS_LEAK_DEFINITE, t[k].alloc, stack3, 3);
		if (got != (t[k].hit ? 0 : -1))
			ck_abort_msg("block %u (%s) with %s: %s, expected %s", k, t[k].frames, t[k].alloc,
				     got == 0 ? "matched" : "no match", t[k].hit ? "a match" : "none");
		hs_supp_free(&supp);
	}
}
END_TEST

START_TEST(test_vg_cxx)
{
	struct hs_frame f[2];
	f[0] = F("Widget::Widget(int)", "/src/w.cc", 5, "/opt/app/bin/app");
	f[0].symbol = "_ZN6WidgetC2Ei";
	f[1] = F("main", "/src/main.cc", 9, "/opt/app/bin/app");
	/* fun: matches the mangled or the demangled name */
	load("{\n n\n Memcheck:Leak\n fun:_Znwm\n fun:_ZN6WidgetC2Ei\n fun:main\n}\n"
	     "{\n n\n Memcheck:Leak\n fun:_Znam\n fun:Widget::Widget(int)\n}\n");
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "_Znwm", f, 2), 0);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "_Znam", f, 2), 1);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", f, 2), -1);
}
END_TEST

START_TEST(test_vg_mixed_with_lsan)
{
	stack3_init();
	load("leak:nothing\n"
	     "{\n"
	     "  vg\n"
	     "  Memcheck:Leak\n"
	     "  fun:malloc\n"
	     "  fun:make_thing\n"
	     "}\n"
	     "# between\n"
	     "leak:helper\n");
	ck_assert_uint_eq(supp.n, 3);
	ck_assert_int_eq(supp.rule[0].valgrind, 0);
	ck_assert_int_eq(supp.rule[1].valgrind, 1);
	ck_assert_int_eq(supp.rule[2].valgrind, 0);
	ck_assert_uint_eq(supp.rule[2].line, 9);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "malloc", stack3, 3), 1);
	ck_assert_int_eq(match(HS_LEAK_DEFINITE, "calloc", stack3, 3), 2);
}
END_TEST

/* Valgrind's own files mix tools and kinds: other tools' blocks are left
 * out, Memcheck's (also when shared with another tool) are kept, and the
 * line qualifying a kind is read (as in default.supp). */
START_TEST(test_vg_other_tools)
{
	static const char text[] = "{\n  race\n  Helgrind:Race\n  fun:f\n  obj:*libc*\n}\n"
				   "{\n  both\n  Memcheck,Helgrind:Leak\n  match-leak-kinds: none\n  fun:g\n}\n"
				   "{\n  param\n  Memcheck:Param\n  write(buf)\n  fun:write\n  ...\n}\n"
				   "{\n  drd\n  drd:ConflictingAccess\n  fun:h\n}\n"
				   "{\n  mine\n  Memcheck:Leak\n  match-leak-kinds: definite\n  fun:malloc\n  fun:a\n}\n";
	char err[512] = "";
	ck_assert_int_eq(hs_supp_load_text(&supp, text, "test.supp", err, sizeof err), 0);
	ck_assert_uint_eq(supp.n, 3);
	ck_assert_str_eq(supp.rule[0].text, "both");
	ck_assert_int_eq(supp.rule[0].is_error, 0);
	ck_assert_uint_eq(supp.rule[0].kinds, 0); /* none */
	ck_assert_str_eq(supp.rule[1].text, "param");
	ck_assert_int_eq(supp.rule[1].is_error, 1);
	ck_assert_uint_eq(supp.rule[1].nframes, 2);
	ck_assert_str_eq(supp.rule[2].text, "mine");
	ck_assert_uint_eq(supp.rule[2].line, 25);
	ck_assert_uint_eq(supp.rule[2].kinds, 1u << HS_LEAK_DEFINITE);
}
END_TEST

START_TEST(test_vg_bad_blocks)
{
	static const struct {
		const char *text;
		const char *err;
	} t[] = {
		{"{\n  name\n}\n", "test.supp:3: suppression block ends before its kind line"},
		{"{\n}\n", "test.supp:2: suppression block ends before its kind line"},
		{"leak:x\n{\n  name\n  Leak\n  fun:f\n}\n", "test.supp:4: 'Leak': expected TOOL:KIND (Memcheck:Leak…)"},
		{"{\n  name\n  Memcheck:\n  fun:f\n}\n", "test.supp:3: 'Memcheck:': expected TOOL:KIND (Memcheck:Leak…)"},
		/* a qualifier line only where the kind takes one */
		{"{\n  name\n  Memcheck:Leak\n  write(buf)\n}\n",
		 "test.supp:4: unexpected line in a suppression block: 'write(buf)'"},
		{"{\n  name\n  Memcheck:Leak\n  match-leak-kinds: definite,bogus\n}\n",
		 "test.supp:4: bad match-leak-kinds "},
		{"{\n  name\n  Memcheck:Leak\n  fun:f\n", "test.supp:1: suppression block '{' never closed"},
		{"\n\n{\n  name\n  Memcheck:Leak\n  fun:f\n  {\n}\n",
		 "test.supp:7: unexpected line in a suppression block: '{'"},
		{"{\n  name\n  Memcheck:Leak\n  function:f\n}\n",
		 "test.supp:4: unexpected line in a suppression block: 'function:f'"},
	};
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		char err[512] = "";
		ck_assert_int_eq(hs_supp_load_text(&supp, t[k].text, "test.supp", err, sizeof err), -1);
		/* a message ending in a space is checked as a prefix */
		size_t n = strlen(t[k].err);
		if (t[k].err[n - 1] == ' ')
			ck_assert_int_eq(strncmp(err, t[k].err, n), 0);
		else
			ck_assert_str_eq(err, t[k].err);
		hs_supp_free(&supp);
	}
}
END_TEST

/* ---- hs_glob -------------------------------------------------------------- */

START_TEST(test_glob)
{
	static const struct {
		const char *pat, *s;
		int want;
	} t[] = {
		{"", "", 1},	     {"", "a", 0},	   {"a", "", 0},	 {"*", "", 1},
		{"**", "", 1},	     {"*", "anything", 1}, {"?", "", 0},	 {"?", "x", 1},
		{"?", "xy", 0},	     {"abc", "abc", 1},	   {"abc", "abcd", 0},	 {"abcd", "abc", 0},
		{"a*", "a", 1},	     {"a*", "ab", 1},	   {"*a", "ba", 1},	 {"*a", "ab", 0},
		{"a*b", "a", 0},     {"a*b", "ab", 1},	   {"a*b", "axxb", 1},	 {"a*b", "axxbx", 0},
		{"a*b*c", "aXbYc", 1}, {"a*b*c", "acb", 0}, {"*ab", "aab", 1},	 {"*aab", "aaab", 1},
		{"*a*a*a", "aaa", 1}, {"*a*a*a", "aa", 0}, {"a?c", "abc", 1},	 {"a?c", "ac", 0},
		{"*?", "", 0},	     {"*?", "x", 1},	   {"?*?", "x", 0},	 {"?*?", "xy", 1},
		{"*.so*", "/usr/lib/libc.so.6", 1},	   {"*/lib*", "/usr/lib/x", 1},
		{"malloc", "Malloc", 0}, {"*x*", "abc", 0}, {"a**b", "ab", 1},	 {"*b*", "abc", 1},
	};
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++)
		if (hs_glob(t[k].pat, t[k].s) != t[k].want)
			ck_abort_msg("hs_glob(\"%s\", \"%s\") is %d", t[k].pat, t[k].s, !t[k].want);
}
END_TEST

/* A long pathological pattern stays fast (no exponential backtracking). */
START_TEST(test_glob_pathological)
{
	char pat[256], s[4096];
	size_t k = 0;
	for (unsigned i = 0; i < 60; i++) {
		pat[k++] = '*';
		pat[k++] = 'a';
	}
	pat[k++] = 'b';
	pat[k] = 0;
	memset(s, 'a', sizeof s - 1);
	s[sizeof s - 1] = 0;
	ck_assert_int_eq(hs_glob(pat, s), 0);
	s[sizeof s - 2] = 'b';
	ck_assert_int_eq(hs_glob(pat, s), 1);
}
END_TEST

static Suite *suppress_suite(void)
{
	Suite *s = suite_create("suppress");
	TCase *tc = unit_tcase("lsan", 0);
	tcase_add_checked_fixture(tc, supp_setup, supp_teardown);
	tcase_add_test(tc, test_lsan_parse);
	tcase_add_test(tc, test_lsan_substring_fields);
	tcase_add_test(tc, test_lsan_anchors_wildcards);
	tcase_add_test(tc, test_lsan_order_and_errors);
	tcase_add_test(tc, test_empty_stack);
	tcase_add_test(tc, test_lsan_bad_lines);
	tcase_add_test(tc, test_load_file);
	tcase_add_test(tc, test_defaults);
	suite_add_tcase(s, tc);
	tc = unit_tcase("valgrind", 0);
	tcase_add_checked_fixture(tc, supp_setup, supp_teardown);
	tcase_add_test(tc, test_vg_parse);
	tcase_add_test(tc, test_vg_kinds);
	tcase_add_test(tc, test_vg_frames);
	tcase_add_test(tc, test_vg_cxx);
	tcase_add_test(tc, test_vg_mixed_with_lsan);
	tcase_add_test(tc, test_vg_bad_blocks);
	tcase_add_test(tc, test_vg_other_tools);
	tcase_add_test(tc, test_vg_below_main);
	suite_add_tcase(s, tc);
	tc = unit_tcase("glob", 0);
	tcase_add_test(tc, test_glob);
	tcase_add_test(tc, test_glob_pathological);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(suppress_suite(), argv);
}
