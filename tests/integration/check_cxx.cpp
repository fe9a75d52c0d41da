/* check_cxx.cpp — Check suite for the C++ allocation operators exported by
 * libheapscope.so, run under LD_PRELOAD: every operator new/delete form
 * (plain, array, nothrow, sized, aligned), std::bad_alloc and the
 * new_handler protocol, and blocks of the standard library's containers,
 * all checked to be heapscope blocks.
 */
#include <check.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "hs_testutil.h"

namespace {

constexpr std::size_t KiB = HST_KIB;
constexpr std::size_t MiB = HST_MIB;

std::size_t opaque(std::size_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

void *launder_ptr(void *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

const std::size_t sizes[] = {0, 1, 16, 17, 100, 3 * KiB, 3585, 64 * KiB, MiB, MiB + 1, 2 * MiB};
const std::size_t aligns[] = {16, 32, 64, 128, 256, 4096, 8192, 64 * KiB, MiB, 4 * MiB};
const std::size_t impossible[] = {SIZE_MAX, SIZE_MAX / 2, std::size_t(1) << 50};

#define ck_assert_hs_block(p, size)                                                \
	do {                                                                       \
		ck_assert_ptr_nonnull(p);                                          \
		ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(p) % 16, 0);    \
		ck_assert_uint_eq(malloc_usable_size(p), hst_usable_for(size));    \
	} while (0)

#define ck_assert_freed(stale) ck_assert_uint_eq(malloc_usable_size(stale), 0)

int handler_calls;
int handler_limit;

/* Counts its calls; uninstalls itself on the handler_limit-th so the next
 * failure of operator new throws (or returns null for nothrow). */
void counting_handler()
{
	if (++handler_calls >= handler_limit)
		std::set_new_handler(nullptr);
}

void throwing_handler()
{
	++handler_calls;
	throw std::bad_alloc();
}

void *reserve;

/* Makes memory available: frees a reserve held under an address-space
 * limit, so operator new's retry succeeds. */
void releasing_handler()
{
	++handler_calls;
	std::free(reserve);
	reserve = nullptr;
}

struct alignas(64) Cache64 {
	unsigned char b[100];
};
struct alignas(4096) Page4K {
	unsigned char b[5000];
};

int dtor_calls;
struct Counted {
	long v = 7;
	~Counted() { ++dtor_calls; }
};

} // namespace

START_TEST(test_cxx_symbols_are_heapscope)
{
	static const char *const names[] = {
		"_Znwm", "_Znam", "_ZnwmRKSt9nothrow_t", "_ZnamRKSt9nothrow_t",
		"_ZnwmSt11align_val_t", "_ZnamSt11align_val_t", "_ZnwmSt11align_val_tRKSt9nothrow_t",
		"_ZnamSt11align_val_tRKSt9nothrow_t", "_ZdlPv", "_ZdaPv", "_ZdlPvRKSt9nothrow_t",
		"_ZdaPvRKSt9nothrow_t", "_ZdlPvm", "_ZdaPvm", "_ZdlPvSt11align_val_t",
		"_ZdaPvSt11align_val_t", "_ZdlPvSt11align_val_tRKSt9nothrow_t",
		"_ZdaPvSt11align_val_tRKSt9nothrow_t", "_ZdlPvmSt11align_val_t",
		"_ZdaPvmSt11align_val_t",
	};
	for (const char *n : names)
		ck_assert_msg(hst_from_heapscope(n), "%s resolves to '%s'", n, hst_defining_object(n));
	/* and the program's own references bind there too */
	void *(*nw)(std::size_t) = &::operator new;
	void (*dl)(void *) noexcept = &::operator delete;
	ck_assert_ptr_eq(reinterpret_cast<void *>(nw), dlsym(RTLD_DEFAULT, "_Znwm"));
	ck_assert_ptr_eq(reinterpret_cast<void *>(dl), dlsym(RTLD_DEFAULT, "_ZdlPv"));
}
END_TEST

START_TEST(test_new_delete)
{
	for (std::size_t n : sizes) {
		void *p = ::operator new(n);
		ck_assert_hs_block(p, n);
		std::memset(p, 0x3C, n);
		void *stale = launder_ptr(p);
		::operator delete(p);
		ck_assert_freed(stale);
	}
	int *i = new int(42);
	ck_assert_hs_block(i, sizeof(int));
	ck_assert_int_eq(*i, 42);
	delete i;
	delete static_cast<int *>(nullptr);
	::operator delete(nullptr);
}
END_TEST

START_TEST(test_new_zero_unique)
{
	void *v[64];
	for (int i = 0; i < 64; i++) {
		v[i] = ::operator new(0);
		ck_assert_hs_block(v[i], 0);
		for (int j = 0; j < i; j++)
			ck_assert_ptr_ne(v[i], v[j]);
	}
	for (void *p : v)
		::operator delete(p);
	void *a = ::operator new[](0), *b = ::operator new[](0);
	ck_assert_ptr_ne(a, b);
	::operator delete[](a);
	::operator delete[](b);
}
END_TEST

START_TEST(test_new_array_delete_array)
{
	for (std::size_t n : sizes) {
		void *p = ::operator new[](n);
		ck_assert_hs_block(p, n);
		std::memset(p, 0x4D, n);
		void *stale = launder_ptr(p);
		::operator delete[](p);
		ck_assert_freed(stale);
	}
	std::size_t n = opaque(1000);
	char *c = new char[n];
	ck_assert_hs_block(c, 1000);
	delete[] c;
	/* arrays with destructors carry a cookie before the first element */
	dtor_calls = 0;
	Counted *a = new Counted[opaque(37)];
	ck_assert_int_eq(a[36].v, 7);
	delete[] a;
	ck_assert_int_eq(dtor_calls, 37);
	delete[] static_cast<char *>(nullptr);
	::operator delete[](nullptr);
}
END_TEST

START_TEST(test_nothrow_new)
{
	for (std::size_t n : sizes) {
		void *p = ::operator new(n, std::nothrow);
		ck_assert_hs_block(p, n);
		::operator delete(p, std::nothrow);
		p = ::operator new[](n, std::nothrow);
		ck_assert_hs_block(p, n);
		void *stale = launder_ptr(p);
		::operator delete[](p, std::nothrow);
		ck_assert_freed(stale);
	}
	std::set_new_handler(nullptr);
	for (std::size_t n : impossible) {
		ck_assert_ptr_null(::operator new(opaque(n), std::nothrow));
		ck_assert_ptr_null(::operator new[](opaque(n), std::nothrow));
		ck_assert_ptr_null(::operator new(opaque(n), std::align_val_t(64), std::nothrow));
		ck_assert_ptr_null(::operator new[](opaque(n), std::align_val_t(4096), std::nothrow));
	}
	/* heap still fine */
	void *p = ::operator new(100);
	ck_assert_hs_block(p, 100);
	::operator delete(p);
}
END_TEST

START_TEST(test_sized_delete)
{
	for (std::size_t n : sizes) {
		void *p = ::operator new(n);
		ck_assert_hs_block(p, n);
		void *stale = launder_ptr(p);
		::operator delete(p, n);
		ck_assert_freed(stale);
		p = ::operator new[](n);
		stale = launder_ptr(p);
		::operator delete[](p, n);
		ck_assert_freed(stale);
	}
	/* the compiler's own sized delete of a class object */
	struct Obj {
		char b[200];
	};
	Obj *o = new Obj;
	ck_assert_hs_block(o, sizeof(Obj));
	void *stale = launder_ptr(o);
	delete o;
	ck_assert_freed(stale);
}
END_TEST

START_TEST(test_aligned_new_delete)
{
	const std::size_t asizes[] = {0, 1, 100, 4096, 5000, 200 * KiB, 3 * MiB};
	for (std::size_t a : aligns) {
		std::align_val_t al{a};
		for (std::size_t n : asizes) {
			void *p = ::operator new(n, al);
			ck_assert_ptr_nonnull(p);
			ck_assert_msg(reinterpret_cast<std::uintptr_t>(p) % a == 0,
				      "new(%zu, align %zu) = %p", n, a, p);
			ck_assert_uint_eq(malloc_usable_size(p), hst_usable_for_aligned(n, a));
			std::memset(p, 0x21, n);
			void *stale = launder_ptr(p);
			::operator delete(p, al);
			ck_assert_freed(stale);

			p = ::operator new[](n, al);
			ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(p) % a, 0);
			ck_assert_uint_eq(malloc_usable_size(p), hst_usable_for_aligned(n, a));
			stale = launder_ptr(p);
			::operator delete[](p, al);
			ck_assert_freed(stale);

			p = ::operator new(n, al);
			stale = launder_ptr(p);
			::operator delete(p, n, al); /* sized + aligned */
			ck_assert_freed(stale);
			p = ::operator new[](n, al);
			stale = launder_ptr(p);
			::operator delete[](p, n, al);
			ck_assert_freed(stale);

			p = ::operator new(n, al, std::nothrow);
			ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(p) % a, 0);
			stale = launder_ptr(p);
			::operator delete(p, al, std::nothrow);
			ck_assert_freed(stale);
			p = ::operator new[](n, al, std::nothrow);
			ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(p) % a, 0);
			stale = launder_ptr(p);
			::operator delete[](p, al, std::nothrow);
			ck_assert_freed(stale);
		}
	}
	::operator delete(nullptr, std::align_val_t(64));
	::operator delete[](nullptr, std::align_val_t(4096));
}
END_TEST

START_TEST(test_overaligned_types)
{
	/* C++17 new-expressions of over-aligned types call the align_val_t forms */
	Cache64 *c = new Cache64;
	ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(c) % 64, 0);
	ck_assert_uint_eq(malloc_usable_size(c), hst_usable_for_aligned(sizeof(Cache64), 64));
	delete c;
	Cache64 *ca = new Cache64[opaque(9)];
	ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(ca) % 64, 0);
	delete[] ca;
	Page4K *pg = new Page4K;
	ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(pg) % 4096, 0);
	ck_assert_uint_eq(malloc_usable_size(pg), hst_usable_for_aligned(sizeof(Page4K), 4096));
	std::memset(pg->b, 1, sizeof pg->b);
	delete pg;
	Page4K *pga = new Page4K[opaque(3)];
	ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(pga) % 4096, 0);
	delete[] pga;
	auto up = std::make_unique<Cache64[]>(5);
	ck_assert_uint_eq(reinterpret_cast<std::uintptr_t>(up.get()) % 64, 0);
}
END_TEST

START_TEST(test_impossible_size_throws_bad_alloc)
{
	std::set_new_handler(nullptr);
	for (std::size_t n : impossible) {
		int caught = 0;
		try {
			void *p = ::operator new(opaque(n));
			ck_abort_msg("operator new(%zu) returned %p", n, p);
		} catch (const std::bad_alloc &) {
			caught++;
		}
		try {
			void *p = ::operator new[](opaque(n));
			ck_abort_msg("operator new[](%zu) returned %p", n, p);
		} catch (const std::bad_alloc &) {
			caught++;
		}
		try {
			void *p = ::operator new(opaque(n), std::align_val_t(64));
			ck_abort_msg("operator new(%zu, 64) returned %p", n, p);
		} catch (const std::bad_alloc &) {
			caught++;
		}
		try {
			void *p = ::operator new[](opaque(n), std::align_val_t(4096));
			ck_abort_msg("operator new[](%zu, 4096) returned %p", n, p);
		} catch (const std::bad_alloc &) {
			caught++;
		}
		ck_assert_int_eq(caught, 4);
	}
	/* a new-expression too */
	int caught = 0;
	try {
		std::vector<char> v;
		v.reserve(opaque(SIZE_MAX / 4));
	} catch (const std::bad_alloc &) {
		caught = 1;
	} catch (const std::length_error &) {
		caught = 2; /* libstdc++ checks max_size() first */
	}
	ck_assert_int_ne(caught, 0);
}
END_TEST

START_TEST(test_new_handler_called_before_bad_alloc)
{
	struct {
		const char *what;
		void *(*call)(std::size_t);
	} forms[] = {
		{"new", [](std::size_t n) { return ::operator new(n); }},
		{"new[]", [](std::size_t n) { return ::operator new[](n); }},
		{"new align 64", [](std::size_t n) { return ::operator new(n, std::align_val_t(64)); }},
		{"new[] align 4096",
		 [](std::size_t n) { return ::operator new[](n, std::align_val_t(4096)); }},
	};
	for (auto &f : forms) {
		handler_calls = 0;
		handler_limit = 3;
		std::set_new_handler(counting_handler);
		bool caught = false;
		try {
			f.call(opaque(SIZE_MAX / 2));
		} catch (const std::bad_alloc &) {
			caught = true;
		}
		ck_assert_msg(caught, "%s did not throw", f.what);
		ck_assert_msg(handler_calls == 3, "%s: new_handler called %d times, want 3", f.what,
			      handler_calls);
		ck_assert(std::get_new_handler() == nullptr);
	}
}
END_TEST

START_TEST(test_nothrow_new_calls_handler_then_returns_null)
{
	handler_calls = 0;
	handler_limit = 2;
	std::set_new_handler(counting_handler);
	ck_assert_ptr_null(::operator new(opaque(SIZE_MAX / 2), std::nothrow));
	ck_assert_int_eq(handler_calls, 2);
	handler_calls = 0;
	std::set_new_handler(counting_handler);
	ck_assert_ptr_null(::operator new[](opaque(SIZE_MAX / 2), std::align_val_t(64), std::nothrow));
	ck_assert_int_eq(handler_calls, 2);
}
END_TEST

START_TEST(test_nothrow_new_with_throwing_handler_returns_null)
{
	/* [new.delete.single]: the nothrow form returns a null pointer when the
	 * ordinary form would throw — including a bad_alloc thrown by the
	 * new_handler, which is one of a handler's three allowed behaviours. */
	std::set_new_handler(throwing_handler);
	handler_calls = 0;
	void *p = reinterpret_cast<void *>(1);
	try {
		p = ::operator new(opaque(SIZE_MAX / 2), std::nothrow);
	} catch (const std::bad_alloc &) {
		ck_abort_msg("nothrow operator new let bad_alloc from the new_handler escape");
	}
	ck_assert_ptr_null(p);
	ck_assert_int_eq(handler_calls, 1);
	std::set_new_handler(nullptr);
}
END_TEST

START_TEST(test_new_handler_can_make_room)
{
	/* Under an address-space limit, hold a 64 MiB reserve: a 64 MiB
	 * operator new fails until the handler frees the reserve, then the
	 * retry succeeds. */
	long vm_kib = -1;
	{
		char buf[8192];
		FILE *f = std::fopen("/proc/self/status", "r");
		ck_assert_ptr_nonnull(f);
		std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
		std::fclose(f);
		buf[n] = '\0';
		const char *l = std::strstr(buf, "\nVmSize:");
		ck_assert_ptr_nonnull(l);
		vm_kib = std::strtol(l + 8, nullptr, 10);
	}
	ck_assert_int_gt(vm_kib, 0);
	struct rlimit rl;
	rl.rlim_cur = rl.rlim_max = static_cast<rlim_t>(vm_kib) * 1024 + 100 * MiB;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
	reserve = std::malloc(64 * MiB);
	ck_assert_ptr_nonnull(reserve);
	handler_calls = 0;
	std::set_new_handler(releasing_handler);
	void *p = ::operator new(64 * MiB);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(handler_calls, 1);
	ck_assert_ptr_null(reserve);
	ck_assert_uint_eq(malloc_usable_size(p), 64 * MiB);
	std::memset(p, 1, 64 * MiB);
	::operator delete(p);
	std::set_new_handler(nullptr);
}
END_TEST

START_TEST(test_delete_preserves_errno)
{
	for (std::size_t n : sizes) {
		void *p = ::operator new(n);
		errno = 1234;
		::operator delete(p);
		ck_assert_int_eq(errno, 1234);
		p = ::operator new[](n, std::align_val_t(4096));
		errno = 4321;
		::operator delete[](p, n, std::align_val_t(4096));
		ck_assert_int_eq(errno, 4321);
	}
}
END_TEST

START_TEST(test_standard_containers)
{
	std::vector<int> v(1000, 5);
	ck_assert_hs_block(v.data(), 4000);
	std::string s(5000, 'x');
	ck_assert_uint_eq(malloc_usable_size(s.data()), hst_usable_for(5001));
	std::map<int, std::string> m;
	for (int i = 0; i < 5000; i++)
		m[i] = std::to_string(i) + std::string(static_cast<std::size_t>(i % 50), 'y');
	for (int i = 0; i < 5000; i++)
		ck_assert_str_eq(m[i].c_str(),
				 (std::to_string(i) + std::string(static_cast<std::size_t>(i % 50), 'y')).c_str());
	auto sp = std::make_shared<std::vector<double>>(100000, 1.5);
	ck_assert_uint_eq(malloc_usable_size(sp->data()), hst_usable_for(800000));
	double sum = 0;
	for (double d : *sp)
		sum += d;
	ck_assert(sum == 150000.0);
	for (int r = 0; r < 10; r++) /* up to 4 MiB, through every tier */
		v.resize(v.size() * 2, r);
	ck_assert_int_eq(v[999], 5);
	ck_assert_int_eq(v[1000], 0);
	ck_assert_hs_block(v.data(), v.capacity() * sizeof(int));
}
END_TEST

int main()
{
	hst_require_preload();
	Suite *s = suite_create("heapscope-c++");
	TCase *tc = tcase_create("operators");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cxx_symbols_are_heapscope);
	tcase_add_test(tc, test_new_delete);
	tcase_add_test(tc, test_new_zero_unique);
	tcase_add_test(tc, test_new_array_delete_array);
	tcase_add_test(tc, test_nothrow_new);
	tcase_add_test(tc, test_sized_delete);
	tcase_add_test(tc, test_aligned_new_delete);
	tcase_add_test(tc, test_overaligned_types);
	tcase_add_test(tc, test_delete_preserves_errno);
	tcase_add_test(tc, test_standard_containers);
	suite_add_tcase(s, tc);
	TCase *th = tcase_create("bad_alloc");
	tcase_set_timeout(th, 60);
	tcase_add_test(th, test_impossible_size_throws_bad_alloc);
	tcase_add_test(th, test_new_handler_called_before_bad_alloc);
	tcase_add_test(th, test_nothrow_new_calls_handler_then_returns_null);
	tcase_add_test(th, test_nothrow_new_with_throwing_handler_returns_null);
	tcase_add_test(th, test_new_handler_can_make_room);
	suite_add_tcase(s, th);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
