/* dl_plugin.c — a tiny shared library that check_dlopen loads with
 * dlopen(RTLD_DEEPBIND): it allocates and frees through whatever malloc its
 * own references bind to, and says which malloc that is.
 */
#include <stdlib.h>

#define PLUGIN_API __attribute__((visibility("default")))

PLUGIN_API void *plugin_malloc(size_t n)
{
	return malloc(n);
}

PLUGIN_API void *plugin_calloc(size_t n, size_t size)
{
	return calloc(n, size);
}

PLUGIN_API void *plugin_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

PLUGIN_API void plugin_free(void *p)
{
	free(p);
}

/* The address this library's `malloc` references resolve to. */
PLUGIN_API void *plugin_malloc_address(void)
{
	return (void *)&malloc;
}

PLUGIN_API void *plugin_free_address(void)
{
	return (void *)&free;
}
