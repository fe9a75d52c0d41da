/* options_syntax.h — where an item of HEAPSCOPE_OPTIONS ends: the rule the
 * preload parses with (preload/options.c) and `heapscope run` checks the
 * values it passes against (analyzer/cli_run.c), so that the two never
 * disagree on where a value stops. */
#ifndef HEAPSCOPE_OPTIONS_SYNTAX_H
#define HEAPSCOPE_OPTIONS_SYNTAX_H

#include <string.h>

/* Items are separated by ':', but a value may itself contain ':'
 * (guard=sample:1000): a ':' ends the item only when what follows it is
 * empty or up to the next ':' holds an '=' (the next key=value). Returns
 * the item's end in s (its ':' or terminating NUL). */
static inline const char *hs_option_item_end(const char *s)
{
	for (const char *c = strchr(s, ':'); c; c = strchr(c + 1, ':')) {
		const char *next = c + 1;
		const char *stop = strchr(next, ':');
		size_t seg = stop ? (size_t)(stop - next) : strlen(next);
		if (seg == 0 || memchr(next, '=', seg))
			return c;
	}
	return s + strlen(s);
}

#endif
