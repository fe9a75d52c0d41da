// Scenario 13: a clean multithreaded C++ program. Threads build and drop
// vectors, maps, strings, unordered_maps and shared_ptrs; static objects
// with destructors (namespace scope, function-local, thread_local) own heap
// memory until exit. Nothing here leaks.
#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

struct Registry {
	std::map<std::string, std::vector<int>> entries;
	std::unordered_map<int, std::shared_ptr<std::string>> names;
	std::mutex lock;
	~Registry() { entries.clear(); }
};

Registry g_registry;                                  // destroyed at exit
std::string g_banner(200, '=');                       // heap-allocated string
std::vector<std::unique_ptr<int>> g_owned;            // owns blocks until exit
const std::map<int, std::string> g_table = {{1, std::string(40, 'a')}, {2, std::string(50, 'b')}};

std::unordered_map<std::string, int> &cache()
{
	static std::unordered_map<std::string, int> c; // function-local static
	return c;
}

thread_local std::vector<std::string> t_scratch; // destroyed at thread exit

struct Node {
	std::string name;
	std::vector<std::shared_ptr<Node>> children;
	std::weak_ptr<Node> parent; // no cycle of shared_ptrs
};

std::atomic<long> g_sum{0};

void work(int id)
{
	std::vector<std::string> words;
	for (int i = 0; i < 500; i++)
		words.push_back("word-" + std::to_string(id) + "-" + std::to_string(i) + std::string(i % 40, 'x'));
	std::map<std::string, size_t> lengths;
	std::unordered_map<size_t, std::vector<std::string>> by_len;
	for (const auto &w : words) {
		lengths[w] = w.size();
		by_len[w.size()].push_back(w);
	}
	auto root = std::make_shared<Node>();
	root->name = "root-" + std::to_string(id);
	for (int i = 0; i < 50; i++) {
		auto child = std::make_shared<Node>();
		child->name = std::string(30 + i, 'c');
		child->parent = root;
		root->children.push_back(child);
	}
	for (int i = 0; i < 20; i++)
		t_scratch.push_back(std::string(100, static_cast<char>('a' + i)));
	{
		std::lock_guard<std::mutex> g(g_registry.lock);
		g_registry.entries["thread-" + std::to_string(id)] = std::vector<int>(100, id);
		g_registry.names[id] = std::make_shared<std::string>(64, 'n');
		cache()["key-" + std::to_string(id)] = id;
		g_owned.push_back(std::make_unique<int>(id));
	}
	long s = 0;
	for (const auto &kv : lengths)
		s += static_cast<long>(kv.second);
	for (const auto &kv : by_len)
		s += static_cast<long>(kv.second.size());
	s += static_cast<long>(root->children.size());
	g_sum += s;
}

} // namespace

int main()
{
	std::vector<std::thread> threads;
	for (int i = 0; i < 4; i++)
		threads.emplace_back(work, i);
	for (auto &t : threads)
		t.join();
	threads.clear();
	threads.shrink_to_fit();
	std::cout << "sum=" << g_sum.load() << " entries=" << g_registry.entries.size()
		  << " cache=" << cache().size() << " banner=" << g_banner.size()
		  << " table=" << g_table.size() << std::endl;
	return 0;
}
