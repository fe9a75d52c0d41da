/* hs_testutil.h — helpers shared by the api and stress tests that run under
 * LD_PRELOAD=libheapscope.so: "is the preload really in charge", the exact
 * usable size heapscope gives a request (its documented size policy), a
 * position-dependent fill pattern, and VmRSS read without allocating.
 * Header-only (static functions); C11 and C++17.
 */
#ifndef HS_TESTUTIL_H
#define HS_TESTUTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HST_KIB ((size_t)1 << 10)
#define HST_MIB ((size_t)1 << 20)

/* Name of the object defining `sym` as the program sees it, or "". */
static inline const char *hst_defining_object(const char *sym)
{
	void *addr = dlsym(RTLD_DEFAULT, sym);
	Dl_info info;
	if (!addr || !dladdr(addr, &info) || !info.dli_fname)
		return "";
	return info.dli_fname;
}

/* 1 when `sym` resolves into libheapscope.so. */
static inline int hst_from_heapscope(const char *sym)
{
	return strstr(hst_defining_object(sym), "libheapscope.so") != NULL;
}

/* Exit with a message unless malloc and free are heapscope's: every test
 * here is meaningless without the preload. */
static inline void hst_require_preload(void)
{
	if (!hst_from_heapscope("malloc") || !hst_from_heapscope("free")) {
		fprintf(stderr, "not running under libheapscope.so (malloc from '%s'); "
				"set LD_PRELOAD\n", hst_defining_object("malloc"));
		exit(2);
	}
}

/* Slab size classes (preload/slab.c), largest 3584 B. */
static const size_t hst_classes[] = {
	16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256,
	320, 384, 448, 512, 640, 768, 896, 1024,
	1280, 1536, 1792, 2048, 2560, 3072, 3584,
};
#define HST_NCLASSES (sizeof hst_classes / sizeof hst_classes[0])
#define HST_SLAB_MAX ((size_t)3584)
#define HST_PAGE ((size_t)4096)
#define HST_BUDDY_MAX HST_MIB

static inline size_t hst_round_up(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

/* A block in a mapping of its own: whole pages, at least one (a zero-size
 * block still needs an address of its own). */
static inline size_t hst_usable_own_mapping(size_t size)
{
	return hst_round_up(size ? size : 1, HST_PAGE);
}

/* The usable size heapscope gives malloc(size) (16-byte alignment):
 * the slab class for ≤ 3584 B, a power-of-two run of pages up to 1 MiB,
 * whole pages above (a mapping of its own). */
static inline size_t hst_usable_for(size_t size)
{
	if (size <= HST_SLAB_MAX) {
		for (size_t i = 0; i < HST_NCLASSES; i++)
			if (hst_classes[i] >= size)
				return hst_classes[i];
	}
	if (size <= HST_BUDDY_MAX) {
		size_t b = HST_PAGE;
		while (b < size)
			b <<= 1;
		return b;
	}
	return hst_usable_own_mapping(size);
}

/* The usable size for memalign(align, size), align a power of two ≥ 16:
 * the smallest slab class ≥ max(size, align) that is a multiple of align
 * (align ≤ one page), else a buddy block of max(size, align), else a page-
 * rounded mapping of at least one page. */
static inline size_t hst_usable_for_aligned(size_t size, size_t align)
{
	if (align <= 16)
		return hst_usable_for(size);
	size_t need = size > align ? size : align;
	if (need <= HST_SLAB_MAX && align <= HST_PAGE) {
		for (size_t i = 0; i < HST_NCLASSES; i++)
			if (hst_classes[i] >= need && hst_classes[i] % align == 0)
				return hst_classes[i];
	}
	if (need <= HST_BUDDY_MAX) {
		size_t b = HST_PAGE;
		while (b < need)
			b <<= 1;
		return b;
	}
	return hst_usable_own_mapping(size);
}

/* Pattern byte i of block `id`: depends on both, so a block that got
 * another block's bytes, or its own shifted, is caught. */
static inline unsigned char hst_pat(uint64_t id, size_t i)
{
	uint64_t x = id * 0x9E3779B97F4A7C15ull + (uint64_t)(i >> 3) * 0xBF58476D1CE4E5B9ull;
	x ^= x >> 29;
	return (unsigned char)(x >> ((i & 7) * 8));
}

/* Fill [from, to) of p with id's pattern, 8 bytes at a time where aligned. */
static inline void hst_fill(void *p, uint64_t id, size_t from, size_t to)
{
	unsigned char *c = (unsigned char *)p;
	size_t i = from;
	for (; i < to && (i & 7); i++)
		c[i] = hst_pat(id, i);
	for (; i + 8 <= to; i += 8) {
		uint64_t x = id * 0x9E3779B97F4A7C15ull + (uint64_t)(i >> 3) * 0xBF58476D1CE4E5B9ull;
		x ^= x >> 29;
		memcpy(c + i, &x, 8); /* little-endian: byte k is x >> 8k */
	}
	for (; i < to; i++)
		c[i] = hst_pat(id, i);
}

/* Index of the first byte in [from, to) that differs from the pattern, or
 * SIZE_MAX when all match. */
static inline size_t hst_check(const void *p, uint64_t id, size_t from, size_t to)
{
	const unsigned char *c = (const unsigned char *)p;
	size_t i = from;
	for (; i < to && (i & 7); i++)
		if (c[i] != hst_pat(id, i))
			return i;
	for (; i + 8 <= to; i += 8) {
		uint64_t x = id * 0x9E3779B97F4A7C15ull + (uint64_t)(i >> 3) * 0xBF58476D1CE4E5B9ull;
		x ^= x >> 29;
		uint64_t y;
		memcpy(&y, c + i, 8);
		if (x != y)
			for (size_t k = i; k < i + 8; k++)
				if (c[k] != hst_pat(id, k))
					return k;
	}
	for (; i < to; i++)
		if (c[i] != hst_pat(id, i))
			return i;
	return SIZE_MAX;
}

/* Index of the first nonzero byte of p[0, n), or SIZE_MAX. */
static inline size_t hst_first_nonzero(const void *p, size_t n)
{
	const unsigned char *c = (const unsigned char *)p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return i;
	return SIZE_MAX;
}

/* VmRSS of this process in KiB from /proc/self/status, or -1. Uses only
 * open/read/close and a stack buffer: it must not disturb the heap it
 * measures. */
static inline long hst_vmrss_kib(void)
{
	char buf[8192];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, sizeof buf - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	const char *l = strstr(buf, "\nVmRSS:");
	if (!l)
		return -1;
	return strtol(l + 7, NULL, 10);
}

#endif
