/* out.h — formatting into a fixed buffer and writing with write(2): stdio is
 * off limits inside the allocator (it calls malloc, and the program may
 * have closed or redirected its streams). */
#ifndef HS_OUT_H
#define HS_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct hs_out {
	int fd;
	size_t n;
	char buf[1024];
};

void hs_out_init(struct hs_out *o, int fd);
void hs_out_str(struct hs_out *o, const char *s);
void hs_out_mem(struct hs_out *o, const char *s, size_t n);
void hs_out_u64(struct hs_out *o, uint64_t v);
void hs_out_hex(struct hs_out *o, uint64_t v);
/* Right-align `v` in `width` columns. */
void hs_out_u64w(struct hs_out *o, uint64_t v, unsigned width);
void hs_out_flush(struct hs_out *o);

/* The fd heapscope's own messages go to: a private duplicate of stderr made
 * at init, so a program that closes fd 2 does not silence us, and one that
 * reuses fd 2 for a file does not get our text in it. */
extern int hs_err_fd __attribute__((visibility("hidden")));

/* Is fd (still) the file dev/ino? A program may close one of heapscope's
 * descriptors and put a file of its own under that number. */
int hs_fd_is(int fd, dev_t dev, ino_t ino);
void hs_out_init_err(void);

#endif
