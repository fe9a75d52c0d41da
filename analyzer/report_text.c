/* report_text.c — the human report, in the shape valgrind users read:
 * every line prefixed with ==PID==, numbers with thousands separators,
 * stacks as "at function (file:line)" / "by …". */
#include <stdlib.h>

#include <heapscope/trace_format.h>

#include "report.h"

static const char *num(char *buf, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
	int o = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

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
			(unsigned long long)pid, i + 1, num(b1, r[i].site.bytes),
			num(b2, r[i].site.allocations), num(b3, r[i].site.peak), id);
		print_frames(f, pid, fr, nf);
	}
	if (n == 0)
		fprintf(f, "==%llu==   (none)\n", (unsigned long long)pid);
	free(r);
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
	fprintf(f, "==%llu==\n==%llu== HEAP SUMMARY:\n", pid, pid);
	fprintf(f, "==%llu==   total heap usage: %s allocs, %s frees, %s bytes allocated\n", pid,
		num(b1, h->allocations), num(b2, h->frees), num(b3, h->total_bytes));
	fprintf(f, "==%llu==   peak: %s bytes in %s blocks, at %.3f s\n", pid, num(b1, h->peak_bytes),
		num(b2, h->peak_blocks), (double)h->peak_time_ms / 1000.0);
	fprintf(f, "==%llu==   in use at exit: %s bytes in %s blocks\n", pid, num(b1, h->live_bytes),
		num(b2, h->live_blocks));
	fprintf(f, "==%llu==\n", pid);
	print_sites(f, a, 0, o->top);
	fprintf(f, "==%llu==\n", pid);
	print_sites(f, a, 1, o->top);
	fprintf(f, "==%llu==\n", pid);
}

void hs_report_text(FILE *f, struct hs_analysis *a, size_t n, const struct hs_report_opts *o)
{
	for (size_t i = 0; i < n; i++)
		print_process(f, &a[i], o);
}
