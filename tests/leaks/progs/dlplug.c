/* The library scenario 9 dlopen()s: it leaks 77 bytes and is unloaded
 * before the program exits. */
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static char *plug_make(void)
{
	char *p = malloc(77); /* @plug_leak */
	memset(p, 'p', 77);
	return p;
}

__attribute__((visibility("default"))) int plugin_leak(void)
{
	char *p = plug_make(); /* @plug_caller */
	int r = p[0];
	p = NULL;
	return r;
}
