/* trace_writer.c — the trace file and its in-memory buffer.
 *
 * All records go through one buffer under `tw.lock`. Events are appended
 * into an open EVENTS record whose length is patched when the record is
 * closed (before any other record, and before every write). Keeping one
 * stream under one lock makes the file order the allocation order: a block's
 * free is appended before the block can be handed out again, whatever
 * thread reuses it. The lock is held for the few nanoseconds of encoding an
 * event; stack capture happens before, without it.
 *
 * The buffer is written when full, when a second of run time has passed
 * since the last write (so a SIGKILLed process loses at most that), at exit
 * and fork, and from a fatal-signal handler. Writes go to a high,
 * close-on-exec descriptor that is checked (fstat: same inode) before each
 * write, and reopened by path if the program closed it or reused its number.
 * Never calls malloc.
 */
#define _GNU_SOURCE
#include "trace_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <heapscope/trace_format.h>

#include "lock.h"
#include "options.h"
#include "out.h"
#include "pages.h"
#include "procmaps.h"

#define BUF_SIZE ((size_t)256 << 10)
#define EVENT_MAX 64 /* bytes one event can take, with TIME and THREAD */
#define FLUSH_MS 1000

int hs_trace_on;

/* Invariants: buf[0..len) holds whole records, except the open EVENTS record
 * that starts at ev_start (SIZE_MAX when none), whose events end at
 * ev_complete. last_* is the decoder state after the last event appended. */
static struct {
	hs_lock_t lock;
	int fd;
	dev_t dev;
	ino_t ino;
	char path[PATH_MAX];
	uint8_t *buf;
	size_t len;
	size_t ev_start, ev_complete;
	uint64_t last_addr;
	uint16_t last_tid;
	uint64_t last_ms, flushed_ms;
	uint64_t start_mono_ns;
	int broken; /* the file could not be written: stop trying */
} tw = {.fd = -1, .ev_start = SIZE_MAX};

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return (ns - tw.start_mono_ns) / 1000000u;
}

uint64_t hs_trace_clock_ms(void)
{
	return mono_ms();
}

static void say(const char *what, const char *path)
{
	struct hs_out o;
	hs_out_init(&o, hs_err_fd);
	hs_out_str(&o, "heapscope: ");
	hs_out_str(&o, what);
	hs_out_str(&o, path);
	hs_out_str(&o, "; recording stopped\n");
	hs_out_flush(&o);
}

/* Move fd to a high number, close-on-exec, out of the way of programs that
 * dup2 onto or close low descriptors. */
static int high_fd(int fd)
{
	static const int floors[] = {1000, 500, 200, 100, 30};
	for (unsigned i = 0; i < sizeof floors / sizeof floors[0]; i++) {
		int h = fcntl(fd, F_DUPFD_CLOEXEC, floors[i]);
		if (h >= 0) {
			close(fd);
			return h;
		}
	}
	return fd;
}

/* Does tw.fd still refer to our file? The program may have closed it, or
 * closed it and opened one of its own files under the same number. */
static int fd_is_ours(void)
{
	return hs_fd_is(tw.fd, tw.dev, tw.ino);
}

/* Is tw.fd still our file? If not, reopen it by path (never creating it,
 * never through a link), leaving the descriptor of that number alone.
 * 0, or the reason it cannot be written: an errno of the reopening
 * (ENOENT: the file is gone, or another file has its name; EMFILE: no
 * descriptor left). */
static int check_fd(void)
{
	if (fd_is_ours())
		return 0;
	int fd = open(tw.path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno ? errno : EIO;
	if (!hs_fd_is(fd, tw.dev, tw.ino)) {
		close(fd);
		return ENOENT;
	}
	tw.fd = high_fd(fd);
	return 0;
}

static void write_all(const uint8_t *p, size_t n)
{
	if (tw.broken || n == 0)
		return;
	int saved = errno;
	int why = check_fd();
	if (why != 0) {
		tw.broken = 1;
		say(why == ENOENT   ? "the trace file was removed: "
		    : why == EMFILE ? "no file descriptor left to reopen the trace (the program closed it): "
				    : "cannot reopen the trace: ",
		    tw.path);
		errno = saved;
		return;
	}
	while (n) {
		ssize_t w = write(tw.fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			tw.broken = 1;
			say("cannot write the trace ", tw.path);
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	errno = saved;
}

static void close_events_locked(void)
{
	if (tw.ev_start == SIZE_MAX)
		return;
	size_t body = tw.ev_complete - tw.ev_start - HS_RECORD_HEADER;
	if (body)
		hs_put_u32le(tw.buf + tw.ev_start + 1, (uint32_t)body);
	tw.len = body ? tw.ev_complete : tw.ev_start; /* an empty record is dropped */
	tw.ev_start = SIZE_MAX;
}

static void flush_locked(void)
{
	close_events_locked();
	write_all(tw.buf, tw.len);
	tw.len = 0;
}

void hs_trace_flush(void)
{
	if (!hs_trace_on)
		return;
	hs_lock(&tw.lock);
	flush_locked();
	hs_unlock(&tw.lock);
}

/* The offset the next write goes to, everything buffered written first;
 * -1 if the file cannot be written. Called with the lock held. */
static long long end_offset_locked(void)
{
	flush_locked();
	struct stat st;
	return !tw.broken && check_fd() == 0 && fstat(tw.fd, &st) == 0 ? (long long)st.st_size : -1;
}

int hs_trace_take_back(long long at)
{
	if (!hs_trace_on || at < 0)
		return -1;
	static const uint8_t type = HS_REC_VOID;
	hs_lock(&tw.lock);
	int r = -1;
	/* pwrite appends on a descriptor opened O_APPEND (a reopened one) */
	int fl = !tw.broken && check_fd() == 0 ? fcntl(tw.fd, F_GETFL) : -1;
	if (fl >= 0 && fcntl(tw.fd, F_SETFL, fl & ~O_APPEND) == 0) {
		r = pwrite(tw.fd, &type, 1, (off_t)at) == 1 ? 0 : -1;
		fcntl(tw.fd, F_SETFL, fl);
	}
	hs_unlock(&tw.lock);
	return r;
}

static void put_record_locked(unsigned type, const uint8_t *payload, size_t n)
{
	close_events_locked();
	uint8_t hdr[HS_RECORD_HEADER];
	hdr[0] = (uint8_t)type;
	hs_put_u32le(hdr + 1, (uint32_t)n);
	if (tw.len + sizeof hdr + n > BUF_SIZE)
		flush_locked();
	if (sizeof hdr + n > BUF_SIZE) {
		write_all(hdr, sizeof hdr);
		write_all(payload, n);
		return;
	}
	memcpy(tw.buf + tw.len, hdr, sizeof hdr);
	memcpy(tw.buf + tw.len + sizeof hdr, payload, n);
	tw.len += sizeof hdr + n;
}

void hs_trace_record(unsigned type, const uint8_t *payload, size_t len)
{
	if (!hs_trace_on)
		return;
	hs_lock(&tw.lock);
	put_record_locked(type, payload, len);
	hs_unlock(&tw.lock);
}

void hs_trace_record_nowait(unsigned type, const uint8_t *payload, size_t len)
{
	if (!hs_trace_on)
		return;
	/* Another thread may hold the lock for a moment: wait a little, but
	 * never forever (the holder may be this very thread). */
	for (int i = 0; i < 100000; i++) {
		if (hs_trylock(&tw.lock)) {
			put_record_locked(type, payload, len);
			flush_locked();
			hs_unlock(&tw.lock);
			return;
		}
		__builtin_ia32_pause();
	}
	/* Buffered records stay where they are; this one goes first. A reader
	 * sees it before some earlier events, which is harmless for an error. */
	uint8_t hdr[HS_RECORD_HEADER];
	hdr[0] = (uint8_t)type;
	hs_put_u32le(hdr + 1, (uint32_t)len);
	write_all(hdr, sizeof hdr);
	write_all(payload, len);
}

/* Room for one event in an open EVENTS record, with its TIME and THREAD
 * prefixes; returns where to write. */
static uint8_t *event_begin_room_locked(uint16_t tid, size_t room)
{
	uint64_t ms = mono_ms();
	if (tw.len + room > BUF_SIZE || ms - tw.flushed_ms >= FLUSH_MS) {
		flush_locked();
		tw.flushed_ms = ms; /* last_ms stays: the TIME event below carries the step */
	}
	if (tw.ev_start == SIZE_MAX) {
		tw.ev_start = tw.len;
		tw.buf[tw.len] = HS_REC_EVENTS;
		tw.len += HS_RECORD_HEADER;
		tw.ev_complete = tw.len;
	}
	uint8_t *p = tw.buf + tw.len;
	if (ms != tw.last_ms) {
		*p++ = HS_EV_TIME;
		p += hs_put_varint(p, ms - tw.last_ms);
		tw.last_ms = ms;
	}
	if (tid != tw.last_tid) {
		*p++ = HS_EV_THREAD;
		p += hs_put_varint(p, tid);
		tw.last_tid = tid;
	}
	return p;
}

static uint8_t *event_begin_locked(uint16_t tid)
{
	return event_begin_room_locked(tid, EVENT_MAX);
}

static void event_end_locked(uint8_t *p)
{
	tw.len = (size_t)(p - tw.buf);
	tw.ev_complete = tw.len;
}

static uint8_t *put_addr(uint8_t *p, const void *a)
{
	uint64_t v = (uintptr_t)a >> HS_ADDR_SHIFT;
	p += hs_put_varint(p, hs_zigzag((int64_t)(v - tw.last_addr)));
	tw.last_addr = v;
	return p;
}

void hs_trace_alloc(const void *a, size_t size, uint32_t stack, unsigned api, uint16_t tid)
{
	hs_lock(&tw.lock);
	uint8_t *p = event_begin_locked(tid);
	*p++ = (uint8_t)(HS_EV_ALLOC | api);
	p = put_addr(p, a);
	p += hs_put_varint(p, size);
	p += hs_put_varint(p, stack);
	event_end_locked(p);
	hs_unlock(&tw.lock);
}

void hs_trace_free(const void *a, unsigned api, uint32_t stack, uint16_t tid)
{
	hs_lock(&tw.lock);
	uint8_t *p = event_begin_locked(tid);
	*p++ = (uint8_t)(HS_EV_FREE | (api - HS_API_FREE) | (stack ? HS_EV_FREE_HAS_STACK : 0));
	p = put_addr(p, a);
	if (stack)
		p += hs_put_varint(p, stack);
	event_end_locked(p);
	hs_unlock(&tw.lock);
}

void hs_trace_realloc(const void *old, const void *a, size_t size, uint32_t stack, uint16_t tid)
{
	hs_lock(&tw.lock);
	uint8_t *p = event_begin_locked(tid);
	*p++ = HS_EV_REALLOC;
	p = put_addr(p, old);
	p = put_addr(p, a);
	p += hs_put_varint(p, size);
	p += hs_put_varint(p, stack);
	event_end_locked(p);
	hs_unlock(&tw.lock);
}

int hs_trace_stack(int ref, const uint8_t *body, size_t len, int wait)
{
	if (!hs_trace_on || len > BUF_SIZE / 2)
		return 1;
	if (wait)
		hs_lock(&tw.lock);
	else if (!hs_trylock(&tw.lock))
		return 0;
	uint8_t *p = event_begin_room_locked(tw.last_tid, EVENT_MAX + len);
	*p++ = (uint8_t)(HS_EV_STACK | (ref ? HS_EV_STACK_REF : 0));
	p += hs_put_varint(p, len);
	memcpy(p, body, len);
	event_end_locked(p + len);
	hs_unlock(&tw.lock);
	return 1;
}

static size_t put_str(uint8_t *p, const char *s, size_t n)
{
	size_t k = hs_put_varint(p, n);
	memcpy(p + k, s, n);
	return k + n;
}

/* INFO payload into `p` (room: `cap`); returns its length. argv comes from
 * /proc/self/cmdline (the program's argv is not reachable from a library
 * initialised before main). */
static size_t build_info(uint8_t *p, size_t cap)
{
	static char cmd[16384];
	size_t n = 0;
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	n += hs_put_varint(p + n, (uint64_t)getpid());
	n += hs_put_varint(p + n, (uint64_t)getppid());
	n += hs_put_varint(p + n, (uint64_t)rt.tv_sec * 1000000000u + (uint64_t)rt.tv_nsec);
	n += hs_put_varint(p + n, (uint64_t)sysconf(_SC_PAGESIZE));
	/* kept from the first read: a fork child runs the same image (readlink
	 * of /proc/self/exe was a sixth of a shell child's trace start) */
	size_t el;
	const char *exe = hs_self_exe(&el);
	n += put_str(p + n, exe, el);
	ssize_t cl = 0;
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r;
		while (cl < (ssize_t)sizeof cmd && (r = read(fd, cmd + cl, sizeof cmd - (size_t)cl)) > 0)
			cl += r;
		close(fd);
	}
	size_t argc = 0;
	for (ssize_t i = 0; i < cl; i++)
		argc += cmd[i] == 0;
	n += hs_put_varint(p + n, argc);
	for (ssize_t i = 0; i < cl && n + 64 < cap;) {
		size_t len = strnlen(cmd + i, (size_t)(cl - i));
		if (n + len + 16 > cap)
			len = cap - n - 16; /* argv too long: truncated */
		n += put_str(p + n, cmd + i, len);
		i += (ssize_t)strnlen(cmd + i, (size_t)(cl - i)) + 1;
	}
	size_t ol = strlen(hs_opt_spec);
	if (n + ol + 16 > cap)
		ol = 0;
	n += put_str(p + n, hs_opt_spec, ol);
	return n;
}

static int create_file(const char *dir, size_t dir_len)
{
	char pid[24];
	struct hs_out tmp; /* only for its number formatting */
	hs_out_init(&tmp, -1);
	hs_out_u64(&tmp, (uint64_t)getpid());
	memcpy(pid, tmp.buf, tmp.n);
	pid[tmp.n] = 0;
	if (dir_len + 64 >= sizeof tw.path)
		return -1;
	memcpy(tw.path, dir, dir_len);
	tw.path[dir_len] = 0;
	int made = 0;
	/* pid reuse, or an exec'd image of the same process: never overwrite,
	 * pick the next free name instead. */
	for (int k = 0; k < 100; k++) {
		char *e = tw.path + dir_len;
		e = stpcpy(e, "/heapscope.");
		e = stpcpy(e, pid);
		if (k) {
			*e++ = '.';
			if (k >= 10)
				*e++ = (char)('0' + k / 10);
			*e++ = (char)('0' + k % 10);
		}
		strcpy(e, ".hst");
		int fd = open(tw.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
		if (errno == ENOENT && !made) {
			/* usually made by `heapscope run` (or the parent) already */
			made = 1;
			tw.path[dir_len] = 0;
			mkdir(tw.path, 0700);
			k--;
			continue;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

static int start_file_locked(const char *dir, size_t dir_len)
{
	int fd = create_file(dir, dir_len);
	if (fd < 0) {
		tw.path[dir_len < sizeof tw.path ? dir_len : 0] = 0;
		say("cannot create a trace in ", tw.path);
		return -1;
	}
	tw.fd = high_fd(fd);
	struct stat st;
	fstat(tw.fd, &st);
	tw.dev = st.st_dev;
	tw.ino = st.st_ino;
	tw.broken = 0;
	tw.len = 0;
	tw.ev_start = SIZE_MAX;
	tw.last_addr = 0;
	tw.last_tid = 0;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	tw.start_mono_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	tw.last_ms = tw.flushed_ms = 0;
	struct hs_trace_file_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, HS_TRACE_MAGIC, sizeof HS_TRACE_MAGIC);
	h.version = HS_TRACE_VERSION; /* little-endian hosts only, as x86_64 is */
	memcpy(tw.buf, &h, sizeof h);
	tw.len = sizeof h;
	uint8_t *info = tw.buf + tw.len + HS_RECORD_HEADER;
	size_t n = build_info(info, BUF_SIZE / 2);
	tw.buf[tw.len] = HS_REC_INFO;
	hs_put_u32le(tw.buf + tw.len + 1, (uint32_t)n);
	tw.len += HS_RECORD_HEADER + n;
	flush_locked();
	return 0;
}

int hs_trace_open(const char *dir, size_t dir_len)
{
	tw.buf = hs_pages_map_internal(BUF_SIZE, HS_PAGES_LAZY);
	if (!tw.buf)
		return -1;
	/* A relative directory is taken from the working directory now: a
	 * fork child made after the program changed it must write beside its
	 * parent's trace (it made a directory of that name wherever the
	 * program had gone). */
	static char abs_dir[PATH_MAX];
	if (dir_len && dir[0] != '/' && getcwd(abs_dir, sizeof abs_dir)) {
		size_t cl = strlen(abs_dir);
		if (cl + 1 + dir_len < sizeof abs_dir) {
			abs_dir[cl] = '/';
			memcpy(abs_dir + cl + 1, dir, dir_len);
			dir = abs_dir;
			dir_len += cl + 1;
		}
	}
	hs_lock(&tw.lock);
	int r = start_file_locked(dir, dir_len);
	hs_unlock(&tw.lock);
	if (r == 0)
		__atomic_store_n(&hs_trace_on, 1, __ATOMIC_RELEASE);
	return r;
}

/* The EXIT record, flushed; with at, the offset it was written at (-1 if
 * the file cannot be written). */
static void write_exit(unsigned how, uint64_t value, int leak_check, const char *reason, long long *at)
{
	uint8_t p[256];
	size_t n = 0, rl = strlen(reason);
	if (rl > 200)
		rl = 200;
	n += hs_put_varint(p + n, how);
	n += hs_put_varint(p + n, value);
	n += hs_put_varint(p + n, (uint64_t)leak_check);
	n += put_str(p + n, reason, rl);
	hs_lock(&tw.lock);
	if (at)
		*at = end_offset_locked();
	put_record_locked(HS_REC_EXIT, p, n);
	flush_locked();
	hs_unlock(&tw.lock);
}

void hs_trace_exit(unsigned how, uint64_t value, int leak_check, const char *reason)
{
	if (hs_trace_on)
		write_exit(how, value, leak_check, reason, NULL);
}

long long hs_trace_exit_at(unsigned how, uint64_t value, const char *reason)
{
	long long at = -1;
	if (hs_trace_on)
		write_exit(how, value, 0, reason, &at);
	return at;
}

void hs_trace_crash(int sig)
{
	if (!hs_trace_on)
		return;
	/* Held: by another thread, which lets go within microseconds (give it
	 * about a millisecond: writing past it garbled a trace's end in 1 of 40
	 * runs of eight allocating threads killed by SIGTERM), or by this very
	 * thread, mid-event. Then only complete events are written; an
	 * appender still running could race us, at the cost of its last event. */
	int locked = 0;
	for (int i = 0; i < 1000 && !(locked = hs_trylock(&tw.lock)); i++)
		sched_yield();
	if (!locked && tw.ev_start != SIZE_MAX)
		tw.len = tw.ev_complete;
	flush_locked();
	uint8_t p[32];
	size_t n = 0;
	n += hs_put_varint(p + n, HS_EXIT_SIGNAL);
	n += hs_put_varint(p + n, (uint64_t)sig);
	n += hs_put_varint(p + n, 0);
	n += put_str(p + n, "killed by a signal", 18);
	put_record_locked(HS_REC_EXIT, p, n);
	flush_locked();
	/* The process is about to die: the lock stays taken. */
}

void hs_trace_lock(void)
{
	hs_lock(&tw.lock);
	if (hs_trace_on)
		flush_locked(); /* the child must not inherit buffered parent events */
}

void hs_trace_unlock(void)
{
	hs_unlock(&tw.lock);
}

void hs_trace_after_fork_child(void)
{
	hs_lock_reset(&tw.lock);
	if (!hs_trace_on)
		return;
	/* The parent keeps its file and descriptor; the child starts its own
	 * in the same directory. */
	char dir[PATH_MAX];
	char *slash = strrchr(tw.path, '/');
	size_t dl = slash ? (size_t)(slash - tw.path) : 0;
	memcpy(dir, tw.path, dl);
	/* the parent's descriptor, unless the program has put a file of its
	 * own under that number since (closing it would close the program's) */
	if (fd_is_ours())
		close(tw.fd);
	hs_lock(&tw.lock);
	if (start_file_locked(dir, dl) != 0)
		hs_trace_on = 0;
	hs_unlock(&tw.lock);
}
