/* segments.c — known segment sizes for frag.segments: a 4 MiB initialised
 * global (data), an 8 MiB zero-initialised one (bss), a mapped file of
 * FILE_BYTES (argv[1] names it; the program creates it), and 3 threads with
 * THREAD_STACK-byte stacks (pthread_attr_setstacksize) still alive when
 * main returns. Built twice: with -DCONTROL the arrays are one page, nothing
 * is mapped and no thread is started, so that the checker can subtract
 * everything else the process has (libc's data, the loader's, heapscope's).
 * Output: one line "ready" once everything is in place (write(2), no stdio). */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef CONTROL
#define DATA_BYTES 4096
#define BSS_BYTES 4096
#else
#define DATA_BYTES (4u << 20)
#define BSS_BYTES (8u << 20)
#endif
#define FILE_BYTES (3u * 1024 * 1024 + 5) /* not a multiple of the page */
#define THREAD_STACK (1u << 20)
#define NTHREADS 3

/* Page-aligned, so that they add whole pages to their segments. */
char data_array[DATA_BYTES] __attribute__((aligned(4096))) = {1};
char bss_array[BSS_BYTES] __attribute__((aligned(4096)));

static int gate[2];

static void *sleeper(void *arg)
{
	(void)arg;
	char c;
	/* blocks until the process exits: nobody ever writes to the pipe */
	while (read(gate[0], &c, 1) < 0)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	/* touch both arrays so that nothing can drop them */
	data_array[DATA_BYTES - 1] = 2;
	bss_array[BSS_BYTES - 1] = 3;
#ifndef CONTROL
	if (argc < 2)
		return 2;
	int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, FILE_BYTES) != 0)
		return 3;
	void *m = mmap(NULL, FILE_BYTES, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 4;
	close(fd);
	if (pipe(gate) != 0)
		return 5;
	pthread_attr_t a;
	pthread_attr_init(&a);
	if (pthread_attr_setstacksize(&a, THREAD_STACK) != 0)
		return 6;
	for (int i = 0; i < NTHREADS; i++) {
		pthread_t t;
		if (pthread_create(&t, &a, sleeper, NULL) != 0)
			return 7;
	}
	pthread_attr_destroy(&a);
#else
	(void)argc;
	(void)argv;
	(void)gate;
	(void)sleeper;
#endif
	if (write(1, "ready\n", 6) != 6)
		return 8;
	return 0;
}
