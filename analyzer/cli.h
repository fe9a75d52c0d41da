/* cli.h — the heapscope subcommands (main.c dispatches). Each returns the
 * process exit status. */
#ifndef HS_CLI_H
#define HS_CLI_H

#include <stddef.h>

#include "report.h"

int hs_cmd_run(int argc, char **argv);
int hs_cmd_report(int argc, char **argv);
int hs_cmd_diff(int argc, char **argv);

/* Load and symbolize each trace; failures are reported on stderr (one line
 * each) and left out. Returns how many loaded into *out (caller frees with
 * hs_analyses_free); *failed counts the rest. */
size_t hs_analyze(char **paths, size_t n, struct hs_suppressions *supp, struct hs_analysis **out,
		  size_t *failed);
void hs_analyses_free(struct hs_analysis *a, size_t n);

/* Suppression options shared by run and report: --suppressions FILE
 * (repeatable) and --no-default-suppressions. Returns 1 if the option was
 * one of these, -1 on a bad file (message printed), 0 otherwise. */
int hs_supp_option(struct hs_suppressions *s, int opt, const char *arg, int *no_defaults);

/* --top N for command `cmd`: 0, or -1 after a one-line error. */
int hs_parse_top(const char *cmd, const char *arg, unsigned *out);

/* Parse a non-negative decimal option value; -1 on garbage. */
long hs_parse_count(const char *s);

/* Everything written to stdout reached it? 0, or 1 after a one-line error
 * naming `cmd` (a full disk must not pass for a complete report). */
int hs_stdout_done(const char *cmd);

#endif
