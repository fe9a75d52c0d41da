/* Scenario 9: a leak inside a dlopen()ed library that the program
 * dlclose()s before exit; the report must still name the library's
 * function and line. */
#include <dlfcn.h>
#include <stdlib.h>

#include "leaktest.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		lt_say("dlopen: %s\n", dlerror());
		return 1;
	}
	int (*fn)(void) = (int (*)(void))dlsym(h, "plugin_leak");
	if (!fn)
		return 1;
	int r = fn();
	fn = NULL;
	if (dlclose(h) != 0)
		return 1;
	h = NULL;
	/* dlclose really unmapped it */
	void *again = dlopen(argv[1], RTLD_NOW | RTLD_NOLOAD);
	lt_say("still_loaded=%d\n", again != NULL);
	if (again)
		dlclose(again);
	lt_scrub_stack();
	return r == 'p' ? 0 : 1;
}
