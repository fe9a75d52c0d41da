/* pagescan.h — which pages of this process hold something, from
 * /proc/self/pagemap: the runs of resident pages (what smaps counts as Rss)
 * for snapshots, of pages with data (present or swapped out) for the leak
 * scan. No allocation, no lock: the leak scan calls it with the world
 * stopped. */
#ifndef HS_PAGESCAN_H
#define HS_PAGESCAN_H

#include <stdint.h>

enum hs_pages_kind {
	HS_PAGES_RESIDENT,  /* present, not the shared zero page */
	HS_PAGES_WITH_DATA, /* present or swapped out, not a guard marker: what may hold a pointer */
};

/* One reader. max_read bounds the fallback's work (see pagescan.c); 0: no
 * bound. */
struct hs_pagescan {
	int fd;
	int scan;	     /* PAGEMAP_SCAN answers (Linux 6.7) */
	int no_guard_flag;   /* ... but knows no guard markers (before 6.15) */
	uint64_t max_read;   /* pagemap entries the fallback may read */
	uint64_t read;	     /* ... and has read */
};

/* 0, or -1 if /proc/self/pagemap cannot be opened. */
int hs_pagescan_open(struct hs_pagescan *ps, uint64_t max_read);
void hs_pagescan_close(struct hs_pagescan *ps);

/* fn(a, b, ctx) for each run [a, b) of pages of that kind in [lo, hi)
 * (page-aligned outward), in address order. Returns the address up to
 * which the answer is complete: hi, or less if pagemap could not be read
 * or the fallback's bound was reached. */
uintptr_t hs_pagescan_each(struct hs_pagescan *ps, uintptr_t lo, uintptr_t hi, enum hs_pages_kind kind,
			   void (*fn)(uintptr_t a, uintptr_t b, void *ctx), void *ctx);

#endif
