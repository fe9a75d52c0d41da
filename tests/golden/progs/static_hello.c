/* static_hello.c — a statically linked program: `heapscope run` must refuse it. */
#include <unistd.h>

int main(void)
{
	return write(1, "static\n", 7) == 7 ? 0 : 1;
}
