/* report_json.c — the JSON report of DESIGN.md ("heapscope": 1). Sections
 * that later work fills (leaks, errors, fragmentation, …) are present and
 * null until their data exists in the trace: a key is never missing. */
#include <stdlib.h>

#include <heapscope/trace_format.h>

#include "json.h"
#include "report.h"

static void write_frames(struct hs_json *j, const struct hs_frame *f, size_t n)
{
	hs_json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		hs_json_begin_object(j);
		hs_json_key(j, "function");
		hs_json_string(j, f[i].function);
		hs_json_key(j, "file");
		hs_json_string(j, f[i].file);
		hs_json_key(j, "line");
		if (f[i].line)
			hs_json_uint(j, f[i].line);
		else
			hs_json_null(j);
		hs_json_key(j, "module");
		hs_json_string(j, f[i].module);
		hs_json_key(j, "address");
		hs_json_hex(j, f[i].address);
		if (f[i].inlined) {
			hs_json_key(j, "inlined");
			hs_json_bool(j, 1);
		}
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
}

static void write_sites(struct hs_json *j, struct hs_analysis *a, int by_count, unsigned top)
{
	struct hs_site_rank *r = malloc((top ? top : 1) * sizeof *r);
	size_t n = r ? hs_rank_sites(&a->proc, by_count, r, top) : 0;
	hs_json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		const struct hs_frame *f;
		size_t nf = hs_symbolize_stack(a->sym, r[i].stack, &f);
		char id[9];
		hs_stack_fingerprint(f, nf, id);
		hs_json_begin_object(j);
		hs_json_key(j, "id");
		hs_json_string(j, id);
		hs_json_key(j, "allocations");
		hs_json_uint(j, r[i].site.allocations);
		hs_json_key(j, "bytes");
		hs_json_uint(j, r[i].site.bytes);
		hs_json_key(j, "peak_bytes");
		hs_json_uint(j, r[i].site.peak);
		hs_json_key(j, "stack");
		write_frames(j, f, nf);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	free(r);
}

static void totals(struct hs_json *j, const char *key, const struct hs_leak_totals *t)
{
	hs_json_key(j, key);
	hs_json_begin_object(j);
	hs_json_key(j, "blocks");
	hs_json_uint(j, t->blocks);
	hs_json_key(j, "bytes");
	hs_json_uint(j, t->bytes);
	hs_json_end_object(j);
}

static void write_leaks(struct hs_json *j, struct hs_analysis *a)
{
	const struct hs_leak_report *l = &a->leaks;
	if (!l->present) {
		hs_json_null(j);
		return;
	}
	hs_json_begin_object(j);
	for (unsigned k = 0; k < HS_LEAK_KINDS; k++)
		totals(j, hs_leak_kind_name[k], &l->kind[k]);
	totals(j, "suppressed", &l->suppressed);
	hs_json_key(j, "threads_scanned");
	hs_json_uint(j, a->proc.leaks.threads - a->proc.leaks.unscanned_threads + 1);
	hs_json_key(j, "threads_unscanned");
	hs_json_uint(j, a->proc.leaks.unscanned_threads);
	hs_json_key(j, "records");
	hs_json_begin_array(j);
	for (size_t i = 0; i < l->n; i++) {
		const struct hs_leak_record *r = &l->rec[i];
		if (r->suppressed_by)
			continue;
		const struct hs_frame *f;
		size_t nf = hs_symbolize_stack(a->sym, r->stack, &f);
		hs_json_begin_object(j);
		hs_json_key(j, "id");
		hs_json_string(j, r->id);
		hs_json_key(j, "kind");
		hs_json_string(j, hs_leak_kind_name[r->kind]);
		hs_json_key(j, "blocks");
		hs_json_uint(j, r->blocks);
		hs_json_key(j, "bytes");
		hs_json_uint(j, r->bytes);
		hs_json_key(j, "alloc_api");
		hs_json_string(j, hs_api_name(r->api));
		hs_json_key(j, "stack");
		write_frames(j, f, nf);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
	hs_json_end_object(j);
}

static void write_process(struct hs_json *j, struct hs_analysis *a, const struct hs_report_opts *o)
{
	struct hs_process *p = &a->proc;
	hs_json_begin_object(j);
	hs_json_key(j, "pid");
	hs_json_uint(j, p->pid);
	hs_json_key(j, "ppid");
	hs_json_uint(j, p->ppid);
	hs_json_key(j, "trace");
	hs_json_string(j, p->path);
	hs_json_key(j, "executable");
	hs_json_string(j, p->exe);
	hs_json_key(j, "argv");
	hs_json_begin_array(j);
	for (size_t i = 0; i < p->argc; i++)
		hs_json_string(j, p->argv[i]);
	hs_json_end_array(j);
	hs_json_key(j, "truncated");
	hs_json_bool(j, p->truncated || !p->exit.present);
	hs_json_key(j, "exit");
	if (!p->exit.present) {
		hs_json_null(j);
	} else {
		hs_json_begin_object(j);
		if (p->exit.how == HS_EXIT_SIGNAL) {
			const char *name = hs_signal_name((int)p->exit.value);
			hs_json_key(j, "signal");
			if (name)
				hs_json_string(j, name);
			else
				hs_json_uint(j, p->exit.value);
		} else if (p->exit.how == HS_EXIT_EXEC) {
			hs_json_key(j, "exec");
			hs_json_bool(j, 1);
		} else {
			hs_json_key(j, "code");
			hs_json_uint(j, p->exit.value);
			if (p->exit.how == HS_EXIT_UNDERSCORE) {
				hs_json_key(j, "via");
				hs_json_string(j, "_exit");
			}
		}
		hs_json_end_object(j);
	}
	hs_json_key(j, "leaks");
	write_leaks(j, a);
	hs_json_key(j, "errors");
	hs_json_begin_array(j);
	hs_json_end_array(j);
	hs_json_key(j, "heap");
	hs_json_begin_object(j);
	const struct hs_heap_stats *h = &p->heap;
	hs_json_key(j, "peak_bytes");
	hs_json_uint(j, h->peak_bytes);
	hs_json_key(j, "peak_blocks");
	hs_json_uint(j, h->peak_blocks);
	hs_json_key(j, "peak_time_ms");
	hs_json_uint(j, h->peak_time_ms);
	hs_json_key(j, "allocations");
	hs_json_uint(j, h->allocations);
	hs_json_key(j, "reallocations");
	hs_json_uint(j, h->reallocs);
	hs_json_key(j, "frees");
	hs_json_uint(j, h->frees);
	hs_json_key(j, "total_bytes");
	hs_json_uint(j, h->total_bytes);
	hs_json_key(j, "live_at_end");
	hs_json_begin_object(j);
	hs_json_key(j, "blocks");
	hs_json_uint(j, h->live_blocks);
	hs_json_key(j, "bytes");
	hs_json_uint(j, h->live_bytes);
	hs_json_end_object(j);
	hs_json_key(j, "unknown_frees");
	hs_json_uint(j, h->unknown_frees);
	hs_json_key(j, "duration_ms");
	hs_json_uint(j, h->duration_ms);
	hs_json_key(j, "top_sites");
	write_sites(j, a, 0, o->top);
	hs_json_key(j, "top_sites_by_count");
	write_sites(j, a, 1, o->top);
	hs_json_end_object(j);
	hs_json_key(j, "fragmentation");
	hs_json_null(j);
	hs_json_key(j, "segments");
	hs_json_null(j);
	hs_json_key(j, "timeline");
	hs_json_null(j);
	hs_json_key(j, "simulate");
	hs_json_null(j);
	hs_json_end_object(j);
}

static void write_suppressions(struct hs_json *j, const struct hs_suppressions *supp)
{
	hs_json_begin_array(j);
	for (size_t i = 0; supp && i < supp->n; i++) {
		const struct hs_supp_rule *r = &supp->rule[i];
		if (!r->records)
			continue;
		hs_json_begin_object(j);
		hs_json_key(j, "rule");
		hs_json_string(j, r->text);
		hs_json_key(j, "file");
		hs_json_string(j, r->source);
		hs_json_key(j, "line");
		hs_json_uint(j, r->line);
		hs_json_key(j, "records");
		hs_json_uint(j, r->records);
		hs_json_key(j, "blocks");
		hs_json_uint(j, r->blocks);
		hs_json_key(j, "bytes");
		hs_json_uint(j, r->bytes);
		hs_json_end_object(j);
	}
	hs_json_end_array(j);
}

void hs_report_json(FILE *f, struct hs_analysis *a, size_t n, const struct hs_suppressions *supp,
		    const struct hs_report_opts *o)
{
	struct hs_json j;
	hs_json_init(&j, f, o->pretty);
	hs_json_begin_object(&j);
	hs_json_key(&j, "heapscope");
	hs_json_uint(&j, 1);
	hs_json_key(&j, "processes");
	hs_json_begin_array(&j);
	for (size_t i = 0; i < n; i++)
		write_process(&j, &a[i], o);
	hs_json_end_array(&j);
	hs_json_key(&j, "suppressions");
	write_suppressions(&j, supp);
	hs_json_end_object(&j);
	if (!o->pretty)
		fputc('\n', f);
}
