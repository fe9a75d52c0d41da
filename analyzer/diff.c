/* diff.c — `heapscope diff OLD NEW`: what leaked or grew in NEW that did not
 * in OLD. Each side is a trace or a directory of traces (all processes of a
 * run), summed over its processes; leak records and allocation sites are
 * matched by their stable ids, so the comparison survives ASLR and
 * rebuilds. */
#define _GNU_SOURCE
#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "json.h"
#include "snapshots.h"

static const char usage[] =
	"usage: heapscope diff [--format text|json] OLD NEW\n"
	"\n"
	"Compares two runs. OLD and NEW are each a trace (heapscope.<pid>.hst) or a\n"
	"directory of traces (an --out directory). Reports leak records that are\n"
	"new, gone or grown (by stable id), and the change in peak heap, rounding\n"
	"waste, external fragmentation, segment sizes and the allocation sites\n"
	"that grew most. Exit status 0, 1 if a side cannot be read, 2 bad usage.\n";

struct side {
	char **paths;
	size_t n;
	struct hs_analysis *a;
	size_t na;
};

static int collect(const char *arg, struct side *s)
{
	struct stat st;
	if (stat(arg, &st) != 0) {
		fprintf(stderr, "heapscope diff: %s: no such file or directory\n", arg);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		s->paths = malloc(sizeof *s->paths);
		s->paths[0] = strdup(arg);
		s->n = 1;
		return 0;
	}
	struct dirent **list;
	int k = scandir(arg, &list, NULL, alphasort);
	if (k < 0) {
		fprintf(stderr, "heapscope diff: %s: cannot read the directory\n", arg);
		return -1;
	}
	s->paths = malloc(((size_t)k + 1) * sizeof *s->paths);
	for (int i = 0; i < k; i++) {
		size_t l = strlen(list[i]->d_name);
		if (l > 4 && !strcmp(list[i]->d_name + l - 4, ".hst")) {
			char *p;
			if (asprintf(&p, "%s/%s", arg, list[i]->d_name) >= 0)
				s->paths[s->n++] = p;
		}
		free(list[i]);
	}
	free(list);
	if (!s->n) {
		fprintf(stderr, "heapscope diff: %s: no traces (heapscope.*.hst) in it\n", arg);
		return -1;
	}
	return 0;
}

/* Sum of a quantity over the processes of one side. */
struct totals {
	uint64_t peak, total_bytes, allocations;
	uint64_t waste, ext_free, ext_largest;
	uint64_t seg[HS_SEG_KINDS];
	uint64_t lost[HS_LEAK_KINDS];
};

static void sum(const struct side *s, struct totals *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < s->na; i++) {
		const struct hs_process *p = &s->a[i].proc;
		t->peak += p->heap.peak_bytes;
		t->total_bytes += p->heap.total_bytes;
		t->allocations += p->heap.allocations;
		for (unsigned k = 0; k < HS_LEAK_KINDS; k++)
			t->lost[k] += s->a[i].leaks.kind[k].bytes;
		if (p->snaps) {
			struct hs_snap_summary m;
			hs_snap_summarize(&p->snaps->peak, &m);
			t->waste += m.waste_class + m.waste_pow2 + m.waste_page;
			t->ext_free += m.buddy_free;
			t->ext_largest += m.buddy_largest_free;
			for (size_t k = 0; k < p->snaps->n; k++)
				for (unsigned g = 0; g < HS_SEG_KINDS; g++)
					if (p->snaps->series[k].virt[g] > t->seg[g])
						t->seg[g] = p->snaps->series[k].virt[g];
		}
	}
}

/* Leak bytes per id on one side (records of the same id summed). */
static uint64_t leak_bytes(const struct side *s, const char *id, uint64_t *blocks)
{
	uint64_t bytes = 0;
	*blocks = 0;
	for (size_t i = 0; i < s->na; i++)
		for (size_t k = 0; k < s->a[i].leaks.n; k++) {
			const struct hs_leak_record *r = &s->a[i].leaks.rec[k];
			if (r->suppressed_by || r->kind == HS_LEAK_REACHABLE || strcmp(r->id, id))
				continue;
			bytes += r->bytes;
			*blocks += r->blocks;
		}
	return bytes;
}

static const struct hs_leak_record *first_with(const struct side *s, const char *id, struct hs_analysis **owner)
{
	for (size_t i = 0; i < s->na; i++)
		for (size_t k = 0; k < s->a[i].leaks.n; k++)
			if (!strcmp(s->a[i].leaks.rec[k].id, id)) {
				*owner = &s->a[i];
				return &s->a[i].leaks.rec[k];
			}
	return NULL;
}

static const char *top_frame(struct hs_analysis *a, uint32_t stack, char *buf, size_t n)
{
	const struct hs_frame *f;
	size_t nf = hs_symbolize_stack(a->sym, stack, &f);
	if (!nf) {
		snprintf(buf, n, "(no stack)");
		return buf;
	}
	if (f[0].file)
		snprintf(buf, n, "%s (%s:%u)", f[0].function ? f[0].function : "???",
			 strrchr(f[0].file, '/') ? strrchr(f[0].file, '/') + 1 : f[0].file, f[0].line);
	else
		snprintf(buf, n, "%s (%s)", f[0].function ? f[0].function : "???", f[0].module ? f[0].module : "?");
	return buf;
}

/* Each distinct leak id of side `s`, once. */
static size_t leak_ids(const struct side *s, char (**out)[9])
{
	size_t n = 0, cap = 16;
	char(*ids)[9] = malloc(cap * sizeof *ids);
	for (size_t i = 0; i < s->na; i++)
		for (size_t k = 0; k < s->a[i].leaks.n; k++) {
			const struct hs_leak_record *r = &s->a[i].leaks.rec[k];
			if (r->suppressed_by || r->kind == HS_LEAK_REACHABLE)
				continue;
			size_t j;
			for (j = 0; j < n && strcmp(ids[j], r->id); j++)
				;
			if (j < n)
				continue;
			if (n == cap)
				ids = realloc(ids, (cap *= 2) * sizeof *ids);
			memcpy(ids[n++], r->id, 9);
		}
	*out = ids;
	return n;
}

/* The allocation sites of one side, merged by stable id over its processes
 * (sorted by id); `a`/`stack` name one occurrence, for where it is. */
struct site_sum {
	char id[9];
	uint64_t bytes, allocations;
	struct hs_analysis *a;
	uint32_t stack;
};

static int by_id(const void *x, const void *y)
{
	return strcmp(((const struct site_sum *)x)->id, ((const struct site_sum *)y)->id);
}

static size_t site_sums(const struct side *s, struct site_sum **out)
{
	size_t n = 0, cap = 0;
	struct site_sum *v = NULL;
	for (size_t i = 0; i < s->na; i++) {
		const struct hs_process *p = &s->a[i].proc;
		for (uint32_t id = 1; id < p->nstacks; id++) {
			if (!p->sites[id].allocations)
				continue;
			if (n == cap) {
				struct site_sum *nv = realloc(v, (cap = cap ? cap * 2 : 256) * sizeof *nv);
				if (!nv)
					break;
				v = nv;
			}
			const struct hs_frame *f;
			size_t nf = hs_symbolize_stack(s->a[i].sym, id, &f);
			hs_stack_fingerprint(f, nf, v[n].id);
			v[n].bytes = p->sites[id].bytes;
			v[n].allocations = p->sites[id].allocations;
			v[n].a = &s->a[i];
			v[n].stack = id;
			n++;
		}
	}
	if (n)
		qsort(v, n, sizeof *v, by_id);
	size_t k = 0; /* one entry per id */
	for (size_t i = 0; i < n; i++) {
		if (k && !strcmp(v[k - 1].id, v[i].id)) {
			v[k - 1].bytes += v[i].bytes;
			v[k - 1].allocations += v[i].allocations;
		} else {
			v[k++] = v[i];
		}
	}
	*out = v;
	return k;
}

/* A site that allocated more bytes in NEW than in OLD. */
struct growth {
	const struct site_sum *now;
	uint64_t old_bytes, old_allocations;
};

static int by_growth(const void *x, const void *y)
{
	const struct growth *a = x, *b = y;
	uint64_t ga = a->now->bytes - a->old_bytes, gb = b->now->bytes - b->old_bytes;
	return ga < gb ? 1 : ga > gb ? -1 : strcmp(a->now->id, b->now->id);
}

#define SITES_SHOWN 10

/* The sites that grew most (bytes allocated, NEW over OLD), at most
 * SITES_SHOWN; *sums keeps what they point into (free it). */
static size_t grown_sites(const struct side *o, const struct side *n, struct growth out[SITES_SHOWN],
			  struct site_sum **keep)
{
	struct site_sum *os, *ns;
	size_t no = site_sums(o, &os), nn = site_sums(n, &ns);
	struct growth *all = nn ? malloc(nn * sizeof *all) : NULL;
	size_t k = 0;
	for (size_t i = 0, j = 0; all && i < nn; i++) {
		while (j < no && strcmp(os[j].id, ns[i].id) < 0)
			j++;
		int same = j < no && !strcmp(os[j].id, ns[i].id);
		uint64_t ob = same ? os[j].bytes : 0;
		if (ns[i].bytes > ob)
			all[k++] = (struct growth){&ns[i], ob, same ? os[j].allocations : 0};
	}
	if (k)
		qsort(all, k, sizeof *all, by_growth);
	size_t shown = k < SITES_SHOWN ? k : SITES_SHOWN;
	if (shown)
		memcpy(out, all, shown * sizeof *all);
	free(all);
	free(os);
	*keep = ns;
	return shown;
}

static void signed_line(FILE *f, const char *what, uint64_t a, uint64_t b)
{
	long long d = (long long)b - (long long)a;
	fprintf(f, "  %-28s %14llu -> %14llu  (%+lld)\n", what, (unsigned long long)a, (unsigned long long)b, d);
}

static double ext_ratio(uint64_t free_bytes, uint64_t largest)
{
	return free_bytes ? 1.0 - (double)largest / (double)free_bytes : 0.0;
}

static void text(FILE *f, struct side *o, struct side *n)
{
	struct totals a, b;
	sum(o, &a);
	sum(n, &b);
	fprintf(f, "heapscope diff: %zu process%s -> %zu process%s\n", o->na, o->na == 1 ? "" : "es", n->na,
		n->na == 1 ? "" : "es");
	fprintf(f, "Heap:\n");
	signed_line(f, "peak bytes", a.peak, b.peak);
	signed_line(f, "bytes allocated", a.total_bytes, b.total_bytes);
	signed_line(f, "allocations", a.allocations, b.allocations);
	fprintf(f, "Fragmentation at peak:\n");
	signed_line(f, "rounding waste bytes", a.waste, b.waste);
	fprintf(f, "  %-28s %14.3f -> %14.3f\n", "external (buddy)", ext_ratio(a.ext_free, a.ext_largest),
		ext_ratio(b.ext_free, b.ext_largest));
	fprintf(f, "Segments at peak (virtual bytes):\n");
	for (unsigned g = 0; g < HS_SEG_KINDS; g++)
		if (a.seg[g] != b.seg[g])
			signed_line(f, hs_segment_name(g), a.seg[g], b.seg[g]);
	fprintf(f, "Leaks (bytes):\n");
	for (unsigned k = 0; k < HS_LEAK_KINDS - 1; k++)
		signed_line(f, hs_leak_kind_name[k], a.lost[k], b.lost[k]);
	char(*ids)[9];
	size_t nid = leak_ids(n, &ids);
	size_t shown = 0;
	for (size_t i = 0; i < nid; i++) {
		uint64_t ob, nb, obytes = leak_bytes(o, ids[i], &ob), nbytes = leak_bytes(n, ids[i], &nb);
		if (nbytes <= obytes)
			continue;
		struct hs_analysis *owner;
		const struct hs_leak_record *r = first_with(n, ids[i], &owner);
		char where[512];
		fprintf(f, "  %s [id %s]: %llu bytes in %llu blocks (was %llu bytes) at %s\n",
			obytes ? "GROWN" : "NEW  ", ids[i], (unsigned long long)nbytes, (unsigned long long)nb,
			(unsigned long long)obytes, top_frame(owner, r->stack, where, sizeof where));
		shown++;
	}
	free(ids);
	nid = leak_ids(o, &ids);
	for (size_t i = 0; i < nid; i++) {
		uint64_t nb, ob;
		if (leak_bytes(n, ids[i], &nb) == 0) {
			struct hs_analysis *owner;
			const struct hs_leak_record *r = first_with(o, ids[i], &owner);
			char where[512];
			fprintf(f, "  GONE  [id %s]: %llu bytes at %s\n", ids[i],
				(unsigned long long)leak_bytes(o, ids[i], &ob), top_frame(owner, r->stack, where, sizeof where));
			shown++;
		}
	}
	free(ids);
	if (!shown)
		fprintf(f, "  no leak record is new, grown or gone\n");
	struct growth g[SITES_SHOWN];
	struct site_sum *keep;
	size_t ng = grown_sites(o, n, g, &keep);
	fprintf(f, "Allocation sites that grew most (bytes allocated):\n");
	for (size_t i = 0; i < ng; i++) {
		char where[512];
		fprintf(f, "  +%llu bytes [id %s]: %llu bytes in %llu allocations (was %llu in %llu) at %s\n",
			(unsigned long long)(g[i].now->bytes - g[i].old_bytes), g[i].now->id,
			(unsigned long long)g[i].now->bytes, (unsigned long long)g[i].now->allocations,
			(unsigned long long)g[i].old_bytes, (unsigned long long)g[i].old_allocations,
			top_frame(g[i].now->a, g[i].now->stack, where, sizeof where));
	}
	if (!ng)
		fprintf(f, "  no site allocated more\n");
	free(keep);
}

static void json(FILE *f, struct side *o, struct side *n)
{
	struct totals a, b;
	sum(o, &a);
	sum(n, &b);
	struct hs_json j;
	hs_json_init(&j, f, 1);
	hs_json_begin_object(&j);
	hs_json_key(&j, "heapscope_diff");
	hs_json_uint(&j, 1);
	const char *keys[] = {"peak_bytes", "total_bytes", "allocations", "waste_bytes_at_peak"};
	uint64_t av[] = {a.peak, a.total_bytes, a.allocations, a.waste};
	uint64_t bv[] = {b.peak, b.total_bytes, b.allocations, b.waste};
	for (int i = 0; i < 4; i++) {
		hs_json_key(&j, keys[i]);
		hs_json_begin_object(&j);
		hs_json_key(&j, "old");
		hs_json_uint(&j, av[i]);
		hs_json_key(&j, "new");
		hs_json_uint(&j, bv[i]);
		hs_json_end_object(&j);
	}
	hs_json_key(&j, "external_at_peak");
	hs_json_begin_object(&j);
	hs_json_key(&j, "old");
	hs_json_double(&j, ext_ratio(a.ext_free, a.ext_largest));
	hs_json_key(&j, "new");
	hs_json_double(&j, ext_ratio(b.ext_free, b.ext_largest));
	hs_json_end_object(&j);
	hs_json_key(&j, "segments_peak");
	hs_json_begin_object(&j);
	for (unsigned g = 0; g < HS_SEG_KINDS; g++) {
		hs_json_key(&j, hs_segment_name(g));
		hs_json_begin_object(&j);
		hs_json_key(&j, "old");
		hs_json_uint(&j, a.seg[g]);
		hs_json_key(&j, "new");
		hs_json_uint(&j, b.seg[g]);
		hs_json_end_object(&j);
	}
	hs_json_end_object(&j);
	hs_json_key(&j, "leaks");
	hs_json_begin_array(&j);
	for (int pass = 0; pass < 2; pass++) {
		struct side *s = pass ? o : n, *other = pass ? n : o;
		char(*ids)[9];
		size_t nid = leak_ids(s, &ids);
		for (size_t i = 0; i < nid; i++) {
			uint64_t sb, ob, sbytes = leak_bytes(s, ids[i], &sb), obytes = leak_bytes(other, ids[i], &ob);
			const char *change = pass ? (obytes ? NULL : "gone") : (obytes == 0 ? "new" : sbytes > obytes ? "grown" : NULL);
			if (!change)
				continue;
			hs_json_begin_object(&j);
			hs_json_key(&j, "id");
			hs_json_string(&j, ids[i]);
			hs_json_key(&j, "change");
			hs_json_string(&j, change);
			hs_json_key(&j, "old_bytes");
			hs_json_uint(&j, pass ? sbytes : obytes);
			hs_json_key(&j, "new_bytes");
			hs_json_uint(&j, pass ? obytes : sbytes);
			hs_json_end_object(&j);
		}
		free(ids);
	}
	hs_json_end_array(&j);
	hs_json_key(&j, "sites_grown");
	hs_json_begin_array(&j);
	struct growth g[SITES_SHOWN];
	struct site_sum *keep;
	size_t ng = grown_sites(o, n, g, &keep);
	for (size_t i = 0; i < ng; i++) {
		char where[512];
		hs_json_begin_object(&j);
		hs_json_key(&j, "id");
		hs_json_string(&j, g[i].now->id);
		hs_json_key(&j, "old_bytes");
		hs_json_uint(&j, g[i].old_bytes);
		hs_json_key(&j, "new_bytes");
		hs_json_uint(&j, g[i].now->bytes);
		hs_json_key(&j, "old_allocations");
		hs_json_uint(&j, g[i].old_allocations);
		hs_json_key(&j, "new_allocations");
		hs_json_uint(&j, g[i].now->allocations);
		hs_json_key(&j, "where");
		hs_json_string(&j, top_frame(g[i].now->a, g[i].now->stack, where, sizeof where));
		hs_json_end_object(&j);
	}
	free(keep);
	hs_json_end_array(&j);
	hs_json_end_object(&j);
}

int hs_cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, 0, 'f'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	int as_json = 0, c;
	optind = 1;
	argv[0] = (char *)"heapscope diff"; /* getopt's own messages name it */
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
			as_json = !strcmp(optarg, "json");
		} else if (c == 'h') {
			fputs(usage, stdout);
			return 0;
		} else {
			if (c == 'f')
				fprintf(stderr, "heapscope diff: unknown format '%s' (text or json)\n", optarg);
			else /* getopt has said what was wrong, in one line */
				fputs("heapscope diff: try 'heapscope diff --help'\n", stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "heapscope diff: needs exactly two runs: OLD NEW (try heapscope diff --help)\n");
		return 2;
	}
	struct side s[2] = {{0}, {0}};
	struct hs_suppressions supp = {0};
	hs_supp_load_defaults(&supp);
	int rc = 0;
	for (int i = 0; i < 2 && rc == 0; i++) {
		if (collect(argv[optind + i], &s[i]) != 0) {
			rc = 1;
			break;
		}
		size_t failed;
		s[i].na = hs_analyze(s[i].paths, s[i].n, &supp, &s[i].a, &failed);
		if (failed)
			rc = 1;
	}
	if (rc == 0) {
		if (as_json)
			json(stdout, &s[0], &s[1]);
		else
			text(stdout, &s[0], &s[1]);
		if (hs_stdout_done("diff"))
			rc = 1;
	}
	for (int i = 0; i < 2; i++) {
		hs_analyses_free(s[i].a, s[i].na);
		for (size_t k = 0; k < s[i].n; k++)
			free(s[i].paths[k]);
		free(s[i].paths);
	}
	hs_supp_free(&supp);
	return rc;
}
