/* capture.c — stack capture.
 *
 * The default unwinder (unwinder=fast) walks ordinary frames itself from
 * their .eh_frame rules, cached (fastunwind.c), and hands every stack it
 * cannot walk (signal frames, DWARF expressions) to libgcc's
 * _Unwind_Backtrace. That is a copy of libgcc's unwinder linked into
 * libheapscope.so and hidden there (-static-libgcc, --exclude-libs): it
 * finds objects with _dl_find_object, without the loader lock, and costs
 * a process nothing to load (loading libunwind, liblzma and libgcc_s took
 * 0.2 ms of every process, a tenth of a `git log`). unwinder=libunwind
 * loads libunwind in the constructor (RTLD_LOCAL: its _Unwind_* stay out
 * of the program's way) and uses unw_backtrace (local only, with its
 * per-thread cache) for every stack; it is about 5× faster than
 * _Unwind_Backtrace for every stack (unwinder=libgcc), which parses the
 * unwind tables again for every frame (measured on the churn benchmark).
 *
 * libunwind 1.6.2 validates some memory reads by writing to a private pipe
 * it opens on the lowest free descriptors, and closes and reopens it when a
 * read on it fails. In a program that closes or reuses its descriptors
 * (daemons, closefrom), that pipe would take over, close or write into the
 * program's files. So pipe2() is interposed: a pipe libunwind asks for is
 * moved to the top of the descriptor table, where programs allocating
 * lowest-first do not reach, and any reopening lands there again.
 *
 * Never called with an allocator lock held: a capture may consult the
 * loader's data. */
#define _GNU_SOURCE
#include "capture.h"

#include <dlfcn.h>
#include <link.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <signal.h>
#include <unistd.h>
#include <unwind.h>

#include "fastunwind.h"
#include "hs_internal.h"
#include "options.h"
#include "out.h"

static uintptr_t self_lo, self_hi;
/* Signal masking around libunwind (see sigprocmask below). */
static __thread int tl_unwinding HS_TLS;
static int (*real_sigprocmask)(int, const sigset_t *, sigset_t *);

static uintptr_t unw_lo, unw_hi; /* libunwind's code, when loaded */
static int use_libgcc, use_fast;
static int (*unw_backtrace_fn)(void **, int); /* unwinder=libunwind */

static int in_self(uintptr_t ip)
{
	return ip >= self_lo && ip < self_hi;
}

struct text_range {
	uintptr_t probe, lo, hi;
};

/* The executable segment of the object containing probe. */
static int find_text(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct text_range *r = data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (r->probe >= lo && r->probe < lo + ph->p_memsz) {
			r->lo = lo;
			r->hi = lo + ph->p_memsz;
			return 1;
		}
	}
	return 0;
}

struct collect {
	uintptr_t *out;
	int n, max;
	int started;	  /* past heapscope's own leading frames */
	int want_signal;  /* start at the interrupted frame of a signal */
};

static _Unwind_Reason_Code collect_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct collect *c = arg;
	int before = 0;
	uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
	if (!ip)
		return _URC_END_OF_STACK;
	if (!c->started) {
		/* the interrupted frame's ip is the instruction itself (before
		 * = 1): store it + 1, like the return addresses around it */
		if (c->want_signal ? !before : in_self(ip))
			return _URC_NO_REASON;
		c->started = 1;
	}
	c->out[c->n++] = ip + (before ? 1 : 0);
	return c->n < c->max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

/* unwinder=libunwind: libunwind.so.8 loaded here, in the constructor
 * (never from inside malloc, where the loader may be busy); without it,
 * the fast walk with libgcc's unwinder behind it. */
static void load_libunwind(void)
{
	void *h = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
	unw_backtrace_fn = h ? (int (*)(void **, int))dlsym(h, "unw_backtrace") : NULL;
	void (*init_local)(void) = h ? (void (*)(void))dlsym(h, "_ULx86_64_init_local") : NULL;
	int (*policy)(void *, int) = h ? (int (*)(void *, int))dlsym(h, "_ULx86_64_set_caching_policy") : NULL;
	int (*cache_size)(void *, size_t, int) =
		h ? (int (*)(void *, size_t, int))dlsym(h, "_ULx86_64_set_cache_size") : NULL;
	void **space = h ? (void **)dlsym(h, "_ULx86_64_local_addr_space") : NULL;
	if (!unw_backtrace_fn || !init_local || !policy || !cache_size || !space) {
		struct hs_out o;
		hs_out_init(&o, hs_err_fd);
		hs_out_str(&o, "heapscope: unwinder=libunwind: libunwind.so.8 cannot be loaded; using unwinder=fast\n");
		hs_out_flush(&o);
		unw_backtrace_fn = NULL;
		use_fast = 1;
		return;
	}
	/* before libunwind's first use: it opens its pipe then */
	struct text_range unw = {(uintptr_t)init_local, 0, 0};
	dl_iterate_phdr(find_text, &unw);
	unw_lo = unw.lo;
	unw_hi = unw.hi;
	real_sigprocmask = (int (*)(int, const sigset_t *, sigset_t *))dlsym(RTLD_NEXT, "sigprocmask");
	policy(*space, 2 /* UNW_CACHE_PER_THREAD */);
	cache_size(*space, 1024, 0);
}

void hs_unwind_init(void)
{
	struct text_range self = {(uintptr_t)&hs_unwind_init, 0, 0};
	dl_iterate_phdr(find_text, &self);
	self_lo = self.lo;
	self_hi = self.hi;
	const char *u = hs_opt.unwinder;
	use_libgcc = hs_opt_len(u) == 6 && !__builtin_memcmp(u, "libgcc", 6);
	use_fast = hs_opt_len(u) == 4 && !__builtin_memcmp(u, "fast", 4);
	if (!use_libgcc && !use_fast)
		load_libunwind();
	/* Warm up: the first capture sets up the unwinder's state (and
	 * libunwind its pipe). Two frames: the loader's frames above a
	 * constructor are never an allocation's, their unwind information
	 * would be looked up for nothing (0.1 ms a process). The fast walk
	 * needs none. */
	if (!use_fast) {
		uintptr_t frames[2];
		uint64_t token;
		hs_unwind_capture(frames, 2, NULL, &token);
	}
}

/* The first max of the n frames in from the first that is not heapscope's,
 * to out (which may be in: each goes down or stays). */
static int program_frames(uintptr_t *out, const uintptr_t *in, int n, int max)
{
	int skip = 0;
	while (skip < n && in_self(in[skip]))
		skip++;
	if (out == in && skip == 0) /* the usual case from an entry's frame */
		return n < max ? n : max;
	int k = 0;
	for (int i = skip; i < n && k < max; i++)
		out[k++] = in[i];
	return k;
}

/* libgcc's walk: from the first frame that is not heapscope's, or with
 * want_signal from a signal's interrupted frame. */
static int capture_libgcc(uintptr_t *frames, int max, int want_signal)
{
	struct collect c = {frames, 0, max, 0, want_signal};
	_Unwind_Backtrace(collect_frame, &c);
	return c.n;
}

static int capture_libunwind(uintptr_t *frames, int max)
{
	/* every signal blocked for the whole of libunwind's work (see
	 * sigprocmask below): no handler runs in between to unwind with the
	 * same library */
	sigset_t all, saved;
	sigfillset(&all);
	int masked = real_sigprocmask && real_sigprocmask(SIG_SETMASK, &all, &saved) == 0;
	tl_unwinding = masked; /* else libunwind masks for itself */
	void *buf[HS_MAX_DEPTH + 16];
	int n = unw_backtrace_fn(buf, max + 16);
	tl_unwinding = 0;
	if (masked)
		real_sigprocmask(SIG_SETMASK, &saved, NULL);
	uintptr_t ip[HS_MAX_DEPTH + 16];
	for (int i = 0; i < n; i++)
		ip[i] = (uintptr_t)buf[i];
	return program_frames(frames, ip, n, max);
}

static int capture_fast(uintptr_t *frames, int max, const void *frame, uint64_t *token)
{
	int n;
	if (frame) {
		/* From the entry's caller: straight into frames, where nothing
		 * of heapscope's is to be dropped but in a call from inside
		 * heapscope. A walk it cannot finish would fail on the same
		 * frames from here too. */
		n = hs_fast_backtrace(frames, max, frame, token);
		if (n >= 0)
			return program_frames(frames, frames, n, max);
	} else {
		uintptr_t buf[HS_MAX_DEPTH + 16];
		n = hs_fast_backtrace(buf, max + 16, NULL, token);
		if (n >= 0)
			return program_frames(frames, buf, n, max);
	}
	*token = 0;
	return capture_libgcc(frames, max, 0);
}

static int clamp_depth(int max)
{
	return max > HS_MAX_DEPTH ? HS_MAX_DEPTH : max;
}

int hs_unwind_capture(uintptr_t *frames, int max, const void *frame, uint64_t *token)
{
	*token = 0;
	max = clamp_depth(max);
	if (max <= 0)
		return 0;
	if (use_fast)
		return capture_fast(frames, max, frame, token);
	if (unw_backtrace_fn)
		return capture_libunwind(frames, max);
	return capture_libgcc(frames, max, 0);
}

int hs_unwind_capture_signal(uintptr_t *frames, int max)
{
	max = clamp_depth(max);
	return max > 0 ? capture_libgcc(frames, max, 1) : 0;
}

/* libunwind blocks every signal around each of its critical sections
 * (dl_iterate_phdr, its locks), so that a signal handler which unwinds
 * cannot deadlock on them: on a cold cache that is a dozen sigprocmask
 * system calls per frame it has not seen, 3 of git's 5 ms of recording
 * cost per process. capture_libunwind blocks every signal once for the
 * whole call instead; meanwhile libunwind's own calls are answered here
 * (nothing to change: everything is blocked already). */
HS_EXPORT int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	if (!real_sigprocmask)
		real_sigprocmask = (int (*)(int, const sigset_t *, sigset_t *))dlsym(RTLD_NEXT, "sigprocmask");
	uintptr_t caller = (uintptr_t)__builtin_return_address(0);
	if (!tl_unwinding || caller < unw_lo || caller >= unw_hi || !real_sigprocmask)
		return real_sigprocmask ? real_sigprocmask(how, set, old) : -1;
	(void)how;
	(void)set;
	if (old)
		sigfillset(old); /* what is in force; restoring it changes nothing */
	return 0;
}

/* See the top of this file: libunwind's validation pipe goes to the top of
 * the descriptor table; everybody else's pipes are untouched. */
HS_EXPORT int pipe2(int fds[2], int flags)
{
	static int (*real)(int *, int);
	if (!real)
		real = (int (*)(int *, int))dlsym(RTLD_NEXT, "pipe2");
	if (!real)
		return -1;
	uintptr_t caller = (uintptr_t)__builtin_return_address(0);
	int r = real(fds, flags);
	if (r != 0 || caller < unw_lo || caller >= unw_hi)
		return r;
	struct rlimit rl;
	int floor = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 64 && rl.rlim_cur < 65536
			    ? (int)rl.rlim_cur - 16
			    : 1000;
	for (int i = 0; i < 2; i++) {
		int high = fcntl(fds[i], F_DUPFD_CLOEXEC, floor);
		if (high >= 0) {
			close(fds[i]);
			fds[i] = high;
		}
	}
	return r;
}
