/* check_json.c — the JSON writer (json.h) and the baseline reader
 * (baseline.h). The writer: exact bytes for nested objects and arrays,
 * compact and pretty, every scalar kind, string escaping (quotes,
 * backslash, control characters), valid UTF-8 kept, invalid UTF-8 written
 * as \ufffd. The reader: exactly the ids of processes[].leaks.records[] and
 * processes[].errors[], nothing else; non-JSON, trailing data, a document
 * without "heapscope" and deep nesting rejected without a crash.
 */
#include "unit.h"

#include <math.h>

#include "baseline.h"

#include <heapscope/trace_format.h>
#include "json.h"

/* ---- writer ----------------------------------------------------------------- */

/* Run `build` on a writer into memory; the bytes written, NUL-terminated
 * (free them). */
static char *written(void (*build)(struct hs_json *), int pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	struct hs_json j;
	hs_json_init(&j, f, pretty);
	build(&j);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(strlen(buf), len); /* no NUL inside */
	return buf;
}

static void assert_written(void (*build)(struct hs_json *), int pretty, const char *want)
{
	char *got = written(build, pretty);
	ck_assert_str_eq(got, want);
	free(got);
}

static void nested(struct hs_json *j)
{
	hs_json_begin_object(j);
	hs_json_key(j, "a");
	hs_json_uint(j, 1);
	hs_json_key(j, "b");
	hs_json_begin_array(j);
	hs_json_int(j, -2);
	hs_json_string(j, "x");
	hs_json_null(j);
	hs_json_bool(j, 1);
	hs_json_bool(j, 0);
	hs_json_begin_object(j);
	hs_json_end_object(j);
	hs_json_begin_array(j);
	hs_json_end_array(j);
	hs_json_begin_array(j);
	hs_json_begin_object(j);
	hs_json_key(j, "deep");
	hs_json_string(j, NULL);
	hs_json_end_object(j);
	hs_json_end_array(j);
	hs_json_end_array(j);
	hs_json_key(j, "c");
	hs_json_begin_object(j);
	hs_json_key(j, "d");
	hs_json_hex(j, 0xff);
	hs_json_key(j, "e");
	hs_json_begin_array(j);
	hs_json_uint(j, 7);
	hs_json_end_array(j);
	hs_json_end_object(j);
	hs_json_key(j, "empty");
	hs_json_begin_object(j);
	hs_json_end_object(j);
	hs_json_end_object(j);
}

START_TEST(test_nested_compact)
{
	assert_written(nested, 0,
		       "{\"a\":1,\"b\":[-2,\"x\",null,true,false,{},[],[{\"deep\":null}]],"
		       "\"c\":{\"d\":\"0xff\",\"e\":[7]},\"empty\":{}}");
}
END_TEST

START_TEST(test_nested_pretty)
{
	assert_written(nested, 1,
		       "{\n"
		       "  \"a\": 1,\n"
		       "  \"b\": [\n"
		       "    -2,\n"
		       "    \"x\",\n"
		       "    null,\n"
		       "    true,\n"
		       "    false,\n"
		       "    {},\n"
		       "    [],\n"
		       "    [\n"
		       "      {\n"
		       "        \"deep\": null\n"
		       "      }\n"
		       "    ]\n"
		       "  ],\n"
		       "  \"c\": {\n"
		       "    \"d\": \"0xff\",\n"
		       "    \"e\": [\n"
		       "      7\n"
		       "    ]\n"
		       "  },\n"
		       "  \"empty\": {}\n"
		       "}\n");
}
END_TEST

static void top_array(struct hs_json *j)
{
	hs_json_begin_array(j);
	hs_json_begin_object(j);
	hs_json_key(j, "k");
	hs_json_uint(j, 1);
	hs_json_end_object(j);
	hs_json_begin_object(j);
	hs_json_key(j, "k");
	hs_json_uint(j, 2);
	hs_json_end_object(j);
	hs_json_end_array(j);
}

static void empty_object(struct hs_json *j)
{
	hs_json_begin_object(j);
	hs_json_end_object(j);
}

START_TEST(test_top_level)
{
	assert_written(top_array, 0, "[{\"k\":1},{\"k\":2}]");
	assert_written(top_array, 1, "[\n  {\n    \"k\": 1\n  },\n  {\n    \"k\": 2\n  }\n]\n");
	assert_written(empty_object, 0, "{}");
	assert_written(empty_object, 1, "{}\n");
}
END_TEST

static void scalars(struct hs_json *j)
{
	hs_json_begin_array(j);
	hs_json_uint(j, 0);
	hs_json_uint(j, UINT64_MAX);
	hs_json_int(j, 0);
	hs_json_int(j, INT64_MIN);
	hs_json_int(j, INT64_MAX);
	hs_json_hex(j, 0);
	hs_json_hex(j, 0x7fffdeadbeefull);
	hs_json_hex(j, UINT64_MAX);
	hs_json_double(j, 1.5);
	hs_json_double(j, -0.25);
	hs_json_double(j, 0);
	hs_json_double(j, NAN);
	hs_json_double(j, INFINITY);
	hs_json_double(j, -INFINITY);
	hs_json_string(j, "");
	hs_json_string(j, NULL);
	hs_json_end_array(j);
}

START_TEST(test_scalars)
{
	assert_written(scalars, 0,
		       "[0,18446744073709551615,0,-9223372036854775808,9223372036854775807,"
		       "\"0x0\",\"0x7fffdeadbeef\",\"0xffffffffffffffff\",1.5,-0.25,0,null,null,null,"
		       "\"\",null]");
}
END_TEST

static const char *str_in;

static void one_string(struct hs_json *j)
{
	hs_json_string(j, str_in);
}

static void one_key(struct hs_json *j)
{
	hs_json_begin_object(j);
	hs_json_key(j, str_in);
	hs_json_uint(j, 1);
	hs_json_end_object(j);
}

static void assert_string(const char *in, const char *want)
{
	str_in = in;
	char *got = written(one_string, 0);
	if (strcmp(got, want) != 0)
		ck_abort_msg("string written as %s, expected %s", got, want);
	free(got);
	/* a key is escaped the same way */
	got = written(one_key, 0);
	char want_key[512];
	snprintf(want_key, sizeof want_key, "{%s:1}", want);
	if (strcmp(got, want_key) != 0)
		ck_abort_msg("key written as %s, expected %s", got, want_key);
	free(got);
}

START_TEST(test_escaping)
{
	assert_string("plain", "\"plain\"");
	assert_string("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_string("C:\\dir\\", "\"C:\\\\dir\\\\\"");
	assert_string("a/b", "\"a/b\"");
	assert_string("\n\t\r", "\"\\n\\t\\r\"");
	assert_string("\b\f", "\"\\u0008\\u000c\"");
	assert_string("\x01\x1f", "\"\\u0001\\u001f\"");
	assert_string("x\x7fy", "\"x\x7fy\""); /* DEL needs no escape */
	assert_string(" ~", "\" ~\"");
	assert_string("\"\\\"", "\"\\\"\\\\\\\"\"");
}
END_TEST

START_TEST(test_utf8_valid)
{
	assert_string("caf\xc3\xa9", "\"caf\xc3\xa9\"");			/* é */
	assert_string("\xc2\x80", "\"\xc2\x80\"");				/* U+0080 */
	assert_string("\xdf\xbf", "\"\xdf\xbf\"");				/* U+07FF */
	assert_string("\xe2\x82\xac", "\"\xe2\x82\xac\"");			/* € */
	assert_string("\xef\xbf\xbd", "\"\xef\xbf\xbd\"");			/* U+FFFD itself */
	assert_string("\xf0\x9d\x84\x9e", "\"\xf0\x9d\x84\x9e\"");		/* 𝄞 */
	assert_string("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");		/* U+10FFFF */
	assert_string("\xe6\x97\xa5\xe6\x9c\xac", "\"\xe6\x97\xa5\xe6\x9c\xac\""); /* 日本 */
}
END_TEST

START_TEST(test_utf8_invalid)
{
	/* bytes that can never start a sequence */
	assert_string("\x80", "\"\\ufffd\"");
	assert_string("a\xbf" "b", "\"a\\ufffdb\"");
	assert_string("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	assert_string("\xc1\xbf", "\"\\ufffd\\ufffd\"");
	assert_string("\xff", "\"\\ufffd\"");
	assert_string("\xfe\xff", "\"\\ufffd\\ufffd\"");
	/* a lead byte without its continuation */
	assert_string("\xc3", "\"\\ufffd\"");
	assert_string("\xc3(", "\"\\ufffd(\"");
	assert_string("\xe2" "A", "\"\\ufffdA\"");
	assert_string("\xf0" "A", "\"\\ufffdA\"");
	/* a valid character right after an invalid byte survives */
	assert_string("\x80\xc3\xa9", "\"\\ufffd\xc3\xa9\"");
	/* an invalid byte never swallows an ASCII quote or backslash */
	assert_string("\xc3\"", "\"\\ufffd\\\"\"");
	assert_string("\xe2\\", "\"\\ufffd\\\\\"");
}
END_TEST

/* Byte sequences that look like a lead byte plus continuation bytes but
 * are not UTF-8 (RFC 3629): lead bytes F5..FF, overlong forms, surrogates,
 * code points above U+10FFFF. Each byte is its own maximal invalid subpart
 * here, so each becomes one U+FFFD. */
START_TEST(test_utf8_strict)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{"\xff\x80\x80", "\"\\ufffd\\ufffd\\ufffd\""},
		{"\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
		{"\xf8\x88\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\""},
		{"\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""},		/* overlong '/' */
		{"\xf0\x80\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""}, /* overlong '/' */
		{"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},		/* U+D800 */
		{"\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""}, /* U+110000 */
	};
	char wrong[1024] = "";
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		str_in = t[k].in;
		char *got = written(one_string, 0);
		if (strcmp(got, t[k].want) != 0) {
			size_t n = strlen(wrong);
			snprintf(wrong + n, sizeof wrong - n, " [%u]", k);
			for (const unsigned char *c = (const unsigned char *)t[k].in; *c; c++) {
				n = strlen(wrong);
				snprintf(wrong + n, sizeof wrong - n, " %02x", *c);
			}
		}
		free(got);
	}
	if (wrong[0])
		ck_abort_msg("invalid UTF-8 not written as one \\ufffd per byte:%s", wrong);
}
END_TEST

/* ---- baseline reader ------------------------------------------------------ */

static char tmpdir[256];

/* Unchecked fixture, in the runner: the directory outlives failed tests
 * (whose child exits on the spot) and is removed in the end. */
static void json_setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/hs_json.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		perror(tmpdir);
}

static void json_teardown(void)
{
	char p[300];
	snprintf(p, sizeof p, "%s/r.json", tmpdir);
	unlink(p);
	rmdir(tmpdir);
}

static char path[300];

static const char *put_file(const char *text, size_t len)
{
	snprintf(path, sizeof path, "%s/r.json", tmpdir);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Load text; on success compare the ids (space-separated, in order). */
static int baseline(const char *text, const char *ids, char *err, size_t errlen)
{
	struct hs_baseline b;
	err[0] = 0;
	int rc = hs_baseline_load(&b, put_file(text, strlen(text)), err, errlen);
	if (rc == 0) {
		char got[1024] = "";
		for (size_t i = 0; i < b.n; i++) {
			if (i)
				strcat(got, " ");
			strcat(got, b.e[i].id);
		}
		if (strcmp(got, ids) != 0)
			ck_abort_msg("ids '%s', expected '%s'", got, ids);
	} else {
		ck_assert_uint_eq(b.n, 0);
		ck_assert_ptr_null(b.e);
	}
	hs_baseline_free(&b);
	return rc;
}

static const char report[] =
	"{\"heapscope\":1,\"processes\":[{\"pid\":1234,\"ppid\":1,\"argv\":[\"./prog\",\"id\"],"
	"\"exit\":{\"code\":0},"
	"\"leaks\":{\"definite\":{\"blocks\":3,\"bytes\":96},"
	"\"records\":[{\"id\":\"9f2c4e1a\",\"kind\":\"definite\",\"blocks\":3,\"bytes\":96,"
	"\"stack\":[{\"function\":\"main\",\"file\":\"leak.c\",\"line\":7,\"id\":\"11111111\"}]},"
	"{\"kind\":\"indirect\",\"blocks\":2,\"bytes\":64,\"id\":\"0000abcd\"}]},"
	"\"errors\":[{\"id\":\"51d0aa7e\",\"kind\":\"heap-buffer-overflow\",\"size\":1,"
	"\"block\":{\"size\":24,\"offset\":24,\"id\":\"22222222\"},\"api\":null}],"
	"\"heap\":{\"peak_bytes\":100,\"top_sites\":[{\"id\":\"33333333\",\"allocations\":4,"
	"\"stack\":[]}]},\"fragmentation\":null},"
	"{\"pid\":1235,\"leaks\":{\"records\":[]},\"errors\":[{\"kind\":\"x\",\"id\":\"deadbeef\"}],"
	"\"heap\":{\"top_sites\":[]}}],"
	"\"suppressions\":[{\"rule\":\"leak:x\",\"file\":\"s\",\"line\":1,\"records\":1}]}\n";

START_TEST(test_baseline_report)
{
	char err[512];
	ck_assert_int_eq(baseline(report, "9f2c4e1a 0000abcd 51d0aa7e deadbeef", err, sizeof err), 0);
	struct hs_baseline b;
	ck_assert_int_eq(hs_baseline_load(&b, put_file(report, strlen(report)), err, sizeof err), 0);
	ck_assert_int_eq(hs_baseline_has(&b, "9f2c4e1a"), 1);
	ck_assert_int_eq(hs_baseline_has(&b, "deadbeef"), 1);
	ck_assert_int_eq(hs_baseline_has(&b, "11111111"), 0);
	ck_assert_int_eq(hs_baseline_has(&b, "22222222"), 0);
	ck_assert_int_eq(hs_baseline_has(&b, "33333333"), 0);
	ck_assert_int_eq(hs_baseline_has(&b, "9f2c4e1"), 0);
	ck_assert_int_eq(hs_baseline_has(&b, ""), 0);
	hs_baseline_free(&b);
	ck_assert_uint_eq(b.n, 0);
}
END_TEST

/* A leak record excuses the same site's record of its own kind or a less
 * grave one, not a graver one; errors excuse errors only. */
START_TEST(test_baseline_kinds)
{
	static const char text[] =
		"{\"heapscope\":1,\"processes\":[{\"leaks\":{\"records\":["
		"{\"id\":\"aaaa0001\",\"kind\":\"reachable\"},{\"kind\":\"definite\",\"id\":\"aaaa0002\"},"
		"{\"id\":\"aaaa0003\",\"kind\":\"possible\"},{\"id\":\"aaaa0004\"}]},"
		"\"errors\":[{\"id\":\"bbbb0001\",\"kind\":\"double-free\"}]}]}";
	char err[512];
	struct hs_baseline b;
	ck_assert_int_eq(hs_baseline_load(&b, put_file(text, strlen(text)), err, sizeof err), 0);
	ck_assert_uint_eq(b.n, 5);
	ck_assert_int_eq(hs_baseline_has_leak(&b, "aaaa0001", HS_LEAK_REACHABLE), 1);
	ck_assert_int_eq(hs_baseline_has_leak(&b, "aaaa0001", HS_LEAK_POSSIBLE), 0);
	ck_assert_int_eq(hs_baseline_has_leak(&b, "aaaa0001", HS_LEAK_DEFINITE), 0);
	for (int k = 0; k < HS_LEAK_KINDS; k++)
		ck_assert_int_eq(hs_baseline_has_leak(&b, "aaaa0002", k), 1);
	ck_assert_int_eq(hs_baseline_has_leak(&b, "aaaa0003", HS_LEAK_INDIRECT), 0);
	ck_assert_int_eq(hs_baseline_has_leak(&b, "aaaa0003", HS_LEAK_POSSIBLE), 1);
	ck_assert_int_eq(hs_baseline_has_leak(&b, "aaaa0003", HS_LEAK_REACHABLE), 1);
	/* no kind (another writer's report): any */
	ck_assert_int_eq(hs_baseline_has_leak(&b, "aaaa0004", HS_LEAK_DEFINITE), 1);
	ck_assert_int_eq(hs_baseline_has_leak(&b, "bbbb0001", HS_LEAK_REACHABLE), 0);
	ck_assert_int_eq(hs_baseline_has_error(&b, "bbbb0001"), 1);
	ck_assert_int_eq(hs_baseline_has_error(&b, "aaaa0002"), 0);
	hs_baseline_free(&b);
}
END_TEST

/* The same report as the pretty writer lays it out. */
START_TEST(test_baseline_pretty)
{
	static const char pretty[] =
		"{\n  \"heapscope\": 1,\n  \"processes\": [\n    {\n      \"pid\": 7,\n"
		"      \"leaks\": {\n        \"records\": [\n          {\n"
		"            \"id\": \"aaaa0001\",\n            \"stack\": [\n              {\n"
		"                \"function\": \"f\"\n              }\n            ]\n          },\n"
		"          {\n            \"id\": \"aaaa0002\"\n          }\n        ]\n      },\n"
		"      \"errors\": [\n        {\n          \"id\": \"bbbb0001\"\n        }\n      ]\n"
		"    }\n  ],\n  \"suppressions\": []\n}\n";
	char err[512];
	ck_assert_int_eq(baseline(pretty, "aaaa0001 aaaa0002 bbbb0001", err, sizeof err), 0);
}
END_TEST

START_TEST(test_baseline_not_ids)
{
	char err[512];
	/* ids that are not 8-character strings are no ids */
	ck_assert_int_eq(baseline("{\"heapscope\":1,\"processes\":[{\"leaks\":{\"records\":["
				  "{\"id\":\"abc\"},{\"id\":12345678},{\"id\":null},{\"id\":\"123456789\"},"
				  "{\"id\":\"cafef00d\"}]}}]}",
				  "cafef00d", err, sizeof err),
			 0);
	/* a report with nothing in it */
	ck_assert_int_eq(baseline("{\"heapscope\":1,\"processes\":[]}", "", err, sizeof err), 0);
	ck_assert_int_eq(baseline("{\"heapscope\":1}", "", err, sizeof err), 0);
	ck_assert_int_eq(baseline(" \n{ \"heapscope\" : 1 }\n\n", "", err, sizeof err), 0);
}
END_TEST

/* Only processes[].leaks.records[] and processes[].errors[] hold baseline
 * ids: arrays of the same names elsewhere do not. */
START_TEST(test_baseline_only_report_paths)
{
	char err[512];
	ck_assert_int_eq(baseline("{\"heapscope\":1,"
				  "\"records\":[{\"id\":\"a0000001\"}],"
				  "\"errors\":[{\"id\":\"a0000002\"}],"
				  "\"processes\":[{\"id\":\"a0000003\","
				  "\"leaks\":{\"id\":\"a0000004\",\"records\":[{\"id\":\"0000000a\"}],"
				  "\"definite\":{\"records\":[{\"id\":\"a0000005\"}]}},"
				  "\"heap\":{\"errors\":[{\"id\":\"a0000006\"}],\"records\":[{\"id\":\"a0000007\"}]},"
				  "\"errors\":[{\"id\":\"0000000b\",\"records\":[{\"id\":\"a0000008\"}]}]}],"
				  "\"suppressions\":[{\"records\":[{\"id\":\"a0000009\"}]}]}",
				  "0000000a 0000000b", err, sizeof err),
			 0);
}
END_TEST

START_TEST(test_baseline_rejects)
{
	static const struct {
		const char *text;
		const char *err; /* after "PATH: " */
	} t[] = {
		{"", "byte 0: unexpected end of file"},
		{"   \n", "byte 4: unexpected end of file"},
		{"not json", "byte 0: unexpected character"},
		{"heapscope: 1", "byte 0: unexpected character"},
		{"{\"heapscope\":1} x", "byte 16: trailing data"},
		{"{\"heapscope\":1}{}", "byte 15: trailing data"},
		{"{\"heapscope\":1}\n}", "byte 16: trailing data"},
		{"{\"processes\":[]}", "byte 16: no \"heapscope\" key: not a heapscope JSON report"},
		{"{\"x\":{\"heapscope\":1}}", "byte 21: no \"heapscope\" key: not a heapscope JSON report"},
		{"[{\"heapscope\":1}]", "byte 17: no \"heapscope\" key: not a heapscope JSON report"},
		{"1", "byte 1: no \"heapscope\" key: not a heapscope JSON report"},
		{"{\"heapscope\":1", "byte 14: expected ',' or '}'"},
		{"{\"heapscope\":1,}", "byte 15: expected a string"},
		{"{\"heapscope\":[1,]}", "byte 16: unexpected character"},
		{"{\"heapscope\" 1}", "byte 13: expected ':'"},
		{"{'heapscope':1}", "byte 1: expected a string"},
		{"{\"heapscope\":tru}", "byte 13: unexpected character"},
		{"{\"heapscope\":\"a\tb\"}", "byte 16: control character in a string"},
		{"{\"heapscope\":\"abc", "byte 17: unterminated string"},
		{"{\"heapscope\":1,\"processes\":[{\"leaks\":{\"records\":[{\"id\":\"9f2c4e1a\"", "byte 65: expected ',' or '}'"},
	};
	for (unsigned k = 0; k < sizeof t / sizeof t[0]; k++) {
		char err[512], want[600];
		if (baseline(t[k].text, "", err, sizeof err) != -1)
			ck_abort_msg("'%s' accepted", t[k].text);
		snprintf(want, sizeof want, "%s: %s", path, t[k].err);
		if (strcmp(err, want) != 0)
			ck_abort_msg("'%s': message '%s', expected '%s'", t[k].text, err, want);
	}
	/* a file that is not there */
	struct hs_baseline b;
	char err[512], want[600];
	snprintf(want, sizeof want, "%s/none.json", tmpdir);
	ck_assert_int_eq(hs_baseline_load(&b, want, err, sizeof err), -1);
	strcat(want, ": No such file or directory");
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(b.n, 0);
}
END_TEST

/* JSON that is valid, with every kind of value around the ids. */
START_TEST(test_baseline_valid_grammar)
{
	char err[512];
	ck_assert_int_eq(baseline("{\"heapscope\":1,\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD834\\uDD1E\","
				  "\"n\":[0,-0,1.5,-0.5e-3,1E+2,2e10,123456789012345678901234567890],"
				  "\"l\":[true,false,null,{},[],[[]],\"\"],"
				  "\"processes\":[{\"errors\":[{\"x\":{\"y\":[1,{\"z\":\"}\"}]},\"id\":\"0123abcd\"}]}]}",
				  "0123abcd", err, sizeof err),
			 0);
}
END_TEST

/* RFC 8259 numbers and escapes only: the reader calls itself strict. */
START_TEST(test_baseline_strict_grammar)
{
	static const char *const bad[] = {
		"{\"heapscope\":0x1}",  "{\"heapscope\":-inf}",	"{\"heapscope\":-nan}",
		"{\"heapscope\":01}",   "{\"heapscope\":1.}",	"{\"heapscope\":.5}",
		"{\"heapscope\":+1}",   "{\"heapscope\":1e}",	"{\"heapscope\":-}",
		"{\"heapscope\":\"\\x\"}", "{\"heapscope\":\"\\uZZZZ\"}", "{\"heapscope\":TRUE}",
	};
	char accepted[1024] = "";
	for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		char err[512];
		if (baseline(bad[k], "", err, sizeof err) != -1) {
			strcat(accepted, " ");
			strcat(accepted, bad[k]);
		}
	}
	if (accepted[0])
		ck_abort_msg("accepted:%s", accepted);
}
END_TEST

static void nest(char *buf, size_t depth, const char *open, const char *close)
{
	size_t k = 0;
	k += (size_t)sprintf(buf + k, "{\"heapscope\":1,\"x\":");
	for (size_t i = 0; i < depth; i++)
		k += (size_t)sprintf(buf + k, "%s", open);
	k += (size_t)sprintf(buf + k, "1");
	for (size_t i = 0; i < depth; i++)
		k += (size_t)sprintf(buf + k, "%s", close);
	sprintf(buf + k, "}");
}

START_TEST(test_baseline_deep)
{
	static char buf[16 * 100000 + 64];
	char err[512];
	/* moderately deep: fine */
	nest(buf, 20, "[", "]");
	ck_assert_int_eq(baseline(buf, "", err, sizeof err), 0);
	nest(buf, 20, "{\"a\":", "}");
	ck_assert_int_eq(baseline(buf, "", err, sizeof err), 0);
	/* 100 levels, arrays and objects: refused, no crash */
	nest(buf, 100, "[", "]");
	ck_assert_int_eq(baseline(buf, "", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested too deeply"));
	nest(buf, 100, "{\"a\":", "}");
	ck_assert_int_eq(baseline(buf, "", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested too deeply"));
	/* and far deeper, unclosed: no stack overflow either */
	nest(buf, 100000, "[", "");
	ck_assert_int_eq(baseline(buf, "", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested too deeply"));
	nest(buf, 100000, "{\"records\":[", "");
	ck_assert_int_eq(baseline(buf, "", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested too deeply"));
}
END_TEST

/* Any prefix of a report is rejected cleanly (a file cut off while being
 * written). */
START_TEST(test_baseline_prefixes)
{
	size_t len = strlen(report);
	char *text = malloc(len + 1);
	ck_assert_ptr_nonnull(text);
	for (size_t n = 0; n < len - 1; n++) { /* the last byte is a newline */
		memcpy(text, report, n);
		text[n] = 0;
		char err[512];
		if (baseline(text, "", err, sizeof err) != -1)
			ck_abort_msg("prefix of %zu bytes accepted", n);
	}
	free(text);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = unit_tcase("writer", 0);
	tcase_add_test(tc, test_nested_compact);
	tcase_add_test(tc, test_nested_pretty);
	tcase_add_test(tc, test_top_level);
	tcase_add_test(tc, test_scalars);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_utf8_valid);
	tcase_add_test(tc, test_utf8_invalid);
	tcase_add_test(tc, test_utf8_strict);
	suite_add_tcase(s, tc);
	tc = unit_tcase("baseline", 0);
	tcase_add_unchecked_fixture(tc, json_setup, json_teardown);
	tcase_add_test(tc, test_baseline_report);
	tcase_add_test(tc, test_baseline_kinds);
	tcase_add_test(tc, test_baseline_pretty);
	tcase_add_test(tc, test_baseline_not_ids);
	tcase_add_test(tc, test_baseline_only_report_paths);
	tcase_add_test(tc, test_baseline_rejects);
	tcase_add_test(tc, test_baseline_valid_grammar);
	tcase_add_test(tc, test_baseline_strict_grammar);
	tcase_add_test(tc, test_baseline_deep);
	tcase_add_test(tc, test_baseline_prefixes);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	return unit_run(json_suite(), argv);
}
