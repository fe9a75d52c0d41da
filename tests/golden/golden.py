#!/usr/bin/env python3
"""golden.py - end-to-end checks of heapscope's recording and CLI.

Usage: golden.py --heapscope CLI --preload SO --src DIR --work DIR
                 --sites-O2 P --sites-O0 P --sites-cxx P --forker P --misc P
                 --static P|'' --cmake P --ctest P --cc P  SCENARIO

Runs one scenario (see SCENARIOS at the end) and exits 0 when every check
passed, 1 when one failed (all failures are listed), 77 when the scenario
cannot run on this system. Expected source lines come from marker comments
in progs/ (e.g. /* SITE_A */), looked up at run time. Needs only python3's
standard library; scratch files go to WORK/SCENARIO, wiped at the start.
"""
import argparse
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "lib"))
import hscheck  # noqa: E402

FRAME_KEYS = {"function", "file", "line", "module", "address"}
HEAP_KEYS = ("allocations", "reallocations", "frees", "total_bytes", "peak_bytes",
             "peak_blocks", "peak_time_ms", "unknown_frees", "duration_ms")
SKIP = 77


class Skip(Exception):
    pass


class Fatal(Exception):
    """A check whose failure makes the rest of the scenario meaningless."""


class Golden:
    def __init__(self, args):
        self.a = args
        self.failures = []
        self.work = hscheck.fresh_dir(os.path.join(args.work, args.scenario))
        self.base_env = hscheck.environ(drop=("LD_PRELOAD", "HEAPSCOPE_OPTIONS"), extra={"LC_ALL": "C"})

    # ---- checks ---------------------------------------------------------

    def check(self, cond, what):
        if not cond:
            self.failures.append(what)
            print("FAIL: " + what, flush=True)
        return bool(cond)

    def eq(self, actual, expected, what):
        return self.check(actual == expected,
                          "%s: expected %r, got %r" % (what, expected, actual))

    def require(self, cond, what):
        if not self.check(cond, what):
            raise Fatal(what)

    # ---- processes ------------------------------------------------------

    def spawn(self, cmd, env=None, cwd=None, timeout=30, preexec_fn=None):
        """Run cmd; returns (status, stdout, stderr, pid). status is
        negative for a signal, as in subprocess. A hang kills the process
        group it started and fails."""
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env or self.base_env, cwd=cwd,
                             start_new_session=True, preexec_fn=preexec_fn)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            out, err = p.communicate()
            raise Fatal("timed out after %ss: %s" % (timeout, " ".join(cmd)))
        return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), p.pid

    def hs_run(self, out_dir, prog, opts=(), env=None, cwd=None, timeout=30):
        cmd = [self.a.heapscope, "run", "--out", out_dir] + list(opts) + ["--"] + list(prog)
        return self.spawn(cmd, env=env, cwd=cwd, timeout=timeout)

    def report(self, paths, expect_status=0):
        """`heapscope report --format json PATHS` → the parsed JSON."""
        cmd = [self.a.heapscope, "report", "--format", "json"] + list(paths)
        st, out, err, _ = self.spawn(cmd, timeout=60)
        self.require(st == expect_status, "heapscope report %s exited %s (expected %s); stderr:\n%s"
                     % (" ".join(paths), st, expect_status, err))
        try:
            return json.loads(out)
        except ValueError as e:
            raise Fatal("heapscope report %s: not JSON (%s):\n%s" % (" ".join(paths), e, out[:2000]))

    traces = staticmethod(hscheck.traces)

    def one_process(self, out_dir):
        t = self.traces(out_dir)
        self.require(len(t) == 1, "expected exactly 1 trace in %s, found %d: %s" % (out_dir, len(t), t))
        procs = self.report(t)["processes"]
        self.require(len(procs) == 1, "report of one trace has %d processes" % len(procs))
        return procs[0]

    # ---- source markers -------------------------------------------------

    def line_of(self, rel, marker):
        """The line holding `marker` in SRC/rel (exactly one must)."""
        path = os.path.join(self.a.src, rel)
        hits = hscheck.marker_lines(path, re.compile(r"(/\*|//) %s( \*/|$)" % re.escape(marker)))
        if len(hits) != 1:
            raise Fatal("marker %s occurs %d times in %s" % (marker, len(hits), path))
        return hits[0]

    # ---- report pieces --------------------------------------------------

    def check_frame_shape(self, fr, where):
        keys = set(fr)
        self.check(keys == FRAME_KEYS or keys == FRAME_KEYS | {"inlined"},
                   "%s: frame keys %s" % (where, sorted(keys)))
        addr = fr.get("address")
        self.check(isinstance(addr, str) and re.match(r"^0x[0-9a-f]+$", addr) is not None,
                   "%s: address %r is not a hex string" % (where, addr))
        if "inlined" in fr:
            self.check(fr["inlined"] is True, "%s: \"inlined\" is %r, not true" % (where, fr["inlined"]))

    def frame_is(self, fr, where, function, src, line, module=None, inlined=False):
        """Exact function, file base name, line (and module), and whether
        the frame is marked inlined."""
        self.check_frame_shape(fr, where)
        self.eq(fr.get("function"), function, where + " function")
        self.eq(os.path.basename(fr.get("file") or ""), src, where + " file (base name)")
        self.eq(fr.get("line"), line, where + " line")
        if module is not None:
            self.eq(fr.get("module"), module, where + " module")
        self.eq(bool(fr.get("inlined", False)), inlined, where + " inlined")

    def site(self, proc, function, what, key="top_sites"):
        """The one site of `key` whose innermost frame is `function`."""
        found = [s for s in proc["heap"][key] if s["stack"] and s["stack"][0].get("function") == function]
        if len(found) != 1:
            self.check(False, "%s: %d sites whose first frame is %s in %s (sites: %s)"
                       % (what, len(found), function, key, self.site_summary(proc)))
            return None
        return found[0]

    @staticmethod
    def site_summary(proc):
        return ["%s %d/%d" % (s["stack"][0].get("function") if s["stack"] else None,
                              s["allocations"], s["bytes"]) for s in proc["heap"]["top_sites"]]

    def site_counts(self, s, what, allocations, nbytes, peak=None):
        if s is None:
            return
        self.eq(s["allocations"], allocations, what + " allocations")
        self.eq(s["bytes"], nbytes, what + " bytes")
        if peak is not None:
            self.eq(s["peak_bytes"], peak, what + " peak_bytes")
        self.check(re.match(r"^[0-9a-f]{8}$", s.get("id", "")) is not None, "%s: id %r" % (what, s.get("id")))

    def heap_is(self, proc, what, **expected):
        h = proc["heap"]
        for k, v in expected.items():
            if k == "live_blocks":
                self.eq(h["live_at_end"]["blocks"], v, what + " heap.live_at_end.blocks")
            elif k == "live_bytes":
                self.eq(h["live_at_end"]["bytes"], v, what + " heap.live_at_end.bytes")
            else:
                self.eq(h[k], v, what + " heap." + k)

    @staticmethod
    def no_core():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# ---- 1. allocation sites ---------------------------------------------------

def check_sites(g, prog):
    """sites.c: exact per-site numbers, frames, lines, heap totals."""
    src = "progs/sites.c"
    L = dict((m, g.line_of(src, m)) for m in
             ("SITE_A", "SITE_B", "SITE_C", "SITE_I", "SITE_L",
              "CALL_A", "CALL_B", "CALL_C", "CALL_I", "CALL_IC", "CALL_L"))
    module = os.path.basename(prog)
    out = os.path.join(g.work, "run")
    st, so, se, run_pid = g.hs_run(out, [prog, "an-arg"])
    g.require(st == 0, "heapscope run exited %s; stderr:\n%s" % (st, se))
    g.eq(so, "", "program stdout")
    p = g.one_process(out)
    g.eq(p["argv"], [prog, "an-arg"], "argv")
    g.eq(p["executable"], os.path.realpath(prog), "executable")
    g.eq(p["ppid"], run_pid, "ppid (heapscope run's pid)")
    g.eq(p["exit"], {"code": 0}, "exit")
    g.eq(p["truncated"], False, "truncated")
    two_mib = 2 << 20
    sizes = {"A": (1000, 48), "B": (10, 4096), "C": (3, two_mib), "I": (5, 320), "L": (1, 100)}
    total = sum(n * sz for n, sz in sizes.values())
    g.heap_is(p, "sites", allocations=1019, frees=1018, reallocations=0, total_bytes=total,
              peak_bytes=total, peak_blocks=1019, live_blocks=1, live_bytes=100, unknown_frees=0)
    # the one block never freed is still pointed to by a global
    leaks = p.get("leaks") or {}
    g.eq(leaks.get("definite"), {"blocks": 0, "bytes": 0}, "leaks.definite")
    g.eq(leaks.get("reachable"), {"blocks": 1, "bytes": 100}, "leaks.reachable")
    fn = {"A": "alloc_small", "B": "alloc_pages", "C": "alloc_huge", "I": "grab", "L": "alloc_leak"}
    by_bytes = [fn[k] for k in ("C", "A", "B", "I", "L")]
    by_count = [fn[k] for k in ("A", "B", "I", "C", "L")]
    g.eq([s["stack"][0].get("function") if s["stack"] else None for s in p["heap"]["top_sites"]],
         by_bytes, "top_sites order (by bytes)")
    g.eq([s["stack"][0].get("function") if s["stack"] else None for s in p["heap"]["top_sites_by_count"]],
         by_count, "top_sites_by_count order")
    ids = {}
    for k in "ABCIL":
        n, sz = sizes[k]
        s = g.site(p, fn[k], "site " + k)
        g.site_counts(s, "site " + k, n, n * sz, n * sz)
        if s is None:
            continue
        ids[k] = s["id"]
        st_ = s["stack"]
        g.require(len(st_) >= 3, "site %s: stack too short: %s" % (k, st_))
        for i, fr in enumerate(st_):
            g.check_frame_shape(fr, "site %s frame %d" % (k, i))
            # a function's name, not its symbol's version (…@@GLIBC_2.34)
            g.check("@" not in (fr.get("function") or ""), "site %s frame %d: function %r" % (k, i, fr.get("function")))
            # crt1's _start has no debug information: not the line of main,
            # whose unit's line table ends just before it
            if fr.get("function") == "_start":
                g.eq((fr.get("file"), fr.get("line")), (None, None), "site %s: _start's file and line" % k)
        if k == "I":
            g.frame_is(st_[0], "site I frame 0", "grab", "sites.c", L["SITE_I"], module, inlined=True)
            g.frame_is(st_[1], "site I frame 1", "alloc_inline", "sites.c", L["CALL_IC"], module)
            g.eq(st_[1]["address"], st_[0]["address"], "site I: inlined frame and its caller share the address")
            g.frame_is(st_[2], "site I frame 2", "main", "sites.c", L["CALL_I"], module)
        else:
            g.frame_is(st_[0], "site %s frame 0" % k, fn[k], "sites.c", L["SITE_" + k], module)
            g.frame_is(st_[1], "site %s frame 1" % k, "main", "sites.c", L["CALL_" + k], module)
        s2 = g.site(p, fn[k], "site " + k, key="top_sites_by_count")
        if s2 is not None:
            g.eq(s2, s, "site %s: same entry in top_sites and top_sites_by_count" % k)
    g.eq(len(set(ids.values())), len(ids), "site ids are distinct")

    # The same program through LD_PRELOAD directly (another address space
    # layout): the same numbers and the same site ids.
    out2 = os.path.join(g.work, "preload")
    env = dict(g.base_env, LD_PRELOAD=g.a.preload, HEAPSCOPE_OPTIONS="out=" + out2)
    st, so, se, pid = g.spawn([prog, "an-arg"], env=env)
    g.eq((st, so, se), (0, "", ""), "LD_PRELOAD run: status, stdout, stderr")
    q = g.one_process(out2)
    g.eq(q["pid"], pid, "LD_PRELOAD run: pid")
    for k in HEAP_KEYS:
        if k not in ("peak_time_ms", "duration_ms"):
            g.eq(q["heap"][k], p["heap"][k], "LD_PRELOAD run: heap." + k)
    g.eq(sorted((s["id"], s["allocations"], s["bytes"]) for s in q["heap"]["top_sites"]),
         sorted((s["id"], s["allocations"], s["bytes"]) for s in p["heap"]["top_sites"]),
         "LD_PRELOAD run: site ids and totals (ids must survive ASLR)")


def sc_sites_O2(g):
    check_sites(g, g.a.sites_O2)


def sc_sites_O0(g):
    check_sites(g, g.a.sites_O0)


def sc_sites_noaranges(g):
    """sites.c -O2 without .debug_aranges, as clang builds by default: libdw
    finds no unit by address there, so heapscope walks the units' ranges
    (it printed function+offset, no file, line or inlined frame)."""
    check_sites(g, g.a.sites_noaranges)


def sc_sites_vaddr(g):
    """A library linked to load its first segment at 0x10000000 (prelinked
    or -Ttext-segment), not at 0: its allocation site by name and line
    (its addresses were looked up 0x10000000 off: no symbol at all)."""
    out = os.path.join(g.work, "run")
    st, so, se, _ = g.hs_run(out, [g.a.vaddr_main])
    g.require(st == 0, "heapscope run exited %s; stderr:\n%s" % (st, se))
    p = g.one_process(out)
    s = g.site(p, "vaddr_alloc", "library site")
    if s is not None:
        g.site_counts(s, "library site", 1, 77, 77)
        g.frame_is(s["stack"][0], "library site frame 0", "vaddr_alloc", "vaddr_lib.c",
                   g.line_of("progs/vaddr_lib.c", "VADDR_SITE"), os.path.basename(g.a.vaddr_lib))
    # The library found through a relative LD_LIBRARY_PATH: the loader names
    # it "./lib…", which a report made from another directory could not open.
    out = os.path.join(g.work, "relative")
    libdir = os.path.dirname(g.a.vaddr_lib)
    env = dict(g.base_env, LD_LIBRARY_PATH=".")
    st, so, se, _ = g.hs_run(out, [g.a.vaddr_main], env=env, cwd=libdir)
    g.require(st == 0, "relative LD_LIBRARY_PATH: heapscope run exited %s; stderr:\n%s" % (st, se))
    # reported from elsewhere: "/"
    st, so, se, _ = g.spawn([g.a.heapscope, "report", "--format", "json"] + g.traces(out), cwd="/")
    g.require(st == 0, "report from /: status %s: %s" % (st, se))
    p = json.loads(so)["processes"][0]
    s = g.site(p, "vaddr_alloc", "library site, relative LD_LIBRARY_PATH")
    if s is not None:
        g.frame_is(s["stack"][0], "relative LD_LIBRARY_PATH: frame 0", "vaddr_alloc", "vaddr_lib.c",
                   g.line_of("progs/vaddr_lib.c", "VADDR_SITE"), os.path.basename(g.a.vaddr_lib))


def sc_sites_cxx(g):
    src = "progs/sites_cxx.cpp"
    prog = g.a.sites_cxx
    module = os.path.basename(prog)
    out = os.path.join(g.work, "run")
    st, so, se, _ = g.hs_run(out, [prog])
    g.require(st == 0, "heapscope run exited %s; stderr:\n%s" % (st, se))
    p = g.one_process(out)
    g.heap_is(p, "cxx", allocations=5, frees=5, total_bytes=260, peak_bytes=260, peak_blocks=5,
              live_blocks=0, live_bytes=0, unknown_frees=0)
    s = g.site(p, "ns::Widget::make(int)", "new")
    g.site_counts(s, "new", 4, 160, 160)
    if s:
        g.frame_is(s["stack"][0], "new frame 0", "ns::Widget::make(int)", "sites_cxx.cpp",
                   g.line_of(src, "SITE_NEW"), module)
        g.frame_is(s["stack"][1], "new frame 1", "main", "sites_cxx.cpp", g.line_of(src, "CALL_NEW"), module)
    s = g.site(p, "ns::Widget::buffer(unsigned long)", "new[]")
    g.site_counts(s, "new[]", 1, 100, 100)
    if s:
        g.frame_is(s["stack"][0], "new[] frame 0", "ns::Widget::buffer(unsigned long)", "sites_cxx.cpp",
                   g.line_of(src, "SITE_NEW_ARRAY"), module)
        g.frame_is(s["stack"][1], "new[] frame 1", "main", "sites_cxx.cpp",
                   g.line_of(src, "CALL_NEW_ARRAY"), module)


# ---- 2. fork and exec ----------------------------------------------------

def sc_fork(g):
    src = "progs/forker.c"
    prog = g.a.forker
    out = os.path.join(g.work, "run")
    st, so, se, run_pid = g.hs_run(out, [prog])
    g.require(st == 0, "heapscope run exited %s; stderr:\n%s" % (st, se))
    t = g.traces(out)
    g.require(len(t) == 2, "expected 2 traces (parent, child), found %d: %s" % (len(t), t))
    procs = g.report(t)["processes"]
    parents = [p for p in procs if p["ppid"] == run_pid]
    g.require(len(parents) == 1, "exactly one trace must be run's child: ppids %s, run %d"
              % ([p["ppid"] for p in procs], run_pid))
    parent = parents[0]
    child = [p for p in procs if p is not parent][0]
    g.eq(child["ppid"], parent["pid"], "child's ppid is the parent's pid")
    g.check(child["pid"] != parent["pid"], "child and parent pids differ")
    for who, p in (("parent", parent), ("child", child)):
        g.eq(p["executable"], os.path.realpath(prog), who + " executable")
        g.eq(p["truncated"], False, who + " truncated")
    g.eq(parent["exit"], {"code": 0}, "parent exit")
    g.eq(child["exit"], {"code": 3}, "child exit")
    g.heap_is(parent, "parent", allocations=9, frees=9, total_bytes=6200, peak_bytes=6000,
              live_blocks=0, unknown_frees=0)
    g.heap_is(child, "child", allocations=8, frees=8, total_bytes=21100, peak_bytes=21000,
              live_blocks=0, unknown_frees=0)
    g.eq(sorted(s["stack"][0]["function"] for s in parent["heap"]["top_sites"]),
         ["both_work", "parent_work", "pre_fork"], "parent's sites")
    g.eq([s["stack"][0]["function"] for s in child["heap"]["top_sites"]], ["child_work", "both_work"],
         "child's sites")
    # the stack the child inherited: defined in the child's own trace
    for who, p, n in (("child", child, 1), ("parent", parent, 2)):
        s = g.site(p, "both_work", who + "'s inherited site")
        g.site_counts(s, who + "'s inherited site", n, 100 * n, 100)
        if s:
            g.frame_is(s["stack"][0], who + "'s inherited site frame 0", "both_work", "forker.c",
                       g.line_of(src, "SITE_BOTH"))
            g.eq(s["stack"][1]["function"], "main", who + "'s inherited site frame 1 function")
    s = g.site(child, "child_work", "child site")
    g.site_counts(s, "child site", 7, 21000, 21000)
    if s:
        g.frame_is(s["stack"][0], "child site frame 0", "child_work", "forker.c", g.line_of(src, "SITE_CHILD"))
        g.eq(s["stack"][1]["function"], "main", "child site frame 1 function")
    s = g.site(parent, "parent_work", "parent site")
    g.site_counts(s, "parent site", 5, 5000, 5000)
    if s:
        g.frame_is(s["stack"][0], "parent site frame 0", "parent_work", "forker.c", g.line_of(src, "SITE_PARENT"))
    g.site_counts(g.site(parent, "pre_fork", "pre-fork site"), "pre-fork site", 2, 1000, 1000)


def sc_fork_late(g):
    """A child forked 300 ms into its parent's run: its trace's clock, which
    its snapshots use too, starts at the fork. Its only snapshot is the one
    at its exit, a few ms in; the parent's last one is past 300 ms."""
    out = os.path.join(g.work, "run")
    st, so, se, run_pid = g.hs_run(out, [g.a.forker, "late"])
    g.require(st == 0, "heapscope run exited %s; stderr:\n%s" % (st, se))
    procs = g.report(g.traces(out))["processes"]
    g.require(len(procs) == 2, "expected 2 traces, found %d" % len(procs))
    parent = [p for p in procs if p["ppid"] == run_pid][0]
    child = [p for p in procs if p is not parent][0]
    g.eq(child["exit"], {"code": 3}, "child exit")
    g.eq(child["fragmentation"]["snapshots"], 1, "child's snapshots (the one at its exit)")
    t = child["fragmentation"]["at_peak"]["t_ms"]
    g.check(t < 250, "child's exit snapshot at %d ms of its own clock, not its parent's (>= 300)" % t)
    g.check(parent["fragmentation"]["snapshots"] >= 1, "parent's snapshots")


def sc_exec(g):
    src = "progs/misc.c"
    prog = g.a.misc
    site_exec = g.line_of(src, "SITE_EXEC")

    def images(out, run_pid):
        t = g.traces(out)
        g.require(len(t) == 2, "expected 2 traces (one per image), found %d: %s" % (len(t), t))
        procs = g.report(t)["processes"]
        g.eq(procs[0]["pid"], procs[1]["pid"], "both images have the same pid")
        for p in procs:
            g.eq(p["ppid"], run_pid, "ppid of image %s" % p["executable"])
        first = [p for p in procs if p["executable"] == os.path.realpath(prog) and p["exit"] == {"exec": True}]
        g.require(len(first) == 1, "exactly one trace must be the exec'ing image ending with "
                  "{\"exec\": true}: %s" % [(p["executable"], p["exit"]) for p in procs])
        second = [p for p in procs if p is not first[0]][0]
        first = first[0]
        g.eq(first["truncated"], False, "first image truncated")
        g.heap_is(first, "first image", allocations=3, frees=0, live_blocks=3, live_bytes=300)
        s = g.site(first, "exec_alloc", "first image site")
        g.site_counts(s, "first image site", 3, 300, 300)
        if s:
            g.frame_is(s["stack"][0], "first image frame 0", "exec_alloc", "misc.c", site_exec)
        # the trace of the first image is the one created first
        g.check(os.path.basename(first["trace"]) == "heapscope.%d.hst" % first["pid"],
                "the first image's trace is heapscope.PID.hst, not %s" % first["trace"])
        return first, second

    # exec of /bin/true
    out = os.path.join(g.work, "true")
    st, so, se, run_pid = g.hs_run(out, [prog, "exec", "/bin/true"])
    g.require(st == 0, "run exec /bin/true exited %s; stderr:\n%s" % (st, se))
    _, second = images(out, run_pid)
    g.eq(second["executable"], os.path.realpath("/bin/true"), "second image executable")
    g.eq(second["argv"], ["/bin/true"], "second image argv")
    g.eq(second["exit"], {"code": 0}, "second image exit")
    g.eq(second["truncated"], False, "second image truncated")

    # exec of another test program, which exits 5
    out = os.path.join(g.work, "self")
    st, so, se, run_pid = g.hs_run(out, [prog, "exec", prog, "exit", "5"])
    g.eq(st, 5, "run exec misc exit 5: status")
    _, second = images(out, run_pid)
    g.eq(second["argv"], [prog, "exit", "5"], "second image argv")
    g.eq(second["exit"], {"code": 5}, "second image exit")
    g.heap_is(second, "second image", allocations=1, frees=1, total_bytes=10, live_blocks=0)
    s = g.site(second, "exit_alloc", "second image site")
    g.site_counts(s, "second image site", 1, 10, 10)
    if s:
        g.frame_is(s["stack"][0], "second image frame 0", "exit_alloc", "misc.c", g.line_of(src, "SITE_EXIT"))

    # an exec that fails: the program goes on (exit 110), and so does its
    # trace, without the end record written for the exec (it used to end
    # there: {"exec": true}, and nothing after)
    out = os.path.join(g.work, "fail")
    st, so, se, run_pid = g.hs_run(out, [prog, "exec", "/nonexistent/heapscope-no-such-program"],
                                   opts=["--fail-on", "none"])
    g.eq(st, 110, "run exec of a missing program: status")
    p = g.one_process(out)
    g.eq(p["exit"], {"code": 110}, "failed exec: exit")
    g.eq(p["truncated"], False, "failed exec: truncated")
    g.heap_is(p, "failed exec", allocations=3, frees=0)
    g.eq(p["leak_check"].get("ran"), True, "failed exec: the leak check ran at exit")


# ---- 3. SIGKILL and crashes ------------------------------------------------

def tail(text, n=4):
    """The last n lines of a program's stderr, for a failure message."""
    return "".join(text.splitlines(True)[-n:])


def read_line(fd, timeout):
    """One line from a pipe, without blocking past `timeout`."""
    buf = b""
    deadline = time.time() + timeout
    while not buf.endswith(b"\n"):
        left = deadline - time.time()
        if left <= 0:
            return None
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            return None
        chunk = os.read(fd, 1)
        if not chunk:
            return buf.decode() or None
        buf += chunk
    return buf.decode()


def sc_sigkill(g):
    prog = g.a.misc
    out = os.path.join(g.work, "run")
    cmd = [g.a.heapscope, "run", "--out", out, "--", prog, "spin"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=g.base_env, start_new_session=True)
    try:
        line = read_line(p.stdout.fileno(), 20)
        m = re.match(r"^ready (\d+)\n$", line or "")
        g.require(m is not None, "the program did not say 'ready PID' (got %r)" % line)
        os.kill(int(m.group(1)), signal.SIGKILL)
        _, err = p.communicate(timeout=30)
    except (Fatal, subprocess.TimeoutExpired):
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise
    g.eq(p.returncode, -signal.SIGKILL, "heapscope run dies of the program's SIGKILL")
    err = err.decode("utf-8", "replace")
    g.check("1 process traced" in err, "run's summary names 1 traced process:\n" + err)
    t = g.traces(out)
    g.require(len(t) == 1, "expected 1 trace, found %s" % t)
    proc = g.report(t)["processes"][0]
    g.eq(proc["truncated"], True, "truncated")
    g.eq(proc["exit"], None, "exit (never written)")
    s = g.site(proc, "spin_alloc", "spin site")
    if s:
        n = s["allocations"]
        g.check(n > 0, "spin site: %d allocations made it to the file (the writer flushes every second)" % n)
        g.eq(s["bytes"], 64 * n, "spin site bytes = 64 x allocations")
        g.frame_is(s["stack"][0], "spin site frame 0", "spin_alloc", "misc.c", g.line_of("progs/misc.c", "SITE_SPIN"))
        h = proc["heap"]
        g.eq(h["allocations"], n, "heap.allocations (every allocation is the spin site's)")
        g.check(h["frees"] in (n - 1, n), "heap.frees %d is allocations %d or one less" % (h["frees"], n))
        g.eq(h["live_at_end"]["blocks"], n - h["frees"], "live blocks = allocations - frees")


def crash(g, mode, signame, signum, allocations, size, fn, marker):
    prog = g.a.misc
    out = os.path.join(g.work, "run")
    # The exit status as a shell sees it: 128 + the signal.
    sh = 'LC_ALL=C "$@"; echo "status=$?"'
    st, so, se, _ = g.spawn(["/bin/sh", "-c", sh, "sh", g.a.heapscope, "run", "--out", out, "--", prog, mode],
                            preexec_fn=g.no_core)
    g.eq(st, 0, "sh status")
    g.eq(so.strip().splitlines()[-1:], ["status=%d" % (128 + signum)], "status of heapscope run as the shell sees it")
    p = g.one_process(out)
    g.eq(p["exit"], {"signal": signame}, "exit")
    g.eq(p["truncated"], False, "truncated")
    g.heap_is(p, mode, allocations=allocations, frees=0, live_blocks=allocations,
              live_bytes=allocations * size)
    s = g.site(p, fn, mode + " site")
    g.site_counts(s, mode + " site", allocations, allocations * size)
    if s:
        g.frame_is(s["stack"][0], mode + " site frame 0", fn, "misc.c", g.line_of("progs/misc.c", marker))


def sc_crash_segv(g):
    crash(g, "segv", "SIGSEGV", signal.SIGSEGV, 3, 32, "segv_alloc", "SITE_SEGV")


def sc_crash_abort(g):
    crash(g, "abort", "SIGABRT", signal.SIGABRT, 2, 16, "abort_alloc", "SITE_ABORT")


# Signals whose default action ends the process: the trace keeps every event
# and ends with the signal (it used to end with nothing: truncated, no events
# since the last flush), and the process still dies of it.
def sc_term_sigterm(g):
    crash(g, "term", "SIGTERM", signal.SIGTERM, 4, 48, "term_alloc", "SITE_TERM")


def sc_term_sigpipe(g):
    crash(g, "pipe", "SIGPIPE", signal.SIGPIPE, 5, 40, "pipe_alloc", "SITE_PIPE")


def sc_term_ppoll(g):
    crash(g, "ppoll", "SIGTERM", signal.SIGTERM, 2, 24, "ppoll_alloc", "SITE_PPOLL")


def sc_term_vfork(g):
    """A vfork child shares the parent's memory: its SIGTERM must neither
    end the parent's trace nor leave its lock taken (the fork after it
    hung)."""
    out = os.path.join(g.work, "run")
    st, so, se, _ = g.hs_run(out, [g.a.misc, "vfork_term"], opts=["--quiet"])
    g.eq(st, 0, "run misc vfork_term: status")
    t = g.traces(out)
    g.require(len(t) == 2, "expected 2 traces (the parent, its fork child), found %s" % t)
    procs = g.report(t)["processes"]
    parent = [p for p in procs if p["exit"] == {"code": 0}]
    g.require(len(parent) == 1, "one trace ends with exit 0: %s" % [p["exit"] for p in procs])
    p = parent[0]
    g.eq(p["truncated"], False, "parent truncated")
    s = g.site(p, "exit_alloc", "parent site")
    g.site_counts(s, "parent site", 1, 10)


def sc_term_view(g):
    """What the program sees of its signal dispositions is what it set
    (heapscope's handler stands in for the default unseen), byte for byte
    as natively; it dies of SIGINT at the default, and the trace says so.
    Python decides at start whether to install its KeyboardInterrupt
    handler by asking whether SIGINT is at its default."""
    prog = g.a.misc
    st_n, so_n, se_n, _ = g.spawn([prog, "sigview"])
    g.eq(st_n, -signal.SIGINT, "native sigview dies of SIGINT")
    out = os.path.join(g.work, "run")
    sh = 'LC_ALL=C "$@"; echo "status=$?"'
    st, so, se, _ = g.spawn(["/bin/sh", "-c", sh, "sh", g.a.heapscope, "run", "--quiet", "--out", out, "--",
                             prog, "sigview"])
    g.eq(st, 0, "sh status")
    lines = so.splitlines()
    g.eq(lines[-1:], ["status=%d" % (128 + signal.SIGINT)], "status of heapscope run as the shell sees it")
    g.eq("\n".join(lines[:-1]) + "\n", so_n, "the program's output, as natively")
    p = g.one_process(out)
    g.eq(p["exit"], {"signal": "SIGINT"}, "exit")
    g.eq(p["truncated"], False, "truncated")
    s = g.site(p, "view_alloc", "view site")
    g.site_counts(s, "view site", 6, 6 * 56)
    if s:
        g.frame_is(s["stack"][0], "view site frame 0", "view_alloc", "misc.c", g.line_of("progs/misc.c", "SITE_VIEW"))
    py = shutil.which("python3", path="/usr/bin:/bin") or shutil.which("python3")
    if py:
        code = ("import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler, "
                "signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGPIPE))")
        st_n, so_n, _, _ = g.spawn([py, "-c", code])
        st, so, se, _ = g.hs_run(os.path.join(g.work, "py"), [py, "-c", code], opts=["--quiet"])
        g.eq((st, so), (st_n, so_n), "python3's signal handlers under heapscope, as natively")
        g.check(so_n.startswith("True"), "python3 installs its SIGINT handler natively: %r" % so_n)


# ---- 4. trace robustness ---------------------------------------------------

def get_varint(b, pos, end):
    v = 0
    shift = 0
    while True:
        if pos >= end:
            raise ValueError("varint runs past the end")
        c = b[pos]
        pos += 1
        if shift == 63 and c > 1:
            raise ValueError("varint too large")
        v |= (c & 0x7F) << shift
        if not c & 0x80:
            return v, pos
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def unzigzag(v):
    return (v >> 1) ^ -(v & 1)


class Model:
    """The heap accounting of DESIGN.md's "heap" section, computed straight
    from the trace bytes as include/heapscope/trace_format.h describes them."""
    M64 = (1 << 64) - 1

    def __init__(self):
        self.addr = 0
        self.ms = 0
        self.live = {}
        self.live_bytes = 0
        self.h = dict((k, 0) for k in HEAP_KEYS)
        self.exit = None

    def snapshot(self):
        s = dict(self.h)
        s["live_at_end"] = {"blocks": len(self.live), "bytes": self.live_bytes}
        return s

    def _alloc(self, addr, size):
        if addr in self.live:
            self.live_bytes -= self.live.pop(addr)
        self.live[addr] = size
        self.live_bytes += size
        self.h["total_bytes"] += size
        if self.live_bytes > self.h["peak_bytes"]:
            self.h["peak_bytes"] = self.live_bytes
            self.h["peak_blocks"] = len(self.live)
            self.h["peak_time_ms"] = self.ms

    def _free(self, addr):
        if addr in self.live:
            self.live_bytes -= self.live.pop(addr)
        else:
            self.h["unknown_frees"] += 1

    def events(self, b, pos, end):
        while pos < end:
            tag = b[pos]
            pos += 1
            op = tag & 0xF0
            if op == 0x10:
                d, pos = get_varint(b, pos, end)
                size, pos = get_varint(b, pos, end)
                _, pos = get_varint(b, pos, end)
                self.addr = (self.addr + unzigzag(d)) & self.M64
                self.h["allocations"] += 1
                self._alloc(self.addr, size)
            elif op == 0x20:
                d, pos = get_varint(b, pos, end)
                if tag & 0x08:
                    _, pos = get_varint(b, pos, end)
                self.addr = (self.addr + unzigzag(d)) & self.M64
                self.h["frees"] += 1
                self._free(self.addr)
            elif op == 0x30:
                d1, pos = get_varint(b, pos, end)
                d2, pos = get_varint(b, pos, end)
                size, pos = get_varint(b, pos, end)
                _, pos = get_varint(b, pos, end)
                old = (self.addr + unzigzag(d1)) & self.M64
                self.addr = (old + unzigzag(d2)) & self.M64
                self.h["allocations"] += 1
                if old:  # an allocation and a free, as valgrind counts it
                    self.h["frees"] += 1
                self.h["reallocations"] += 1
                self._free(old)
                self._alloc(self.addr, size)
            elif op == 0x40:
                d, pos = get_varint(b, pos, end)
                self.ms += d
                self.h["duration_ms"] = max(self.h["duration_ms"], self.ms)
            elif op == 0x50:
                _, pos = get_varint(b, pos, end)
            elif op == 0x60:  # a stack definition: skipped by its length
                ln, pos = get_varint(b, pos, end)
                pos += ln
                self.stack_defs = getattr(self, "stack_defs", 0) + 1
            else:
                raise ValueError("unknown event tag 0x%02x" % tag)


def trace_model(data):
    """Walk a complete trace: returns (info_end, [(record_end, expected
    report state after it)], record types)."""
    if data[:8] != b"HSTRACE\0" or struct.unpack("<I", data[8:12])[0] != 2:
        raise Fatal("the reference trace has an unexpected header: %r" % data[:16])
    m = Model()
    pos = 16
    states = []
    types = []
    info_end = None
    while pos < len(data):
        if pos + 5 > len(data):
            raise Fatal("the reference trace ends inside a record header at %d" % pos)
        typ = data[pos]
        ln = struct.unpack("<I", data[pos + 1:pos + 5])[0]
        start, end = pos + 5, pos + 5 + ln
        if end > len(data):
            raise Fatal("the reference trace ends inside a record at %d" % pos)
        if typ == 1 and info_end is None:
            info_end = end
        elif typ == 4:
            m.events(data, start, end)
        elif typ == 5:
            how, p2 = get_varint(data, start, end)
            val, p2 = get_varint(data, p2, end)
            m.exit = {0: {"code": val}, 2: {"code": val, "via": "_exit"}, 3: {"exec": True}}.get(how)
        types.append(typ)
        snap = m.snapshot()
        snap["exit"] = m.exit
        states.append((end, snap))
        pos = end
    return info_end, states, types, getattr(m, "stack_defs", 0)


def sc_truncation(g):
    prog = g.a.misc
    out = os.path.join(g.work, "run")
    # At depth 2 no stack reaches into libc, whose debug information would
    # take ~0.1 s to load in every report. The program leaks on purpose (a
    # LEAKS record in the trace): no gate.
    st, so, se, _ = g.hs_run(out, [prog, "varied"], opts=["--depth", "2", "--quiet", "--fail-on", "none"])
    g.require(st == 0, "run varied exited %s:\n%s" % (st, se))
    t = g.traces(out)
    g.require(len(t) == 1, "expected 1 trace, found %s" % t)
    with open(t[0], "rb") as f:
        data = f.read()
    N = len(data)
    info_end, states, types, stack_defs = trace_model(data)
    g.require(info_end is not None, "the reference trace has no INFO record")
    g.require(N > 8192, "the reference trace is only %d bytes" % N)
    for typ in (2, 4, 5):
        g.require(typ in types, "the reference trace has no record of type %d: %s" % (typ, types))
    g.require(stack_defs > 0, "the reference trace defines no stack in its events")
    full = g.report(t)["processes"][0]
    final = states[-1][1]
    for k in HEAP_KEYS:
        g.eq(full["heap"][k], final[k], "full trace: heap.%s (report vs. the format spec)" % k)
    g.eq(full["heap"]["live_at_end"], final["live_at_end"], "full trace: heap.live_at_end")
    g.check(final["reallocations"] > 0 and final["duration_ms"] > 0,
            "the reference trace exercises realloc and time: %s" % final)
    print("reference trace: %d bytes, %d records, INFO ends at %d; %s"
          % (N, len(types), info_end, dict((k, final[k]) for k in ("allocations", "frees", "reallocations"))))

    cut_dir = os.path.join(g.work, "cuts")
    os.makedirs(cut_dir)
    cuts = list(range(0, min(N, 4096) + 1))
    cuts += list(range(4097, N, 61)) + list(range(max(4097, N - 40), N + 1))
    cuts += [e for e, _ in states] + [e - 1 for e, _ in states] + [e + 1 for e, _ in states if e < N]
    cuts = sorted(set(c for c in cuts if 0 <= c <= N))
    ends = [e for e, _ in states]

    def expected_at(c):
        snap = None
        last = 16 if c >= 16 else None
        for e, s in states:
            if e <= c:
                snap, last = s, e
        return snap, last

    def cut_path(c):
        return os.path.join(cut_dir, "cut.%d.hst" % c)

    for c in cuts:
        with open(cut_path(c), "wb") as f:
            f.write(data[:c])

    def report(paths, fmt):
        p = subprocess.Popen([g.a.heapscope, "report", "--format", fmt] + paths, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=g.base_env)
        try:
            so, se = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            return None, b"", b"timeout"
        return p.returncode, so, se

    def exact(c, p, where):
        """The report of cut c against the model of the trace up to c."""
        snap, last = expected_at(c)
        g.eq(p["pid"], full["pid"], where + ": pid")
        g.eq(p["truncated"], c > last or snap["exit"] is None, where + ": truncated")
        g.eq(p["exit"], snap["exit"], where + ": exit")
        for k in HEAP_KEYS:
            g.eq(p["heap"][k], snap[k], where + ": heap." + k)
        g.eq(p["heap"]["live_at_end"], snap["live_at_end"], where + ": heap.live_at_end")

    def one_line_error(err, path, where):
        g.check(err.startswith("heapscope: " + path + ": ") and err.endswith("\n") and err.count("\n") == 1,
                where + ": expected a one-line error naming the file, got %r" % err)

    def check_alone(c, fmt, rc, so, se):
        """One cut reported by a process of its own."""
        where = "cut at %d of %d (%s, alone)" % (c, N, fmt)
        if rc is None:
            return g.check(False, where + ": heapscope report hung")
        if rc < 0:
            return g.check(False, "%s: heapscope report died of signal %d; stderr: %s" % (where, -rc, se[-500:]))
        if c < info_end:
            g.eq(rc, 1, where + " (before the end of INFO at %d): exit status" % info_end)
            one_line_error(se.decode("utf-8", "replace"), cut_path(c), where)
            if fmt == "json":
                try:
                    doc = json.loads(so.decode("utf-8"))
                    g.eq((doc.get("heapscope"), doc.get("processes")), (1, []), where + ": stdout")
                except ValueError:
                    g.check(False, where + ": stdout is not JSON: %r" % so[:200])
            return
        g.eq((rc, se), (0, b""), where + ": exit status and stderr")
        if fmt == "text":
            g.check(("==%d==" % full["pid"]).encode() in so, where + ": no text report: %r" % so[:300])
            return
        try:
            procs = json.loads(so.decode("utf-8"))["processes"]
            if g.eq(len(procs), 1, where + ": processes"):
                exact(c, procs[0], where)
        except ValueError:
            g.check(False, where + ": stdout is not JSON: %r" % so[:200])

    workers = max(2, os.cpu_count() or 2)

    # 1. Every cut, many to a report process (one process per cut would
    # take minutes): JSON with exact values, each process found by its
    # trace path, and text. A report that dies is re-run cut by cut to
    # name the cut.
    chunks = [cuts[i:i + 150] for i in range(0, len(cuts), 150)]
    jobs = [(chunk, fmt) for chunk in chunks for fmt in ("json", "text")]
    with ThreadPoolExecutor(max_workers=workers) as ex:
        batches = list(ex.map(lambda job: job + report([cut_path(c) for c in job[0]], job[1]), jobs))
    prev_alloc = -1
    for chunk, fmt, rc, so, se in batches:
        where = "cuts %d..%d in one %s report" % (chunk[0], chunk[-1], fmt)
        short = [c for c in chunk if c < info_end]
        if rc is None or rc < 0:
            g.check(False, "%s: heapscope report %s" % (where, "hung" if rc is None else "died of signal %d" % -rc))
            for c in chunk:
                check_alone(c, fmt, *report([cut_path(c)], fmt))
            continue
        g.eq(rc, 1 if short else 0, where + ": exit status")
        errs = se.decode("utf-8", "replace").splitlines(True)
        g.eq(len(errs), len(short), where + ": one error line per cut shorter than INFO")
        for c, err in zip(short, errs):
            one_line_error(err, cut_path(c), where)
        if fmt == "text":
            continue
        try:
            procs = dict((p["trace"], p) for p in json.loads(so.decode("utf-8"))["processes"])
        except ValueError:
            g.check(False, where + ": stdout is not JSON")
            continue
        g.eq(len(procs), len(chunk) - len(short), where + ": processes")
        for c in chunk:
            if c >= info_end and g.check(cut_path(c) in procs, where + ": no process for cut %d" % c):
                p = procs[cut_path(c)]
                exact(c, p, "cut at %d of %d" % (c, N))
                g.check(p["heap"]["allocations"] >= prev_alloc, "cut at %d: allocations went down" % c)
                prev_alloc = p["heap"]["allocations"]
        if len(g.failures) > 40:
            g.check(False, "... too many failures, stopping")
            return

    # 2. A sample alone, JSON and text by turns: every cut before the end
    # of INFO, every record boundary and the bytes around it, every 16th.
    alone = sorted(set([c for c in cuts if c < info_end or c % 16 == 0] +
                       [c for e in ends for c in (e - 1, e, e + 1) if 0 <= c <= N]))
    with ThreadPoolExecutor(max_workers=workers) as ex:
        results = list(ex.map(lambda c: (c, ("json", "text")[c % 2]) + report([cut_path(c)], ("json", "text")[c % 2]),
                              alone))
    for c, fmt, rc, so, se in results:
        check_alone(c, fmt, rc, so, se)
        if len(g.failures) > 40:
            g.check(False, "... too many failures, stopping")
            return
    print("checked %d cut points (every byte up to %d, then a sample) in batches, %d of them alone"
          % (len(cuts), min(N, 4096), len(alone)))

    if not g.failures:
        shutil.rmtree(cut_dir)
        os.makedirs(cut_dir)

    # Garbage after a valid prefix, and random damage inside the trace.
    rnd = random.Random(20240611)
    variants = []
    for c in sorted(set(ends[:40] + [rnd.randrange(0, N) for _ in range(60)])):
        n = rnd.choice((1, 4, 5, 9, 64, 700, 5000))
        variants.append(("garbage after %d: %d bytes" % (c, n), data[:c] + bytes(rnd.getrandbits(8) for _ in range(n))))
    for c in ends[:20]:
        # a record header claiming a huge length, or type 0
        variants.append(("huge record after %d" % c, data[:c] + b"\x04\xff\xff\xff\x7f" + data[c:c + 100]))
        variants.append(("type 0 after %d" % c, data[:c] + b"\x00\x10\x00\x00\x00" + bytes(16)))
    for i in range(150):
        b = bytearray(data)
        for _ in range(rnd.choice((1, 2, 8))):
            b[rnd.randrange(16, N)] = rnd.getrandbits(8)
        variants.append(("damage #%d" % i, bytes(b)))

    def damaged(item):
        i, (what, blob) = item
        path = os.path.join(cut_dir, "damaged.%d.hst" % i)
        with open(path, "wb") as f:
            f.write(blob)
        fmt = ("json", "text")[i % 2]
        rc, so, _ = report([path], fmt)
        return what + " (%s, %s)" % (fmt, path), path, fmt, rc, so

    with ThreadPoolExecutor(max_workers=workers) as ex:
        for what, path, fmt, rc, so in ex.map(damaged, enumerate(variants)):
            if rc is None:
                g.check(False, what + ": heapscope report hung")
            elif rc < 0 or rc > 1:
                g.check(False, "%s: heapscope report exited %d (%s)"
                        % (what, rc, "signal %d" % -rc if rc < 0 else "status"))
            elif fmt == "json":
                try:
                    json.loads(so.decode("utf-8"))
                    os.unlink(path)
                except ValueError as e:
                    g.check(False, "%s: exit %d but stdout is not valid JSON: %s" % (what, rc, e))
            else:
                os.unlink(path)
    print("checked %d damaged traces" % len(variants))


def sc_bad_header(g):
    out = os.path.join(g.work, "run")
    st, so, se, _ = g.hs_run(out, [g.a.misc, "exit", "0"])
    g.require(st == 0, "run exited %s:\n%s" % (st, se))
    t = g.traces(out)
    g.require(len(t) == 1, "expected 1 trace, found %s" % t)
    with open(t[0], "rb") as f:
        data = f.read()

    def variant(name, blob):
        path = os.path.join(g.work, name)
        with open(path, "wb") as f:
            f.write(blob)
        return path

    def one_line_error(path, what, pattern):
        st, so, se, _ = g.spawn([g.a.heapscope, "report", "--format", "json", path])
        g.eq(st, 1, what + ": exit status")
        g.check(se.count("\n") == 1 and se.endswith("\n"), what + ": expected one line on stderr, got %r" % se)
        g.check(re.search(pattern, se) is not None, "%s: stderr %r does not match %r" % (what, se, pattern))
        g.check(path in se, what + ": the message names the file")

    one_line_error(variant("badmagic.hst", b"X" + data[1:]), "bad magic", r"not a heapscope trace")
    one_line_error(variant("text.hst", b"hello, world\n" * 10), "a text file", r"not a heapscope trace")
    v99 = data[:8] + struct.pack("<I", 99) + data[12:]
    one_line_error(variant("v99.hst", v99), "version 99", r"version 99\b.*versions 1 to 2\b")
    v0 = data[:8] + struct.pack("<I", 0) + data[12:]
    one_line_error(variant("v0.hst", v0), "version 0", r"version 0\b")
    one_line_error(os.path.join(g.work, "does-not-exist.hst"), "missing file", r"No such file")
    os.mkdir(os.path.join(g.work, "dir.hst"))
    one_line_error(os.path.join(g.work, "dir.hst"), "a directory", r"directory")
    # One good and one bad trace: status 1, the good one still reported.
    st, so, se, _ = g.spawn([g.a.heapscope, "report", "--format", "json", t[0], os.path.join(g.work, "v99.hst")])
    g.eq(st, 1, "good + bad trace: exit status")
    try:
        procs = json.loads(so)["processes"]
        g.eq(len(procs), 1, "good + bad trace: the good trace is reported")
    except ValueError:
        g.check(False, "good + bad trace: stdout is not JSON: %r" % so[:300])


# ---- 5. command line -------------------------------------------------------

def sc_shared_out(g):
    """Two runs writing into one out directory at once (ctest -j with the
    default ./heapscope-out): each reports its own traces only."""
    out = os.path.join(g.work, "shared")
    sleeper = shutil.which("sleep")
    g.require(sleeper is not None, "no sleep(1) on PATH")
    a = subprocess.Popen([g.a.heapscope, "run", "--out", out, "--", sleeper, "1.5"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=g.base_env, start_new_session=True)
    try:
        time.sleep(0.3)  # A's process has started and made its trace
        st, so, se, _ = g.hs_run(out, [g.a.misc, "echo"])
        g.eq(st, 0, "run B: exit status")
        g.check("heapscope: 1 process traced" in se, "run B: stderr does not say 1 process traced:\n" + se)
        a_out, a_err = a.communicate(timeout=30)
    finally:
        if a.poll() is None:
            os.killpg(a.pid, signal.SIGKILL)
            a.communicate()
    a_err = a_err.decode(errors="replace")
    g.eq(a.returncode, 0, "run A: exit status")
    g.check("heapscope: 1 process traced" in a_err, "run A: stderr does not say 1 process traced:\n" + a_err)
    g.eq(len(g.traces(out)), 2, "both runs' traces are in the directory")


def sc_cli_errors(g):
    hs = g.a.heapscope
    prog = g.a.misc

    def expect(cmd, status, pattern=None, what=None):
        what = what or " ".join(os.path.basename(c) if c == hs else c for c in cmd)
        st, so, se, _ = g.spawn(cmd)
        g.eq(st, status, what + ": exit status")
        if pattern:
            g.check(re.search(pattern, se) is not None, "%s: stderr %r does not match %r" % (what, se, pattern))
        return so, se

    out = os.path.join(g.work, "out")
    expect([hs, "run", "--out", out, "--", "/nonexistent"], 127, r"command not found")
    expect([hs, "run", "--out", out, "--", "heapscope-golden-no-such-command"], 127, r"command not found")
    plain = os.path.join(g.work, "not-executable")
    with open(plain, "w") as f:
        f.write("#!/bin/sh\nexit 0\n")
    os.chmod(plain, 0o644)
    expect([hs, "run", "--out", out, "--", plain], 126, None, "non-executable file")
    expect([hs, "run", "--out", out, "--", g.work], 126, None, "a directory as the program")
    regular = os.path.join(g.work, "regular-file")
    with open(regular, "w") as f:
        f.write("x\n")
    expect([hs, "run", "--out", os.path.join(regular, "sub"), "--", prog, "exit", "0"], 2,
           r"cannot write traces", "--out under a regular file")
    bogus_out = os.path.join(g.work, "bogus-out")
    expect([hs, "run", "--out", bogus_out, "--bogus-option", "--", prog, "exit", "0"], 2,
           r"^heapscope run: unrecognized option", "run --bogus-option")
    g.eq(g.traces(bogus_out), [], "run --bogus-option: no trace written")
    expect([hs, "run", "--out", out], 2, r"no program", "run without a program")
    expect([hs, "run", "--out", out, "--depth", "0", "--", prog, "exit", "0"], 2, r"--depth", "run --depth 0")
    # --guard values the preload would refuse (and use auto) are refused here
    for bad in ("sample:+5", "sample: 5", "sample:0", "size:+1-10", "size:10-1", "sometimes"):
        expect([hs, "run", "--out", out, "--guard", bad, "--", prog, "exit", "0"], 2, r"--guard", "run --guard " + bad)
    expect([hs, "run", "--out", out, "--depth", "65", "--", prog, "exit", "0"], 2, r"--depth", "run --depth 65")
    expect([hs, "report"], 2, r"no trace", "report without a trace")
    expect([hs, "report", "--format", "xml", os.path.join(g.work, "x.hst")], 2, r"xml", "report --format xml")
    expect([hs, "report", "--bogus-option", os.path.join(g.work, "x.hst")], 2,
           r"^heapscope report: unrecognized option", "report --bogus-option")
    # the error and where to read more, as GNU tools say it: not the whole usage
    for cmd in ("run", "report", "diff"):
        _, se = expect([hs, cmd, "--bogus-option"], 2, r"^heapscope %s: unrecognized option" % cmd, cmd + " --bogus")
        g.eq(se.splitlines()[1:], ["heapscope %s: try 'heapscope %s --help'" % (cmd, cmd)],
             "%s --bogus-option: stderr after the error" % cmd)
    expect([hs, "run", "--out", out, "--baseline", g.work, "--", prog, "exit", "0"], 2,
           r"Is a directory", "run --baseline DIR")
    expect([hs, "frobnicate"], 2, None, "unknown command")
    g.eq(g.traces(out), [], "no command above ran a program")

    # a suppressions "file" that is a directory: an error, not no rules
    expect([hs, "run", "--out", out, "--suppressions", g.work, "--", prog, "exit", "0"], 2,
           r"Is a directory", "run --suppressions DIR")
    # ':' separates HEAPSCOPE_OPTIONS: refused before anything is made
    colon = os.path.join(g.work, "a:detect=0")
    expect([hs, "run", "--out", colon, "--", prog, "exit", "0"], 2, r"':'", "--out with a colon")
    g.check(not os.path.exists(colon), "--out with a colon: the directory was made")
    # a ':' followed by nothing or by another ':' ends the value too (the
    # traces went to "tr", another directory, and run said nothing was traced)
    for name in ("tr:", "x::y"):
        bad = os.path.join(g.work, name)
        expect([hs, "run", "--out", bad, "--", prog, "exit", "0"], 2, r"':'", "--out " + name)
        cut = os.path.join(g.work, name.split(":")[0])
        g.check(not os.path.exists(bad) and not os.path.exists(cut), "--out %s: a directory was made" % name)
    fine = os.path.join(g.work, "a:b")
    expect([hs, "run", "--out", fine, "--", prog, "exit", "0"], 0, None, "--out a:b")
    g.eq(len(g.traces(fine)), 1, "--out a:b: its trace")
    # an exec that fails: its error and status, and no word of traces
    noelf = os.path.join(g.work, "no-shebang")
    with open(noelf, "w") as f:
        f.write("not a program\n")
    os.chmod(noelf, 0o755)
    _, se = expect([hs, "run", "--out", out, "--", noelf], 126, r"Exec format error", "a file exec refuses")
    g.check("trace" not in se, "a file exec refuses: stderr speaks of traces: %r" % se)
    # a trailing empty PATH element is the current directory, as for execvp
    env = dict(os.environ, PATH="/usr/bin:/bin:")
    st, _, se, _ = g.spawn([hs, "run", "--out", out, "--", os.path.basename(prog), "exit", "0"],
                           env=env, cwd=os.path.dirname(prog))
    g.eq(st, 0, "PATH ending in ':' finds the program in the current directory; stderr ends:\n" + tail(se))
    # a preload path holding a space (ld.so splits LD_PRELOAD there)
    spaced = os.path.join(g.work, "with space")
    os.makedirs(os.path.join(spaced, "analyzer"))
    os.makedirs(os.path.join(spaced, "preload"))
    shutil.copy(hs, os.path.join(spaced, "analyzer", "heapscope"))
    lib = os.path.join(os.path.dirname(os.path.dirname(hs)), "preload", "libheapscope.so")
    shutil.copy(lib, os.path.join(spaced, "preload", "libheapscope.so"))
    spaced_out = os.path.join(g.work, "spaced-out")
    st, _, se, _ = g.spawn([os.path.join(spaced, "analyzer", "heapscope"), "run", "--out", spaced_out, "--",
                            prog, "exit", "3"])
    g.eq(st, 3, "run from a path with a space: the program's status; stderr ends:\n" + tail(se))
    g.eq(len(g.traces(spaced_out)), 1, "run from a path with a space: traces")
    # a trace named twice is one process
    trace = g.traces(spaced_out)
    st, so, se, _ = g.spawn([hs, "report", "--format", "json"] + trace + trace)
    g.eq((st, len(json.loads(so)["processes"]) if st == 0 else None), (0, 1), "a trace named twice: its processes")
    # two missing ones are two errors
    st, so, se, _ = g.spawn([hs, "report", os.path.join(g.work, "no1.hst"), os.path.join(g.work, "no2.hst")])
    g.eq((st, se.count("No such file")), (1, 2), "two missing traces: status and errors")
    # a report that cannot be written (a full disk) does not pass for one
    full = "/dev/full"
    g.require(os.path.exists(full), "no /dev/full")
    trace = g.traces(spaced_out)
    for cmd in ([hs, "report", "--format", "json"] + trace, [hs, "report"] + trace,
                [hs, "report", "--format", "sarif"] + trace, [hs, "diff", spaced_out, spaced_out]):
        with open(full, "w") as sink:
            p = subprocess.run(cmd, stdout=sink, stderr=subprocess.PIPE, timeout=60)
        what = " ".join(os.path.basename(c) if c == hs else c for c in cmd[:3]) + " > /dev/full"
        g.eq(p.returncode, 1, what + ": exit status")
        g.check(b"cannot write to standard output" in p.stderr, "%s: stderr %r" % (what, p.stderr))


def sc_rebuilt(g):
    """A program rebuilt after its trace was recorded: the report says so
    and shows its frames by address, instead of the new build's names for
    the old addresses; with or without a build-id to tell."""
    v1 = "#include <stdlib.h>\n__attribute__((noinline)) void *alloc_here(void) { return malloc(32); }\n" \
         "int main(void) { free(alloc_here()); return 0; }\n"
    v2 = "#include <stdlib.h>\n#include <stdio.h>\n__attribute__((noinline)) int other(int x) { return x * 3; }\n" \
         "__attribute__((noinline)) void *other2(void) { return malloc(other(11)); }\n" \
         "int main(void) { void *p = other2(); printf(\"%p\\n\", p); free(p); return 0; }\n"
    for build_id in ("sha1", "none"):
        src = os.path.join(g.work, "prog_%s.c" % build_id)
        prog = os.path.join(g.work, "prog_" + build_id)
        out = os.path.join(g.work, "out_" + build_id)

        def build(text):
            with open(src, "w") as f:
                f.write(text)
            cc = subprocess.run([g.a.cc, "-g", "-O0", "-fno-builtin", "-Wl,--build-id=" + build_id, "-o", prog, src],
                                capture_output=True, text=True)
            g.require(cc.returncode == 0, "cc: " + cc.stderr)
        build(v1)
        st, _, se, _ = g.hs_run(out, [prog])
        g.require(st == 0, "run: %s %s" % (st, se))
        g.check(g.site(g.one_process(out), "alloc_here", "before the rebuild") is not None, "before the rebuild")
        build(v2)
        st, so, se, _ = g.spawn([g.a.heapscope, "report", "--format", "json"] + g.traces(out))
        g.eq(st, 0, "build-id %s: report's status" % build_id)
        g.check(("%s is not the file the trace was recorded with" % prog) in se,
                "build-id %s: no word that the program changed: %r" % (build_id, se))
        p = json.loads(so)["processes"][0]
        firsts = [s["stack"][0].get("function") for s in p["heap"]["top_sites"] if s["stack"]]
        g.eq(firsts, [None], "build-id %s: the site's first frame (by address, no name)" % build_id)


# (the result stored before it is returned: no tail call to malloc)
NAMES_C = """#include <stdlib.h>
void *volatile last;
static __attribute__((noinline)) void *static_alloc(int n)
{
	last = malloc((size_t)n); /* STATIC */
	return last;
}
int main(int argc, char **argv)
{
	(void)argv;
	free(static_alloc(40 + argc));
	return 0;
}
"""


def sc_names(g):
    """A static function whose symbol -Wl,-x dropped: named from the debug
    information (it showed as ??? with its file and line)."""
    src = os.path.join(g.work, "names.c")
    with open(src, "w") as f:
        f.write(NAMES_C)
    prog = os.path.join(g.work, "names")
    cc = subprocess.run([g.a.cc, "-g", "-O2", "-fno-builtin", "-Wl,-x", "-o", prog, src], capture_output=True, text=True)
    g.require(cc.returncode == 0, "cc: " + cc.stderr)
    out = os.path.join(g.work, "out")
    st, _, se, _ = g.hs_run(out, [prog])
    g.require(st == 0, "run: %s %s" % (st, se))
    p = g.one_process(out)
    line = next(i + 1 for i, l in enumerate(NAMES_C.splitlines()) if "STATIC" in l)
    s1 = g.site(p, "static_alloc", "a static function without its symbol")
    if s1 is not None:
        g.eq((os.path.basename(s1["stack"][0]["file"] or ""), s1["stack"][0]["line"]), ("names.c", line),
             "static_alloc's file and line")


def sc_thread_getattr(g):
    """A new thread's first allocation made by glibc inside
    pthread_getattr_np, which holds the thread's lock: the capture asked
    for the stack's bounds with pthread_getattr_np again and the thread
    waited for itself forever (java -version hung)."""
    prog = g.a.misc
    for mode, opts in (("record", "detect=0"), ("detect", "")):
        out = os.path.join(g.work, mode)
        env = dict(g.base_env, LD_PRELOAD=g.a.preload, HEAPSCOPE_OPTIONS="out=%s%s" % (out, ":" + opts if opts else ""))
        st, so, se, _ = g.spawn([prog, "getattr"], env=env, timeout=20)
        g.eq((st, so), (0, "ok\n"), "%s: status and output" % mode)
        p = g.one_process(out)
        g.eq(p["exit"], {"code": 0}, "%s: exit" % mode)


def sc_cli_static(g):
    if not g.a.static:
        raise Skip("no static C library (libc.a) at configure time: the static-program case is skipped")
    out = os.path.join(g.work, "out")
    st, so, se, _ = g.hs_run(out, [g.a.static])
    g.eq(st, 126, "static program: exit status")
    g.check("statically linked" in se, "static program: stderr %r does not say 'statically linked'" % se)
    g.eq(so, "", "static program: not run")
    g.eq(g.traces(out), [], "static program: no trace")


def sc_options(g):
    prog = g.a.misc
    st0, so0, se0, _ = g.spawn([prog, "echo"])
    g.require(st0 == 0 and so0 == "hello stdout 42\n" and se0 == "hello stderr\n",
              "native run of misc echo: %r" % ((st0, so0, se0),))
    unknown = "heapscope: HEAPSCOPE_OPTIONS: unknown option"

    # LD_PRELOAD directly: everything but the one notice is unchanged.
    out = os.path.join(g.work, "preload")
    env = dict(g.base_env, LD_PRELOAD=g.a.preload, HEAPSCOPE_OPTIONS="no_such_key=1:out=" + out)
    st, so, se, _ = g.spawn([prog, "echo"], env=env)
    g.eq(st, st0, "LD_PRELOAD: exit status")
    g.eq(so, so0, "LD_PRELOAD: stdout")
    lines = se.splitlines(True)
    notices = [l for l in lines if l.startswith(unknown)]
    g.eq(len(notices), 1, "LD_PRELOAD: notices on stderr (%r)" % se)
    g.eq(notices[:1], ["heapscope: HEAPSCOPE_OPTIONS: unknown option 'no_such_key' ignored\n"], "LD_PRELOAD: notice")
    g.eq("".join(l for l in lines if not l.startswith(unknown)), se0, "LD_PRELOAD: the program's own stderr")
    p = g.one_process(out)  # the options after the bad key still apply
    g.site_counts(g.site(p, "echo_alloc", "echo site"), "echo site", 2, 48, 48)

    # A relative out directory is the one where the process started: a
    # fork child made after a chdir writes beside its parent (it used to
    # make a directory of that name wherever the program had gone).
    start = os.path.join(g.work, "start")
    away = os.path.join(g.work, "away")
    os.makedirs(start)
    os.makedirs(away)
    env = dict(g.base_env, LD_PRELOAD=g.a.preload, HEAPSCOPE_OPTIONS="out=rel")
    st, so, se, _ = g.spawn([prog, "chdir_fork", away], env=env, cwd=start)
    g.eq(st, 0, "chdir_fork: exit status")
    g.check(not os.path.exists(os.path.join(away, "rel")), "chdir_fork: no trace directory where the program went")
    g.eq(len(g.traces(os.path.join(start, "rel"))), 2, "chdir_fork: traces in the starting directory's rel/")

    # Through heapscope run, with the bad key in the user's HEAPSCOPE_OPTIONS.
    out = os.path.join(g.work, "run")
    env = dict(g.base_env, HEAPSCOPE_OPTIONS="no_such_key=1")
    st, so, se, _ = g.hs_run(out, [prog, "echo"], env=env)
    g.eq(st, st0, "run: exit status")
    g.eq(so, so0, "run: stdout")
    g.eq(len([l for l in se.splitlines() if "HEAPSCOPE_OPTIONS: unknown option" in l]), 1,
         "run: unknown-option notices on stderr:\n" + se)
    g.eq(se.count("hello stderr\n"), 1, "run: the program's stderr line")

    # A bad value is reported the same way.
    out = os.path.join(g.work, "badvalue")
    env = dict(g.base_env, LD_PRELOAD=g.a.preload, HEAPSCOPE_OPTIONS="depth=lots:out=" + out)
    st, so, se, _ = g.spawn([prog, "echo"], env=env)
    g.eq((st, so), (st0, so0), "bad value: status and stdout")
    g.eq(se, "heapscope: HEAPSCOPE_OPTIONS: bad value for depth: 'lots' ignored\n" + se0, "bad value: stderr")

    # So is one out of the option's range: depth=0 (and 2^32, which an int
    # made 0) reached the stack depot as an empty stack and crashed the
    # program in its first allocation.
    for depth in ("0", "4294967296", "65"):
        out = os.path.join(g.work, "depth" + depth)
        env = dict(g.base_env, LD_PRELOAD=g.a.preload, HEAPSCOPE_OPTIONS="depth=%s:out=%s" % (depth, out))
        st, so, se, _ = g.spawn([prog, "echo"], env=env)
        g.eq((st, so), (st0, so0), "depth=%s: status and stdout" % depth)
        g.eq(se, "heapscope: HEAPSCOPE_OPTIONS: bad value for depth: '%s' ignored\n" % depth + se0,
             "depth=%s: stderr" % depth)
        p = g.one_process(out)  # recorded with the default depth
        g.site_counts(g.site(p, "echo_alloc", "echo site"), "echo site", 2, 48, 48)


def sc_exit_status(g):
    prog = g.a.misc
    for args, status, exit_ in ((["exit", "7"], 7, {"code": 7}), (["exit", "0"], 0, {"code": 0}),
                                (["exit", "255"], 255, {"code": 255}),
                                (["_exit", "5"], 5, {"code": 5, "via": "_exit"}),
                                # it ends with _exit too, past our wrapper: the
                                # trace used to have no end and no events
                                (["quick_exit", "9"], 9, {"code": 9, "via": "_exit"})):
        out = os.path.join(g.work, "_".join(args))
        st, so, se, _ = g.hs_run(out, [prog] + args)
        what = "misc " + " ".join(args)
        g.eq(st, status, what + ": run's exit status")
        p = g.one_process(out)
        g.eq(p["exit"], exit_, what + ": exit")
        g.eq(p["truncated"], False, what + ": truncated")
        g.heap_is(p, what, allocations=1, frees=1)


# ---- 6. ctest --------------------------------------------------------------

def sc_ctest(g):
    proj = os.path.join(g.work, "project")
    shutil.copytree(os.path.join(g.a.src, "ctest_project"), proj)
    build = os.path.join(g.work, "build")
    st, so, se, _ = g.spawn([g.a.cmake, "-S", proj, "-B", build, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                             "-DCMAKE_C_COMPILER=" + g.a.cc], timeout=120)
    g.require(st == 0, "configuring the scratch project failed:\n" + so + se)
    st, so, se, _ = g.spawn([g.a.cmake, "--build", build], timeout=120)
    g.require(st == 0, "building the scratch project failed:\n" + so + se)

    out = os.path.join(g.work, "out")
    env = dict(g.base_env, PATH=os.path.dirname(g.a.ctest) + os.pathsep + g.base_env.get("PATH", ""))
    st, so, se, run_pid = g.hs_run(out, ["ctest", "--output-on-failure"], env=env, cwd=build, timeout=60)
    g.require(st == 0, "heapscope run -- ctest exited %s:\n%s%s" % (st, so, se))
    g.check("100% tests passed" in so, "ctest's own output passes through:\n" + so)
    t = g.traces(out)
    procs = g.report(t)["processes"]
    by_pid = {}
    for p in procs:
        by_pid.setdefault(p["pid"], []).append(p)
    ctest_exe = os.path.realpath(g.a.ctest)
    tops = [p for p in procs if p["ppid"] == run_pid]
    g.require(len(tops) == 1, "exactly one trace is run's child (ctest): %s" % [(p["pid"], p["ppid"]) for p in procs])
    top = tops[0]
    g.eq(top["executable"], ctest_exe, "ctest trace: executable")
    g.eq(top["exit"], {"code": 0}, "ctest trace: exit")
    g.check(top["heap"]["allocations"] > 0, "ctest trace: records ctest's own allocations")
    g.eq(len(by_pid[top["pid"]]), 1, "ctest's pid has one trace")
    g.eq(len(by_pid), 3, "processes (ctest + 2 tests): pids %s" % sorted(by_pid))

    src = "ctest_project/"
    expect = {
        "test_one": ("mini_buffer", "mini.c", g.line_of(src + "mini.c", "SITE_LIB"), 9, 1234,
                     ("main", "test_one.c", g.line_of(src + "test_one.c", "CALL_ONE")), 9),
        "test_two": ("two_work", "test_two.c", g.line_of(src + "test_two.c", "SITE_TWO"), 6, 555, None, 7),
    }
    for name, (fn, file_, line, n, size, caller, total_allocs) in sorted(expect.items()):
        exe = os.path.realpath(os.path.join(build, name))
        mine = [p for p in procs if p["executable"] == exe]
        if not g.eq(len(mine), 1, "%s: traces of the test binary" % name):
            continue
        p = mine[0]
        g.eq(p["ppid"], top["pid"], name + ": ppid is ctest's pid")
        g.eq(p["exit"], {"code": 0}, name + ": exit")
        g.eq(p["truncated"], False, name + ": truncated")
        g.heap_is(p, name, allocations=total_allocs, frees=total_allocs)
        s = g.site(p, fn, name + " site")
        g.site_counts(s, name + " site", n, n * size)
        if s:
            g.frame_is(s["stack"][0], name + " site frame 0", fn, file_, line, name)
            if caller:
                g.frame_is(s["stack"][1], name + " site frame 1", caller[0], caller[1], caller[2], name)
        # ctest forks, then execs the test: the forked copy of ctest is an
        # image of its own, whose trace ends with exec.
        others = [q for q in by_pid[p["pid"]] if q is not p]
        g.check(len(others) <= 1, "%s: pid %d has %d other traces" % (name, p["pid"], len(others)))
        for q in others:
            g.eq((q["executable"], q["exit"]), (ctest_exe, {"exec": True}),
                 name + ": the other trace of its pid is ctest's forked copy, ended by exec")
    print("traces: " + ", ".join("%s pid %d ppid %d exit %s allocs %d" % (
        os.path.basename(p["executable"]), p["pid"], p["ppid"], p["exit"], p["heap"]["allocations"]) for p in procs))


# ---- 7. descriptors --------------------------------------------------------

def sc_fds_closed(g):
    out = os.path.join(g.work, "run")
    st, so, se, _ = g.hs_run(out, [g.a.misc, "closefds"])
    g.eq(st, 0, "run closefds: exit status (114: /dev/null did not become descriptor 0); "
         "stderr ends:\n" + tail(se))
    p = g.one_process(out)
    g.eq(p["exit"], {"code": 0}, "exit (the trace is complete)")
    g.eq(p["truncated"], False, "truncated")
    g.heap_is(p, "closefds", allocations=11, frees=11, total_bytes=2200, peak_bytes=2200, live_blocks=0)
    s = g.site(p, "closed_alloc", "closefds site")
    g.site_counts(s, "closefds site", 11, 2200, 2200)
    if s:
        g.frame_is(s["stack"][0], "closefds frame 0", "closed_alloc", "misc.c",
                   g.line_of("progs/misc.c", "SITE_CLOSED"))


def sc_fds_reopened(g):
    # The program puts its own file on every descriptor it finds open
    # (heapscope's among them) and on 3..20, then allocates and writes
    # through each of 3..20.
    out = os.path.join(g.work, "run")
    own = os.path.join(g.work, "own-file.txt")
    st, so, se, _ = g.hs_run(out, [g.a.misc, "reopen", own])
    g.eq(st, 0, "run reopen: exit status (107: a write through one of its descriptors failed); "
         "stderr ends:\n" + tail(se))
    with open(own, "rb") as f:
        content = f.read()
    g.eq(content, "".join("fd %d\n" % fd for fd in range(3, 21)).encode(),
         "reopen: the program's own file holds exactly what it wrote")
    p = g.one_process(out)
    g.eq(p["exit"], {"code": 0}, "reopen: exit (the trace is complete)")
    g.eq(p["truncated"], False, "reopen: truncated")
    g.heap_is(p, "reopen", allocations=13, frees=13, total_bytes=3900, peak_bytes=3900, live_blocks=0)
    s = g.site(p, "reopen_alloc", "reopen site")
    g.site_counts(s, "reopen site", 13, 3900, 3900)
    if s:
        g.frame_is(s["stack"][0], "reopen frame 0", "reopen_alloc", "misc.c",
                   g.line_of("progs/misc.c", "SITE_REOPEN"))

    # closefrom(3), then an input and an output file take the lowest
    # numbers, as in any daemon: neither may be read or written by heapscope.
    out = os.path.join(g.work, "closefrom")
    src = os.path.join(g.work, "input.txt")
    dst = os.path.join(g.work, "output.txt")
    payload = "".join("line %d of the program's input\n" % i for i in range(200)).encode()
    with open(src, "wb") as f:
        f.write(payload)
    st, so, se, _ = g.hs_run(out, [g.a.misc, "closefrom", src, dst])
    g.eq(st, 0, "run closefrom: exit status; stderr ends:\n" + tail(se))
    with open(dst, "rb") as f:
        copied = f.read()
    g.check(copied == payload, "closefrom: the output file is not an exact copy of the input "
            "(%d bytes, expected %d; first bytes %r)" % (len(copied), len(payload), copied[:16]))
    p = g.one_process(out)
    g.eq(p["exit"], {"code": 0}, "closefrom: exit (the trace is complete)")
    g.heap_is(p, "closefrom", allocations=17, frees=17, total_bytes=6800, live_blocks=0)
    g.site_counts(g.site(p, "closefrom_alloc", "closefrom site"), "closefrom site", 17, 6800, 6800)


def sc_fds_fork(g):
    """The program's file on every descriptor it finds open, heapscope's
    among them, then a fork: the child must not close the program's file
    where the parent's trace was (it did, and the child's writes through it
    failed), and heapscope's report of a double free must not go into the
    program's file put where heapscope's message descriptor was."""
    out = os.path.join(g.work, "run")
    own = os.path.join(g.work, "own-file.txt")
    st, so, se, _ = g.hs_run(out, [g.a.misc, "reopen_fork", own], opts=["--fail-on", "none"])
    g.eq(st, 0, "run reopen_fork: exit status (107: a write through one of its descriptors failed); "
         "stderr ends:\n" + tail(se))
    with open(own, "rb") as f:
        content = f.read().decode("utf-8", "replace")
    g.eq(content, so, "reopen_fork: the program's own file holds exactly what it wrote (its stdout)")
    g.check("child 3\n" in so and "parent 3\n" in so, "reopen_fork: output %r" % so[:200])
    g.check("double-free" in se or "double free" in se.lower(),
            "reopen_fork: heapscope's report of the double free is not on stderr; stderr ends:\n" + tail(se))
    procs = g.report(g.traces(out))["processes"]
    g.eq(len(procs), 3, "reopen_fork: processes")
    for p in procs:
        g.eq(p["truncated"], False, "reopen_fork: pid %s truncated" % p.get("pid"))
    children = [p for p in procs if p["exit"] == {"code": 0, "via": "_exit"}]
    g.eq(len(children), 2, "reopen_fork: children ended with _exit(0): %r" % [p["exit"] for p in procs])
    writer = [p for p in children if (p.get("heap") or {}).get("allocations") == 13]
    g.eq(len(writer), 1, "reopen_fork: one child made the 13 allocations")
    if writer:
        g.site_counts(g.site(writer[0], "reopen_alloc", "reopen_fork child site"), "reopen_fork child site",
                      13, 3900, 3900)


def sc_exec_retry(g):
    """A failed exec goes on recording the other threads: while exec was
    tried, recording was off for every thread, and a program retrying exec
    (as execvp does along PATH) lost what its other threads allocated
    meanwhile (their later frees unknown)."""
    out = os.path.join(g.work, "run")
    st, so, se, _ = g.hs_run(out, [g.a.misc, "exec_retry", "300"], opts=["--no-detect"], timeout=120)
    g.eq(st, 0, "run exec_retry: exit status; stderr ends:\n" + tail(se))
    m = re.search(r"thread allocations (\d+)", so)
    g.require(m is not None, "exec_retry: no count on stdout: %r" % so)
    made = int(m.group(1))
    p = g.one_process(out)
    g.eq(p["exit"], {"code": 0}, "exec_retry: exit (the failed execs' EXIT records taken back)")
    g.eq(p["truncated"], False, "exec_retry: truncated")
    heap = p.get("heap") or {}
    g.eq(heap.get("unknown_frees"), 0, "exec_retry: frees of blocks whose allocation was not recorded")
    g.check(heap.get("allocations", 0) >= made,
            "exec_retry: %s allocations recorded, the thread made %d" % (heap.get("allocations"), made))


def sc_daemon(g):
    """daemon() ends its parent with glibc's own _exit, past heapscope's
    wrapper: the parent's trace must still end (it was left without an
    end, read as cut off); the daemon's trace is its own."""
    out = os.path.join(g.work, "run")
    done = os.path.join(g.work, "daemon-done.txt")
    st, so, se, _ = g.hs_run(out, [g.a.misc, "daemon", done])
    g.eq(st, 0, "run daemon: exit status; stderr ends:\n" + tail(se))
    deadline = time.time() + 20
    procs = []
    while time.time() < deadline:
        t = g.traces(out)
        if len(t) == 2 and os.path.exists(done):
            procs = g.report(t)["processes"]
            if all(p["exit"] is not None for p in procs):
                break
        time.sleep(0.1)
    g.eq(len(procs), 2, "daemon: processes (parent and daemon, both ended)")
    by_exit = {json.dumps(p["exit"], sort_keys=True): p for p in procs}
    parent = by_exit.get(json.dumps({"code": 0, "via": "_exit"}, sort_keys=True))
    daemon = by_exit.get(json.dumps({"code": 0}, sort_keys=True))
    g.check(parent is not None, "daemon: no process ended with _exit(0): %r" % [p["exit"] for p in procs])
    g.check(daemon is not None, "daemon: no process ended with exit(0): %r" % [p["exit"] for p in procs])
    if parent and daemon:
        g.eq(parent["truncated"], False, "daemon: the parent's trace truncated")
        g.heap_is(daemon, "daemon", allocations=1, frees=1)


def sc_signal(g):
    """An allocation in a signal handler: its stack goes on through the
    signal frame (which the fast walk hands to libgcc's unwinder) to the
    function that raised the signal, and main."""
    src = "progs/misc.c"
    out = os.path.join(g.work, "run")
    st, so, se, _ = g.hs_run(out, [g.a.misc, "signal"])
    g.eq(st, 0, "run misc signal: status")
    p = g.one_process(out)
    g.heap_is(p, "signal", allocations=5, frees=5, total_bytes=240, live_blocks=0)
    s = g.site(p, "signal_alloc", "signal site")
    g.site_counts(s, "signal site", 5, 240)
    if not s:
        return
    g.frame_is(s["stack"][0], "signal site frame 0", "signal_alloc", "misc.c", g.line_of(src, "SITE_SIGNAL"))
    names = [f["function"] for f in s["stack"]]
    g.check("on_usr1" in names, "the handler is on the stack: %s" % names)
    raised = [f for f in s["stack"] if f["function"] == "raise_here"]
    g.eq(len(raised), 1, "raise_here once on the stack, past the signal frame (%s)" % names)
    if raised:
        g.eq(raised[0]["line"], g.line_of(src, "SITE_RAISE"), "raise_here's line: the raise")
        g.check(names.index("raise_here") > names.index("on_usr1"), "raise_here after the handler")
    g.check("main" in names, "main is on the stack: %s" % names)


SCENARIOS = {
    "sites.O2": sc_sites_O2,
    "sites.noaranges": sc_sites_noaranges,
    "sites.vaddr": sc_sites_vaddr,
    "sites.O0": sc_sites_O0,
    "sites.cxx": sc_sites_cxx,
    "fork": sc_fork,
    "fork.late": sc_fork_late,
    "exec": sc_exec,
    "sigkill": sc_sigkill,
    "crash.segv": sc_crash_segv,
    "term.sigterm": sc_term_sigterm,
    "term.sigpipe": sc_term_sigpipe,
    "term.view": sc_term_view,
    "term.ppoll": sc_term_ppoll,
    "term.vfork": sc_term_vfork,
    "crash.abort": sc_crash_abort,
    "signal": sc_signal,
    "truncation": sc_truncation,
    "bad_header": sc_bad_header,
    "cli_errors": sc_cli_errors,
    "shared_out": sc_shared_out,
    "rebuilt": sc_rebuilt,
    "thread_getattr": sc_thread_getattr,
    "names": sc_names,
    "cli_static": sc_cli_static,
    "options": sc_options,
    "exit_status": sc_exit_status,
    "ctest": sc_ctest,
    "fds.closed": sc_fds_closed,
    "fds.reopened": sc_fds_reopened,
    "fds.fork": sc_fds_fork,
    "daemon": sc_daemon,
    "exec_retry": sc_exec_retry,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for opt in ("--heapscope", "--preload", "--src", "--work", "--sites-O2", "--sites-O0", "--sites-cxx",
                "--sites-noaranges", "--vaddr-main", "--vaddr-lib",
                "--forker", "--misc", "--cmake", "--ctest", "--cc"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--static", default="")
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    args = ap.parse_args()
    g = Golden(args)
    t0 = time.time()
    try:
        SCENARIOS[args.scenario](g)
    except Skip as e:
        print("SKIP: %s" % e)
        return SKIP
    except Fatal as e:
        if not g.failures or g.failures[-1] != str(e):
            g.check(False, str(e))
    took = time.time() - t0
    if g.failures:
        print("golden.%s: %d check(s) failed (%.1f s); scratch files in %s"
              % (args.scenario, len(g.failures), took, g.work))
        return 1
    print("golden.%s: passed (%.1f s)" % (args.scenario, took))
    return 0


if __name__ == "__main__":
    sys.exit(main())
