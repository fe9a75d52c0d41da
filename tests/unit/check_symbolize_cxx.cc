// check_symbolize_cxx.cc — a C++ function with a mangled name for
// check_symbolize.c to symbolize and demangle. Built with -g -O0.
#include <cstdint>

extern "C" void hs_symtest_capture(int slot, int line);
extern "C" void hs_symtest_cxx(int slot);
extern "C" uintptr_t hs_symtest_cxx_function(void);

namespace hs_symtest {
struct Widget {
	static void poke(int slot);
};

__attribute__((noinline)) void Widget::poke(int slot)
{
	hs_symtest_capture(slot, __LINE__);
}
} // namespace hs_symtest

void hs_symtest_cxx(int slot)
{
	hs_symtest::Widget::poke(slot);
}

uintptr_t hs_symtest_cxx_function(void)
{
	return reinterpret_cast<uintptr_t>(&hs_symtest::Widget::poke);
}
