/* fit_best.c — Knuth's example (TAOCP vol. 1, 2.5) of a pattern where
 * best-fit needs a bigger heap than first-fit; the checker (fragcheck.py,
 * scenario fit_best) has the expected numbers, derived here by hand. Sizes
 * are in units of 16 bytes (U); [a:s] is a hole at unit a of s units.
 *
 *   A=130 s1=10 B=120 s2=10   break 270: the peak for every heap that does
 *                             not grow later (no holes then: fragmentation 0,
 *                             compaction 0)
 *   free A, B                 holes [0:130] [140:120]; next-fit rover 270
 *   then X=100 Y=110 Z=25.
 *
 * (holes examined per request in parentheses; the four first mallocs
 * examine none)
 *
 * first-fit: X→[0:130] (1) leaves [100:30]; Y: 30 no, [140:120] (2) leaves
 *   [250:10]; Z→[100:30] (1).  Search 4/7; footprint 270 U.
 * next-fit: X: rover past the holes, wrap to [0:130] (1), rover 100;
 *   Y: from the hole at the rover [100:30] no, [140:120] (2), rover 250;
 *   Z: [250:10] no, wrap, [100:30] (2).  Search 5/7; footprint 270 U.
 * best-fit: X: 130, 120, no exact fit → 120 (2) leaves [240:20]; Y: 130, 20
 *   → 130 (2) leaves [110:20]; Z=25: 20, 20 → none (2): break 270→295
 *   (the peak: live 10+10+100+110+25 = 255 U, holes 20+20 → fragmentation
 *   1−20/40 = 1/2, compaction 40 U).  Search 6/7; footprint 295 U.
 * worst-fit: X→[0:130] (2) leaves [100:30]; Y→[140:120] (2) leaves
 *   [250:10]; Z→[100:30] (2).  Search 6/7; footprint 270 U.
 */
#include <stdlib.h>

#define U 16

int main(void)
{
	char *a = malloc(130 * U), *s1 = malloc(10 * U), *b = malloc(120 * U), *s2 = malloc(10 * U);
	free(a);
	free(b);
	char *x = malloc(100 * U), *y = malloc(110 * U), *z = malloc(25 * U);
	free(x);
	free(y);
	free(z);
	free(s1);
	free(s2);
	return 0;
}
