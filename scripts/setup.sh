# scripts/setup.sh — sourced by run, test and bench: install what is missing,
# then configure and build. Idempotent; quiet when there is nothing to do.
set -euo pipefail

HS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HS_BUILD=${HS_BUILD:-$HS_ROOT/build}

# Debian packages: build dependencies, the real programs the tests run under
# the preload, and the peers the benchmark compares against.
HS_PACKAGES=(build-essential cmake pkg-config libunwind-dev libdw-dev libelf-dev check
             python3 python3-matplotlib sqlite3 git perl gawk make g++ file
             valgrind heaptrack electric-fence duma)

hs_install() {
	local missing=()
	for p in "${HS_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "heapscope: installing ${missing[*]}" >&2
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

hs_build() {
	cmake -S "$HS_ROOT" -B "$HS_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$HS_BUILD" -j"$(nproc)" -- --no-print-directory >/dev/null
}
