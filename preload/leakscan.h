/* leakscan.h — the reachability scan that finds leaks. */
#ifndef HS_LEAKSCAN_H
#define HS_LEAKSCAN_H

/* Scan now (trigger: enum hs_leakcheck_trigger), write a LEAKS record and
 * return the number of definitely + indirectly lost blocks; -1 when not
 * recording. Pauses the other threads meanwhile. */
int hs_leak_check(unsigned trigger);

#endif
