/* Scenario by_design: blocks whose only pointers point inside them, at the
 * places C++ runtimes and length-prefixed allocators keep them by design.
 * valgrind's leak heuristics (on by default) count such a pointer as one to
 * the block's start, and so does heapscope: all four are reachable, not
 * possibly lost.
 *   - new[] of objects with a destructor: the count first, the pointer to
 *     the first element after it;
 *   - a length-prefixed allocation (as sqlite3's own malloc makes them);
 *   - a multiply-inherited object held through its second base;
 *   - the pre-C++11 std::string (built with the old ABI here): length,
 *     capacity and refcount, then the characters the string points to;
 * and a control: a pointer 8 bytes into a block whose first word is no
 * count of what follows stays "possibly lost".
 */
#define _GLIBCXX_USE_CXX11_ABI 0
#include <cstdlib>
#include <string>

#include "leaktest.h"

struct Counted {
	long v;
	~Counted();
};
Counted::~Counted()
{
	v = 0;
}

struct Left {
	virtual ~Left() {}
	long l = 1;
};
struct Right {
	virtual ~Right() {}
	long r = 2;
};
struct Both : Left, Right {
	long b = 3;
};

static Counted *g_array;
static char *g_counted;
static Right *g_right;
static char *g_control;
static std::string *g_text;

__attribute__((noinline)) static char *len_alloc(size_t n)
{
	size_t *p = static_cast<size_t *>(malloc(n + sizeof(size_t))); /* @by_design_length */
	p[0] = n;
	return reinterpret_cast<char *>(p + 1);
}

__attribute__((noinline)) static void keep(void)
{
	g_array = new Counted[3]; /* @by_design_array */
	g_counted = len_alloc(40);
	g_right = new Both; /* @by_design_inherit */
	size_t *c = static_cast<size_t *>(malloc(40)); /* @by_design_control */
	c[0] = 7; /* 32 bytes follow: 7 does not divide them */
	g_control = reinterpret_cast<char *>(c + 1);
	g_text = new std::string(40, 'x'); /* @by_design_string_object */
}

int main(void)
{
	keep();
	lt_scrub_stack();
	return g_array && g_counted && g_right && g_control && g_text->size() == 40 ? 0 : 1;
}
