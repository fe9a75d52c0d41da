/* rank.c — what every report format shares: ranking of allocation sites,
 * signal names, number formatting. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static int by_bytes_cmp(const void *a, const void *b)
{
	const struct hs_site_rank *x = a, *y = b;
	if (x->site.bytes != y->site.bytes)
		return x->site.bytes > y->site.bytes ? -1 : 1;
	if (x->site.allocations != y->site.allocations)
		return x->site.allocations > y->site.allocations ? -1 : 1;
	return x->stack < y->stack ? -1 : x->stack > y->stack;
}

static int by_count_cmp(const void *a, const void *b)
{
	const struct hs_site_rank *x = a, *y = b;
	if (x->site.allocations != y->site.allocations)
		return x->site.allocations > y->site.allocations ? -1 : 1;
	if (x->site.bytes != y->site.bytes)
		return x->site.bytes > y->site.bytes ? -1 : 1;
	return x->stack < y->stack ? -1 : x->stack > y->stack;
}

size_t hs_rank_sites(const struct hs_process *p, int by_count, struct hs_site_rank *out, size_t max)
{
	size_t n = 0;
	for (uint32_t id = 0; id < p->nstacks; id++)
		n += p->sites[id].allocations > 0;
	struct hs_site_rank *all = malloc((n ? n : 1) * sizeof *all);
	if (!all)
		return 0;
	n = 0;
	for (uint32_t id = 0; id < p->nstacks; id++)
		if (p->sites[id].allocations > 0)
			all[n++] = (struct hs_site_rank){id, p->sites[id]};
	qsort(all, n, sizeof *all, by_count ? by_count_cmp : by_bytes_cmp);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof *out);
	free(all);
	return n;
}

const char *hs_signal_name(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{SIGHUP, "SIGHUP"}, {SIGINT, "SIGINT"}, {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},
		{SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"}, {SIGFPE, "SIGFPE"},
		{SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
		{SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"}, {SIGXCPU, "SIGXCPU"},
		{SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			return names[i].name;
	return NULL;
}

const char *hs_thousands(char *buf, uint64_t v)
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
