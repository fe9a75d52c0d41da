/* fit_worst.c — an allocate/free pattern where worst-fit needs the biggest
 * heap; the checker (fragcheck.py, scenario fit_worst) has the expected
 * numbers, derived here by hand. Sizes are in units of 16 bytes (U), the
 * simulated heaps' granularity; [a:s] is a hole at unit a of s units.
 *
 *   A=30 s1=10 C=100 s2=10 E=30 s3=10   break 190; every heap equal, no holes
 *   free A, C, E                        holes [0:30] [40:100] [150:30]; the
 *                                       next-fit rover is 190 (end of s3)
 *   then Q=80 R=20 S=30 T=40 U=10 V=20.
 *
 * (holes examined per request, in parentheses; the six phase-one mallocs
 * examine 0 holes each: there are none)
 *
 * first-fit: Q→[40:100] (2) leaves [120:20]; R→[0:30] (1) leaves [20:10];
 *   S: 10,20 too small →[150:30] (3); T=40: [20:10] [120:20] → none (2),
 *   break 190→230 (the peak: live 10·3+80+20+30+40 = 200 U, holes 10+20,
 *   largest 20 → fragmentation 1−20/30 = 1/3, compaction 30 U);
 *   U→[20:10] (1); V→[120:20] (1).  Search 10/12; footprint 230 U.
 * next-fit: Q: rover 190 is past every hole, wrap: [0:30] no, [40:100] (2),
 *   rover 120; R: the hole at the rover [120:20] fits (1), rover 140;
 *   S: next hole [150:30] (1), rover 180; T: holes [0:30] → none (1), break
 *   230 (peak: holes [0:30] → fragmentation 0, compaction 30 U); rover 230;
 *   U: wrap to [0:30] (1), rover 10 in [10:20]; V→[10:20] (1).
 *   Search 7/12; footprint 230 U.
 * best-fit: the walk stops early only at an exact fit. Q: 30,100,30 → 100
 *   (3) leaves [120:20]; R: 30, 20 exact (2); S: [0:30] exact (1); T: [150:30]
 *   too small (1), break 230 (peak: one hole → fragmentation 0, compaction
 *   30 U); U→[150:30] (1) leaves [160:20]; V exact (1).
 *   Search 9/12; footprint 230 U.
 * worst-fit: always all holes. Q→[40:100] (3) leaves [120:20]; R: largest
 *   30, the lower one [0:30] (3) leaves [20:10]; S→[150:30] (3); T: [20:10]
 *   [120:20] → none (2), break 230; U→[120:20] (2) leaves [130:10];
 *   V=20: [20:10] [130:10] → none (2), break 250 (the peak: live 230 U,
 *   holes 10+10 → fragmentation 1−10/20 = 1/2, compaction 20 U).
 *   Search 15/12; footprint 250 U.
 */
#include <stdlib.h>

#define U 16

int main(void)
{
	char *a = malloc(30 * U), *s1 = malloc(10 * U), *c = malloc(100 * U);
	char *s2 = malloc(10 * U), *e = malloc(30 * U), *s3 = malloc(10 * U);
	free(a);
	free(c);
	free(e);
	char *q = malloc(80 * U), *r = malloc(20 * U), *s = malloc(30 * U);
	char *t = malloc(40 * U), *u = malloc(10 * U), *v = malloc(20 * U);
	char *all[] = {s1, s2, s3, q, r, s, t, u, v};
	for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
	return 0;
}
