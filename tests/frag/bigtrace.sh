#!/bin/sh
# bigtrace.sh — time `heapscope report --simulate` over a 10-million-event
# trace. Not a ctest test: a measurement, printed, never asserted.
#
#   tests/frag/bigtrace.sh [BUILD_DIR] [PAIRS]   (defaults: build/ at the top, 5000000)
#
# Builds progs/bigtrace.c, which makes PAIRS malloc/free pairs (a window of
# 4096 live blocks, each malloc replacing a pseudo-random slot, sizes mostly
# small with some up to 64 KiB, so the holes and free blocks are many and
# varied), records it with `heapscope run --guard off`, then runs
#   heapscope report --format json            (the baseline: no simulation)
#   heapscope report --format json --simulate
# under /usr/bin/time -v and prints wall time and maximum RSS of each, and
# the simulate section.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
pairs=${2:-5000000}
cli=$build/analyzer/heapscope
[ -x "$cli" ] || { echo "bigtrace.sh: build $build first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bigtrace.sh: needs /usr/bin/time (GNU time)" >&2; exit 2; }
python=$(command -v python3) || { echo "bigtrace.sh: needs python3" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hs-bigtrace.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
${CC:-cc} -O2 -g -fno-builtin-malloc -fno-builtin-free -o "$tmp/bigtrace" "$here/progs/bigtrace.c"

echo "recording $pairs malloc/free pairs ..."
start=$(date +%s.%N)
"$cli" run --out "$tmp/out" --guard off --fail-on none --quiet -- "$tmp/bigtrace" "$pairs" >"$tmp/run.log" 2>&1 ||
	{ cat "$tmp/run.log" >&2; echo "bigtrace.sh: heapscope run failed" >&2; exit 1; }
end=$(date +%s.%N)
trace=$(ls "$tmp"/out/heapscope.*.hst)
echo "  recorded in $(awk "BEGIN { printf \"%.1f\", $end - $start }") s; trace $(stat -c %s "$trace") bytes"

measure() { # LABEL ARGS...
	label=$1
	shift
	/usr/bin/time -v -o "$tmp/time.txt" "$cli" report --format json --compact "$@" "$trace" >"$tmp/report.json"
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time.txt")
	user=$(sed -n 's/.*User time (seconds): //p' "$tmp/time.txt")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
	printf '  %-28s wall %s, user %s s, max RSS %s KiB\n' "$label" "$wall" "$user" "$rss"
}
echo "on $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure "report (no simulation)"
measure "report --simulate" --simulate
"$python" - "$tmp/report.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
h = p["heap"]
print("  events: %d allocations, %d reallocations, %d frees" % (h["allocations"], h["reallocations"], h["frees"]))
print("  %-10s %16s %16s %9s %10s %16s" % ("strategy", "peak footprint", "live at peak", "ext.frag", "avg search", "compaction"))
for s in p["simulate"]["strategies"]:
    a = s["average_search_length"]
    print("  %-10s %16d %16d %8.1f%% %10s %16d" % (s["name"], s["peak_footprint_bytes"], s["peak_live_bytes"],
          100 * s["external_fragmentation_at_peak"], "-" if a is None else "%.2f" % a, s["compaction_reclaim_bytes"]))
PY
