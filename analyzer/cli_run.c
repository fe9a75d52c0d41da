/* cli_run.c — `heapscope run`: start the program with the preload, forward
 * signals, wait, then report on every trace the run produced.
 *
 * The exit status is the program's own, so wrapping is transparent to
 * shells and test runners; a program killed by a signal makes `run` report
 * and then die of the same signal (without a core dump).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <heapscope/options_syntax.h>

#include "baseline.h"
#include "cli.h"
#include "process.h"

static const char usage[] =
	"usage: heapscope run [OPTIONS] -- PROGRAM [ARGS...]\n"
	"\n"
	"Runs PROGRAM on heapscope's allocator, recording every allocation with its\n"
	"stack (children and exec'd programs too: one trace per process), then\n"
	"prints a report of each process on stderr.\n"
	"\n"
	"  --out DIR      where traces go (default ./heapscope-out); existing traces\n"
	"                 there are kept and not reported\n"
	"  --depth N      stack frames recorded per allocation (1-64, default 32)\n"
	"  --top N        allocation sites listed per ranking (default 10)\n"
	"  --quiet        only a one-line summary per process\n"
	"  --guard MODE   guard pages: auto (default: every block while the budget\n"
	"                 lasts, then sampled), off, all, sample:N, size:MIN-MAX\n"
	"  --guard-below  put guard pages before blocks (underflows) instead of after\n"
	"  --no-detect    record only: no guard pages, canaries or quarantine (the\n"
	"                 program's own size-class rounding, and less overhead)\n"
	"  --fail-on KINDS  what fails the run (exit status 23): a comma list of\n"
	"                 definite, indirect, possible, reachable, error; or none\n"
	"                 (default definite,error)\n"
	"  --max-leaks N  leaked blocks of those kinds tolerated before failing (default 0)\n"
	"  --baseline REPORT.json  leaks and errors whose id is in this earlier\n"
	"                 `heapscope report --format json` output do not count (a leak\n"
	"                 record only if its kind there was the same or graver)\n"
	"  --suppressions FILE  LeakSanitizer (leak:PATTERN) or Valgrind (.supp) rules;\n"
	"                 repeatable\n"
	"  --no-default-suppressions  do not apply the built-in rules\n"
	"\n"
	"Exit status: 23 when the gate fails (as LeakSanitizer); otherwise the\n"
	"program's own; if the program is killed by a signal, heapscope reports and\n"
	"then dies of the same signal. 126/127: the program cannot be run; 2: bad\n"
	"usage.\n";

#define GATE_ERROR (1u << HS_LEAK_KINDS)

static int parse_fail_on(const char *s, unsigned *mask)
{
	*mask = 0;
	if (!strcmp(s, "none"))
		return 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned k;
		if ((k = (unsigned)hs_leak_kind_by_name(t)) < HS_LEAK_KINDS)
			*mask |= 1u << k;
		else if (!strcmp(t, "error"))
			*mask |= GATE_ERROR;
		else
			return -1;
	}
	return *mask ? 0 : -1;
}

/* The gate: leaked blocks of the chosen kinds, not suppressed and not in
 * the baseline. Returns 1 (and says why on stderr) when the run fails. */
/* then: what run does when the gate fails, for its message. */
static int gate(struct hs_analysis *a, size_t n, unsigned mask, long max_leaks,
		const struct hs_baseline *base, const char *then)
{
	uint64_t blocks = 0, bytes = 0, records = 0, baselined = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < a[i].leaks.n; k++) {
			const struct hs_leak_record *r = &a[i].leaks.rec[k];
			if (r->suppressed_by || !(mask & (1u << r->kind)))
				continue;
			if (base && hs_baseline_has_leak(base, r->id, (int)r->kind)) {
				baselined++;
				continue;
			}
			blocks += r->blocks;
			bytes += r->bytes;
			records++;
		}
	uint64_t errors = 0;
	for (size_t i = 0; (mask & GATE_ERROR) && i < n; i++)
		for (size_t k = 0; k < a[i].errors.n; k++) {
			const struct hs_error_entry *x = &a[i].errors.rec[k];
			if (x->suppressed_by)
				continue;
			if (base && hs_baseline_has_error(base, x->id)) {
				baselined++;
				continue;
			}
			errors += x->count;
		}
	if (errors) {
		fprintf(stderr, "heapscope: gate failed: %llu memory errors%s; %s\n",
			(unsigned long long)errors, base ? " (baseline applied)" : "", then);
		return 1;
	}
	if (blocks <= (uint64_t)max_leaks) {
		if (baselined)
			fprintf(stderr, "heapscope: gate passed (%llu leak records and errors already in the baseline)\n",
				(unsigned long long)baselined);
		return 0;
	}
	char kinds[128] = "";
	for (unsigned k = 0; k < HS_LEAK_KINDS; k++)
		if (mask & (1u << k))
			snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s%s", kinds[0] ? "," : "",
				 hs_leak_kind_name[k]);
	fprintf(stderr, "heapscope: gate failed: %llu leaked blocks (%llu bytes) in %llu records of kinds %s, "
			"more than --max-leaks %ld%s; %s\n",
		(unsigned long long)blocks, (unsigned long long)bytes, (unsigned long long)records, kinds,
		max_leaks, base ? " (baseline applied)" : "", then);
	return 1;
}

static pid_t child;

static void forward(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	/* A terminal's ^C already reached the whole process group; forward
	 * only what was sent to us alone (kill, timeout, a test runner). */
	if (child > 0 && si->si_code == SI_USER)
		kill(child, sig);
}

/* Where libheapscope.so is: next to the build tree's analyzer, or in the
 * install tree's lib/heapscope; HEAPSCOPE_PRELOAD overrides. */
static int find_preload(char *out, size_t n)
{
	const char *env = getenv("HEAPSCOPE_PRELOAD");
	if (env && *env) {
		snprintf(out, n, "%s", env);
		return access(out, R_OK);
	}
	char self[PATH_MAX];
	ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
	if (l <= 0)
		return -1;
	self[l] = 0;
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = 0;
	static const char *const rel[] = {"../preload/libheapscope.so", "../lib/heapscope/libheapscope.so",
					  "libheapscope.so"};
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		char cand[PATH_MAX + 64];
		snprintf(cand, sizeof cand, "%s/%s", self, rel[i]);
		if (realpath(cand, out) && access(out, R_OK) == 0)
			return 0;
	}
	return -1;
}

/* Would HEAPSCOPE_OPTIONS end out=PATH's value before PATH's end (then
 * said on stderr)? hs_option_item_end's rule: "a:b" is one value,
 * "a:detect=0", "a:" and "a::b" are cut at their first ':'. */
static int splits_options(const char *path)
{
	/* as the preload reads out=PATH with more options after it (what
	 * follows cannot move the first ':' that ends it) */
	int cut = *hs_option_item_end(path) != 0;
	if (cut)
		fprintf(stderr, "heapscope run: cannot write traces to %s: HEAPSCOPE_OPTIONS would end the "
				"directory's name at a ':' in it\n", path);
	return cut;
}

/* PROGRAM → an executable path, the way execvp would find it. */
static int resolve_program(const char *prog, char *out, size_t n)
{
	if (strchr(prog, '/')) {
		snprintf(out, n, "%s", prog);
		return access(out, F_OK) == 0 ? 0 : -1;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	/* every element, the empty ones too (the current directory), a trailing
	 * one included: "a:" is "a" and "" */
	for (;;) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		snprintf(out, n, "%.*s/%s", (int)(len ? len : 1), len ? path : ".", prog);
		struct stat st;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
		if (!colon)
			return -1;
		path = colon + 1;
	}
}

/* An ELF executable without PT_INTERP is static: LD_PRELOAD never applies. */
static int is_static_elf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	Elf64_Ehdr eh;
	int result = 0;
	if (read(fd, &eh, sizeof eh) == (ssize_t)sizeof eh && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof(Elf64_Phdr) &&
	    eh.e_phnum < 256) {
		int interp = 0;
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;
			if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) != (ssize_t)sizeof ph)
				break;
			interp |= ph.p_type == PT_INTERP;
		}
		result = !interp && eh.e_type == ET_EXEC;
		if (!interp && eh.e_type == ET_DYN) {
			/* static-pie: ET_DYN with no interpreter but an entry point;
			 * a shared library run directly has no entry either way */
			result = eh.e_entry != 0;
		}
	}
	close(fd);
	return result;
}

static int mkdirs(const char *dir)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *s, const char *name)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = strdup(name);
}

static int names_has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return 1;
	return 0;
}

static void list_traces(const char *dir, struct names *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > 14 && !strncmp(e->d_name, "heapscope.", 10) && !strcmp(e->d_name + l - 4, ".hst"))
			names_add(out, e->d_name);
	}
	closedir(d);
}

/* Creation order (≈ the order processes started); names break ties. */
static int cmp_trace(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	struct stat sx, sy;
	if (stat(x, &sx) == 0 && stat(y, &sy) == 0) {
		if (sx.st_ctim.tv_sec != sy.st_ctim.tv_sec)
			return sx.st_ctim.tv_sec < sy.st_ctim.tv_sec ? -1 : 1;
		if (sx.st_ctim.tv_nsec != sy.st_ctim.tv_nsec)
			return sx.st_ctim.tv_nsec < sy.st_ctim.tv_nsec ? -1 : 1;
	}
	return strcmp(x, y);
}

/* Was trace `path` written under this run (its options' last run_id is
 * `token`)? One without a readable header (killed before it wrote one)
 * is counted in: nothing says it is another's. */
static int is_ours(const char *path, const char *token)
{
	char *opts = hs_trace_options(path);
	if (!opts)
		return 1;
	size_t n;
	const char *id = hs_option_last(opts, "run_id", &n);
	int ours = id && n == strlen(token) && !memcmp(id, token, n);
	free(opts);
	return ours;
}

static void append_opt(char *buf, size_t n, const char *kv)
{
	size_t l = strlen(buf);
	snprintf(buf + l, n - l, "%s%s", l ? ":" : "", kv);
}

int hs_cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, 0, 'o'},
		{"depth", required_argument, 0, 'd'},
		{"top", required_argument, 0, 't'},
		{"quiet", no_argument, 0, 'q'},
		{"fail-on", required_argument, 0, 'F'},
		{"guard", required_argument, 0, 'G'},
		{"guard-below", no_argument, 0, 'U'},
		{"no-detect", no_argument, 0, 'D'},
		{"max-leaks", required_argument, 0, 'M'},
		{"baseline", required_argument, 0, 'B'},
		{"suppressions", required_argument, 0, 'S'},
		{"no-default-suppressions", no_argument, 0, 'N'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	const char *out = "heapscope-out";
	long depth = 0; /* 0: not given (the user's HEAPSCOPE_OPTIONS or the default) */
	struct hs_report_opts ro = {.top = 10, .pretty = 1};
	int quiet = 0, c, no_defaults = 0;
	unsigned fail_mask = (1u << HS_LEAK_DEFINITE) | GATE_ERROR;
	long max_leaks = 0;
	const char *baseline_path = NULL;
	struct hs_suppressions supp = {0};
	struct hs_baseline base = {0};
	optind = 1;
	/* '+': options end at the first non-option (the program) */
	const char *guard = NULL;
	int guard_below = 0, no_detect = 0;
	argv[0] = (char *)"heapscope run"; /* getopt's own messages name it */
	while ((c = getopt_long(argc, argv, "+o:d:t:qhF:M:B:S:NG:UD", opts, NULL)) != -1) {
		int sr = hs_supp_option(&supp, c, optarg, &no_defaults);
		if (sr < 0)
			return 2;
		if (sr)
			continue;
		switch (c) {
		case 'F':
			if (parse_fail_on(optarg, &fail_mask) != 0) {
				fprintf(stderr, "heapscope run: --fail-on takes a comma list of definite, indirect, "
						"possible, reachable, error, or none; not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'M':
			max_leaks = hs_parse_count(optarg);
			if (max_leaks < 0) {
				fprintf(stderr, "heapscope run: --max-leaks needs a number, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'B':
			baseline_path = optarg;
			break;
		case 'G':
			/* as the preload will read it (it would fall back to auto) */
			struct hs_guard_spec spec;
			if (hs_option_guard(optarg, strlen(optarg), &spec) != 0) {
				fprintf(stderr, "heapscope run: --guard takes auto, off, all, sample:N or "
						"size:MIN-MAX; not '%s'\n", optarg);
				return 2;
			}
			guard = optarg;
			break;
		case 'U':
			guard_below = 1;
			break;
		case 'D':
			no_detect = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'd':
			depth = hs_parse_count(optarg);
			if (depth < 1 || depth > 64) {
				fprintf(stderr, "heapscope run: --depth must be 1..64, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 't':
			if (hs_parse_top("run", optarg, &ro.top) != 0)
				return 2;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default: /* getopt has said what was wrong, in one line */
			fputs("heapscope run: try 'heapscope run --help'\n", stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "heapscope run: no program given (usage: heapscope run [OPTIONS] -- PROGRAM [ARGS...])\n");
		return 2;
	}
	char **prog_argv = argv + optind;
	if (baseline_path) {
		char err[512];
		if (hs_baseline_load(&base, baseline_path, err, sizeof err) != 0) {
			fprintf(stderr, "heapscope run: --baseline %s\n", err);
			return 2;
		}
	}
	if (!no_defaults)
		hs_supp_load_defaults(&supp);

	char prog[PATH_MAX];
	if (resolve_program(prog_argv[0], prog, sizeof prog) != 0) {
		fprintf(stderr, "heapscope run: %s: command not found\n", prog_argv[0]);
		return 127;
	}
	struct stat st;
	if (stat(prog, &st) != 0 || !S_ISREG(st.st_mode) || access(prog, X_OK) != 0) {
		fprintf(stderr, "heapscope run: %s: not an executable file\n", prog);
		return 126;
	}
	if (((st.st_mode & S_ISUID) && st.st_uid != getuid()) ||
	    ((st.st_mode & S_ISGID) && st.st_gid != getgid())) {
		fprintf(stderr, "heapscope run: %s is set-user/group-ID: the kernel runs it in secure mode, "
				"where LD_PRELOAD is ignored, so heapscope cannot trace it\n", prog);
		return 126;
	}
	if (is_static_elf(prog)) {
		fprintf(stderr, "heapscope run: %s is statically linked: heapscope works through "
				"LD_PRELOAD, which a static program never loads\n", prog);
		return 126;
	}
	char preload[PATH_MAX];
	if (find_preload(preload, sizeof preload) != 0) {
		fprintf(stderr, "heapscope run: cannot find libheapscope.so next to this heapscope "
				"(set HEAPSCOPE_PRELOAD to its path)\n");
		return 2;
	}
	char outdir[PATH_MAX];
	struct stat ost;
	if (splits_options(out)) /* before anything is made */
		return 2;
	if (mkdirs(out) != 0 || !realpath(out, outdir) || stat(outdir, &ost) != 0 || !S_ISDIR(ost.st_mode) ||
	    access(outdir, W_OK | X_OK) != 0) {
		int why = errno; /* before the stat below changes it */
		if (why == 0 || (stat(out, &ost) == 0 && !S_ISDIR(ost.st_mode)))
			why = ENOTDIR;
		fprintf(stderr, "heapscope run: cannot write traces to %s: %s\n", out, strerror(why ? why : EACCES));
		return 2;
	}
	if (splits_options(outdir)) /* the working directory's part */
		return 2;
	struct names before = {0};
	list_traces(outdir, &before);

	/* ld.so splits LD_PRELOAD at spaces and colons and has no quoting: a
	 * library whose path holds one is preloaded through a link in a
	 * temporary directory, removed after the run (it was ignored, and the
	 * run traced nothing). */
	char link_dir[64] = "", link_path[96] = "";
	if (strpbrk(preload, " \t:")) {
		snprintf(link_dir, sizeof link_dir, "/tmp/heapscope-preload.XXXXXX");
		char real[PATH_MAX];
		if (!realpath(preload, real) || !mkdtemp(link_dir)) { /* nothing made to remove */
			fprintf(stderr, "heapscope run: cannot make a link to %s without spaces or colons: %s\n",
				preload, strerror(errno));
			return 2;
		}
		snprintf(link_path, sizeof link_path, "%s/libheapscope.so", link_dir);
		if (symlink(real, link_path) != 0) {
			fprintf(stderr, "heapscope run: cannot link %s: %s\n", link_path, strerror(errno));
			rmdir(link_dir);
			return 2;
		}
		snprintf(preload, sizeof preload, "%s", link_path);
	}
	/* Environment: our library first in LD_PRELOAD, our options after the
	 * user's own (so ours win for the keys we set). */
	const char *old_preload = getenv("LD_PRELOAD");
	char *ld = malloc(strlen(preload) + (old_preload ? strlen(old_preload) : 0) + 2);
	sprintf(ld, "%s%s%s", preload, old_preload && *old_preload ? ":" : "",
		old_preload ? old_preload : "");
	setenv("LD_PRELOAD", ld, 1);
	free(ld);
	char hopt[PATH_MAX + 256] = "";
	const char *user = getenv("HEAPSCOPE_OPTIONS");
	if (user && *user)
		snprintf(hopt, sizeof hopt, "%s", user);
	char kv[PATH_MAX + 16];
	snprintf(kv, sizeof kv, "out=%s", outdir);
	append_opt(hopt, sizeof hopt, kv);
	if (depth) {
		snprintf(kv, sizeof kv, "depth=%ld", depth);
		append_opt(hopt, sizeof hopt, kv);
	}
	/* Which traces are this run's: whatever else writes into the same out
	 * directory meanwhile (another run, as under ctest -j) has another
	 * token in its traces' headers. */
	char token[64];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(token, sizeof token, "%ld.%ld.%09ld", (long)getpid(), (long)now.tv_sec, now.tv_nsec);
	snprintf(kv, sizeof kv, "run_id=%s", token);
	append_opt(hopt, sizeof hopt, kv);
	if (guard) {
		snprintf(kv, sizeof kv, "guard=%s", guard);
		append_opt(hopt, sizeof hopt, kv);
	}
	if (guard_below)
		append_opt(hopt, sizeof hopt, "guard_below=1");
	if (no_detect)
		append_opt(hopt, sizeof hopt, "detect=0");
	setenv("HEAPSCOPE_OPTIONS", hopt, 1);

	struct sigaction sa, old_int, old_term, old_hup, old_quit;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGQUIT, &sa, &old_quit);

	/* the child's exec failure comes back through a close-on-exec pipe:
	 * then the program never ran, and there is nothing to report */
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) != 0) {
		fprintf(stderr, "heapscope run: pipe: %s\n", strerror(errno));
		return 2;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "heapscope run: fork: %s\n", strerror(errno));
		return 2;
	}
	if (child == 0) {
		close(ep[0]);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execv(prog, prog_argv);
		int e = errno;
		fprintf(stderr, "heapscope run: %s: %s\n", prog, strerror(e));
		(void)!write(ep[1], &e, sizeof e); /* nothing more to do if it fails */
		_exit(e == ENOENT ? 127 : 126);
	}
	close(ep[1]);
	int exec_errno = 0;
	ssize_t got;
	while ((got = read(ep[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR)
		;
	close(ep[0]);
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	child = 0;
	unsetenv("LD_PRELOAD");
	if (link_dir[0]) {
		unlink(link_path);
		rmdir(link_dir);
	}
	if (got == (ssize_t)sizeof exec_errno) /* said by the child */
		return exec_errno == ENOENT ? 127 : 126;

	struct names after = {0}, fresh = {0};
	list_traces(outdir, &after);
	for (size_t i = 0; i < after.n; i++)
		if (!names_has(&before, after.v[i])) {
			char p[2 * PATH_MAX];
			snprintf(p, sizeof p, "%s/%s", outdir, after.v[i]);
			if (is_ours(p, token))
				names_add(&fresh, p);
		}
	qsort(fresh.v, fresh.n, sizeof *fresh.v, cmp_trace);

	struct hs_analysis *a;
	size_t failed;
	size_t n = hs_analyze(fresh.v, fresh.n, &supp, &a, &failed);
	if (quiet) {
		for (size_t i = 0; i < n; i++) {
			const struct hs_heap_stats *h = &a[i].proc.heap;
			const struct hs_leak_report *l = &a[i].leaks;
			fprintf(stderr, "==%llu== heapscope: %llu allocs, %llu frees, peak %llu bytes; ",
				(unsigned long long)a[i].proc.pid, (unsigned long long)h->allocations,
				(unsigned long long)h->frees, (unsigned long long)h->peak_bytes);
			if (l->present)
				fprintf(stderr, "lost: %llu bytes in %llu blocks definitely, %llu in %llu indirectly, "
						"%llu in %llu possibly\n",
					(unsigned long long)l->kind[HS_LEAK_DEFINITE].bytes,
					(unsigned long long)l->kind[HS_LEAK_DEFINITE].blocks,
					(unsigned long long)l->kind[HS_LEAK_INDIRECT].bytes,
					(unsigned long long)l->kind[HS_LEAK_INDIRECT].blocks,
					(unsigned long long)l->kind[HS_LEAK_POSSIBLE].bytes,
					(unsigned long long)l->kind[HS_LEAK_POSSIBLE].blocks);
			else
				fprintf(stderr, "no leak check (%s)\n",
					a[i].proc.exit.present ? a[i].proc.exit.reason : "did not finish");
		}
	} else {
		hs_report_text(stderr, a, n, &supp, &ro);
	}
	fprintf(stderr, "heapscope: %zu process%s traced; traces in %s\n", n, n == 1 ? "" : "es", outdir);
	if (fresh.n == 0 && !WIFSIGNALED(status)) {
		/* nothing was checked: the gate cannot pass */
		fprintf(stderr, "heapscope run: the program wrote no trace (the preload did not load: is "
				"LD_PRELOAD refused or reset on the way?); nothing was checked\n");
		hs_analyses_free(a, n);
		hs_supp_free(&supp);
		hs_baseline_free(&base);
		return 2;
	}
	/* a program killed by a signal makes run die of it too, gate or not */
	char then[96] = "exit status 23";
	if (WIFSIGNALED(status))
		snprintf(then, sizeof then, "but the program died of signal %d, and so does heapscope run",
			 WTERMSIG(status));
	int failed_gate = gate(a, n, fail_mask, max_leaks, baseline_path ? &base : NULL, then);
	hs_analyses_free(a, n);
	hs_supp_free(&supp);
	hs_baseline_free(&base);

	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		signal(sig, SIG_DFL);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		fflush(NULL);
		raise(sig);
		return 128 + sig;
	}
	return failed_gate ? 23 : WEXITSTATUS(status);
}
