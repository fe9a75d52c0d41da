/* recurse.c — a stack overflow by unbounded recursion on the main thread.
 *
 * The fault happens at whichever instruction of dive() first touches the
 * page below the stack's limit: the call pushing the return address, the
 * prologue pushing the frame pointer, or a store to buf. Which one depends
 * on where ASLR put the top of the stack, so dive() is written on ONE line:
 * every candidate instruction then maps to the line marked "dive". The soft stack
 * limit is lowered to 8 MiB so an unlimited `ulimit -s` cannot make the
 * test run away. */
#include <stdio.h>
#include <sys/resource.h>

static int dive(volatile char *up, int depth) { volatile char buf[200]; if (depth < 0) return 0; buf[0] = (char)depth; buf[199] = *up; return dive(buf, depth + 1) + buf[1]; } /* @dive */

int main(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (8u << 20))) {
		rl.rlim_cur = 8u << 20;
		setrlimit(RLIMIT_STACK, &rl);
	}
	volatile char top = 1;
	return dive(&top, 0); /* @call */
}
