#!/usr/bin/env bash
# The README's HEAPSCOPE_OPTIONS table must be exactly what options.def says.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
want=$("$root/scripts/options-table")
have=$(sed -n '/<!-- options:begin/,/<!-- options:end/p' "$root/README.md" | sed '1d;$d')
if [ "$want" != "$have" ]; then
	echo "README.md's options table differs from preload/options.def; regenerate with scripts/options-table:"
	diff <(echo "$have") <(echo "$want") || true
	exit 1
fi
echo "README options table matches options.def"
