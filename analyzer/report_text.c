/* report_text.c — the human report, in the shape valgrind users read:
 * every line prefixed with ==PID==, numbers with thousands separators,
 * stacks as "at function (file:line)" / "by …". */
#include <stdlib.h>
#include <string.h>

#include <heapscope/trace_format.h>

#include "report.h"
#include "simulate.h"


static void print_frames(FILE *f, uint64_t pid, const struct hs_frame *fr, size_t n)
{
	if (n == 0) {
		fprintf(f, "==%llu==        (no stack: allocated before recording started)\n",
			(unsigned long long)pid);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "==%llu==      %s 0x%llx: ", (unsigned long long)pid, i ? "by" : "at",
			(unsigned long long)fr[i].address);
		if (fr[i].function)
			fprintf(f, "%s", fr[i].function);
		else
			fprintf(f, "???");
		if (fr[i].file && fr[i].line)
			fprintf(f, " (%s:%u)", fr[i].file, fr[i].line);
		else if (fr[i].function && fr[i].module)
			fprintf(f, "+0x%llx (in %s)", (unsigned long long)fr[i].offset, fr[i].module);
		else if (fr[i].module)
			fprintf(f, " (in %s+0x%llx)", fr[i].module, (unsigned long long)fr[i].offset);
		if (fr[i].inlined)
			fprintf(f, " [inlined]");
		fputc('\n', f);
		/* below main is the C runtime's start-up: valgrind stops there too */
		if (fr[i].function && !strcmp(fr[i].function, "main") && !fr[i].inlined)
			break;
	}
}

static void print_sites(FILE *f, struct hs_analysis *a, int by_count, unsigned top)
{
	struct hs_site_rank *r = malloc((top ? top : 1) * sizeof *r);
	size_t n = r ? hs_rank_sites(&a->proc, by_count, r, top) : 0;
	uint64_t pid = a->proc.pid;
	char b1[32], b2[32], b3[32];
	fprintf(f, "==%llu== Top allocation sites by %s:\n", (unsigned long long)pid,
		by_count ? "number of allocations" : "bytes allocated");
	for (size_t i = 0; i < n; i++) {
		const struct hs_frame *fr;
		size_t nf = hs_symbolize_stack(a->sym, r[i].stack, &fr);
		char id[9];
		hs_stack_fingerprint(fr, nf, id);
		fprintf(f, "==%llu==   #%zu: %s bytes in %s allocations (peak %s bytes live) [id %s]\n",
			(unsigned long long)pid, i + 1, hs_thousands(b1, r[i].site.bytes),
			hs_thousands(b2, r[i].site.allocations), hs_thousands(b3, r[i].site.peak), id);
		print_frames(f, pid, fr, nf);
	}
	if (n == 0)
		fprintf(f, "==%llu==   (none)\n", (unsigned long long)pid);
	free(r);
}

static void print_leaks(FILE *f, struct hs_analysis *a)
{
	struct hs_process *p = &a->proc;
	const struct hs_leak_report *l = &a->leaks;
	unsigned long long pid = (unsigned long long)p->pid;
	char b1[32], b2[32];
	if (!l->present) {
		fprintf(f, "==%llu== LEAK SUMMARY: no leak check ran (%s)\n", pid,
			p->exit.present ? p->exit.reason : "the process did not finish");
		return;
	}
	size_t shown = 0;
	for (size_t i = 0; i < l->n; i++)
		shown += !l->rec[i].suppressed_by && l->rec[i].kind != HS_LEAK_REACHABLE;
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct hs_leak_record *r = &l->rec[i];
		if (r->suppressed_by || r->kind == HS_LEAK_REACHABLE)
			continue;
		const struct hs_frame *fr;
		size_t nf = hs_symbolize_stack(a->sym, r->stack, &fr);
		fprintf(f, "==%llu== %s bytes in %s blocks are %s in loss record %zu of %zu [id %s]\n", pid,
			hs_thousands(b1, r->bytes), hs_thousands(b2, r->blocks), hs_leak_kind_phrase[r->kind], ++k, shown, r->id);
		print_frames(f, p->pid, fr, nf);
		fprintf(f, "==%llu==\n", pid);
	}
	fprintf(f, "==%llu== LEAK SUMMARY:\n", pid);
	for (unsigned kind = 0; kind < HS_LEAK_KINDS; kind++)
		fprintf(f, "==%llu==    %15s: %s bytes in %s blocks\n", pid, hs_leak_kind_phrase[kind],
			hs_thousands(b1, l->kind[kind].bytes), hs_thousands(b2, l->kind[kind].blocks));
	fprintf(f, "==%llu==    %15s: %s bytes in %s blocks\n", pid, "suppressed",
		hs_thousands(b1, l->suppressed.bytes), hs_thousands(b2, l->suppressed.blocks));
	if (p->leaks.unscanned_threads)
		fprintf(f, "==%llu== warning: %llu threads could not be paused; their stacks were not scanned\n",
			pid, (unsigned long long)p->leaks.unscanned_threads);
}

static void print_errors(FILE *f, struct hs_analysis *a)
{
	unsigned long long pid = (unsigned long long)a->proc.pid;
	for (size_t i = 0; i < a->errors.n; i++) {
		const struct hs_error_entry *x = &a->errors.rec[i];
		const struct hs_error_rec *e = x->e;
		if (x->suppressed_by)
			continue;
		const char *what;
		switch (e->kind) {
		case HS_ERR_DOUBLE_FREE:
		case HS_ERR_INVALID_FREE:
			what = e->api == HS_API_REALLOC ? "Invalid realloc()" :
			       e->api == HS_API_DELETE || e->api == HS_API_DELETE_ALIGNED ? "Invalid delete" :
			       e->api == HS_API_DELETE_ARRAY || e->api == HS_API_DELETE_ARRAY_ALIGNED ? "Invalid delete[]" :
			       "Invalid free()";
			break;
		case HS_ERR_MISMATCHED_FREE:
			what = "Mismatched free() / delete / delete []";
			break;
		case HS_ERR_STACK_OVERFLOW:
			what = "Stack overflow";
			break;
		default:
			what = e->access == HS_ACCESS_WRITE ? "Invalid write" :
			       e->access == HS_ACCESS_READ ? "Invalid read" : "Invalid access";
		}
		fprintf(f, "==%llu== %s", pid, what);
		if (e->size)
			fprintf(f, " of size %llu", (unsigned long long)e->size);
		fprintf(f, " (%s%s)", hs_error_kind_name(e->kind),
			e->detected == HS_DETECTED_AT_FREE && (e->kind == HS_ERR_HEAP_BUFFER_OVERFLOW ||
							       e->kind == HS_ERR_USE_AFTER_FREE) ? ", found when the block was freed" :
			e->detected == HS_DETECTED_AT_EXIT ? ", found at exit" : "");
		if (x->count > 1)
			fprintf(f, " x%llu", (unsigned long long)x->count);
		fprintf(f, " [id %s]\n", x->id);
		const struct hs_frame *fr;
		size_t nf = hs_symbolize_frames(a->sym, e->map, e->frames, e->nframes, &fr);
		if (nf)
			print_frames(f, a->proc.pid, fr, nf);
		if (e->has_block) {
			fprintf(f, "==%llu==  Address 0x%llx is ", pid, (unsigned long long)e->addr);
			if (e->offset < 0)
				fprintf(f, "%lld bytes before", (long long)-e->offset);
			else if ((uint64_t)e->offset >= e->block_size && e->kind != HS_ERR_USE_AFTER_FREE &&
				 e->kind != HS_ERR_DOUBLE_FREE)
				fprintf(f, "%llu bytes after", (unsigned long long)((uint64_t)e->offset - e->block_size));
			else
				fprintf(f, "%lld bytes inside", (long long)e->offset);
			fprintf(f, " a block of size %llu %s\n", (unsigned long long)e->block_size,
				e->free_api ? "free'd" : "alloc'd");
			if (e->free_api) {
				/* free stacks are kept for quarantined blocks: one
				 * not sampled (guard=sample:N) has none */
				nf = e->free_stack ? hs_symbolize_stack(a->sym, e->free_stack, &fr) : 0;
				if (nf)
					print_frames(f, a->proc.pid, fr, nf);
				else
					fprintf(f, "==%llu==    (where it was freed was not recorded)\n", pid);
				fprintf(f, "==%llu==  Block was alloc'd at\n", pid);
			}
			nf = hs_symbolize_stack(a->sym, e->alloc_stack, &fr);
			print_frames(f, a->proc.pid, fr, nf);
		} else {
			fprintf(f, "==%llu==  Address 0x%llx is not stack'd, malloc'd or (recently) free'd (%s)\n", pid,
				(unsigned long long)e->addr, hs_region_name(e->region));
		}
		fprintf(f, "==%llu==\n", pid);
	}
	if (a->proc.guard.present)
		fprintf(f, "==%llu== guard pages: %llu blocks guarded (at most %llu live at once; budget %llu)%s\n",
			pid, (unsigned long long)a->proc.guard.guarded, (unsigned long long)a->proc.guard.peak_live,
			(unsigned long long)a->proc.guard.budget,
			a->proc.guard.budget_exhausted ? "; the budget ran out, later blocks got canaries only" : "");
	if (a->proc.errors_dropped)
		fprintf(f, "==%llu== %llu more errors were recorded after the first %u and not kept\n", pid,
			(unsigned long long)a->proc.errors_dropped, (unsigned)HS_MAX_ERRORS);
	if (a->errors.n || a->proc.guard.present)
		fprintf(f, "==%llu== ERROR SUMMARY: %llu errors (%llu suppressed)\n==%llu==\n", pid,
			(unsigned long long)a->errors.counted, (unsigned long long)a->errors.suppressed, pid);
}

static void print_process(FILE *f, struct hs_analysis *a, const struct hs_report_opts *o)
{
	struct hs_process *p = &a->proc;
	unsigned long long pid = (unsigned long long)p->pid;
	char b1[32], b2[32], b3[32];
	fprintf(f, "==%llu== heapscope: pid %llu (parent %llu):", pid, pid, (unsigned long long)p->ppid);
	for (size_t i = 0; i < p->argc; i++)
		fprintf(f, " %s", p->argv[i]);
	fputc('\n', f);
	fprintf(f, "==%llu== trace %s\n", pid, p->path);
	if (p->truncated)
		fprintf(f, "==%llu== warning: the trace is truncated after byte %llu; reporting what it holds\n",
			pid, (unsigned long long)p->valid_bytes);
	if (p->corrupt_records)
		fprintf(f, "==%llu== warning: %llu records could not be decoded and were skipped\n", pid,
			(unsigned long long)p->corrupt_records);
	if (!p->exit.present)
		fprintf(f, "==%llu== the process did not finish normally (killed, or still running)\n", pid);
	else if (p->exit.how == HS_EXIT_SIGNAL)
		fprintf(f, "==%llu== killed by signal %llu (%s)\n", pid, (unsigned long long)p->exit.value,
			hs_signal_name((int)p->exit.value) ? hs_signal_name((int)p->exit.value) : "?");
	else if (p->exit.how == HS_EXIT_EXEC)
		fprintf(f, "==%llu== replaced its image with exec\n", pid);
	else
		fprintf(f, "==%llu== exited with status %llu%s\n", pid, (unsigned long long)p->exit.value,
			p->exit.how == HS_EXIT_UNDERSCORE ? " via _exit" : "");
	const struct hs_heap_stats *h = &p->heap;
	fprintf(f, "==%llu==\n", pid);
	print_errors(f, a);
	fprintf(f, "==%llu== HEAP SUMMARY:\n", pid);
	fprintf(f, "==%llu==   total heap usage: %s allocs, %s frees, %s bytes allocated\n", pid,
		hs_thousands(b1, h->allocations), hs_thousands(b2, h->frees), hs_thousands(b3, h->total_bytes));
	fprintf(f, "==%llu==   peak: %s bytes in %s blocks, at %.3f s\n", pid, hs_thousands(b1, h->peak_bytes),
		hs_thousands(b2, h->peak_blocks), (double)h->peak_time_ms / 1000.0);
	fprintf(f, "==%llu==   in use at exit: %s bytes in %s blocks\n", pid, hs_thousands(b1, h->live_bytes),
		hs_thousands(b2, h->live_blocks));
	fprintf(f, "==%llu==\n", pid);
	print_sites(f, a, 0, o->top);
	fprintf(f, "==%llu==\n", pid);
	print_sites(f, a, 1, o->top);
	fprintf(f, "==%llu==\n", pid);
	hs_simulate_write_text(f, p);
	print_leaks(f, a);
	fprintf(f, "==%llu==\n", pid);
}

void hs_report_text(FILE *f, struct hs_analysis *a, size_t n, const struct hs_suppressions *supp,
		    const struct hs_report_opts *o)
{
	for (size_t i = 0; i < n; i++)
		print_process(f, &a[i], o);
	int any = 0;
	for (size_t i = 0; supp && i < supp->n; i++) {
		const struct hs_supp_rule *r = &supp->rule[i];
		if (!r->records)
			continue;
		if (!any++)
			fprintf(f, "heapscope: suppressions used:\n");
		char b1[32], b2[32], where[64] = "";
		if (r->line) /* a rule of no line: heapscope's own */
			snprintf(where, sizeof where, ":%u", r->line);
		fprintf(f, "heapscope:   %s (%s%s): %llu records, %s blocks, %s bytes\n", r->text, r->source, where,
			(unsigned long long)r->records, hs_thousands(b1, r->blocks), hs_thousands(b2, r->bytes));
	}
}
