/* report.c — reports of the host program's heap errors. For now one line on
 * stderr per error; the count of each kind is kept for the exit summary. */
#include "report.h"

#include <heapscope/trace_format.h>

#include "options.h"
#include "out.h"

static uint64_t counts[3];

void hs_report_bad_free(enum hs_bad_free kind, const void *p, unsigned api,
			const struct hs_block *b)
{
	static const char *const what[] = {"invalid-free", "double-free", "mismatched-free"};
	__atomic_fetch_add(&counts[kind], 1, __ATOMIC_RELAXED);
	if (hs_opt.verbosity < 1)
		return;
	struct hs_out o;
	hs_out_init(&o, hs_err_fd);
	hs_out_str(&o, "heapscope: ");
	hs_out_str(&o, what[kind]);
	hs_out_str(&o, ": ");
	hs_out_str(&o, hs_api_name(api));
	hs_out_str(&o, "(");
	hs_out_hex(&o, (uintptr_t)p);
	hs_out_str(&o, ")");
	if (b && b->kind != HS_BLOCK_NONE) {
		hs_out_str(&o, ", ");
		hs_out_i64(&o, (int64_t)((const char *)p - b->start));
		hs_out_str(&o, " bytes into a block of size ");
		hs_out_u64(&o, b->size);
		hs_out_str(&o, " allocated by ");
		hs_out_str(&o, hs_api_name(b->meta->api));
	} else {
		hs_out_str(&o, ", not a heap block");
	}
	hs_out_str(&o, kind == HS_BAD_MISMATCH ? "; released anyway\n" : "; ignored\n");
	hs_out_flush(&o);
}
