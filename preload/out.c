/* out.c — see out.h. Never allocates; write errors are ignored (there is
 * nowhere to report them). */
#define _GNU_SOURCE
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int hs_err_fd = 2;

void hs_out_init_err(void)
{
	/* High and close-on-exec: out of the way of programs that dup2 onto
	 * low fds, and not leaked into exec'd children. */
	int fd = fcntl(2, F_DUPFD_CLOEXEC, 900);
	if (fd >= 0)
		hs_err_fd = fd;
}

void hs_out_init(struct hs_out *o, int fd)
{
	o->fd = fd;
	o->n = 0;
}

void hs_out_flush(struct hs_out *o)
{
	int saved = errno;
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
