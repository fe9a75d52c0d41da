/* cli_report.c — `heapscope report`, and the trace loading both it and
 * `run` use. */
#include <getopt.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "html.h"
#include "simulate.h"

static const char usage[] =
	"usage: heapscope report [--format text|json|sarif] [--top N] [--compact]\n"
	"                        [--suppressions FILE]... [--no-default-suppressions]\n"
	"                        [--simulate] [--html DIR] TRACE...\n"
	"\n"
	"Symbolizes and reports one or more traces (heapscope.<pid>.hst files).\n"
	"\n"
	"  --format FORMAT  text (default, valgrind-style), json (the schema in README)\n"
	"                   or sarif (SARIF 2.1.0: one result per leak record)\n"
	"  --top N          allocation sites listed per ranking (default 10)\n"
	"  --compact        JSON on one line instead of indented\n"
	"  --suppressions FILE  LeakSanitizer (leak:PATTERN) or Valgrind (.supp) rules;\n"
	"                   repeatable\n"
	"  --no-default-suppressions  do not apply the built-in rules for C/C++ runtime noise\n"
	"  --simulate       also replay the allocations against first-fit, next-fit, best-fit,\n"
	"                   worst-fit, a buddy allocator and heapscope's slab+buddy: peak\n"
	"                   footprint, fragmentation, search length (JSON \"simulate\")\n"
	"  --html DIR       charts and one self-contained DIR/index.html (needs python3\n"
	"                   with matplotlib); prints the page's path\n"
	"\n"
	"A truncated trace (a process killed mid-run) is reported up to its last\n"
	"complete record, with a warning. Exit status: 0, or 1 if a trace could not\n"
	"be read, 2 for bad usage.\n";

int hs_parse_top(const char *cmd, const char *arg, unsigned *out)
{
	long v = hs_parse_count(arg);
	if (v < 0 || v > 100000) {
		fprintf(stderr, "heapscope %s: --top needs a number up to 100000, not '%s'\n", cmd, arg);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* The paths of `in` naming distinct files, in order (a trace named twice,
 * by a glob and a name or through a link, is one process); *out is
 * malloc'd, NULL without memory. A path that cannot be stat'ed is kept:
 * the reader says what is wrong with it. */
static size_t unique_traces(char **in, size_t n, char ***out)
{
	char **keep = malloc((n ? n : 1) * sizeof *keep);
	struct stat *seen = malloc((n ? n : 1) * sizeof *seen);
	size_t k = 0;
	if (!keep || !seen) {
		free(keep);
		free(seen);
		*out = NULL;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int dup = 0;
		if (stat(in[i], &st) == 0) {
			for (size_t j = 0; j < k && !dup; j++)
				dup = seen[j].st_nlink && seen[j].st_dev == st.st_dev && seen[j].st_ino == st.st_ino;
		} else {
			memset(&st, 0, sizeof st); /* st_nlink 0: matches nothing */
		}
		if (!dup) {
			seen[k] = st;
			keep[k++] = in[i];
		}
	}
	free(seen);
	*out = keep;
	return k;
}

int hs_stdout_done(const char *cmd)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "heapscope %s: cannot write to standard output: %s\n", cmd, strerror(errno));
	return 1;
}

long hs_parse_count(const char *s)
{
	if (!s || !*s)
		return -1;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 ? -1 : v;
}

static int progress_tty;

static void progress(uint64_t done, uint64_t total)
{
	if (progress_tty && total)
		fprintf(stderr, "\rheapscope: reading trace %3u%%", (unsigned)(done * 100 / total));
}

size_t hs_analyze(char **paths, size_t n, struct hs_suppressions *supp, struct hs_analysis **out,
		  size_t *failed)
{
	struct hs_analysis *a = calloc(n ? n : 1, sizeof *a);
	size_t ok = 0;
	*failed = 0;
	progress_tty = isatty(2);
	for (size_t i = 0; i < n && a; i++) {
		char err[512];
		if (hs_process_load(&a[ok].proc, paths[i], err, sizeof err, progress) != 0) {
			if (progress_tty)
				fputc('\r', stderr);
			fprintf(stderr, "heapscope: %s\n", err);
			hs_process_free(&a[ok].proc);
			(*failed)++;
			continue;
		}
		a[ok].sym = hs_symbolizer_new(&a[ok].proc);
		hs_leaks_compute(&a[ok].leaks, &a[ok].proc, a[ok].sym, supp);
		hs_errors_compute(&a[ok].errors, &a[ok].proc, a[ok].sym, supp);
		ok++;
	}
	if (progress_tty)
		fputs("\r                                \r", stderr);
	*out = a;
	return ok;
}

void hs_analyses_free(struct hs_analysis *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		hs_leaks_free(&a[i].leaks);
		hs_errors_free(&a[i].errors);
		hs_symbolizer_free(a[i].sym);
		hs_process_free(&a[i].proc);
	}
	free(a);
}

int hs_supp_option(struct hs_suppressions *s, int opt, const char *arg, int *no_defaults)
{
	char err[512];
	if (opt == 'S') {
		if (hs_supp_load_file(s, arg, err, sizeof err) != 0) {
			fprintf(stderr, "heapscope: suppressions: %s\n", err);
			return -1;
		}
		return 1;
	}
	if (opt == 'N') {
		*no_defaults = 1;
		return 1;
	}
	return 0;
}

int hs_cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, 0, 'f'},
		{"top", required_argument, 0, 't'},
		{"compact", no_argument, 0, 'c'},
		{"suppressions", required_argument, 0, 'S'},
		{"no-default-suppressions", no_argument, 0, 'N'},
		{"simulate", no_argument, 0, 'M'},
		{"html", required_argument, 0, 'H'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	struct hs_report_opts ro = {.top = 10, .pretty = 1};
	int format = 0, c, no_defaults = 0, rc = 0, simulate = 0;
	struct hs_suppressions supp = {0};
	const char *html_dir = NULL;
	optind = 1;
	argv[0] = (char *)"heapscope report"; /* getopt's own messages name it */
	while ((c = getopt_long(argc, argv, "f:t:chS:N", opts, NULL)) != -1) {
		int sr = hs_supp_option(&supp, c, optarg, &no_defaults);
		if (sr < 0) {
			hs_supp_free(&supp);
			return 2;
		}
		if (sr)
			continue;
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json"))
				format = 1;
			else if (!strcmp(optarg, "sarif"))
				format = 2;
			else if (!strcmp(optarg, "text"))
				format = 0;
			else {
				fprintf(stderr, "heapscope report: unknown format '%s' (text, json or sarif)\n", optarg);
				return 2;
			}
			break;
		case 't':
			if (hs_parse_top("report", optarg, &ro.top) != 0)
				return 2;
			break;
		case 'c':
			ro.pretty = 0;
			break;
		case 'M':
			simulate = 1;
			break;
		case 'H':
			html_dir = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default: /* getopt has said what was wrong, in one line */
			fputs("heapscope report: try 'heapscope report --help'\n", stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "heapscope report: no trace given (try heapscope report --help)\n");
		return 2;
	}
	if (!no_defaults)
		hs_supp_load_defaults(&supp);
	char **traces;
	size_t ntraces = unique_traces(argv + optind, (size_t)(argc - optind), &traces);
	if (!traces) {
		fprintf(stderr, "heapscope report: out of memory\n");
		hs_supp_free(&supp);
		return 1;
	}
	struct hs_analysis *a;
	size_t failed;
	size_t n = hs_analyze(traces, ntraces, &supp, &a, &failed);
	free(traces);
	for (size_t i = 0; simulate && i < n; i++)
		if (hs_simulate_process(&a[i].proc) != 0)
			failed++;
	if (html_dir)
		rc = n ? hs_report_html(html_dir, a, n, &supp, &ro) : 1;
	else if (format == 1)
		hs_report_json(stdout, a, n, &supp, &ro);
	else if (format == 2)
		hs_report_sarif(stdout, a, n, &ro);
	else
		hs_report_text(stdout, a, n, &supp, &ro);
	if (!html_dir && hs_stdout_done("report"))
		rc = 1;
	hs_simulate_forget();
	hs_analyses_free(a, n);
	hs_supp_free(&supp);
	rc = failed || rc ? 1 : 0;
	return rc;
}
