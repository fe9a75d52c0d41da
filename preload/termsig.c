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
 * Invariant: ours[s] is 1 only while the kernel's action for s is
 * on_signal, and then prog[s] is what the program believes (SIG_DFL with
 * its flags and mask).
 */
#define _GNU_SOURCE
#include "termsig.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

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
	(void)ctx;
	int saved = errno;
	if (__atomic_exchange_n(&hs_rec_active, 0, __ATOMIC_ACQ_REL))
		hs_trace_crash(sig);
	int k = slot(sig);
	if (k >= 0)
		ours[k] = 0;
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	hs_sigaction_raw(sig, &dfl, NULL);
	/* blocked until this handler returns, then delivered with the default
	 * action: the process dies of it where it was */
	raise(sig);
	errno = saved;
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
	for (unsigned k = 0; k < NWATCHED; k++) {
		struct sigaction cur;
		if (hs_sigaction_raw(watched[k], NULL, &cur) != 0 || cur.sa_handler != SIG_DFL ||
		    (cur.sa_flags & SA_SIGINFO))
			continue;
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
	if (want.sa_handler == SIG_DFL && !(want.sa_flags & SA_SIGINFO) && hs_rec_active) {
		prog[k] = want;
		if (!ours[k] && put_ours(sig) == 0)
			ours[k] = 1;
		if (ours[k])
			return 0;
	}
	int r = hs_sigaction_raw(sig, &want, NULL);
	if (r == 0)
		ours[k] = 0;
	return r;
}
