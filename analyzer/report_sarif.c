/* report_sarif.c — SARIF 2.1.0 for code-scanning UIs: one result per leak
 * record and per memory error that counts (suppressed ones and
 * still-reachable blocks are left out), located at the first frame in the program's own sources, with the
 * record's stable id as its fingerprint so that results keep their identity
 * across runs. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "report.h"

static const char *const rule_text[HS_LEAK_KINDS] = {
	"Memory leak: a block with no pointer to it left anywhere",
	"Memory leak: a block reachable only from other leaked blocks",
	"Possible memory leak: a block reachable only through a pointer into its middle",
	"Memory still reachable at exit",
};

/* System code: installed libraries, and the C library's own sources. */
/* Rule ids: a result's must be one of the rules array's. */
#define RULE_ID_MAX 64

static const char *leak_rule_id(char buf[RULE_ID_MAX], unsigned kind)
{
	snprintf(buf, RULE_ID_MAX, "heapscope/leak/%s", hs_leak_kind_name[kind]);
	return buf;
}

static const char *error_rule_id(char buf[RULE_ID_MAX], unsigned kind)
{
	snprintf(buf, RULE_ID_MAX, "heapscope/%s", hs_error_kind_name(kind));
	return buf;
}

static int system_module(const struct hs_frame *f)
{
	static const char *const lib_dirs[] = {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/usr/local/lib/"};
	if (f->module_path)
		for (size_t i = 0; i < sizeof lib_dirs / sizeof lib_dirs[0]; i++)
			if (!strncmp(f->module_path, lib_dirs[i], strlen(lib_dirs[i])))
				return 1;
	return 0;
}

static int is_system(const struct hs_frame *f)
{
	return system_module(f) || !f->file || !strncmp(f->file, "/usr/", 5) || !strncmp(f->file, "../sysdeps/", 11);
}

/* An RFC 3986 URI reference for a path: what is not unreserved or '/'
 * percent-encoded ("my src/a#2.c" would read as a fragment). */
static void uri_of(char *out, size_t cap, const char *prefix, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = (size_t)snprintf(out, cap, "%s", prefix);
	for (const unsigned char *c = (const unsigned char *)path; *c && n + 4 < cap; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr("-._~/", *c)) {
			out[n++] = (char)*c;
		} else {
			out[n++] = '%';
			out[n++] = hex[*c >> 4];
			out[n++] = hex[*c & 15];
		}
	}
	out[n < cap ? n : cap - 1] = 0;
}

/* A frame's location: its source file and line; without one (no debug
 * information, JIT code) the object it is in, or failing that `fallback`
 * (the executable): a result always has somewhere to point. */
static void location(struct hs_json *j, const struct hs_frame *f, const char *cwd, const char *fallback)
{
	const char *path = f && f->file ? f->file : f && f->module_path ? f->module_path : fallback;
	hs_json_begin_object(j);
	hs_json_key(j, "physicalLocation");
	hs_json_begin_object(j);
	hs_json_key(j, "artifactLocation");
	hs_json_begin_object(j);
	size_t cl = strlen(cwd);
	char uri[3 * PATH_MAX + 16];
	if (path[0] == '/' && cl > 1 && !strncmp(path, cwd, cl) && path[cl] == '/') {
		uri_of(uri, sizeof uri, "", path + cl + 1);
		hs_json_key(j, "uri");
		hs_json_string(j, uri);
		hs_json_key(j, "uriBaseId");
		hs_json_string(j, "%SRCROOT%");
	} else {
		uri_of(uri, sizeof uri, path[0] == '/' ? "file://" : "", path);
		hs_json_key(j, "uri");
		hs_json_string(j, uri);
	}
	hs_json_end_object(j);
	if (f && f->file && f->line) {
		hs_json_key(j, "region");
		hs_json_begin_object(j);
		hs_json_key(j, "startLine");
		hs_json_uint(j, f->line);
		hs_json_end_object(j);
	}
	hs_json_end_object(j);
	if (f && f->function) {
		hs_json_key(j, "logicalLocations");
		hs_json_begin_array(j);
		hs_json_begin_object(j);
		hs_json_key(j, "fullyQualifiedName");
		hs_json_string(j, f->function);
		hs_json_key(j, "kind");
		hs_json_string(j, "function");
		hs_json_end_object(j);
		hs_json_end_array(j);
	}
	hs_json_end_object(j);
}

/* The frame a result points at: the first one in the program's own
 * sources, else the first in its own objects (built without debug
 * information: the C library's sources would be no better), else the
 * first with a source file, else the first with an object, else none. */
static const struct hs_frame *own_frame(const struct hs_frame *f, size_t nf)
{
	for (size_t i = 0; i < nf; i++)
		if (!is_system(&f[i]))
			return &f[i];
	for (size_t i = 0; i < nf; i++)
		if (f[i].module_path && !system_module(&f[i]))
			return &f[i];
	for (size_t i = 0; i < nf; i++)
		if (f[i].file)
			return &f[i];
	for (size_t i = 0; i < nf; i++)
		if (f[i].module_path)
			return &f[i];
	return NULL;
}

/* One entry of "stacks": its frames, each with its location when it has a
 * source file, and its object when known. */
static void stack(struct hs_json *j, const char *what, const struct hs_frame *f, size_t nf, const char *cwd)
{
	hs_json_begin_object(j);
	hs_json_key(j, "message");
	hs_json_begin_object(j);
	hs_json_key(j, "text");
	hs_json_string(j, what);
	hs_json_end_object(j);
	hs_json_key(j, "frames");
	hs_json_begin_array(j);
	for (size_t i = 0; i < nf; i++) {
		hs_json_begin_object(j);
		if (f[i].file) {
			hs_json_key(j, "location");
			location(j, &f[i], cwd, NULL);
		}
		if (f[i].module) {
			hs_json_key(j, "module");
			hs_json_string(j, f[i].module);
		}
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_end_object(j);
}

/* The fields every result has; the caller may add more, then ends the
 * object. */
static void begin_result(struct hs_json *j, const char *rule, const char *level, const char *msg,
			 const struct hs_frame *at, const char *cwd, const char *exe, const char *id)
{
	hs_json_begin_object(j);
	hs_json_key(j, "ruleId");
	hs_json_string(j, rule);
	hs_json_key(j, "level");
	hs_json_string(j, level);
	hs_json_key(j, "message");
	hs_json_begin_object(j);
	hs_json_key(j, "text");
	hs_json_string(j, msg);
	hs_json_end_object(j);
	hs_json_key(j, "locations");
	hs_json_begin_array(j);
	location(j, at, cwd, exe);
	hs_json_end_array(j);
	hs_json_key(j, "partialFingerprints");
	hs_json_begin_object(j);
	hs_json_key(j, "heapscopeId/v1");
	hs_json_string(j, id);
	hs_json_end_object(j);
}

/* The executable a result of process a falls back to. */
static const char *exe_of(const struct hs_analysis *a)
{
	return a->proc.exe && a->proc.exe[0] ? a->proc.exe : a->proc.path;
}

static void result(struct hs_json *j, struct hs_analysis *a, const struct hs_leak_record *r, const char *cwd)
{
	const struct hs_frame *f;
	size_t nf = hs_symbolize_stack(a->sym, r->stack, &f);
	const struct hs_frame *at = own_frame(f, nf);
	char msg[512];
	snprintf(msg, sizeof msg, "%llu bytes in %llu blocks are %s (allocated by %s%s%s) in process %llu",
		 (unsigned long long)r->bytes, (unsigned long long)r->blocks, hs_leak_kind_phrase[r->kind],
		 hs_api_name(r->api), at && at->function ? " in " : "", at && at->function ? at->function : "",
		 (unsigned long long)a->proc.pid);
	char rule[RULE_ID_MAX];
	begin_result(j, leak_rule_id(rule, r->kind), r->kind == HS_LEAK_POSSIBLE ? "warning" : "error", msg, at, cwd,
		     exe_of(a), r->id);
	hs_json_key(j, "stacks");
	hs_json_begin_array(j);
	stack(j, "allocation stack", f, nf, cwd);
	hs_json_end_array(j);
	hs_json_end_object(j);
}

/* An error's stacks, in the order a result shows them: its own, where the
 * block was freed, where it was allocated. */
static const char *const error_stack_name[3] = {"error stack", "free stack", "allocation stack"};

static size_t error_stack(struct hs_analysis *a, const struct hs_error_rec *e, int which, const struct hs_frame **f)
{
	if (which == 0)
		return hs_symbolize_frames(a->sym, e->map, e->frames, e->nframes, f);
	uint32_t id = which == 1 ? e->free_stack : e->alloc_stack;
	return id ? hs_symbolize_stack(a->sym, id, f) : 0;
}

static void error_result(struct hs_json *j, struct hs_analysis *a, const struct hs_error_entry *x, const char *cwd)
{
	const struct hs_error_rec *e = x->e;
	/* where it happened; found at exit it has no stack of its own: where
	 * the block was freed, else allocated. (The symbolizer hands out one
	 * buffer for every stack: the frame is copied, its strings are the
	 * symbolizer's cache's, which stays.) */
	struct hs_frame at_frame;
	const struct hs_frame *at = NULL;
	for (int k = 0; k < 3 && !at; k++) {
		const struct hs_frame *f;
		size_t n = error_stack(a, e, k, &f);
		const struct hs_frame *own = own_frame(f, n);
		if (own) {
			at_frame = *own;
			at = &at_frame;
		}
	}
	char msg[512];
	if (e->has_block)
		snprintf(msg, sizeof msg, "%s: %s at offset %lld of a block of %llu bytes (process %llu)",
			 hs_error_kind_name(e->kind),
			 e->access == HS_ACCESS_WRITE ? "write" : e->access == HS_ACCESS_READ ? "read" : "access",
			 (long long)e->offset, (unsigned long long)e->block_size, (unsigned long long)a->proc.pid);
	else
		snprintf(msg, sizeof msg, "%s at 0x%llx (%s; process %llu)", hs_error_kind_name(e->kind),
			 (unsigned long long)e->addr, hs_region_name(e->region), (unsigned long long)a->proc.pid);
	char rule[RULE_ID_MAX];
	begin_result(j, error_rule_id(rule, e->kind), "error", msg, at, cwd, exe_of(a), x->id);
	hs_json_key(j, "stacks");
	hs_json_begin_array(j);
	for (int k = 0; k < 3; k++) {
		const struct hs_frame *f;
		size_t n = error_stack(a, e, k, &f); /* again: cached per address */
		if (n)
			stack(j, error_stack_name[k], f, n, cwd);
	}
	hs_json_end_array(j);
	hs_json_end_object(j);
}

static void write_rule(struct hs_json *j, const char *id, const char *text)
{
	hs_json_begin_object(j);
	hs_json_key(j, "id");
	hs_json_string(j, id);
	hs_json_key(j, "shortDescription");
	hs_json_begin_object(j);
	hs_json_key(j, "text");
	hs_json_string(j, text);
	hs_json_end_object(j);
	hs_json_end_object(j);
}

void hs_report_sarif(FILE *out, struct hs_analysis *a, size_t n, const struct hs_report_opts *o)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		cwd[0] = 0;
	struct hs_json j;
	hs_json_init(&j, out, o->pretty);
	hs_json_begin_object(&j);
	hs_json_key(&j, "$schema");
	hs_json_string(&j, "https://json.schemastore.org/sarif-2.1.0.json");
	hs_json_key(&j, "version");
	hs_json_string(&j, "2.1.0");
	hs_json_key(&j, "runs");
	hs_json_begin_array(&j);
	hs_json_begin_object(&j);
	hs_json_key(&j, "tool");
	hs_json_begin_object(&j);
	hs_json_key(&j, "driver");
	hs_json_begin_object(&j);
	hs_json_key(&j, "name");
	hs_json_string(&j, "heapscope");
	hs_json_key(&j, "version");
	hs_json_string(&j, HS_VERSION);
	hs_json_key(&j, "rules");
	hs_json_begin_array(&j);
	for (unsigned k = 0; k < HS_ERR_KINDS; k++) {
		char id[RULE_ID_MAX];
		write_rule(&j, error_rule_id(id, k), hs_error_kind_name(k));
	}
	for (unsigned k = 0; k < HS_LEAK_KINDS; k++) {
		char id[RULE_ID_MAX];
		write_rule(&j, leak_rule_id(id, k), rule_text[k]);
	}
	hs_json_end_array(&j);
	hs_json_end_object(&j);
	hs_json_end_object(&j);
	hs_json_key(&j, "results");
	hs_json_begin_array(&j);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < a[i].leaks.n; k++) {
			const struct hs_leak_record *r = &a[i].leaks.rec[k];
			if (!r->suppressed_by && r->kind != HS_LEAK_REACHABLE)
				result(&j, &a[i], r, cwd);
		}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < a[i].errors.n; k++)
			if (!a[i].errors.rec[k].suppressed_by)
				error_result(&j, &a[i], &a[i].errors.rec[k], cwd);
	hs_json_end_array(&j);
	hs_json_end_object(&j);
	hs_json_end_array(&j);
	hs_json_end_object(&j);
	if (!o->pretty)
		fputc('\n', out);
}
