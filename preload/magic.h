/* magic.h — every fill byte heapscope writes into memory, and why. */
#ifndef HS_MAGIC_H
#define HS_MAGIC_H

#include <stdint.h>

/* Canary in the slack between a block's requested end and its slot's end
 * (or its guard page). Varies with the address so that a copy of a canary
 * from elsewhere does not look intact, as KFENCE does. Never 0: a stray
 * zero byte (the classic off-by-one string terminator) must break it. */
static inline uint8_t hs_canary_byte(uintptr_t addr)
{
	return (uint8_t)(0xA5 ^ (addr & 7) ^ ((addr >> 3) & 0x18));
}

/* Freed, quarantined blocks are filled with this; a different byte found
 * when the block leaves quarantine is a write after free. 0xFD is neither a
 * small integer nor a plausible pointer byte, and reads as a non-canonical
 * address when used as one (so a use-after-free through it faults). */
#define HS_POISON_FREE 0xFD

/* Canary bytes checked past a block's end at most (bigger slacks, as in a
 * buddy block's power-of-two rounding, are only checked at their start). */
#define HS_CANARY_MAX 64

#endif
