// sample.cpp — compiled by the g++ case under the preload, then run:
// templates, containers, algorithms, iostreams and an exception.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

template <typename T> class Matrix {
public:
	Matrix(std::size_t r, std::size_t c) : rows_(r), cols_(c), data_(r * c) {}
	T &at(std::size_t r, std::size_t c) { return data_.at(r * cols_ + c); }
	const T &at(std::size_t r, std::size_t c) const { return data_.at(r * cols_ + c); }
	Matrix operator*(const Matrix &o) const
	{
		if (cols_ != o.rows_)
			throw std::invalid_argument("shape mismatch");
		Matrix m(rows_, o.cols_);
		for (std::size_t i = 0; i < rows_; i++)
			for (std::size_t j = 0; j < o.cols_; j++)
				for (std::size_t k = 0; k < cols_; k++)
					m.at(i, j) += at(i, k) * o.at(k, j);
		return m;
	}
	T trace() const
	{
		T t{};
		for (std::size_t i = 0; i < std::min(rows_, cols_); i++)
			t += at(i, i);
		return t;
	}

private:
	std::size_t rows_, cols_;
	std::vector<T> data_;
};

struct Shape {
	virtual ~Shape() = default;
	virtual double area() const = 0;
	virtual std::string name() const = 0;
};
struct Rect : Shape {
	double w, h;
	Rect(double a, double b) : w(a), h(b) {}
	double area() const override { return w * h; }
	std::string name() const override { return "rect"; }
};
struct Tri : Shape {
	double b, h;
	Tri(double a, double c) : b(a), h(c) {}
	double area() const override { return b * h / 2; }
	std::string name() const override { return "tri"; }
};

} // namespace

int main()
{
	Matrix<long> a(40, 40), b(40, 40);
	for (std::size_t i = 0; i < 40; i++)
		for (std::size_t j = 0; j < 40; j++) {
			a.at(i, j) = static_cast<long>((i * 7 + j * 3) % 11);
			b.at(i, j) = static_cast<long>((i + j * 5) % 13);
		}
	std::cout << "trace " << (a * b).trace() << "\n";
	try {
		Matrix<long> c(3, 4);
		(void)(c * c);
	} catch (const std::exception &e) {
		std::cout << "caught: " << e.what() << "\n";
	}

	std::vector<std::unique_ptr<Shape>> shapes;
	for (int i = 0; i < 10000; i++) {
		if (i % 3)
			shapes.push_back(std::make_unique<Rect>(i % 17, i % 5 + 1));
		else
			shapes.push_back(std::make_unique<Tri>(i % 13, i % 7 + 1));
	}
	std::map<std::string, double> areas;
	for (const auto &s : shapes)
		areas[s->name()] += s->area();
	for (const auto &kv : areas)
		std::cout << kv.first << " " << std::fixed << std::setprecision(1) << kv.second << "\n";

	std::vector<std::string> words;
	for (int i = 0; i < 5000; i++) {
		std::ostringstream os;
		os << "w" << (i * 7919) % 5003;
		words.push_back(os.str());
	}
	std::sort(words.begin(), words.end());
	words.erase(std::unique(words.begin(), words.end()), words.end());
	std::string all = std::accumulate(words.begin(), words.begin() + 5, std::string());
	std::cout << words.size() << " " << all << "\n";
	return 0;
}
