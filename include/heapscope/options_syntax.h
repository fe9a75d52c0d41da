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

/* The value of the last item `key`=… in spec (the one the preload keeps),
 * its length in *len; NULL if there is none. */
static inline const char *hs_option_last(const char *spec, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	const char *found = NULL;
	for (const char *s = spec; *s;) {
		const char *end = *s == ':' ? s : hs_option_item_end(s);
		if ((size_t)(end - s) > kl && !memcmp(s, key, kl) && s[kl] == '=') {
			found = s + kl + 1;
			*len = (size_t)(end - found);
		}
		s = *end ? end + 1 : end;
	}
	return found;
}

#endif
