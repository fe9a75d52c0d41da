/* report.h — messages about bugs in the host program, one function per
 * error kind. Text goes to hs_err_fd via write(2). */
#ifndef HS_REPORT_H
#define HS_REPORT_H

#include "block.h"

enum hs_bad_free {
	HS_BAD_INVALID = 0,	/* not ours, or not the start of a block */
	HS_BAD_DOUBLE = 1,	/* start of a block that is not live */
	HS_BAD_MISMATCH = 2,	/* released through the wrong family */
};

/* `api` is the releasing call; b describes the block (kind NONE if none). */
void hs_report_bad_free(enum hs_bad_free kind, const void *p, unsigned api,
			const struct hs_block *b);

#endif
