// cxx.cpp — C++ allocation families released by the wrong function, and
// misuse of blocks released with delete.
// usage: cxx clean|malloc-delete|new-free|newarr-delete|new-deletearr|uaf-delete|double-delete
// (clean: every family released by its own function, no error at all)
// Mismatched pairs are reported and the block released anyway; the program
// goes on and prints "still running". The pointers are volatile so that the
// compiler neither warns about nor rewrites the deliberate mismatches.
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *m = argv[1];
	if (!std::strcmp(m, "clean")) {
		int *a = new int(7);
		int *b = new int[10]();
		void *c = std::malloc(24);
		delete a;
		delete[] b;
		std::free(c);
	} else if (!std::strcmp(m, "malloc-delete")) {
		int *volatile p = static_cast<int *>(std::malloc(sizeof(int))); // @alloc_malloc_delete
		delete p; // @free_malloc_delete
	} else if (!std::strcmp(m, "new-free")) {
		int *volatile p = new int(7); // @alloc_new_free
		std::free(p); // @free_new_free
	} else if (!std::strcmp(m, "newarr-delete")) {
		int *volatile p = new int[10]; // @alloc_newarr_delete
		delete p; // @free_newarr_delete
	} else if (!std::strcmp(m, "new-deletearr")) {
		int *volatile p = new int(7); // @alloc_new_deletearr
		delete[] p; // @free_new_deletearr
	} else if (!std::strcmp(m, "uaf-delete")) {
		long *volatile p = new long[8](); // @alloc_uaf_delete
		delete[] p; // @free_uaf_delete
		volatile long v = p[1]; // @read_uaf_delete
		(void)v;
	} else if (!std::strcmp(m, "double-delete")) {
		int *volatile p = new int(7); // @alloc_double_delete
		delete p; // @free1_double_delete
		delete p; // @free2_double_delete
	} else {
		return 2;
	}
	std::printf("still running\n");
	return 0;
}
