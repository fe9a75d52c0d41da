// pattern.cc — the program tests/reports records: a known heap pattern,
// with names that need escaping in HTML.
//
// Parent: 3000 small blocks in three sizes (slab classes 32, 48 and 96
// bytes) and eight 64 KiB buffers (buddy blocks), half of each freed before
// exit; a definite leak of 25 ints from make_array<int> ('<' and '>' in the
// name); a leaked Node that owns another (one definite, one indirect, 64
// bytes each) from make_tree(int const&) ('&'); a double free and a free of
// an interior pointer (memory errors with allocation and free stacks).
// Child (fork): allocates 100 blocks and leaves through _exit, so no leak
// scan runs for it and its "leaks" section is null.
//
// Output goes through write(2) only: stdio would add a buffer of its own
// to the report.
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

struct Node {
	Node *child;
	char pad[56];
};

static void *volatile sink; // launders pointers past the compiler's free() checks

template <typename T> __attribute__((noinline)) T *make_array(std::size_t n)
{
	T *a = new T[n];
	for (std::size_t i = 0; i < n; i++)
		a[i] = T();
	return a;
}

__attribute__((noinline)) static Node *make_tree(const int &depth)
{
	Node *n = new Node();
	if (depth > 0)
		n->child = make_tree(depth - 1);
	return n;
}

__attribute__((noinline)) static void leak_some()
{
	sink = make_array<int>(25);
	sink = make_tree(1);
	sink = nullptr;
}

__attribute__((noinline)) static void bad_frees()
{
	char *p = static_cast<char *>(std::malloc(40));
	sink = p;
	std::free(sink);
	std::free(sink); // double-free
	char *q = static_cast<char *>(std::malloc(100));
	sink = q + 16;
	std::free(sink); // invalid-free: inside a block
	std::free(q);
}

__attribute__((noinline)) static void scrub_stack()
{
	volatile char buf[64 * 1024];
	for (std::size_t i = 0; i < sizeof buf; i++)
		buf[i] = 0;
}

static void *small[3000];
static void *big[8];

int main()
{
	static const std::size_t sizes[] = {24, 40, 90};
	for (int i = 0; i < 3000; i++)
		small[i] = std::malloc(sizes[i % 3]);
	for (int i = 0; i < 8; i++)
		big[i] = std::malloc(64 * 1024);
	pid_t child = fork();
	if (child == 0) {
		for (int i = 0; i < 100; i++)
			sink = std::malloc(1000);
		_exit(0);
	}
	leak_some();
	bad_frees();
	for (int i = 0; i < 3000; i += 2)
		std::free(small[i]);
	for (int i = 0; i < 8; i += 2)
		std::free(big[i]);
	int st = 0;
	if (child > 0)
		waitpid(child, &st, 0);
	scrub_stack();
	static const char msg[] = "pattern: done\n";
	ssize_t w = write(1, msg, sizeof msg - 1);
	return w > 0 ? 0 : 1;
}
