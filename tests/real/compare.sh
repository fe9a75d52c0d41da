#!/usr/bin/env bash
# compare.sh — run a command natively and under LD_PRELOAD=libheapscope.so and
# compare stdout, stderr and the exit status byte for byte.
#
#   compare.sh [options] -- COMMAND [ARGS...]
#
# Options:
#   --preload LIB    the preload library (default: $HS_PRELOAD, else
#                    build/preload/libheapscope.so next to this checkout)
#   --work DIR       scratch directory (default: a fresh mktemp -d, removed
#                    at the end). The command runs in DIR/run, which is
#                    wiped and recreated before each side so both sides see
#                    identical fresh directories at the same path. The
#                    outputs are kept in DIR/result for inspection.
#   --timeout SECS   per side (default 300); a timeout is reported as such
#   --verbose-check  run the preload side with HEAPSCOPE_OPTIONS=verbosity=1
#                    and fail if its stderr has any "heapscope" line, or any
#                    line of its report format ("==PID== ..."), that the
#                    native stderr does not have (a reported heap error or a
#                    heapscope problem). Without it, HEAPSCOPE_OPTIONS is
#                    verbosity=0 so that only behaviour is compared.
#   --options OPTS   more HEAPSCOPE_OPTIONS items for the preload side
#                    (colon-separated, appended after verbosity); @TRACE@
#                    stands for DIR/trace, a directory outside the run
#                    directory, recreated empty for the run (e.g.
#                    --options out=@TRACE@ records a trace with error
#                    detection on)
#   --name NAME      label used in messages
#
# Both sides get the same controlled environment: LC_ALL=C, TZ=UTC,
# HOME=<run>/home, TMPDIR=<run>/tmp, PYTHONHASHSEED=0, fixed perl hash seed,
# no MALLOC_* tuning. The command's stdin is /dev/null.
# Exit status: 0 when everything matches, 1 on a mismatch, 2 on a usage or
# setup error.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
preload=${HS_PRELOAD:-$here/../../build/preload/libheapscope.so}
work=""
timeout_s=300
verbose_check=0
name=""
extra_opts=""

die() { echo "compare.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--preload) preload=$2; shift 2 ;;
	--work) work=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--verbose-check) verbose_check=1; shift ;;
	--name) name=$2; shift 2 ;;
	--options) extra_opts=$2; shift 2 ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || die "no command given"
[ -f "$preload" ] || die "preload library not found: $preload"
preload=$(cd "$(dirname "$preload")" && pwd)/$(basename "$preload")
[ -n "$name" ] || name=$(basename "$1")

cleanup_work=0
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/hs-compare.XXXXXX") || die "mktemp failed"
	cleanup_work=1
fi
mkdir -p "$work" || die "cannot create $work"
work=$(cd "$work" && pwd)
run=$work/run
res=$work/result
rm -rf "$res" && mkdir -p "$res" || die "cannot create $res"

# run_side SIDE: fresh run dir, controlled environment, outputs to $res/SIDE.*
run_side() {
	local side=$1
	shift
	rm -rf "$run" && mkdir -p "$run/home" "$run/tmp" || die "cannot create $run"
	local envs=(
		-u LD_PRELOAD -u HEAPSCOPE_OPTIONS -u MALLOC_CHECK_ -u MALLOC_PERTURB_
		-u GLIBC_TUNABLES -u PYTHONMALLOC -u PYTHONSTARTUP -u PYTHONPATH
		-u PERL5LIB -u PERL5OPT -u MAKEFLAGS -u MFLAGS -u GIT_DIR -u GIT_WORK_TREE
		-u CDPATH -u ENV -u BASH_ENV
		LC_ALL=C LANG=C TZ=UTC HOME="$run/home" TMPDIR="$run/tmp"
		PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0
		GIT_CONFIG_NOSYSTEM=1 GIT_PAGER=cat PAGER=cat TERM=dumb
	)
	if [ "$side" = preload ]; then
		local opts=verbosity=0
		[ $verbose_check -eq 1 ] && opts=verbosity=1
		if [ -n "$extra_opts" ]; then
			rm -rf "$work/trace" && mkdir -p "$work/trace" || die "cannot create $work/trace"
			opts+=":${extra_opts//@TRACE@/$work/trace}"
		fi
		envs+=(LD_PRELOAD="$preload" HEAPSCOPE_OPTIONS="$opts")
	fi
	# timeout and env run natively; everything from the command down (its
	# children included) runs under the preload on the preload side.
	(cd "$run" && exec timeout -k 10 "$timeout_s" env "${envs[@]}" "$@") \
		</dev/null >"$res/$side.out" 2>"$res/$side.err"
	echo $? >"$res/$side.status"
}

describe_status() {
	local s=$1
	if [ "$s" -eq 124 ]; then echo "$s (timed out after ${timeout_s}s)"
	elif [ "$s" -gt 128 ]; then echo "$s (killed by signal $((s - 128)): $(kill -l $((s - 128)) 2>/dev/null))"
	else echo "$s"; fi
}

run_side native "$@"
run_side preload "$@"

fail=0
for stream in out err status; do
	if ! cmp -s "$res/native.$stream" "$res/preload.$stream"; then
		fail=1
		case $stream in
		out) what=stdout ;; err) what=stderr ;; status) what="exit status" ;;
		esac
		echo "=== $name: $what differs (native vs LD_PRELOAD=libheapscope.so)"
		if [ $stream = status ]; then
			echo "native:  $(describe_status "$(cat "$res/native.status")")"
			echo "preload: $(describe_status "$(cat "$res/preload.status")")"
		else
			diff -u --label "native.$what" --label "preload.$what" \
				"$res/native.$stream" "$res/preload.$stream" | head -n 200
		fi
	fi
done

if [ $verbose_check -eq 1 ]; then
	# Lines heapscope added to stderr: any line naming heapscope or in its
	# report format ("==PID== ...") that the native run did not print too.
	pat='heapscope|^==[0-9]+=='
	extra=$(grep -aE "$pat" "$res/preload.err" |
		grep -avxFf <(grep -aE "$pat" "$res/native.err") || true)
	if [ -n "$extra" ]; then
		fail=1
		echo "=== $name: heapscope printed (HEAPSCOPE_OPTIONS=verbosity=1):"
		printf '%s\n' "$extra" | head -n 50
	fi
fi

if [ $fail -eq 0 ]; then
	echo "$name: identical (exit status $(cat "$res/native.status"), stdout $(wc -c <"$res/native.out") bytes, stderr $(wc -c <"$res/native.err") bytes)"
	if [ $cleanup_work -eq 1 ]; then
		rm -rf "$work"
	else
		rm -rf "$run" "$work/trace" # keep only the outputs
	fi
	exit 0
fi
echo "$name: MISMATCH — command: $*"
echo "outputs kept in $res"
exit 1
