#!/usr/bin/env bash
# gxx.sh SRCDIR — g++ compiles and links sample.cpp (templates, the standard
# library, exceptions), then runs it.
set -eu
src=$1
cp "$src/sample.cpp" .
g++ -std=c++17 -Wall -Wextra -O1 -g -c sample.cpp -o sample.o
g++ -o sample sample.o
./sample
echo "exit $?"
md5sum sample.o
g++ -std=c++17 -fsyntax-only -x c++ - <<'CXX' 2>&1 || true
#include <vector>
#include <string>
int main() { std::vector<std::string> v; v.push_back(42); }
CXX
echo "done"
