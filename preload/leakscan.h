/* leakscan.h — the reachability scan that finds leaks. */
#ifndef HS_LEAKSCAN_H
#define HS_LEAKSCAN_H

struct hs_maps;

/* Scan now (trigger: enum hs_leakcheck_trigger), write a LEAKS record and
 * return the number of definitely + indirectly lost blocks; -1 when not
 * recording. Pauses the other threads meanwhile. maps: /proc/self/maps read
 * just before (at exit, the one the last snapshot read), or NULL to read
 * it here. */
int hs_leak_check(unsigned trigger, const struct hs_maps *maps);

/* In a fork child: a scan another thread had started is not the child's
 * (its scan lock is released). */
void hs_leak_after_fork_child(void);

#endif
