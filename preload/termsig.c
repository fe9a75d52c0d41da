/* termsig.c — the signals whose default action ends the process without a
 * fault: SIGINT, SIGTERM, SIGHUP, SIGPIPE (a write to a closed pipe, as in
 * `prog | head`), SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ.
 *
 * Without a handler the process dies at once: the events still buffered
 * (up to a second's) are lost and the trace has no EXIT record. So while
 * the program leaves one of them at its default, heapscope's handler stands
 * in for the default: it ends the trace with the signal, restores the
 * default and raises the signal again, and the process dies of it as it
 * would have (same status, same core for SIGQUIT).
 *
 * The program must see no difference. sigaction() and signal() on these
 * signals (fault.c's wrappers) answer with the program's own setting:
 *   - a query returns what the program set (the default at first), not
 *     heapscope's handler;
 *   - setting the default keeps (or puts back) heapscope's handler and
 *     remembers the program's struct;
 *   - any other setting (a handler, SIG_IGN) goes to the kernel as it is,
 *     in place of ours: the program decides then.
 * The C library changes dispositions without the wrapper too (system()
 * ignores SIGINT while it waits, then restores what it found): so each
 * call first asks the kernel, and a handler that is no longer ours means
 * the program's setting is the kernel's.
 *
 * glibc's BSD and System V setters (bsd_signal, sysv_signal, sigset...)
 * are redone through the wrapper in fault.c for the same reason.
 *
 * Not done: in a PID namespace's init (a container's PID 1), where a sent
 * signal at its default action is ignored, not fatal. A vfork child that
 * gets one dies of it but leaves the parent's trace alone.
 * What differs still: the process dies of the signal as the handler
 * returns, not the instant it is sent, so of two such signals sent
 * together the kernel may deliver the lower-numbered first (SIGTERM then
 * SIGINT: natively SIGTERM kills, here SIGINT may); and when another
 * thread is writing an event at that moment, the trace's last bytes may be
 * cut (the reader says so).
 *
 * Invariant: ours[k] is 1 only while the kernel's action for watched[k]
 * is on_signal, and then prog[k] is what the program believes (SIG_DFL
 * with its flags and mask, as the kernel reports them).
 */
#define _GNU_SOURCE
#include "termsig.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "record.h"
#include "trace_writer.h"

static const int watched[] = {SIGINT,  SIGTERM, SIGHUP,  SIGPIPE, SIGQUIT,
			      SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ};
#define NWATCHED (sizeof watched / sizeof watched[0])

static struct sigaction prog[NWATCHED];
static volatile sig_atomic_t ours[NWATCHED];

static int slot(int sig)
{
	for (unsigned i = 0; i < NWATCHED; i++)
		if (watched[i] == sig)
			return (int)i;
	return -1;
}

int hs_termsig_watched(int sig)
{
	return slot(sig) >= 0;
}

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)si;
	int saved = errno;
	int mine = hs_record_crash(sig);
	int k = slot(sig);
	if (k >= 0 && mine)
		ours[k] = 0;
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	hs_sigaction_raw(sig, &dfl, NULL);
	hs_record_redeliver(sig, ctx);
	errno = saved;
}

/* a's mask with only the kernel's signals in it: the C library fills and
 * empties only the kernel's word of a sigset_t (as glibc 2.34 on), and
 * leaves the rest as it was: stack contents, here ours */
static void kernel_mask(struct sigaction *a)
{
	sigset_t clean;
	memset(&clean, 0, sizeof clean);
	for (int s = 1; s < NSIG; s++)
		if (sigismember(&a->sa_mask, s) == 1)
			sigaddset(&clean, s);
	a->sa_mask = clean;
}

static int is_ours(const struct sigaction *a)
{
	return (a->sa_flags & SA_SIGINFO) && a->sa_sigaction == on_signal;
}

static int put_ours(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	/* nothing else runs while the trace is ended */
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	return hs_sigaction_raw(sig, &sa, NULL);
}

void hs_termsig_install(void)
{
	/* A PID namespace's init (a container's PID 1) is not killed by a
	 * sent signal at its default action: a handler would run, and the
	 * process go on with its trace ended. */
	if (getpid() == 1)
		return;
	for (unsigned k = 0; k < NWATCHED; k++) {
		struct sigaction cur;
		memset(&cur, 0, sizeof cur); /* the C library fills only the kernel's part of the mask */
		if (hs_sigaction_raw(watched[k], NULL, &cur) != 0 || cur.sa_handler != SIG_DFL)
			continue;
		kernel_mask(&cur);
		prog[k] = cur;
		if (put_ours(watched[k]) == 0)
			ours[k] = 1;
	}
}

int hs_termsig_action(int sig, const struct sigaction *act, struct sigaction *old)
{
	int k = slot(sig);
	struct sigaction want, cur;
	if (act)
		want = *act; /* act and old may be the same struct */
	if (k < 0 || hs_sigaction_raw(sig, NULL, &cur) != 0)
		return hs_sigaction_raw(sig, act ? &want : NULL, old);
	if (ours[k] != is_ours(&cur)) {
		/* changed past the wrapper (the C library's own calls; a vfork
		 * child's, in our memory): the kernel's action is the truth */
		if (!ours[k]) {
			memset(&prog[k], 0, sizeof prog[k]);
			prog[k].sa_handler = SIG_DFL;
		}
		ours[k] = is_ours(&cur);
	}
	if (old)
		*old = ours[k] ? prog[k] : cur;
	if (!act)
		return 0;
	/* a null handler is the default, SA_SIGINFO or not (a union) */
	if (want.sa_handler == SIG_DFL && hs_rec_active && getpid() != 1) {
		/* Set in the kernel for a moment, the signal blocked, to keep
		 * what a query would return (the kernel's flags and mask, as
		 * the C library reports them), then ours again. */
		sigset_t one, was;
		sigemptyset(&one);
		sigaddset(&one, sig);
		pthread_sigmask(SIG_BLOCK, &one, &was);
		struct sigaction norm;
		memset(&norm, 0, sizeof norm);
		int r = hs_sigaction_raw(sig, &want, NULL);
		if (r == 0 && hs_sigaction_raw(sig, NULL, &norm) == 0 && put_ours(sig) == 0) {
			kernel_mask(&norm);
			prog[k] = norm;
			ours[k] = 1;
		} else {
			ours[k] = 0;
		}
		pthread_sigmask(SIG_SETMASK, &was, NULL);
		return r;
	}
	int r = hs_sigaction_raw(sig, &want, NULL);
	if (r == 0)
		ours[k] = 0;
	return r;
}
