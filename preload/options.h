/* options.h — in-process options from HEAPSCOPE_OPTIONS (key=value:key=value,
 * the sanitizer convention). */
#ifndef HS_OPTIONS_H
#define HS_OPTIONS_H

#include <stdint.h>

struct hs_options {
#define HS_OPT(type, name, def, help) uint64_t name;
#include "options.def"
#undef HS_OPT
};

extern struct hs_options hs_opt __attribute__((visibility("hidden")));

/* Parse `spec` (may be NULL) over the defaults. Unknown keys and bad values
 * are reported once on hs_err_fd and otherwise ignored; returns how many
 * were bad. Never allocates. */
int hs_options_parse(const char *spec);

#endif
