/* misc.c — small programs for the golden tests, one per mode:
 *
 *   exit N          1 x 10 B (SITE_EXIT), freed; exit(N)
 *   getattr         a thread whose first allocation is glibc's, inside
 *                   pthread_getattr_np (as a JVM's threads): "ok"
 *   _exit N         the same, then _exit(N)
 *   quick_exit N    the same, then quick_exit(N)
 *   segv            3 x 32 B (SITE_SEGV), then a store through NULL
 *   abort           2 x 16 B (SITE_ABORT), then abort()
 *   spin            64 B allocated and freed (SITE_SPIN) in a loop for 1.5 s,
 *                   then "ready PID" on stdout and sleep until killed
 *   echo            a line on stdout and one on stderr (stdio), 2 x 24 B (SITE_ECHO)
 *   exec PATH ARGS  3 x 100 B (SITE_EXEC), then execv(PATH, ARGS)
 *   closefds        close every descriptor (stderr too), 11 x 200 B (SITE_CLOSED),
 *                   then open /dev/null, which must become descriptor 0
 *   reopen FILE     FILE onto every open descriptor >= 3 and onto 3..20, then
 *                   13 x 300 B (SITE_REOPEN) and "fd N\n" written through each of 3..20
 *   reopen_fork FILE  a child that _exits; then FILE onto every open descriptor
 *                   >= 3 (heapscope's too) and onto 3..20; a child makes 13 x 300 B (SITE_REOPEN), writes
 *                   "child N\n" through each and _exits; then the parent writes
 *                   "parent N\n" through each, and frees a block twice (a
 *                   memory error heapscope reports, not into FILE). Each line
 *                   written goes to stdout too
 *   exec_retry N    a thread allocates and frees 32 B without pause while main
 *                   execs a missing program N times (each fails); then
 *                   "thread allocations K" on stdout
 *   daemon FILE     daemon(1, 1); the daemon makes 1 x 10 B (SITE_EXIT), writes
 *                   "daemon\n" to FILE and exits 0
 *   closefrom IN OUT  close every descriptor >= 3 (as closefrom does), open IN
 *                   (read) and OUT (write), 17 x 400 B (SITE_CLOSEFROM), then
 *                   copy IN to OUT
 *   signal          5 x 48 B (SITE_SIGNAL) allocated in a SIGUSR1 handler, the
 *                   signal raised at SITE_RAISE; freed, exit 0: a stack
 *                   through a signal frame (the fast walk hands it on)
 *   term            4 x 48 B (SITE_TERM), then raise(SIGTERM) with its default action
 *   pipe            5 x 40 B (SITE_PIPE), then a write to a pipe whose reader is
 *                   closed: SIGPIPE, default action
 *   sigview         what sigaction() says of SIGINT and SIGHUP as the program
 *                   sets them, and what sigset, sysv_signal and bsd_signal
 *                   return (a line each on stdout, the same under heapscope),
 *                   6 x 56 B (SITE_VIEW), then raise(SIGINT) at its default
 *   ppoll           2 x 24 B (SITE_PPOLL), SIGTERM blocked and raised, then let
 *                   in only while ppoll waits
 *   chdir_fork DIR  chdir(DIR), then a child that makes 1 x 10 B (SITE_EXIT)
 *   vfork_term      a vfork child dies of SIGTERM; then 1 x 10 B (SITE_EXIT)
 *                   freed, and a fork whose child _exits
 *   varied          a mixed workload (malloc, calloc, realloc, posix_memalign,
 *                   large blocks, sleeps, a second thread) whose trace the
 *                   truncation test cuts up; at depth 2 no stack reaches
 *                   into libc (slow to symbolize)
 *
 * No mode except echo and sigview uses stdio. Exit status 100+ means a setup step failed.
 * GOLDEN_NOIPA and the volatile sink as in sites.c; main never tail-calls a
 * mode, so every stack below a mode has main in it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "golden_prog.h"

void *volatile hs_sink;

/* ---- exit, _exit, segv, abort, echo, exec ------------------------------ */

GOLDEN_NOIPA static void exit_alloc(void)
{
	void *p = malloc(10); /* SITE_EXIT */
	hs_sink = p;
	free(p);
}

GOLDEN_NOIPA static void segv_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(32); /* SITE_SEGV */
		hs_sink = v[i];
	}
}

GOLDEN_NOIPA static void abort_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(16); /* SITE_ABORT */
		hs_sink = v[i];
	}
}

GOLDEN_NOIPA static void term_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(48); /* SITE_TERM */
		hs_sink = v[i];
	}
}

GOLDEN_NOIPA static void pipe_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(40); /* SITE_PIPE */
		hs_sink = v[i];
	}
}

GOLDEN_NOIPA static void ppoll_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(24); /* SITE_PPOLL */
		hs_sink = v[i];
	}
}

/* not declared by glibc's headers under _GNU_SOURCE */
extern __sighandler_t bsd_signal(int sig, __sighandler_t handler);

GOLDEN_NOIPA static void view_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(56); /* SITE_VIEW */
		hs_sink = v[i];
	}
}

static volatile sig_atomic_t caught;

static void on_int(int sig)
{
	(void)sig;
	caught++;
}

static const char *disposition(int sig, void (*mine)(int))
{
	struct sigaction old;
	if (sigaction(sig, NULL, &old) != 0)
		return "error";
	return old.sa_handler == SIG_DFL ? "default" : old.sa_handler == SIG_IGN ? "ignored"
					       : old.sa_handler == mine	   ? "mine"
									   : "other";
}

/* What the program sees of SIGINT and SIGHUP as it sets them; then it dies
 * of SIGINT at its default action. */
static int sigview(void)
{
	void *v[8];
	printf("start: INT %s, HUP %s\n", disposition(SIGINT, on_int), disposition(SIGHUP, on_int));
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_int;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0)
		return 111;
	raise(SIGINT);
	printf("handler: INT %s, caught %d\n", disposition(SIGINT, on_int), (int)caught);
	void (*prev)(int) = signal(SIGINT, SIG_DFL);
	printf("reset: previous %s, INT %s\n", prev == on_int ? "mine" : "other", disposition(SIGINT, on_int));
	signal(SIGHUP, SIG_IGN);
	raise(SIGHUP);
	printf("ignored: HUP %s, still here\n", disposition(SIGHUP, on_int));
	struct sigaction old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	if (sigaction(SIGHUP, &sa, &old) != 0)
		return 112;
	printf("default again: previous %s, HUP %s\n", old.sa_handler == SIG_IGN ? "ignored" : "other",
	       disposition(SIGHUP, on_int));
	/* the C library's other setters answer with the previous setting too
	 * (sigset is old System V, deprecated, and still used) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	void (*prev1)(int) = sigset(SIGUSR1, on_int);
	void (*prev2)(int) = sysv_signal(SIGUSR2, on_int);
	void (*prev3)(int) = bsd_signal(SIGALRM, on_int);
	printf("old setters: %s %s %s\n", prev1 == SIG_DFL ? "default" : "other", prev2 == SIG_DFL ? "default" : "other",
	       prev3 == SIG_DFL ? "default" : "other");
	sigset(SIGUSR1, SIG_DFL);
#pragma GCC diagnostic pop
	sysv_signal(SIGUSR2, SIG_DFL);
	bsd_signal(SIGALRM, SIG_DFL);
	fflush(stdout);
	view_alloc(v, 6);
	raise(SIGINT);
	return 113;
}

/* SIGTERM blocked, then let in only while ppoll waits: the handler that
 * ends the trace returns into code that blocks it again, and the process
 * must still die of it (it used to go on, ppoll failing with EINTR). */
static int ppoll_mode(void)
{
	void *v[2];
	ppoll_alloc(v, 2);
	sigset_t term, none;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigemptyset(&none);
	if (sigprocmask(SIG_BLOCK, &term, NULL) != 0)
		return 111;
	raise(SIGTERM); /* pending */
	struct timespec ts = {1, 0};
	ppoll(NULL, 0, &ts, &none);
	return 112; /* not reached: it dies in ppoll */
}

GOLDEN_NOIPA static void echo_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(24); /* SITE_ECHO */
		hs_sink = v[i];
	}
}

GOLDEN_NOIPA static void exec_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(100); /* SITE_EXEC */
		hs_sink = v[i];
	}
}

/* ---- signal ----------------------------------------------------------- */

static void *signal_blocks[5];

GOLDEN_NOIPA static void signal_alloc(void)
{
	for (int i = 0; i < 5; i++)
		signal_blocks[i] = malloc(48); /* SITE_SIGNAL */
}

GOLDEN_NOIPA static void on_usr1(int sig)
{
	(void)sig;
	signal_alloc();
	hs_sink = 0; /* not a tail call: the handler keeps its frame */
}

GOLDEN_NOIPA static int raise_here(void)
{
	int r = raise(SIGUSR1); /* SITE_RAISE */
	hs_sink = 0;
	return r;
}

static int signal_mode(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) != 0 || raise_here() != 0)
		return 111;
	for (int i = 0; i < 5; i++)
		free(signal_blocks[i]);
	return 0;
}

/* ---- spin ------------------------------------------------------------- */

GOLDEN_NOIPA static void *spin_alloc(void)
{
	void *p = malloc(64); /* SITE_SPIN */
	hs_sink = p;
	return p;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void *getattr_thread(void *arg)
{
	pthread_attr_t a;
	(void)arg;
	if (pthread_getattr_np(pthread_self(), &a) != 0)
		return (void *)1;
	pthread_attr_destroy(&a);
	return NULL;
}

static int getattr_mode(void)
{
	pthread_t t;
	void *r;
	if (pthread_create(&t, NULL, getattr_thread, NULL) || pthread_join(t, &r) || r)
		return 1;
	puts("ok");
	return 0;
}

static int spin(void)
{
	alarm(60); /* never outlive a test that forgot to kill us */
	struct timespec t0, nap = {0, 100000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		free(spin_alloc());
		nanosleep(&nap, NULL);
	} while (elapsed_ms(&t0) < 1500);
	char line[64];
	int n = snprintf(line, sizeof line, "ready %ld\n", (long)getpid());
	if (write(1, line, (size_t)n) != n)
		return 102;
	for (;;)
		pause();
}

/* ---- closefds, reopen, closefrom ---------------------------------------- */

/* Calls f(v, n) 16 KiB further down the stack than anything before it:
 * a stack page no unwinder has looked at yet, and a call chain no stack
 * capture has seen (so nothing about it is cached). */
GOLDEN_NOIPA static void on_fresh_stack(void (*f)(void **, int), void **v, int n)
{
	volatile char pad[16384];
	pad[0] = 1;
	pad[sizeof pad - 1] = 1;
	f(v, n);
	hs_sink = 0; /* not a tail call: the padding stays below */
}

GOLDEN_NOIPA static void closed_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(200); /* SITE_CLOSED */
		hs_sink = v[i];
	}
}

static int closefds(void)
{
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = 0; fd < max; fd++)
		close(fd);
	void *v[11];
	on_fresh_stack(closed_alloc, v, 11);
	for (int i = 0; i < 11; i++)
		free(v[i]);
	/* as a daemon does: the lowest descriptor is free again, stdin's */
	int fd = open("/dev/null", O_RDONLY);
	return fd == 0 ? 0 : 114;
}

/* ---- reopen ------------------------------------------------------------- */

GOLDEN_NOIPA static void reopen_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(300); /* SITE_REOPEN */
		hs_sink = v[i];
	}
}

/* The open descriptors >= 3, read with getdents64: opendir would malloc. */
static int open_fds(int *out, int max)
{
	int d = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0)
		return -1;
	static char buf[16384];
	int n = 0;
	long got;
	while ((got = syscall(SYS_getdents64, d, buf, sizeof buf)) > 0) {
		for (long off = 0; off < got;) {
			unsigned short reclen;
			memcpy(&reclen, buf + off + 16, sizeof reclen);
			const char *name = buf + off + 19;
			int fd = atoi(name);
			if (name[0] >= '0' && name[0] <= '9' && fd >= 3 && fd != d && n < max)
				out[n++] = fd;
			off += reclen;
		}
	}
	close(d);
	return n;
}

/* "WHO N\n" through every descriptor of fds, and to stdout. */
static int write_each(const char *who, const int *fds, int n)
{
	for (int i = 0; i < n; i++) {
		char line[32];
		int len = snprintf(line, sizeof line, "%s %d\n", who, fds[i]);
		if (write(fds[i], line, (size_t)len) != len || write(1, line, (size_t)len) != len)
			return 1;
	}
	return 0;
}

/* FILE, created or truncated, onto every descriptor open now (heapscope's
 * too): fds[0..*n) those descriptors (at most max); FILE's own descriptor,
 * or minus the status to exit with (103: open, 104: listing, 105: dup2). */
static int take_over_fds(const char *path, int *fds, int max, int *n)
{
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (f < 0)
		return -103;
	*n = open_fds(fds, max);
	if (*n < 0)
		return -104;
	for (int i = 0; i < *n; i++)
		if (fds[i] != f && dup2(f, fds[i]) != fds[i])
			return -105;
	return f;
}

static int reopen_fork(const char *path)
{
	/* a first fork writes out what the trace holds, so that the buffer is
	 * empty at the second (heapscope checks its descriptor when it writes) */
	pid_t first = fork();
	if (first == 0)
		_exit(0);
	int st;
	if (first < 0 || waitpid(first, &st, 0) != first)
		return 108;
	int fds[256], n;
	int f = take_over_fds(path, fds, 200, &n); /* room for 3..20 after them */
	if (f < 0)
		return -f;
	for (int fd = 3; fd <= 20; fd++) {
		int known = 0;
		for (int i = 0; i < n; i++)
			known |= fds[i] == fd;
		if (!known && (fd == f || dup2(f, fd) == fd))
			fds[n++] = fd;
	}
	pid_t pid = fork();
	if (pid < 0)
		return 108;
	if (pid == 0) {
		void *v[13];
		on_fresh_stack(reopen_alloc, v, 13);
		int bad = write_each("child", fds, n);
		for (int i = 0; i < 13; i++)
			free(v[i]);
		_exit(bad ? 107 : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 109;
	if (WEXITSTATUS(st) != 0)
		return WEXITSTATUS(st);
	if (write_each("parent", fds, n) != 0)
		return 107;
	char *twice = malloc(24);
	hs_sink = twice;
	free(twice);
	free(twice); /* reported by heapscope on its own descriptor */
	return 0;
}

static atomic_int retry_stop;
static atomic_long retry_allocs;

static void *retry_thread(void *arg)
{
	(void)arg;
	while (!atomic_load(&retry_stop)) {
		void *p = malloc(32);
		hs_sink = p;
		free(p);
		atomic_fetch_add(&retry_allocs, 1);
	}
	return NULL;
}

static int exec_retry(int n)
{
	pthread_t t;
	if (pthread_create(&t, NULL, retry_thread, NULL) != 0)
		return 113;
	while (atomic_load(&retry_allocs) < 1000)
		sched_yield();
	char *args[] = {"/nonexistent/heapscope-golden", NULL};
	for (int i = 0; i < n; i++)
		if (execv(args[0], args) == 0 || errno != ENOENT)
			return 114;
	atomic_store(&retry_stop, 1);
	if (pthread_join(t, NULL) != 0)
		return 115;
	char line[64];
	int len = snprintf(line, sizeof line, "thread allocations %ld\n", atomic_load(&retry_allocs));
	return write(1, line, (size_t)len) == len ? 0 : 116;
}

static int daemon_mode(const char *path)
{
	if (daemon(1, 1) != 0)
		return 111;
	exit_alloc();
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (f < 0 || write(f, "daemon\n", 7) != 7)
		return 112;
	close(f);
	return 0;
}

static int reopen(const char *path)
{
	int fds[256], n;
	int f = take_over_fds(path, fds, 256, &n);
	if (f < 0)
		return -f;
	for (int fd = 3; fd <= 20; fd++)
		if (fd != f && dup2(f, fd) != fd)
			return 106;
	void *v[13];
	on_fresh_stack(reopen_alloc, v, 13);
	for (int fd = 3; fd <= 20; fd++) {
		char line[16];
		int len = snprintf(line, sizeof line, "fd %d\n", fd);
		if (write(fd, line, (size_t)len) != len)
			return 107;
	}
	for (int i = 0; i < 13; i++)
		free(v[i]);
	return 0;
}

/* ---- closefrom --------------------------------------------------------- */

GOLDEN_NOIPA static void closefrom_alloc(void **v, int n)
{
	for (int i = 0; i < n; i++) {
		v[i] = malloc(400); /* SITE_CLOSEFROM */
		hs_sink = v[i];
	}
}

static int copy_file(const char *in_path, const char *out_path)
{
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = 3; fd < max; fd++)
		close(fd);
	int in = open(in_path, O_RDONLY);
	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (in < 0 || out < 0)
		return 111;
	void *v[17];
	on_fresh_stack(closefrom_alloc, v, 17);
	char buf[4096];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			return 112;
	for (int i = 0; i < 17; i++)
		free(v[i]);
	return n < 0 || close(out) != 0 ? 113 : 0;
}

/* ---- varied ------------------------------------------------------------- */

GOLDEN_NOIPA static void *v_malloc(size_t n)
{
	void *p = malloc(n);
	hs_sink = p;
	return p;
}

GOLDEN_NOIPA static void *v_calloc(size_t n)
{
	void *p = calloc(n, 3);
	hs_sink = p;
	return p;
}

GOLDEN_NOIPA static void *v_realloc(void *q, size_t n)
{
	void *p = realloc(q, n);
	hs_sink = p;
	return p;
}

GOLDEN_NOIPA static void *v_memalign(size_t n)
{
	void *p = NULL;
	if (posix_memalign(&p, 64, n) != 0)
		p = NULL;
	hs_sink = p;
	return p;
}

GOLDEN_NOIPA static void mid_a(void **slot, size_t n)
{
	*slot = v_malloc(n);
	hs_sink = 0;
}

GOLDEN_NOIPA static void mid_b(void **slot, size_t n)
{
	*slot = v_malloc(n);
	hs_sink = 0;
}

GOLDEN_NOIPA static void mid_c(void **slot, size_t n)
{
	*slot = v_calloc(n);
	hs_sink = 0;
}

GOLDEN_NOIPA static void thread_work(void)
{
	void *v[20];
	for (int i = 0; i < 20; i++)
		v[i] = v_malloc(40 + 8 * (size_t)i);
	for (int i = 0; i < 20; i += 2)
		free(v[i]);
}

static void *thread_main(void *arg)
{
	(void)arg;
	thread_work();
	hs_sink = 0;
	return NULL;
}

GOLDEN_NOIPA static int varied(void)
{
	static void *slot[64];
	for (int i = 0; i < 1500; i++) {
		int k = (i * 7) % 64;
		size_t size = 16 + (size_t)((i * 37) % 500);
		void *big;
		switch (i % 8) {
		case 0:
			free(slot[k]);
			mid_a(&slot[k], size);
			break;
		case 1:
			free(slot[k]);
			mid_b(&slot[k], size * 3);
			break;
		case 2:
			slot[k] = v_realloc(slot[k], size * 2);
			break;
		case 3:
			free(slot[k]);
			mid_c(&slot[k], size);
			break;
		case 4:
			free(slot[k]);
			slot[k] = v_memalign(size);
			break;
		case 5:
			mid_b(&big, (size_t)100000 + (size_t)i);
			free(big);
			break;
		case 6:
			free(slot[k]);
			slot[k] = NULL;
			break;
		default:
			free(slot[k]);
			mid_a(&slot[k], size / 2 + 1);
			break;
		}
		if (i % 40 == 39)
			usleep(3000);
	}
	pthread_t t;
	if (pthread_create(&t, NULL, thread_main, NULL) != 0 || pthread_join(t, NULL) != 0)
		return 108;
	for (int k = 3; k < 64; k++)
		free(slot[k]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 100;
	const char *mode = argv[1];
	int rc = 100;
	void *v[3];
	if (!strcmp(mode, "exit") && argc == 3) {
		exit_alloc();
		exit(atoi(argv[2]));
	} else if (!strcmp(mode, "_exit") && argc == 3) {
		exit_alloc();
		_exit(atoi(argv[2]));
	} else if (!strcmp(mode, "quick_exit") && argc == 3) {
		exit_alloc();
		quick_exit(atoi(argv[2]));
	} else if (!strcmp(mode, "segv")) {
		segv_alloc(v, 3);
		volatile int *volatile np = NULL;
		*np = 1;
		rc = 109;
	} else if (!strcmp(mode, "abort")) {
		abort_alloc(v, 2);
		abort();
	} else if (!strcmp(mode, "term")) {
		void *w[4];
		term_alloc(w, 4);
		raise(SIGTERM);
		rc = 111;
	} else if (!strcmp(mode, "pipe")) {
		int fds[2];
		void *w[5];
		pipe_alloc(w, 5);
		if (pipe(fds) != 0 || close(fds[0]) != 0)
			return 111;
		if (write(fds[1], "x", 1) < 0) /* dies of SIGPIPE first */
			return 112;
		rc = 113;
	} else if (!strcmp(mode, "sigview")) {
		rc = sigview();
	} else if (!strcmp(mode, "ppoll")) {
		rc = ppoll_mode();
	} else if (!strcmp(mode, "vfork_term")) {
		/* a vfork child (our memory) dies of SIGTERM: the parent's
		 * trace goes on, and a fork after it must not hang on the
		 * trace's lock */
		pid_t c = vfork();
		if (c < 0)
			return 111;
		if (c == 0) {
			raise(SIGTERM);
			_exit(1);
		}
		int st;
		if (waitpid(c, &st, 0) != c || !WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM)
			return 112;
		exit_alloc();
		pid_t d = fork();
		if (d < 0)
			return 113;
		if (d == 0)
			_exit(0);
		rc = waitpid(d, &st, 0) == d && WIFEXITED(st) ? 0 : 114;
	} else if (!strcmp(mode, "chdir_fork") && argc == 3) {
		/* into DIR, then a child that allocates: whose trace goes where? */
		if (chdir(argv[2]) != 0)
			return 111;
		pid_t c = fork();
		if (c < 0)
			return 112;
		if (c == 0) {
			exit_alloc();
			exit(0);
		}
		int st;
		rc = waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 113;
	} else if (!strcmp(mode, "getattr")) {
		rc = getattr_mode();
	} else if (!strcmp(mode, "spin")) {
		rc = spin();
	} else if (!strcmp(mode, "echo")) {
		echo_alloc(v, 2);
		printf("hello stdout %d\n", 42);
		fprintf(stderr, "hello stderr\n");
		free(v[0]);
		free(v[1]);
		rc = 0;
	} else if (!strcmp(mode, "exec") && argc >= 3) {
		exec_alloc(v, 3);
		execv(argv[2], argv + 2);
		rc = 110;
	} else if (!strcmp(mode, "closefds")) {
		rc = closefds();
	} else if (!strcmp(mode, "reopen") && argc == 3) {
		rc = reopen(argv[2]);
	} else if (!strcmp(mode, "reopen_fork") && argc == 3) {
		rc = reopen_fork(argv[2]);
	} else if (!strcmp(mode, "exec_retry") && argc == 3) {
		rc = exec_retry(atoi(argv[2]));
	} else if (!strcmp(mode, "daemon") && argc == 3) {
		rc = daemon_mode(argv[2]);
	} else if (!strcmp(mode, "closefrom") && argc == 4) {
		rc = copy_file(argv[2], argv[3]);
	} else if (!strcmp(mode, "varied")) {
		rc = varied();
	} else if (!strcmp(mode, "signal")) {
		rc = signal_mode();
	}
	hs_sink = 0; /* not a tail call: main stays on every stack */
	return rc;
}
