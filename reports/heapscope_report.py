#!/usr/bin/env python3
"""heapscope_report.py — charts and one self-contained HTML page from the
analyzer's JSON report (`heapscope report --format json`).

    heapscope_report.py [--quiet] [--max-processes N] REPORT.json OUTDIR

Writes OUTDIR/pid<N>-<chart>.png for every chart of every process and
OUTDIR/index.html with the same charts embedded, so the page opens from
disk, without a server, and can be mailed or archived on its own. Charts an
earlier run left in OUTDIR are removed; nothing else there is touched.
`heapscope report --html DIR TRACE...` runs this script.

Reads only the JSON. Python 3 standard library plus matplotlib (Agg
backend: no display needed). Files are created through O_NOFOLLOW: a
symbolic link planted where an output goes is refused, never followed.

Exit status: 0; 1 when the input is not a readable heapscope report or an
output cannot be written; 2 for bad usage; 3 when matplotlib is missing.
Every failure is one line on stderr, starting with "heapscope:".
"""
import os
import sys

sys.dont_write_bytecode = True  # never leave __pycache__ in an installed or source tree
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import stat  # noqa: E402

FORMAT_VERSION = 1
NEED_MATPLOTLIB = ("heapscope: the HTML report needs matplotlib "
                   "(Debian: apt-get install python3-matplotlib)")


class Fail(Exception):
    """A one-line error for the user; the exit status rides along."""

    def __init__(self, msg, status=1):
        super().__init__(msg)
        self.status = status


def load_matplotlib():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.figure  # noqa: F401
    except ImportError:
        raise Fail(NEED_MATPLOTLIB, 3)
    except Exception as e:  # a broken install (ABI mismatch, bad config) is the same to the user
        raise Fail("%s; importing it failed: %s: %s" % (NEED_MATPLOTLIB, type(e).__name__,
                                                         str(e).splitlines()[0] if str(e) else ""), 3)


def load_report(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise Fail("heapscope: cannot read %s: %s" % (path, e.strerror or e))
    try:
        rep = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise Fail("heapscope: %s is not a heapscope report (not UTF-8 text: byte %d)" % (path, e.start))
    except json.JSONDecodeError as e:
        raise Fail("heapscope: %s is not a heapscope report (not JSON: %s at line %d column %d)"
                   % (path, e.msg, e.lineno, e.colno))
    except RecursionError:
        raise Fail("heapscope: %s is not a heapscope report (JSON nested too deeply)" % path)
    if not isinstance(rep, dict) or "heapscope" not in rep:
        raise Fail('heapscope: %s is not a heapscope report (no "heapscope" version key at the top)'
                   % path)
    v = rep.get("heapscope")
    if isinstance(v, bool) or not isinstance(v, int):
        raise Fail('heapscope: %s is not a heapscope report ("heapscope" is not a version number)'
                   % path)
    if v > FORMAT_VERSION:
        raise Fail("heapscope: %s is a report of format version %d; this script reads version %d "
                   "(update heapscope)" % (path, v, FORMAT_VERSION))
    if v < 1:
        raise Fail("heapscope: %s is not a heapscope report (format version %d)" % (path, v))
    if not isinstance(rep.get("processes"), list):
        raise Fail('heapscope: %s is not a heapscope report (no "processes" list)' % path)
    return rep


def make_dir(d):
    try:
        os.makedirs(d, mode=0o700, exist_ok=True)
    except OSError as e:
        raise Fail("heapscope: cannot create %s: %s" % (d, e.strerror or e))
    if not os.path.isdir(d):
        raise Fail("heapscope: %s is not a directory" % d)


def write_file(path, data):
    """Create or replace path, never through a symbolic link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as e:
        if os.path.islink(path):
            raise Fail("heapscope: %s is a symbolic link; refusing to write through it" % path)
        raise Fail("heapscope: cannot write %s: %s" % (path, e.strerror or e))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError as e:
        raise Fail("heapscope: cannot write %s: %s" % (path, e.strerror or e))


def file_prefix(p, i, used):
    """'pid1234' — from the pid number only (never a string from the report),
    made unique when two traces share a pid."""
    pid = p.get("pid")
    base = "pid%d" % pid if isinstance(pid, int) and not isinstance(pid, bool) and pid >= 0 \
        else "process%d" % (i + 1)
    name, n = base, 1
    while name in used:
        n += 1
        name = "%s-%d" % (base, n)
    used.add(name)
    return name


def remove_stale(outdir, keep, keys):
    """Delete the charts an earlier run left in outdir (names this script
    makes, not written this time): index.html must not sit among PNGs of
    processes it does not show."""
    pat = re.compile(r"^(pid\d+|process\d+)(-\d+)?-(%s)\.png$" % "|".join(map(re.escape, keys)))
    try:
        names = os.listdir(outdir)
    except OSError:
        return
    for n in names:
        if pat.match(n) and n not in keep:
            path = os.path.join(outdir, n)
            if stat.S_ISREG(os.lstat(path).st_mode) or os.path.islink(path):
                try:
                    os.unlink(path)
                except OSError:
                    pass


def main(argv):
    ap = argparse.ArgumentParser(
        prog="heapscope_report.py",
        description="Charts and a self-contained index.html from a heapscope JSON report.")
    ap.add_argument("report", metavar="REPORT.json", help="output of `heapscope report --format json`")
    ap.add_argument("outdir", metavar="OUTDIR", help="where the PNG files and index.html go")
    ap.add_argument("--quiet", action="store_true", help="do not print the path of index.html")
    ap.add_argument("--max-processes", type=int, default=24, metavar="N",
                    help="draw charts for the N processes with the largest peak heap (default 24)")
    args = ap.parse_args(argv)
    if args.max_processes < 0:
        ap.error("--max-processes must be 0 or more")

    load_matplotlib()
    import hs_charts
    import hs_format
    import hs_page

    rep = load_report(args.report)
    procs = [p for p in rep["processes"] if isinstance(p, dict)]
    make_dir(args.outdir)

    ranked = sorted(range(len(procs)),
                    key=lambda i: -hs_format.num(hs_format.dig(procs[i], "heap", "peak_bytes")))
    charted = set(ranked[:args.max_processes])
    used, items, failed = set(), [], 0
    for i, p in enumerate(procs):
        prefix = file_prefix(p, i, used)
        if i not in charted:
            items.append((prefix, p, None, {}))
            continue
        who = "pid %s, %s" % (hs_format.text(p.get("pid"), "?"), hs_format.process_name(p))
        charts = hs_charts.all_charts(p, who)
        files = {}
        for c in charts:
            if c.failed:
                failed += 1
                print("heapscope: %s: %s chart %s" % (who, c.title, c.skip), file=sys.stderr)
            if c.png:
                files[c.key] = "%s-%s.png" % (prefix, c.key)
                write_file(os.path.join(args.outdir, files[c.key]), c.png)
        items.append((prefix, p, charts, files))

    remove_stale(args.outdir, {f for _, _, _, files in items for f in files.values()},
                 [key for _, key, _ in hs_charts.CHARTS])
    index = os.path.join(args.outdir, "index.html")
    page = hs_page.page(rep, os.path.basename(args.report), items, "heapscope_report.py",
                        args.max_processes)
    write_file(index, page.encode("utf-8"))
    if not args.quiet:
        print(index)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Fail as e:
        print(str(e), file=sys.stderr)
        sys.exit(e.status)
    except KeyboardInterrupt:
        sys.exit(130)
