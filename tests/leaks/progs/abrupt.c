/* Scenario 15: a process that leaks and then ends without running its
 * destructors (_exit) or dies of SIGSEGV: no leak check happens. */
#include <signal.h>
#include <stdlib.h>

#include "leaktest.h"

__attribute__((noinline)) static void lose(void)
{
	char *p = malloc(90);
	p[0] = 1;
}

int main(int argc, char **argv)
{
	lose();
	if (argc > 1 && !strcmp(argv[1], "segv")) {
		volatile int *bad = (volatile int *)16;
		*bad = 1;
	}
	_exit(4);
}
