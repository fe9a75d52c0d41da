/* region.h — what kind of memory an address lies in (for error reports). */
#ifndef HS_REGION_H
#define HS_REGION_H

#include <stdint.h>

/* enum hs_region of addr; `sp` is a stack pointer of the calling thread
 * (the mapping that holds it is "stack"). Reads /proc/self/maps with
 * open/read only: safe in a signal handler. */
unsigned hs_region_of(uintptr_t addr, uintptr_t sp);

#endif
