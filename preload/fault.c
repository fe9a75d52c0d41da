/* fault.c — the SIGSEGV/SIGBUS handler.
 *
 * From the fault address: a guard page next to a live block (overflow or
 * underflow, with the offset from the block's start), a quarantined block
 * (use after free, with its free stack), the stack pointer's neighbourhood
 * (stack overflow — the handler runs on an alternate stack), the NULL page,
 * or anything else (wild access, with the kind of mapping). Read or write
 * comes from the page-fault error code. The report is printed with raw
 * addresses (symbolizing here would be unsafe), written to the trace,
 * flushed, and then:
 *   - if the program installed a handler of its own, it gets the signal, as
 *     it would without heapscope (our own faults are explained first);
 *   - otherwise the default action is restored and the faulting instruction
 *     re-executed, so the process dies of the signal as it would have.
 *
 * sigaction() and signal() for SIGSEGV/SIGBUS are wrapped: the program's
 * handler is remembered and chained, ours stays installed, and a query
 * returns the program's own setting. The same wrappers hand the signals
 * that end a process by default to termsig.c.
 */
#define _GNU_SOURCE
#include "fault.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "capture.h"
#include "guard.h"
#include "hs_internal.h"
#include "options.h"
#include "pages.h"
#include "region.h"
#include "report.h"
#include "termsig.h"
#include "trace_writer.h"

#define STACK_ZONE ((uintptr_t)1 << 20) /* a fault this close below sp: overflow */

static int installed;
static struct sigaction app[2];	/* the program's SIGSEGV, SIGBUS actions */
static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);
static __thread int tl_altstack HS_TLS;

static int slot_of_sig(int sig)
{
	return sig == SIGSEGV ? 0 : sig == SIGBUS ? 1 : -1;
}

void hs_fault_thread_init(void)
{
	if (!installed || tl_altstack)
		return;
	tl_altstack = 1;
	stack_t old;
	if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE))
		return; /* the program has one: keep it */
	long min = sysconf(_SC_SIGSTKSZ);
	size_t size = (size_t)(min > 0 ? min : 16384) + 64 * 1024;
	/* never freed: a thread may take a signal until its very end, and
	 * stacks of exited threads are few */
	void *mem = hs_pages_map_internal(size, HS_PAGES_LAZY);
	if (!mem)
		return;
	stack_t ss = {.ss_sp = mem, .ss_size = size, .ss_flags = 0};
	sigaltstack(&ss, NULL);
}

/* The faulting stack: unwound through the signal frame, it starts at the
 * faulting instruction (stored + 1, as every other frame is a return
 * address the analyzer looks up at address - 1). If the unwinder cannot
 * see through the signal frame, the faulting PC alone. */
static int fault_stack(ucontext_t *uc, uintptr_t *frames, int max)
{
	int n = hs_unwind_capture_signal(frames, max);
	uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP] + 1;
	if (n == 0 || frames[0] != pc) {
		frames[0] = pc;
		n = n ? n : 1;
	}
	return n;
}

/* The guarded block a fault in the pool is about. A slot owns its data
 * pages and the guard page after them, so a fault in a guard page is either
 * just past this slot's block or just before the next slot's: the nearer
 * edge wins (an underflow of the next block in guard_below mode, where
 * blocks start right after the guard). */
static struct hs_guard_slot *blamed_slot(uintptr_t addr)
{
	struct hs_guard_slot *s = hs_guard_slot_of((void *)addr);
	uintptr_t page = addr & ~(uintptr_t)(HS_PAGE_SIZE - 1);
	int in_guard = !s || page >= (uintptr_t)s->data + ((uintptr_t)s->npages << HS_PAGE_SHIFT);
	if (!in_guard)
		return s;
	struct hs_guard_slot *next = hs_guard_slot_of((void *)(page + HS_PAGE_SIZE));
	if (!next || next == s || next->state == HS_SLOT_FREE)
		return s;
	if (!s || s->state == HS_SLOT_FREE)
		return next;
	uintptr_t past = addr - ((uintptr_t)s->user + s->size);
	uintptr_t before = (uintptr_t)next->user - addr;
	return before < past ? next : s;
}

/* Fill e from the fault; returns 1 if the address is heapscope's (a guard
 * or quarantined block), 0 otherwise. */
static int classify(struct hs_error *e, uintptr_t addr, uintptr_t sp)
{
	struct hs_guard_slot *s = blamed_slot(addr);
	if (s && s->state != HS_SLOT_FREE) {
		e->has_block = 1;
		e->block_start = (uintptr_t)s->user;
		e->block_size = s->size;
		e->offset = (int64_t)(addr - (uintptr_t)s->user);
		e->alloc_api = s->meta.api;
		e->alloc_stack = s->meta.alloc_stack;
		e->region = HS_REGION_HEAP;
		if (s->state == HS_SLOT_QUARANTINED) {
			e->kind = HS_ERR_USE_AFTER_FREE;
			e->block_freed = 1;
			e->free_api = hs_meta_release_api(&s->meta);
			e->free_stack = s->meta.free_stack;
		} else {
			e->kind = e->offset < 0 ? HS_ERR_HEAP_BUFFER_UNDERFLOW : HS_ERR_HEAP_BUFFER_OVERFLOW;
		}
		return 1;
	}
	e->region = hs_region_of(addr, sp);
	/* Near the stack pointer, outside any usable mapping (the guard gap
	 * below a stack, or a thread stack's PROT_NONE guard): the stack ran
	 * out. The stack pointer itself may already lie past the limit. */
	int near_sp = addr + STACK_ZONE > sp && addr < sp + STACK_ZONE;
	if (near_sp && (e->region == HS_REGION_UNMAPPED || e->region == HS_REGION_MAPPED ||
			e->region == HS_REGION_STACK)) {
		e->kind = HS_ERR_STACK_OVERFLOW;
		e->region = HS_REGION_STACK;
	} else {
		e->kind = HS_ERR_WILD_ACCESS;
	}
	return hs_guard_contains((void *)addr);
}

static void pass_on(int sig, siginfo_t *si, void *ctx)
{
	struct sigaction *a = &app[slot_of_sig(sig)];
	if (a->sa_handler == SIG_IGN) {
		/* ignoring a fault re-executes it forever: the kernel kills */
		return;
	}
	if (a->sa_handler == SIG_DFL) {
		struct sigaction dfl;
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		real_sigaction(sig, &dfl, NULL);
		if (si->si_code <= 0)
			raise(sig); /* sent, not a fault: deliver it again */
		return;		/* a fault: it happens again, now fatal */
	}
	if (a->sa_flags & SA_SIGINFO)
		a->sa_sigaction(sig, si, ctx);
	else
		a->sa_handler(sig);
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	int app_handles = app[slot_of_sig(sig)].sa_handler != SIG_DFL;
	struct hs_error e = {0};
	uintptr_t addr = (uintptr_t)si->si_addr;
	uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	int ours = si->si_code > 0 && classify(&e, addr, sp);
	if (si->si_code > 0 && (ours || !app_handles)) {
		uintptr_t frames[64];
		e.access = (uc->uc_mcontext.gregs[REG_ERR] & 2) ? HS_ACCESS_WRITE : HS_ACCESS_READ;
		e.addr = addr;
		e.detected = HS_DETECTED_AT_ACCESS;
		e.nframes = fault_stack(uc, frames, (int)hs_opt.depth);
		e.frames = frames;
		hs_report_error(&e, 1);
	}
	if (!app_handles)
		hs_trace_crash(sig);
	pass_on(sig, si, ctx);
}

void hs_fault_init(void)
{
	if (installed)
		return;
	real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
	if (!real_sigaction)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (int sig = SIGBUS, k = 0; k < 2; k++, sig = SIGSEGV) {
		real_sigaction(sig, NULL, &app[slot_of_sig(sig)]);
		real_sigaction(sig, &sa, NULL);
	}
	installed = 1;
	hs_fault_thread_init();
}

int hs_sigaction_raw(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (!real_sigaction)
		real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
	return real_sigaction ? real_sigaction(sig, act, old) : -1;
}

/* ---- the program's view of SIGSEGV and SIGBUS --------------------------- */

HS_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (!real_sigaction)
		real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
	int k = slot_of_sig(sig);
	if (!installed || k < 0)
		return hs_termsig_watched(sig) ? hs_termsig_action(sig, act, old) : real_sigaction(sig, act, old);
	if (old)
		*old = app[k];
	if (act)
		app[k] = *act;
	return 0;
}

/* The C library's other ways of setting a handler (the BSD and System V
 * ones) call its sigaction internally, past the wrapper above: a program
 * would be answered with heapscope's handler. They are redone here through
 * the wrapper, as glibc does them. */
static sighandler_t set_handler(int sig, sighandler_t handler, int flags, int mask_self)
{
	if (handler == SIG_ERR || sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return SIG_ERR;
	}
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (mask_self)
		sigaddset(&sa.sa_mask, sig);
	if (sigaction(sig, &sa, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}

HS_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	return set_handler(sig, handler, SA_RESTART, 1);
}

/* glibc's other names for signal's semantics */
HS_EXPORT sighandler_t bsd_signal(int sig, sighandler_t handler) HS_ALIAS(signal);
HS_EXPORT sighandler_t ssignal(int sig, sighandler_t handler) HS_ALIAS(signal);

#ifndef SA_INTERRUPT
#define SA_INTERRUPT 0x20000000 /* glibc's historical no-op flag, kept for the flags a query shows */
#endif
HS_EXPORT sighandler_t sysv_signal(int sig, sighandler_t handler)
{
	return set_handler(sig, handler, SA_RESETHAND | SA_NODEFER | SA_INTERRUPT, 0);
}

HS_EXPORT sighandler_t __sysv_signal(int sig, sighandler_t handler) HS_ALIAS(sysv_signal);

HS_EXPORT sighandler_t sigset(int sig, sighandler_t disp)
{
	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return SIG_ERR;
	}
	sigset_t set, oset;
	sigemptyset(&set);
	sigaddset(&set, sig);
	struct sigaction oact;
	if (disp == SIG_HOLD) {
		if (sigprocmask(SIG_BLOCK, &set, &oset) < 0)
			return SIG_ERR;
		if (sigismember(&oset, sig))
			return SIG_HOLD;
		if (sigaction(sig, NULL, &oact) < 0)
			return SIG_ERR;
		return oact.sa_handler;
	}
	struct sigaction act;
	memset(&act, 0, sizeof act);
	act.sa_handler = disp;
	sigemptyset(&act.sa_mask);
	if (sigaction(sig, &act, &oact) < 0 || sigprocmask(SIG_UNBLOCK, &set, &oset) < 0)
		return SIG_ERR;
	return sigismember(&oset, sig) ? SIG_HOLD : oact.sa_handler;
}
