/* cli_report.c — `heapscope report`, and the trace loading both it and
 * `run` use. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"usage: heapscope report [--format text|json] [--top N] [--compact] TRACE...\n"
	"\n"
	"Symbolizes and reports one or more traces (heapscope.<pid>.hst files).\n"
	"\n"
	"  --format FORMAT  text (default, valgrind-style) or json (the schema in README)\n"
	"  --top N          allocation sites listed per ranking (default 10)\n"
	"  --compact        JSON on one line instead of indented\n"
	"\n"
	"A truncated trace (a process killed mid-run) is reported up to its last\n"
	"complete record, with a warning. Exit status: 0, or 1 if a trace could not\n"
	"be read, 2 for bad usage.\n";

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

size_t hs_analyze(char **paths, size_t n, struct hs_analysis **out, size_t *failed)
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
		hs_symbolizer_free(a[i].sym);
		hs_process_free(&a[i].proc);
	}
	free(a);
}

int hs_cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, 0, 'f'},
		{"top", required_argument, 0, 't'},
		{"compact", no_argument, 0, 'c'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	struct hs_report_opts ro = {.top = 10, .pretty = 1};
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:t:ch", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (!strcmp(optarg, "text"))
				json = 0;
			else {
				fprintf(stderr, "heapscope report: unknown format '%s' (text or json)\n", optarg);
				return 2;
			}
			break;
		case 't': {
			long v = hs_parse_count(optarg);
			if (v < 0 || v > 100000) {
				fprintf(stderr, "heapscope report: --top needs a number, not '%s'\n", optarg);
				return 2;
			}
			ro.top = (unsigned)v;
			break;
		}
		case 'c':
			ro.pretty = 0;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "heapscope report: no trace given (try heapscope report --help)\n");
		return 2;
	}
	struct hs_analysis *a;
	size_t failed;
	size_t n = hs_analyze(argv + optind, (size_t)(argc - optind), &a, &failed);
	if (json)
		hs_report_json(stdout, a, n, &ro);
	else
		hs_report_text(stdout, a, n, &ro);
	hs_analyses_free(a, n);
	return failed ? 1 : 0;
}
