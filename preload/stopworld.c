/* stopworld.c — stop-the-world with a real-time signal, the way Boehm GC
 * does it (pthread_stop_world.c), instead of LeakSanitizer's ptrace.
 *
 * The other threads are listed from /proc/self/task with raw getdents64 (no
 * opendir: it allocates) and each gets HS_STOP_SIG via tgkill. The handler
 * records the thread's registers and stack pointer from its ucontext,
 * reports in, and sleeps on a futex until released. Waits are bounded: a
 * thread that blocks the signal is reported as not stopped, with its stack
 * pointer read from /proc/self/task/TID/syscall when it sits in a syscall.
 * Never allocates; one stop at a time (`busy`).
 */
#define _GNU_SOURCE
#include "stopworld.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define HS_STOP_SIG (SIGRTMAX - 3) /* glibc keeps SIGRTMIN..+2 for itself */

static struct {
	struct hs_thread_state *slot;
	int n;
	uint32_t go;	  /* 1: paused threads may continue */
	uint32_t inside;  /* threads currently in the handler */
	int busy;
} w;

static long futex(uint32_t *addr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

static void on_stop(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	int saved = errno;
	pid_t me = (pid_t)syscall(SYS_gettid);
	__atomic_fetch_add(&w.inside, 1, __ATOMIC_ACQ_REL);
	ucontext_t *uc = ctx;
	for (int i = 0; i < w.n; i++) {
		struct hs_thread_state *t = &w.slot[i];
		if (t->tid != me)
			continue;
		for (int r = 0; r < HS_NREGS; r++)
			t->regs[r] = (uintptr_t)uc->uc_mcontext.gregs[r];
		t->sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
		__atomic_store_n(&t->stopped, 1, __ATOMIC_RELEASE);
		futex((uint32_t *)&t->stopped, FUTEX_WAKE_PRIVATE, 1, NULL);
		break;
	}
	while (!__atomic_load_n(&w.go, __ATOMIC_ACQUIRE))
		futex(&w.go, FUTEX_WAIT_PRIVATE, 0, NULL);
	__atomic_fetch_sub(&w.inside, 1, __ATOMIC_ACQ_REL);
	errno = saved;
}

/* The stack pointer of a thread blocked in a system call: the second to last
 * field of /proc/self/task/TID/syscall. 0 if it is running or unknown. */
static uintptr_t sp_from_proc(pid_t tid)
{
	char path[64], buf[256];
	char *e = stpcpy(path, "/proc/self/task/");
	char digits[16];
	int n = 0;
	for (pid_t v = tid; v; v /= 10)
		digits[n++] = (char)('0' + v % 10);
	while (n)
		*e++ = digits[--n];
	strcpy(e, "/syscall");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = 0;
	/* "nr a1 a2 a3 a4 a5 a6 sp pc": find the last two fields */
	char *last = NULL, *prev = NULL;
	for (char *p = buf; *p; p++)
		if (*p == ' ') {
			prev = last;
			last = p + 1;
		}
	if (!prev || prev[0] != '0' || prev[1] != 'x')
		return 0;
	uintptr_t v = 0;
	for (char *p = prev + 2; *p && *p != ' '; p++) {
		int d = *p >= 'a' ? *p - 'a' + 10 : *p - '0';
		v = v * 16 + (uintptr_t)d;
	}
	return v;
}

int hs_world_stop(struct hs_thread_state *out, int max)
{
	if (__atomic_exchange_n(&w.busy, 1, __ATOMIC_ACQ_REL))
		return 0;
	pid_t me = (pid_t)syscall(SYS_gettid), pid = getpid();
	int n = 0;
	int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[4096];
		long got;
		while ((got = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
			for (long off = 0; off < got;) {
				struct dirent64 *d = (struct dirent64 *)(buf + off);
				off += d->d_reclen;
				pid_t tid = 0;
				for (const char *c = d->d_name; *c >= '0' && *c <= '9'; c++)
					tid = tid * 10 + (*c - '0');
				if (tid <= 0 || tid == me || n >= max)
					continue;
				memset(&out[n], 0, sizeof out[n]);
				out[n++].tid = tid;
			}
		}
		close(fd);
	}
	w.slot = out;
	w.n = n;
	w.go = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_stop;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	sigaction(HS_STOP_SIG, &sa, NULL);
	for (int i = 0; i < n; i++)
		if (syscall(SYS_tgkill, pid, out[i].tid, HS_STOP_SIG) != 0)
			out[i].tid = -out[i].tid; /* already gone */
	/* Up to ~0.5 s in all for the answers. */
	struct timespec ts = {0, 20 * 1000 * 1000};
	for (int round = 0; round < 25; round++) {
		int waiting = 0;
		for (int i = 0; i < n; i++)
			if (out[i].tid > 0 && !__atomic_load_n(&out[i].stopped, __ATOMIC_ACQUIRE))
				waiting++;
		if (!waiting)
			break;
		for (int i = 0; i < n; i++)
			if (out[i].tid > 0 && !__atomic_load_n(&out[i].stopped, __ATOMIC_ACQUIRE)) {
				futex((uint32_t *)&out[i].stopped, FUTEX_WAIT_PRIVATE, 0, &ts);
				break;
			}
	}
	for (int i = 0; i < n; i++)
		if (out[i].tid > 0 && !__atomic_load_n(&out[i].stopped, __ATOMIC_ACQUIRE))
			out[i].sp = sp_from_proc(out[i].tid);
	return n;
}

void hs_world_resume(void)
{
	__atomic_store_n(&w.go, 1, __ATOMIC_RELEASE);
	futex(&w.go, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL);
	/* Wait until every paused thread has left the handler before the slots
	 * go away. The handler itself stays installed: a thread that answers
	 * late must find it (the default action of the signal is to kill). */
	for (int spins = 0; spins < 100000 && __atomic_load_n(&w.inside, __ATOMIC_ACQUIRE); spins++)
		sched_yield();
	w.n = 0;
	__atomic_store_n(&w.busy, 0, __ATOMIC_RELEASE);
}
