/* benchrun.c — run one command and measure it, for scripts/bench.
 *
 *   hs_benchrun [-C DIR] [-e NAME=VALUE]... [-o FILE] [-t SECONDS] -- CMD [ARGS...]
 *
 * Runs CMD in DIR (-C) with the extra environment (-e, the child only: the
 * runner itself is never preloaded), its stdout and stderr sent to FILE (-o;
 * default /dev/null) and stdin from /dev/null. Prints one line:
 *
 *   STATUS WALL_SECONDS MAXRSS_KIB CPU_SECONDS
 *
 * STATUS is "ok", "exit:N", "signal:NAME" or "timeout" (-t: the child's
 * process group is killed after SECONDS). MAXRSS_KIB is the child's peak
 * resident set from wait4(), which on Linux covers the descendants it waited
 * for too (gcc's cc1 and as, git's subcommands, a shell's pipeline). WALL is
 * measured with CLOCK_MONOTONIC from fork to reaping. CPU is the user plus
 * system time wait4() reports for the child and the descendants it waited
 * for (on a shared machine, less disturbed by other load than WALL).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-C DIR] [-e NAME=VALUE]... [-o FILE] [-t SECONDS] -- CMD [ARGS...]\n", argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *out = "/dev/null";
	double timeout = 0;
	char **envs = calloc((size_t)argc, sizeof *envs);
	int nenv = 0, c;
	if (!envs)
		return 1;
	while ((c = getopt(argc, argv, "+C:e:o:t:")) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'e':
			if (!strchr(optarg, '='))
				usage(argv[0]);
			envs[nenv++] = optarg;
			break;
		case 'o': out = optarg; break;
		case 't': timeout = strtod(optarg, NULL); break;
		default: usage(argv[0]);
		}
	}
	if (optind >= argc)
		usage(argv[0]);

	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "hs_benchrun: %s: %s\n", out, strerror(errno));
		return 1;
	}
	double start = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("hs_benchrun: fork");
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		int in = open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		if (dir && chdir(dir) != 0) {
			dprintf(2, "hs_benchrun: cd %s: %s\n", dir, strerror(errno));
			_exit(126);
		}
		for (int i = 0; i < nenv; i++)
			putenv(envs[i]);
		execvp(argv[optind], argv + optind);
		dprintf(2, "hs_benchrun: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* also from here, so the group exists before a kill */

	int status = 0, timed_out = 0;
	struct rusage ru;
	for (;;) {
		pid_t r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("hs_benchrun: wait4");
			return 1;
		}
		double left = timeout > 0 ? timeout - (now() - start) : 1.0;
		if (timeout > 0 && left <= 0) {
			timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
				;
			break;
		}
		struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
		sigtimedwait(&chld, NULL, &ts);
	}
	double wall = now() - start;

	char what[64];
	if (timed_out)
		snprintf(what, sizeof what, "timeout");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		snprintf(what, sizeof what, "ok");
	else if (WIFEXITED(status))
		snprintf(what, sizeof what, "exit:%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(what, sizeof what, "signal:%s", sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
	else
		snprintf(what, sizeof what, "unknown");
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("%s %.6f %ld %.6f\n", what, wall, ru.ru_maxrss, cpu);
	free(envs);
	return 0;
}
