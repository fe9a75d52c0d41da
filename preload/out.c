/* out.c — see out.h. Never allocates; write errors are ignored (there is
 * nowhere to report them). */
#define _GNU_SOURCE
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hs_err_fd = 2;
/* The file hs_err_fd referred to when heapscope set it (ident_fd: that
 * number; -1 before). */
static int ident_fd = -1;
static dev_t err_dev;
static ino_t err_ino;

static void learn_err_fd(void)
{
	struct stat st;
	ident_fd = fstat(hs_err_fd, &st) == 0 ? hs_err_fd : -1;
	err_dev = st.st_dev;
	err_ino = st.st_ino;
}

void hs_out_init_err(void)
{
	/* High and close-on-exec: out of the way of programs that dup2 onto
	 * low fds, and not leaked into exec'd children. */
	int fd = fcntl(2, F_DUPFD_CLOEXEC, 900);
	if (fd >= 0)
		hs_err_fd = fd;
	learn_err_fd();
}

/* The program may have closed our message descriptor and put a file of
 * its own under that number (dup2 onto it, or the lowest free number):
 * heapscope's messages must not go into it. They are dropped then. (A
 * descriptor set without hs_out_init_err, as the unit tests set theirs,
 * is taken as it is the first time.) */
static int err_fd_still_ours(void)
{
	if (hs_err_fd != ident_fd) {
		learn_err_fd();
		return 1;
	}
	return hs_fd_is(hs_err_fd, err_dev, err_ino);
}

int hs_fd_is(int fd, dev_t dev, ino_t ino)
{
	struct stat st;
	return fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

void hs_out_init(struct hs_out *o, int fd)
{
	o->fd = fd;
	o->n = 0;
}

void hs_out_flush(struct hs_out *o)
{
	int saved = errno;
	if (o->fd == hs_err_fd && o->n && !err_fd_still_ours())
		o->n = 0;
	size_t off = 0;
	while (off < o->n) {
		ssize_t w = write(o->fd, o->buf + off, o->n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	o->n = 0;
	errno = saved;
}

void hs_out_mem(struct hs_out *o, const char *s, size_t n)
{
	while (n) {
		if (o->n == sizeof o->buf)
			hs_out_flush(o);
		size_t k = sizeof o->buf - o->n;
		if (k > n)
			k = n;
		memcpy(o->buf + o->n, s, k);
		o->n += k;
		s += k;
		n -= k;
	}
}

void hs_out_str(struct hs_out *o, const char *s)
{
	hs_out_mem(o, s, strlen(s));
}

static size_t fmt_u64(char *tmp, uint64_t v, unsigned base)
{
	size_t n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	return n;
}

void hs_out_u64w(struct hs_out *o, uint64_t v, unsigned width)
{
	char tmp[24];
	size_t n = fmt_u64(tmp, v, 10);
	while (width-- > n)
		hs_out_mem(o, " ", 1);
	while (n)
		hs_out_mem(o, &tmp[--n], 1);
}

void hs_out_u64(struct hs_out *o, uint64_t v)
{
	hs_out_u64w(o, v, 0);
}

void hs_out_hex(struct hs_out *o, uint64_t v)
{
	char tmp[24];
	size_t n = fmt_u64(tmp, v, 16);
	hs_out_mem(o, "0x", 2);
	while (n)
		hs_out_mem(o, &tmp[--n], 1);
}
