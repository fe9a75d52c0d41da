/* main.c — `heapscope`: dispatch to the subcommands, and the overall help. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: heapscope COMMAND [OPTIONS] ...\n"
	"\n"
	"heapscope is a heap debugger for unmodified Linux programs: it runs them on\n"
	"its own allocator (LD_PRELOAD), records every allocation with its stack and\n"
	"reports where the heap went.\n"
	"\n"
	"commands:\n"
	"  run [OPTIONS] -- PROGRAM [ARGS...]   run PROGRAM (and its children) under\n"
	"                                       heapscope, then report on every process\n"
	"  report [OPTIONS] TRACE...            report on recorded traces (text, JSON,\n"
	"                                       SARIF, HTML)\n"
	"  diff [OPTIONS] OLD NEW               what leaked or grew in NEW that did not in OLD\n"
	"\n"
	"`heapscope COMMAND --help` describes each command's options.\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		puts("heapscope " HS_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return hs_cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return hs_cmd_report(argc - 1, argv + 1);
	if (!strcmp(cmd, "diff"))
		return hs_cmd_diff(argc - 1, argv + 1);
	fprintf(stderr, "heapscope: unknown command '%s' (try heapscope --help)\n", cmd);
	return 2;
}
