// cxx_exceptions.cpp — a C++ program for the real-program tests: exceptions
// thrown and caught through many frames (with RAII objects that own heap
// memory on every frame), nested exceptions, exception_ptr handed between
// threads, std::bad_alloc from operator new, the standard containers and
// shared_ptr, and glibc's backtrace()/backtrace_symbols(). Its output is
// deterministic: the same on every run, with or without the preload.
#include <execinfo.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

struct Failure : std::runtime_error {
	int depth;
	std::vector<std::string> trail;
	Failure(const std::string &what, int d) : std::runtime_error(what), depth(d) {}
};

// Owns heap memory in every frame the exception unwinds through.
struct Guard {
	std::string name;
	std::vector<int> payload;
	std::shared_ptr<std::map<int, std::string>> shared;
	static long destroyed;
	Guard(int depth, std::shared_ptr<std::map<int, std::string>> s)
	    : name("guard-" + std::to_string(depth)), payload(static_cast<std::size_t>(depth % 17 + 1), depth),
	      shared(std::move(s))
	{
		(*shared)[depth] = name;
	}
	~Guard() { destroyed += static_cast<long>(payload.size()); }
};
long Guard::destroyed = 0;

__attribute__((noinline)) int descend(int depth, int limit, std::shared_ptr<std::map<int, std::string>> s)
{
	Guard g(depth, s);
	if (depth == limit) {
		Failure f("bottom reached at " + std::to_string(depth), depth);
		f.trail.push_back(g.name);
		throw f;
	}
	try {
		return descend(depth + 1, limit, s) + 1;
	} catch (Failure &f) {
		if (depth % 10 == 0) {
			f.trail.push_back(g.name);
			throw; // rethrow the same object
		}
		if (depth % 25 == 7)
			throw Failure(std::string(f.what()) + " / rewrapped at " + std::to_string(depth),
				      f.depth); // a new exception object
		throw;
	}
}

__attribute__((noinline)) void nested_level(int n)
{
	if (n == 0)
		throw std::out_of_range("innermost");
	try {
		nested_level(n - 1);
	} catch (...) {
		std::throw_with_nested(std::logic_error("level " + std::to_string(n)));
	}
}

void print_nested(const std::exception &e, int level)
{
	std::cout << "  " << std::string(static_cast<std::size_t>(level), '.') << e.what() << "\n";
	try {
		std::rethrow_if_nested(e);
	} catch (const std::exception &inner) {
		print_nested(inner, level + 1);
	}
}

// Symbol names from backtrace_symbols, without the run-dependent addresses.
std::vector<std::string> symbol_names(void *const *frames, int n)
{
	std::vector<std::string> names;
	char **syms = backtrace_symbols(frames, n);
	if (!syms)
		return names;
	for (int i = 0; i < n; i++) {
		const char *open = std::strchr(syms[i], '(');
		const char *plus = open ? std::strpbrk(open, "+)") : nullptr;
		if (open && plus && plus > open + 1)
			names.emplace_back(open + 1, static_cast<std::size_t>(plus - open - 1));
		else
			names.emplace_back("?");
	}
	std::free(syms); // backtrace_symbols' array is one malloc'd block
	return names;
}

long thread_work(int id)
{
	long sum = 0;
	std::unordered_map<std::string, long> seen;
	for (int i = 0; i < 2000; i++) {
		try {
			if ((i + id) % 3 == 0)
				throw std::runtime_error("t" + std::to_string(id) + "-" + std::to_string(i));
			if ((i + id) % 5 == 0)
				throw i;
			seen[std::to_string(i % 97)] += i;
		} catch (const std::runtime_error &e) {
			sum += static_cast<long>(std::strlen(e.what()));
		} catch (int v) {
			sum += v;
		}
	}
	for (const auto &kv : seen)
		sum += kv.second;
	return sum;
}

} // namespace

// Outside the anonymous namespace with C linkage so that the dynamic symbol
// table (-rdynamic) names it and backtrace_symbols() can print the name.
extern "C" __attribute__((noinline)) int hs_traced(int depth, std::vector<std::string> *out)
{
	if (depth == 0) {
		void *frames[64];
		int n = backtrace(frames, 64);
		*out = symbol_names(frames, n);
		return n;
	}
	int r = hs_traced(depth - 1, out);
	asm volatile("" ::: "memory"); // keep the recursion a real call
	return r;
}

// Section 6 of main, in a function of its own with C linkage so that it is
// named in the backtraces (GCC may move code of main into main.cold, which the
// dynamic symbol table does not name).
extern "C" __attribute__((noinline)) void hs_backtrace_section()
{
	// 6. backtrace() through a known recursion, and from inside a handler.
	std::vector<std::string> names;
	int n = hs_traced(12, &names);
	long ours = std::count(names.begin(), names.end(), std::string("hs_traced"));
	std::cout << "backtrace: " << (n >= 14 ? "deep enough" : "too shallow") << ", traced frames " << ours
		  << "\n";
	for (const auto &s : names)
		std::cout << "  frame " << s << "\n";
	try {
		throw std::runtime_error("for backtrace");
	} catch (const std::exception &e) {
		std::vector<std::string> in_handler;
		int m = hs_traced(0, &in_handler); // one named frame, called from the handler
		std::cout << "backtrace in handler (" << e.what() << "): " << (m > 2 ? "ok" : "too shallow")
			  << ", first frame " << (in_handler.empty() ? "none" : in_handler.front()) << "\n";
	}
}

int main()
{
	// 1. Deep unwinding, many times, with heap-owning objects on every frame.
	auto registry = std::make_shared<std::map<int, std::string>>();
	long caught = 0, depth_sum = 0;
	std::string last;
	for (int round = 0; round < 200; round++) {
		try {
			descend(0, 40 + round % 60, registry);
		} catch (const Failure &f) {
			caught++;
			depth_sum += f.depth + static_cast<long>(f.trail.size());
			last = f.what();
		}
	}
	std::cout << "deep: caught " << caught << ", depth sum " << depth_sum << ", registry " << registry->size()
		  << ", use_count " << registry.use_count() << ", destroyed " << Guard::destroyed << "\n";
	std::cout << "deep: last \"" << last << "\"\n";

	// 2. Nested exceptions.
	try {
		nested_level(6);
	} catch (const std::exception &e) {
		std::cout << "nested:\n";
		print_nested(e, 0);
	}

	// 3. exception_ptr crossing threads, and threads throwing concurrently.
	std::vector<std::exception_ptr> errors(4);
	std::vector<long> sums(4);
	std::vector<std::thread> threads;
	for (int t = 0; t < 4; t++)
		threads.emplace_back([t, &errors, &sums] {
			sums[static_cast<std::size_t>(t)] = thread_work(t);
			try {
				throw std::length_error("from thread " + std::to_string(t));
			} catch (...) {
				errors[static_cast<std::size_t>(t)] = std::current_exception();
			}
		});
	for (auto &th : threads)
		th.join();
	for (int t = 0; t < 4; t++) {
		try {
			std::rethrow_exception(errors[static_cast<std::size_t>(t)]);
		} catch (const std::length_error &e) {
			std::cout << "thread " << t << ": sum " << sums[static_cast<std::size_t>(t)] << ", " << e.what()
				  << "\n";
		}
	}

	// 4. Allocation failure: operator new must throw, nothrow new must
	//    return null, and the program must carry on.
	volatile std::size_t huge = std::size_t(1) << 46;
	try {
		void *p = ::operator new(huge);
		std::cout << "bad_alloc: not thrown\n";
		::operator delete(p);
	} catch (const std::bad_alloc &) {
		std::cout << "bad_alloc: thrown\n";
	}
	char *q = new (std::nothrow) char[huge];
	std::cout << "nothrow new: " << (q ? "non-null" : "null") << "\n";
	delete[] q;

	// 5. Containers and shared_ptr graphs built and dropped.
	std::unordered_map<std::string, std::shared_ptr<std::vector<std::string>>> index;
	std::map<std::string, std::size_t> lengths;
	for (int i = 0; i < 30000; i++) {
		std::string key = "key" + std::to_string(i % 1500);
		auto &slot = index[key];
		if (!slot)
			slot = std::make_shared<std::vector<std::string>>();
		slot->push_back(std::string(static_cast<std::size_t>(i % 200), static_cast<char>('a' + i % 26)));
		if (i % 7 == 0)
			index.erase("key" + std::to_string((i * 31) % 1500));
	}
	for (const auto &kv : index) {
		std::size_t total = 0;
		for (const auto &s : *kv.second)
			total += s.size();
		lengths[kv.first] = total;
	}
	std::size_t grand = 0;
	for (const auto &kv : lengths)
		grand += kv.second;
	std::cout << "containers: " << index.size() << " keys, " << grand << " chars, first " << lengths.begin()->first
		  << "=" << lengths.begin()->second << "\n";
	std::vector<std::weak_ptr<std::vector<std::string>>> weak;
	for (const auto &kv : index)
		weak.push_back(kv.second);
	index.clear();
	std::cout << "containers: expired " << std::count_if(weak.begin(), weak.end(), [](const auto &w) {
		return w.expired();
	}) << " of " << weak.size() << "\n";

	hs_backtrace_section();
	return 0;
}
