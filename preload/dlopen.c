/* dlopen.c — the dlopen interposer: RTLD_DEEPBIND would bind the library's
 * malloc to glibc's own, ahead of ours: blocks would then cross between two
 * heaps and crash on free. Dropping the flag keeps one heap (heaptrack does
 * the same).
 *
 * The call into glibc's dlopen must stay a sibling call (a jump): glibc
 * looks up a bare file name in the RUNPATH of the object that called
 * dlopen, found from its return address, and that must be the program's
 * caller, not heapscope. So this file is built with the default
 * optimisation flags, unlike interpose.c (the api_dlopen test checks it).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

#include "hs_internal.h"

HS_EXPORT void *dlopen(const char *file, int mode)
{
	static void *(*real)(const char *, int);
	if (!real)
		real = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	if (!real)
		return NULL;
	return real(file, mode & ~RTLD_DEEPBIND);
}
