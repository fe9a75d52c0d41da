// sites_cxx.cpp — C++ allocation sites: operator new in ns::Widget::make(int)
// and operator new[] in ns::Widget::buffer(unsigned long), for demangled
// names in stacks. Prints nothing (see sites.c); markers as in sites.c.
#include <cstddef>

#include "golden_prog.h"

void *volatile hs_sink;

namespace ns {

struct Widget {
	int v[10]; // 40 bytes
	static Widget *make(int n);
	static int *buffer(unsigned long n);
};

GOLDEN_NOIPA Widget *Widget::make(int n)
{
	Widget *w = new Widget; // SITE_NEW
	hs_sink = w;
	w->v[0] = n;
	return w;
}

GOLDEN_NOIPA int *Widget::buffer(unsigned long n)
{
	int *a = new int[n]; // SITE_NEW_ARRAY
	hs_sink = a;
	a[0] = 1;
	return a;
}

} // namespace ns

int main()
{
	ns::Widget *w[4];
	for (int i = 0; i < 4; i++)
		w[i] = ns::Widget::make(i); // CALL_NEW
	int *a = ns::Widget::buffer(25); // CALL_NEW_ARRAY
	for (int i = 0; i < 4; i++)
		delete w[i];
	delete[] a;
	return 0;
}
