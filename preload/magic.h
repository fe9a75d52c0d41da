/* magic.h — every fill byte heapscope writes into memory, and why. */
#ifndef HS_MAGIC_H
#define HS_MAGIC_H

#include <stdint.h>

/* Canary in the slack between a block's requested end and its slot's end
 * (or its guard page). Varies with the address within a word, as KFENCE's
 * does, so that bytes shifted by an off-by-some copy do not look intact;
 * the same in every aligned word, so whole words can be compared. Never 0:
 * a stray zero byte (the classic off-by-one terminator) must break it. */
static inline uint8_t hs_canary_byte(uintptr_t addr)
{
	return (uint8_t)(0xA5 ^ (addr & 7));
}

/* The canary of an aligned 8-byte word, little-endian. */
#define HS_CANARY_WORD 0xA2A3A0A1A6A7A4A5ull

/* Freed, quarantined blocks are filled with this; a different byte found
 * when the block leaves quarantine is a write after free. 0xFD is neither a
 * small integer nor a plausible pointer byte, and reads as a non-canonical
 * address when used as one (so a use-after-free through it faults). */
#define HS_POISON_FREE 0xFD

/* Bytes of a freed block poisoned and checked when it leaves quarantine.
 * Most writes after free hit a block's first fields; poisoning all of it
 * would cost a cache miss per line twice (fill, check) on every free. */
#define HS_POISON_MAX 128

/* Canary bytes checked past a block's end at most (bigger slacks, as in a
 * buddy block's power-of-two rounding, are only checked at their start). */
#define HS_CANARY_MAX 64

#endif
