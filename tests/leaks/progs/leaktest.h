/* leaktest.h — helpers shared by the leak-detection test programs.
 *
 * The exit scan is conservative: a dead stack slot or a spilled register
 * that still holds a pointer keeps its block "reachable". The programs call
 * lt_scrub_stack() before the point where the scan runs so that what the
 * test asserts depends only on where the program really keeps its
 * pointers, not on what the compiler left behind in dead frames.
 *
 * lt_say() prints with write(2) only: stdio would allocate its buffer and
 * add a reachable block of the C library to every report.
 */
#ifndef LEAKTEST_H
#define LEAKTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline, unused)) static void lt_scrub_stack(void)
{
	volatile char buf[64 * 1024];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = 0;
}

__attribute__((format(printf, 1, 2), unused)) static void lt_say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = (int)sizeof buf - 1;
	for (int off = 0; off < n;) {
		ssize_t w = write(1, buf + off, (size_t)(n - off));
		if (w <= 0)
			break;
		off += (int)w;
	}
}

#endif
