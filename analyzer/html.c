/* html.c — `heapscope report --html DIR TRACE...`.
 *
 * The charts are drawn by reports/heapscope_report.py (Python + matplotlib)
 * and read nothing but the JSON report, so this file only glues: the JSON
 * goes to DIR/report.json, the script is found next to this executable, a
 * Python that can import matplotlib is found, the script runs, and the path
 * of DIR/index.html is printed.
 *
 * Output files hold argv, paths and addresses, as traces do: DIR is created
 * 0700, an existing DIR must be a directory owned by this user and not a
 * symbolic link, and report.json is opened with O_NOFOLLOW relative to the
 * opened directory (the script opens its own outputs the same way).
 * heapscope's own files in DIR are replaced on every run; nothing else in
 * DIR is touched.
 */
#define _GNU_SOURCE
#include "html.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define SCRIPT "heapscope_report.py"
#define NEED_MATPLOTLIB "the HTML report needs matplotlib (Debian: apt-get install python3-matplotlib)"

/* Open (creating if missing) the output directory; -1 with a message. */
static int open_out_dir(const char *dir)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "heapscope: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		struct stat st;
		if (errno == ELOOP || (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode)))
			fprintf(stderr, "heapscope: %s is a symbolic link; give the directory itself\n", dir);
		else if (errno == ENOTDIR)
			fprintf(stderr, "heapscope: %s exists and is not a directory\n", dir);
		else
			fprintf(stderr, "heapscope: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_uid != geteuid()) {
		fprintf(stderr, "heapscope: %s belongs to another user; choose a directory of your own\n", dir);
		close(fd);
		return -1;
	}
	return fd;
}

static int write_json(int dfd, const char *dir, struct hs_analysis *a, size_t n,
		      const struct hs_suppressions *supp, const struct hs_report_opts *o)
{
	int fd = openat(dfd, "report.json", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == ELOOP)
			fprintf(stderr, "heapscope: %s/report.json is a symbolic link; refusing to write through it\n",
				dir);
		else
			fprintf(stderr, "heapscope: cannot write %s/report.json: %s\n", dir, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "heapscope: cannot write %s/report.json: %s\n", dir, strerror(errno));
		close(fd);
		return -1;
	}
	hs_report_json(f, a, n, supp, o);
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "heapscope: cannot write %s/report.json: %s\n", dir,
			strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* dir + "/" + name into buf; 0, or -1 if it does not fit. */
static int join(char *buf, size_t len, const char *dir, const char *name)
{
	int k = snprintf(buf, len, "%s/%s", dir, name);
	return k < 0 || (size_t)k >= len ? -1 : 0;
}

/* The reports script: HEAPSCOPE_REPORTS, else relative to this executable. */
static int find_script(char *out, size_t len)
{
	const char *env = getenv("HEAPSCOPE_REPORTS");
	if (env && *env) {
		if (join(out, len, env, SCRIPT) == 0 && access(out, R_OK) == 0)
			return 0;
		fprintf(stderr, "heapscope: HEAPSCOPE_REPORTS=%s holds no readable %s\n", env, SCRIPT);
		return -1;
	}
	char exe[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (k <= 0) {
		fprintf(stderr, "heapscope: cannot find my own executable: %s\n", strerror(errno));
		return -1;
	}
	exe[k] = 0;
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	static const char *const rel[] = {
		"../share/heapscope/reports", /* installed: PREFIX/bin/heapscope */
		"../../reports",	      /* build tree: SRC/build-x/analyzer/heapscope */
	};
	for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
		char d[PATH_MAX];
		if (join(d, sizeof d, exe, rel[i]) == 0 && join(out, len, d, SCRIPT) == 0 &&
		    access(out, R_OK) == 0)
			return 0;
	}
	fprintf(stderr,
		"heapscope: cannot find %s (looked in %s/%s and %s/%s); set HEAPSCOPE_REPORTS to its directory\n",
		SCRIPT, exe, rel[0], exe, rel[1]);
	return -1;
}

/* Run argv (PATH searched) and wait; quiet: its stdout and stderr to
 * /dev/null. The wait status, or -1 if it could not start. */
static int run(char *const argv[], int quiet)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (quiet) {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

static int has_matplotlib(const char *py)
{
	char *const argv[] = {
		(char *)py, "-c",
		"import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('matplotlib') else 1)", NULL,
	};
	int st = run(argv, 1);
	return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* HEAPSCOPE_PYTHON as given (the script itself then says if matplotlib is
 * missing), else the first candidate that can import matplotlib. */
static const char *find_python(void)
{
	const char *env = getenv("HEAPSCOPE_PYTHON");
	if (env && *env)
		return env;
	static const char *const cand[] = {"/usr/bin/python3", "python3"};
	for (size_t i = 0; i < sizeof cand / sizeof *cand; i++)
		if (has_matplotlib(cand[i]))
			return cand[i];
	fprintf(stderr, "heapscope: " NEED_MATPLOTLIB "\n");
	return NULL;
}

int hs_report_html(const char *dir, struct hs_analysis *a, size_t n, const struct hs_suppressions *supp,
		   const struct hs_report_opts *o)
{
	char script[PATH_MAX], json[PATH_MAX], index[PATH_MAX];
	if (join(json, sizeof json, dir, "report.json") || join(index, sizeof index, dir, "index.html")) {
		fprintf(stderr, "heapscope: %s: path too long\n", dir);
		return 1;
	}
	if (find_script(script, sizeof script) != 0)
		return 1;
	const char *py = find_python();
	if (!py)
		return 1;
	int dfd = open_out_dir(dir);
	if (dfd < 0)
		return 1;
	int rc = write_json(dfd, dir, a, n, supp, o);
	close(dfd);
	if (rc != 0)
		return 1;
	fflush(stdout);
	char *const argv[] = {(char *)py, "-B", script, "--quiet", "--", json, (char *)dir, NULL};
	int st = run(argv, 0);
	if (st < 0) {
		fprintf(stderr, "heapscope: cannot run %s: %s\n", py, strerror(errno));
		return 1;
	}
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "heapscope: %s was killed by signal %d\n", SCRIPT, WTERMSIG(st));
		return 1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 1; /* the script said why, in one line */
	char real[PATH_MAX];
	printf("%s\n", realpath(index, real) ? real : index);
	return 0;
}
