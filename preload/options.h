/* options.h — in-process options from HEAPSCOPE_OPTIONS (key=value:key=value,
 * the sanitizer convention). */
#ifndef HS_OPTIONS_H
#define HS_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t hs_opt_u64;
typedef uint64_t hs_opt_bool;
typedef const char *hs_opt_str; /* points into options.c's copy of the string, or a default */

/* quarantine_mb's largest value (1 TiB): its byte count must not wrap */
#define HS_QUARANTINE_MB_MAX (1u << 20)

struct hs_options {
#define HS_OPT(type, name, def, help) hs_opt_##type name;
#include "options.def"
#undef HS_OPT
};

extern struct hs_options hs_opt __attribute__((visibility("hidden")));

/* The HEAPSCOPE_OPTIONS string the options were parsed from ("" if none),
 * a copy: what the trace's INFO says, even after the program changed or
 * overwrote its environment (a shell's getenv is its own, and slow). */
extern const char *hs_opt_spec __attribute__((visibility("hidden")));

/* The string option `s` as given (not NUL-terminated at the item's end:
 * use hs_opt_len). */
size_t hs_opt_len(const char *s);

/* Parse `spec` (may be NULL) over the defaults. Unknown keys and bad values
 * are reported once on hs_err_fd and otherwise ignored; returns how many
 * were bad. Never allocates. */
int hs_options_parse(const char *spec);

#endif
