#!/bin/sh
# scan_1m.sh — time heapscope's leak scan over a million live blocks.
# Not a ctest test: a measurement (the target is under 2 s for the scan).
#
#   tests/leaks/scan_1m.sh [BUILD_DIR]     (default: build/ at the top)
#
# Builds progs/scan_1m.c, runs it with LD_PRELOAD=libheapscope.so recording
# into a temporary directory, and prints
#   - the time of an on-demand heapscope_check_leaks() (the scan alone, the
#     world stopped, over the same heap the exit check sees), and
#   - the exit path: from the program's last atexit handler to the process
#     being reaped, which is the exit scan plus writing the trace's tail;
# then checks the exit report's numbers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
cli=$build/analyzer/heapscope
preload=$build/preload/libheapscope.so
[ -x "$cli" ] && [ -r "$preload" ] || { echo "scan_1m.sh: build $build first" >&2; exit 2; }
python=$(command -v python3) || { echo "scan_1m.sh: needs python3" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hs-scan1m.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
${CC:-cc} -g -O0 -fno-builtin-malloc -fno-builtin-calloc -I"$here/progs" -I"$top/include" -o "$tmp/scan_1m" "$here/progs/scan_1m.c"
mkdir "$tmp/out"

"$python" - "$tmp/scan_1m" "$preload" "$tmp/out" <<'PY'
import os, subprocess, sys, time
prog, preload, out = sys.argv[1:]
env = dict(os.environ, LD_PRELOAD=preload, HEAPSCOPE_OPTIONS="out=" + out)
start = time.monotonic()
p = subprocess.Popen([prog], env=env, stdout=subprocess.PIPE, text=True)
atexit = None
for line in p.stdout:
    print("  " + line.rstrip())
    if line.startswith("atexit "):
        atexit = float(line.split()[1])
p.wait()
end = time.monotonic()  # CLOCK_MONOTONIC, the clock the program printed
if p.returncode != 0 or atexit is None:
    sys.exit("scan_1m: the program failed (status %d)" % p.returncode)
print("exit path (exit scan + trace tail): %.3f s; whole run %.1f s" % (end - atexit, end - start))
PY

"$cli" report --format json --compact "$tmp"/out/heapscope.*.hst > "$tmp/report.json"
"$python" - "$tmp/report.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
l = p["leaks"]
got = {k: (l[k]["blocks"], l[k]["bytes"]) for k in ("definite", "indirect", "possible", "reachable")}
# 250000 + 25000 heads, 225000 tails; 500000 kept + the array (2 000 000 bytes)
want = {"definite": (275000, 275000 * 32), "indirect": (225000, 225000 * 32), "possible": (0, 0),
        "reachable": (500001, 500000 * 32 + 250000 * 8)}
print("exit report: " + ", ".join("%s %d blocks" % (k, v[0]) for k, v in got.items()))
bad = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
if bad:
    sys.exit("scan_1m: wrong numbers (got, expected): %r" % bad)
PY
