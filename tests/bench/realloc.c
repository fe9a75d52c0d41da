/* realloc.c — realloc growth benchmark.
 *
 *   hs_bench_realloc -m bytes  [-b BUFFERS] [-s FINAL_SIZE] [-r ROUNDS]
 *   hs_bench_realloc -m double [-b BUFFERS] [-s FINAL_SIZE] [-r ROUNDS]
 *
 * bytes:  BUFFERS buffers grown one byte at a time, round robin (so that
 *         neighbours get in each other's way), each to FINAL_SIZE bytes.
 * double: BUFFERS buffers grown by doubling from 16 bytes to FINAL_SIZE
 *         (e.g. 2 MiB), round robin, every new byte written.
 * Each round frees everything at the end; the contents are verified.
 * Sizes accept a K or M suffix. Prints one summary line.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t parse_size(const char *s)
{
	char *end;
	size_t v = (size_t)strtoull(s, &end, 0);
	if (*end == 'K' || *end == 'k')
		v <<= 10;
	else if (*end == 'M' || *end == 'm')
		v <<= 20;
	return v;
}

static int grow(char **buf, size_t *len, size_t new_len, unsigned id)
{
	char *p = realloc(*buf, new_len);
	if (!p)
		return -1;
	for (size_t i = *len; i < new_len; i++)
		p[i] = (char)(i * 31 + id);
	*buf = p;
	*len = new_len;
	return 0;
}

static int verify(const char *p, size_t len, unsigned id)
{
	for (size_t i = 0; i < len; i += 509)
		if (p[i] != (char)(i * 31 + id))
			return -1;
	return len && p[len - 1] == (char)((len - 1) * 31 + id) ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *mode = "bytes";
	size_t buffers = 64, final = 64 << 10;
	unsigned rounds = 1;
	int c;
	while ((c = getopt(argc, argv, "m:b:s:r:")) != -1) {
		switch (c) {
		case 'm': mode = optarg; break;
		case 'b': buffers = parse_size(optarg); break;
		case 's': final = parse_size(optarg); break;
		case 'r': rounds = (unsigned)strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s -m bytes|double [-b BUFFERS] [-s FINAL_SIZE] [-r ROUNDS]\n", argv[0]);
			return 2;
		}
	}
	int doubling = strcmp(mode, "double") == 0;
	if ((!doubling && strcmp(mode, "bytes") != 0) || buffers < 1 || final < 16) {
		fprintf(stderr, "%s: bad arguments\n", argv[0]);
		return 2;
	}
	char **buf = calloc(buffers, sizeof *buf);
	size_t *len = calloc(buffers, sizeof *len);
	if (!buf || !len)
		return 1;
	uint64_t reallocs = 0;
	int failed = 0;
	for (unsigned r = 0; r < rounds && !failed; r++) {
		if (doubling) {
			for (size_t want = 16; !failed; want = want * 2 > final ? final : want * 2) {
				for (size_t b = 0; b < buffers && !failed; b++, reallocs++)
					failed = grow(&buf[b], &len[b], want, (unsigned)b);
				if (want == final)
					break;
			}
		} else {
			for (size_t want = 1; want <= final && !failed; want++)
				for (size_t b = 0; b < buffers && !failed; b++, reallocs++)
					failed = grow(&buf[b], &len[b], want, (unsigned)b);
		}
		for (size_t b = 0; b < buffers; b++) {
			if (!failed && verify(buf[b], len[b], (unsigned)b) != 0)
				failed = 1;
			free(buf[b]);
			buf[b] = NULL;
			len[b] = 0;
		}
	}
	printf("realloc %s: %zu buffers to %zu bytes, %u rounds, %llu reallocs%s\n", mode, buffers, final, rounds,
	       (unsigned long long)reallocs, failed ? ", FAILED" : "");
	free(buf);
	free(len);
	return failed;
}
