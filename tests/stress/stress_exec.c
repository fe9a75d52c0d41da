/* stress_exec.c — exec keeps the preload. Run under LD_PRELOAD; checks that
 * libheapscope.so (the file LD_PRELOAD names, by its real path) is mapped
 * and serving malloc in:
 *   - /bin/sh -c 'cat /proc/self/maps' started by fork + exec (reads cat's maps)
 *   - this program re-executed by a forked child from its main thread
 *   - this program re-executed by a thread of a child whose other threads
 *     are allocating at that moment
 *   - this program re-executed in place, with no fork (the last step; its
 *     exit status is the test's)
 * `stress_exec child` / `stress_exec final` are the re-executed images.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hs_testutil.h"

static char expected[PATH_MAX]; /* real path of the preloaded libheapscope.so */

static int find_expected(void)
{
	const char *env = getenv("LD_PRELOAD");
	if (!env)
		return -1;
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", env);
	for (char *save = NULL, *tok = strtok_r(buf, ": ", &save); tok;
	     tok = strtok_r(NULL, ": ", &save))
		if (strstr(tok, "libheapscope.so") && realpath(tok, expected))
			return 0;
	return -1;
}

/* Whole output of fd until EOF (malloc'd). */
static char *read_all(int fd)
{
	size_t cap = 65536, n = 0;
	char *s = malloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			s = realloc(s, cap);
		}
		ssize_t r = read(fd, s + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	s[n] = '\0';
	return s;
}

/* 1 if some line of maps ends with the expected path. */
static int maps_have_preload(const char *maps)
{
	size_t len = strlen(expected);
	for (const char *p = strstr(maps, expected); p; p = strstr(p + 1, expected))
		if (p > maps && p[-1] == ' ' && (p[len] == '\n' || p[len] == '\0'))
			return 1;
	return 0;
}

static char *own_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return NULL;
	char *s = read_all(fileno(f));
	fclose(f);
	return s;
}

/* Checks of an exec'd image: the preload is mapped and is malloc. */
static int image_check(const char *who)
{
	if (find_expected() != 0) {
		fprintf(stderr, "FAIL (%s): LD_PRELOAD lost: '%s'\n", who, getenv("LD_PRELOAD"));
		return 1;
	}
	char *maps = own_maps();
	if (!maps || !maps_have_preload(maps)) {
		fprintf(stderr, "FAIL (%s): %s not mapped\n", who, expected);
		return 1;
	}
	free(maps);
	if (!hst_from_heapscope("malloc")) {
		fprintf(stderr, "FAIL (%s): malloc comes from %s\n", who, hst_defining_object("malloc"));
		return 1;
	}
	/* heapscope's size policy, not glibc's (24 and 5008) */
	void *a = malloc(1), *b = malloc(5000);
	int ok = malloc_usable_size(a) == 16 && malloc_usable_size(b) == 8192;
	if (!ok)
		fprintf(stderr, "FAIL (%s): usable sizes %zu and %zu\n", who, malloc_usable_size(a),
			malloc_usable_size(b));
	free(a);
	free(b);
	return !ok;
}

static int wait_ok(pid_t pid, const char *what)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("waitpid");
			return 1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "FAIL: %s: status %#x\n", what, status);
	return 1;
}

static char self[PATH_MAX];

static void exec_self(const char *mode)
{
	execl(self, self, mode, (char *)NULL);
	perror("execl");
	_exit(127);
}

static atomic_int spin;

static void *allocator(void *arg)
{
	(void)arg;
	while (!atomic_load(&spin)) {
		void *v[64];
		for (int i = 0; i < 64; i++)
			v[i] = malloc((size_t)i * 97);
		for (int i = 0; i < 64; i++)
			free(v[i]);
	}
	return NULL;
}

static void *exec_from_thread(void *arg)
{
	(void)arg;
	/* let the allocators run, then replace the whole process */
	for (int i = 0; i < 1000; i++)
		free(malloc(1000));
	usleep(20000);
	exec_self("child");
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return image_check("re-executed child");
	if (argc > 1 && strcmp(argv[1], "final") == 0) {
		int r = image_check("re-executed in place");
		if (r == 0)
			printf("exec keeps the preload: all checks passed\n");
		return r;
	}

	hst_require_preload();
	if (find_expected() != 0) {
		fprintf(stderr, "LD_PRELOAD does not name libheapscope.so\n");
		return 2;
	}
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl <= 0)
		return 2;
	self[sl] = '\0';
	int failed = image_check("original image");

	/* 1. /bin/sh -c 'cat /proc/self/maps' */
	int fds[2];
	if (pipe(fds) != 0)
		return 2;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", "cat /proc/self/maps", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char *maps = read_all(fds[0]);
	close(fds[0]);
	failed |= wait_ok(pid, "/bin/sh -c 'cat /proc/self/maps'");
	if (!maps_have_preload(maps)) {
		fprintf(stderr, "FAIL: %s not in the maps of cat run by /bin/sh:\n%s\n", expected, maps);
		failed = 1;
	}
	free(maps);

	/* 2. fork, exec self from the main thread */
	pid = fork();
	if (pid == 0)
		exec_self("child");
	failed |= wait_ok(pid, "fork + exec of self");

	/* 3. fork; in the child, exec self from a thread while others allocate */
	pid = fork();
	if (pid == 0) {
		pthread_t t[4];
		for (int i = 0; i < 3; i++)
			pthread_create(&t[i], NULL, allocator, NULL);
		pthread_create(&t[3], NULL, exec_from_thread, NULL);
		pthread_join(t[3], NULL); /* never returns: the exec replaces us */
		_exit(3);
	}
	failed |= wait_ok(pid, "exec of self from a thread while others allocate");

	if (failed)
		return 1;
	/* 4. exec in place; the new image's status is the test's */
	fflush(stdout);
	exec_self("final");
	return 1;
}
