#!/usr/bin/env bash
# gcc.sh SRCDIR — compile sample.c (with a deliberate warning), link it, run
# it; print the object's and the preprocessed output's checksums so code
# generation itself is compared too.
set -eu
src=$1
cp "$src/sample.c" .
gcc -Wall -O2 -g -c sample.c -o sample.o
gcc -O2 -o sample sample.o -lm
./sample
echo "exit $?"
gcc -E -P sample.c | md5sum
md5sum sample.o
objdump -d --no-show-raw-insn sample.o | grep -c '^ ' || true
gcc -O0 -Wall -Wextra -fsyntax-only -x c - <<'C' 2>&1 || true
int f(int a) { int b; return a + b; }
int g(void) { return f(1) }
C
echo "done"
