/* record.c — the recording policy: when to capture stacks, start and end
 * the trace, and how the process's end is written into it.
 *
 * Recording starts in the library constructor, after the C library is up:
 * allocations made before it (by ld.so and earlier constructors) are served
 * but carry no stack and no event, and their frees show up in the trace as
 * frees of unknown blocks. A per-thread flag keeps heapscope's own
 * instrumentation (libunwind, the loader walk) from recursing into capture.
 *
 * The end of the process is written as an EXIT record: exit status from
 * on_exit (registered first, so it runs after the program's own atexit
 * handlers), _exit/_Exit and exec through wrappers, fatal signals through a
 * handler installed only where the disposition was the default, and the
 * signals that end a process by default (SIGINT, SIGTERM, SIGPIPE…)
 * through termsig.c.
 */
#define _GNU_SOURCE
#include "record.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "alloc.h"
#include "fault.h"
#include "guard.h"
#include "leakscan.h"
#include "modules.h"
#include "options.h"
#include "procmaps.h"
#include "quarantine.h"
#include "snapshot.h"
#include "stackdepot.h"
#include "termsig.h"
#include "trace_writer.h"
#include "capture.h"
#include "fastunwind.h"

int hs_rec_active;
static __thread int tl_busy HS_TLS;
static int exit_code;
static int exit_code_known;
static pid_t owner; /* the process whose trace this is */

static uint32_t capture(const void *frame)
{
	uintptr_t frames[HS_MAX_DEPTH];
	int saved = errno; /* the unwinder's probes must not show through malloc or free */
	tl_busy = 1;
	uint64_t token;
	int n = hs_unwind_capture(frames, (int)hs_opt.depth, frame, &token);
	/* the same walk as one before: its id without hashing the frames */
	uint32_t id = hs_fast_memo_get(token);
	if (!id)
		id = hs_stack_find(frames, n);
	if (!id) {
		/* A new stack may hold addresses of a library the trace has
		 * not seen yet: bring the module map up to date first. */
		hs_modules_sync(0);
		id = hs_stack_intern(frames, n);
	}
	hs_stack_mention(id);
	hs_fast_memo_put(token, id);
	tl_busy = 0;
	errno = saved;
	return id;
}

uint32_t hs_record_stack(const void *frame)
{
	if (!hs_rec_active || tl_busy)
		return 0;
	return capture(frame);
}

int hs_record_nested(void)
{
	return tl_busy;
}

uint32_t hs_record_free_stack(const void *frame)
{
	if (!hs_rec_active || !hs_opt.free_stacks || tl_busy)
		return 0;
	return capture(frame);
}

/* on_exit handlers run in reverse order of registration, and _dl_fini —
 * which runs our destructor — is registered by __libc_start_main before it
 * calls main: a handler registered from our constructor would run after the
 * destructor. So the status handler is registered at the start of main,
 * through a wrapper of __libc_start_main. */
static void on_exit_status(int status, void *arg)
{
	(void)arg;
	exit_code = status;
	exit_code_known = 1;
}

/* Recording switched off by whoever ends the trace, once: 1 for that
 * caller. A vfork child shares our memory until it execs or _exits: it
 * must neither end the parent's trace nor switch its recording off. */
static int end_recording(void)
{
	return getpid() == owner && __atomic_exchange_n(&hs_rec_active, 0, __ATOMIC_ACQ_REL);
}

static void finish_checked(unsigned how, uint64_t value, const char *reason, int leak_check)
{
	if (end_recording())
		hs_trace_exit(how, value, leak_check, reason);
}

static void finish(unsigned how, uint64_t value, const char *reason)
{
	finish_checked(how, value, reason, 0);
}

/* How many blocks got guard pages, and whether the budget ran out. */
static void trace_guard_stats(void)
{
	struct hs_guard_stats st;
	hs_guard_stats(&st);
	uint8_t buf[64];
	size_t k = 0;
	k += hs_put_varint(buf + k, st.guarded);
	k += hs_put_varint(buf + k, st.budget);
	k += hs_put_varint(buf + k, (uint64_t)st.budget_exhausted);
	k += hs_put_varint(buf + k, (uint64_t)st.map_failed);
	k += hs_put_varint(buf + k, st.peak_live);
	hs_trace_record(HS_REC_GUARD, buf, k);
}

__attribute__((destructor)) static void record_end(void)
{
	/* Our destructor runs after the program's atexit handlers, its static
	 * destructors and its own ELF destructors: what is unreachable now is
	 * lost. Libraries finalised after us may still allocate and free; the
	 * heap keeps working for them, unrecorded. */
	/* the trace's process (a child made without fork handlers, vfork or a
	 * raw clone, is not) */
	int mine = getpid() == owner && hs_rec_active;
	/* Blocks still in quarantine are checked for writes after free now. */
	if (mine && hs_detect_active)
		hs_quarantine_drain();
	/* /proc/self/maps read once for the snapshot and the scan: a read is
	 * about 20 of the 130 µs a short process (git's) spends at exit */
	static struct hs_maps maps;
	const struct hs_maps *m = NULL;
	if (mine) {
		m = hs_maps_read(&maps) == 0 ? &maps : NULL;
		hs_snapshot_now(m);
	}
	int checked = mine && hs_leak_check(HS_LEAKCHECK_EXIT, m) >= 0;
	if (mine && hs_detect_active)
		trace_guard_stats();
	finish_checked(HS_EXIT_CODE, (uint64_t)(exit_code_known ? exit_code : 0),
		       exit_code_known ? "exit" : "exit status unknown", checked);
}

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS};

int hs_record_crash(int sig)
{
	if (end_recording())
		hs_trace_crash(sig);
	return getpid() == owner;
}

void hs_record_redeliver(int sig, void *ctx)
{
	/* The mask restored on return is the interrupted code's own: ppoll,
	 * pselect and sigsuspend let a signal in only while they wait, and it
	 * would stay pending after them. Only sig is let through then. */
	ucontext_t *uc = ctx;
	sigfillset(&uc->uc_sigmask);
	sigdelset(&uc->uc_sigmask, sig);
	raise(sig);
}

static void on_fatal(int sig, siginfo_t *si, void *ctx)
{
	/* A sent signal's default action is ignored in a PID namespace's init
	 * (a container's PID 1): so would be the signal raised again, and the
	 * process goes on, its trace too (SA_RESETHAND left the default). */
	if (si->si_code <= 0 && getpid() == 1)
		return;
	hs_record_crash(sig);
	/* SA_RESETHAND restored the default action. A fault re-executes the
	 * faulting instruction and dies of it; a signal that was sent (kill,
	 * raise, abort) is sent again and delivered when we return. */
	if (si->si_code <= 0)
		hs_record_redeliver(sig, ctx);
}

static void install_fatal_handlers(void)
{
	for (unsigned i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
		if (hs_opt.detect && (fatal_signals[i] == SIGSEGV || fatal_signals[i] == SIGBUS))
			continue; /* fault.c's */
		struct sigaction old;
		if (sigaction(fatal_signals[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL ||
		    (old.sa_flags & SA_SIGINFO))
			continue;
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_fatal;
		sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
		sigemptyset(&sa.sa_mask);
		sigaction(fatal_signals[i], &sa, NULL);
	}
}

void hs_record_start(void)
{
	hs_ensure_init();
	if (!hs_opt.out || !hs_opt.out[0])
		return;
	tl_busy = 1;
	owner = getpid();
	if (hs_trace_open(hs_opt.out, hs_opt_len(hs_opt.out)) == 0) {
		hs_unwind_init();
		hs_modules_sync(1);
		install_fatal_handlers();
		hs_termsig_install();
		if (hs_opt.detect) {
			hs_guard_init();
			hs_fault_init();
			hs_detect_active = 1;
		}
		hs_snapshot_start();
		__atomic_store_n(&hs_rec_active, 1, __ATOMIC_RELEASE);
	}
	tl_busy = 0;
}

void hs_record_after_fork_child(void)
{
	owner = getpid();
	if (!hs_rec_active)
		return;
	hs_modules_sync(1);
	hs_snapshot_after_fork_child();
}

__attribute__((constructor)) static void record_constructor(void)
{
	hs_record_start();
}

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

/* quick_exit runs the at_quick_exit handlers, then _exit past our
 * wrapper: no destructor ends the trace. Ours is registered first, so it
 * runs after the program's; quick_exit's wrapper leaves the status. */
static int quick_status = -1;

static void on_quick_exit(void)
{
	finish(HS_EXIT_UNDERSCORE, (uint64_t)(quick_status >= 0 ? quick_status : 0),
	       quick_status >= 0 ? "quick_exit: no destructors ran, no leak check"
				 : "quick_exit, status unknown: no destructors ran, no leak check");
}

HS_EXPORT void quick_exit(int status)
{
	quick_status = status & 0xff;
	void (*real)(int) = (void (*)(int))dlsym(RTLD_NEXT, "quick_exit");
	if (real)
		real(status);
	_exit(status);
}

static int main_with_status(int argc, char **argv, char **envp)
{
	on_exit(on_exit_status, NULL);
	at_quick_exit(on_quick_exit);
	return real_main(argc, argv, envp);
}

HS_EXPORT int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
				void (*rtld_fini)(void), void *stack_end)
{
	typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);
	start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
	real_main = main;
	return real(main_with_status, argc, argv, init, fini, rtld_fini, stack_end);
}

/* ---- process ends that run no destructor ------------------------------ */

HS_EXPORT void _exit(int status)
{
	finish(HS_EXIT_UNDERSCORE, (uint64_t)status, "_exit: no destructors ran, no leak check");
	void (*real)(int) = (void (*)(int))dlsym(RTLD_NEXT, "_exit");
	if (real)
		real(status);
	for (;;)
		syscall(231 /* exit_group */, status);
}

HS_EXPORT void _Exit(int status)
{
	_exit(status);
}

/* daemon() forks and ends its parent with glibc's own _exit(0), past our
 * wrapper: the parent's trace had no end. The fork's parent handler, in
 * the thread calling daemon, ends it instead, just before that _exit. */
static __thread int tl_in_daemon HS_TLS;

HS_EXPORT int daemon(int nochdir, int noclose)
{
	int (*real)(int, int) = (int (*)(int, int))dlsym(RTLD_NEXT, "daemon");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	tl_in_daemon = 1;
	int r = real(nochdir, noclose);
	tl_in_daemon = 0; /* the child, or the parent whose fork failed */
	return r;
}

void hs_record_after_fork_parent(void)
{
	if (tl_in_daemon)
		finish(HS_EXIT_UNDERSCORE, 0, "_exit: no destructors ran, no leak check");
}

/* exec replaces the image: write what we have, and say why the trace ends.
 * If exec fails the program goes on, and so does its trace: that EXIT
 * record is made VOID in place. Recording is not stopped meanwhile: the
 * other threads of a program that retries exec (execvp along PATH) went
 * unrecorded while it tried, and their later frees were unknown. Only
 * execve reaches the kernel; the others are wrapped because glibc calls
 * execve internally, not through the symbol we interpose. */
static long long exec_mark = -1;

static void before_exec(void)
{
	/* not a vfork child's: the parent's trace is not its to end */
	if (getpid() == owner && hs_rec_active)
		exec_mark = hs_trace_exit_at(HS_EXIT_EXEC, 0, "exec");
}

static int after_failed_exec(int r)
{
	int saved = errno;
	if (exec_mark >= 0 && getpid() == owner)
		hs_trace_take_back(exec_mark);
	exec_mark = -1;
	errno = saved;
	return r;
}

#define REAL(name, type) ((type)dlsym(RTLD_NEXT, name))

HS_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	before_exec();
	return after_failed_exec(REAL("execve", int (*)(const char *, char *const[], char *const[]))(path, argv, envp));
}

HS_EXPORT int execv(const char *path, char *const argv[])
{
	before_exec();
	return after_failed_exec(REAL("execv", int (*)(const char *, char *const[]))(path, argv));
}

HS_EXPORT int execvp(const char *file, char *const argv[])
{
	before_exec();
	return after_failed_exec(REAL("execvp", int (*)(const char *, char *const[]))(file, argv));
}

HS_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	before_exec();
	return after_failed_exec(REAL("execvpe", int (*)(const char *, char *const[], char *const[]))(file, argv, envp));
}

/* The variadic forms: collect the arguments, then the vector forms above
 * (glibc's own execl* reach execve internally, past any wrapper). */
static size_t count_args(va_list ap)
{
	va_list c;
	va_copy(c, ap);
	size_t n = 1; /* the first argument */
	while (va_arg(c, char *))
		n++;
	va_end(c);
	return n;
}

/* argv[0..n] from first and ap (NULL-terminated); returns what follows the
 * NULL (execle's environment), read only when asked. */
static char *const *fill_args(char **argv, size_t n, const char *first, va_list ap, int want_env)
{
	argv[0] = (char *)first;
	for (size_t i = 1; i <= n; i++)
		argv[i] = va_arg(ap, char *);
	return want_env ? va_arg(ap, char *const *) : NULL;
}

HS_EXPORT int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = count_args(ap);
	char **argv = __builtin_alloca((n + 1) * sizeof *argv);
	fill_args(argv, n, arg, ap, 0);
	va_end(ap);
	return execv(path, argv);
}

HS_EXPORT int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = count_args(ap);
	char **argv = __builtin_alloca((n + 1) * sizeof *argv);
	fill_args(argv, n, arg, ap, 0);
	va_end(ap);
	return execvp(file, argv);
}

HS_EXPORT int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = count_args(ap);
	char **argv = __builtin_alloca((n + 1) * sizeof *argv);
	char *const *envp = fill_args(argv, n, arg, ap, 1);
	va_end(ap);
	return execve(path, argv, envp);
}

HS_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	before_exec();
	return after_failed_exec(REAL("fexecve", int (*)(int, char *const[], char *const[]))(fd, argv, envp));
}
