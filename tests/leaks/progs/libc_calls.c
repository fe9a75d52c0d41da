/* Scenario 10: blocks the C library allocates for the caller, lost by the
 * caller: strdup, getline, asprintf. Each is reported with the C library's
 * function first and this file's line next. The sizes the C library chose
 * are printed for the checker (getline's buffer size is glibc's choice). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leaktest.h"

__attribute__((noinline)) static void lose_strdup(void)
{
	char *s = strdup("a string of 28 characters..."); /* @strdup */
	lt_say("strdup=%zu\n", strlen(s) + 1);
	s = NULL;
}

__attribute__((noinline)) static void lose_getline(void)
{
	static char text[] = "first line\nsecond line\n";
	FILE *f = fmemopen(text, sizeof text - 1, "r");
	if (!f)
		abort();
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f); /* @getline */
	fclose(f);
	lt_say("getline=%zu len=%zd\n", cap, n);
	line = NULL;
}

__attribute__((noinline)) static void lose_asprintf(void)
{
	char *s = NULL;
	int n = asprintf(&s, "%s-%d-%s", "asprintf", 12345, "leaked"); /* @asprintf */
	lt_say("asprintf=%d\n", n + 1);
	s = NULL;
}

int main(void)
{
	lose_strdup();
	lose_getline();
	lose_asprintf();
	lt_scrub_stack();
	return 0;
}
