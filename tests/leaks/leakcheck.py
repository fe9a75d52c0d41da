#!/usr/bin/env python3
"""leakcheck.py — leak-detection scenarios for heapscope (ctest label `leaks`).

Each scenario runs one or more programs from progs/ under
`heapscope run --out <fresh dir> ...`, reads `heapscope report --format json`
(or sarif) and checks exact numbers: blocks and bytes per kind, each leak
record's first frame (function, source file, line) and, where the C library
allocated for the program, the first frame in the program. Lines are never
hard-coded: a source line is found by its `@marker` comment at test time.

Reachable blocks: most programs print through write(2) only, so the C
runtime keeps nothing and the whole-process reachable total is asserted.
Where the runtime does keep blocks (thread control vectors from ld.so,
dlopen bookkeeping, stdio and libstdc++ buffers), `reachable="own"` asserts
exactly the reachable records whose first frame is in the test's own code,
checks that every other reachable record's first frame is in the dynamic
loader or a system runtime library, and prints them.

Usage: leakcheck.py --heapscope CLI --progs DIR --plugin SO --src DIR --work DIR
                    --cmake CMAKE --ctest CTEST --cc CC [--run-opt=OPT]... SCENARIO
Exit status: 0 pass, 1 fail. Python standard library only.
"""
import json
import os
import re
import signal
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "lib"))
import hscheck  # noqa: E402

KINDS = ("definite", "indirect", "possible", "reachable")
RUNTIME_MODULE = re.compile(r"^(ld-linux.*|ld-.*\.so.*|libc\.so.*|libstdc\+\+\.so.*|libgcc_s\.so.*|libm\.so.*)$")
GATE_STATUS = hscheck.GATE_STATUS


class Test(hscheck.Checker):
    PROG_PREFIX = "hs_leaks_"
    CATCH = (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError, TypeError)
    PASSED = "{name}: ok"

    def __init__(self, args, scenario):
        # a variant (extra run options) gets a scratch directory of its own:
        # ctest -j runs leaks.X and leaks.X.guard_off at once, and in one
        # directory each saw the other's traces
        variant = "".join(o.strip("-").replace("=", "_") for o in args.run_opt)
        super().__init__(args, scenario, workdir=scenario + ("." + variant if variant else ""),
                         name="leaks." + scenario)

    # ---- helpers ---------------------------------------------------------
    def crashed(self, e):
        self.check(False, "%s: %s" % (type(e).__name__, e))

    def module(self, name):
        return self.PROG_PREFIX + name

    def run(self, argv, opts=("--fail-on", "none"), out=None, cwd=None, timeout=60):
        """heapscope run --out OUT OPTS -- ARGV; returns (status, stdout, stderr, out).
        status is negative -N when heapscope run died of signal N."""
        out = out or self.fresh()
        cmd = [self.a.heapscope, "run", "--out", out] + self.a.run_opt + list(opts) + ["--"] + list(argv)
        return self.capture(cmd, cwd=cwd, timeout=timeout) + (out,)

    # ---- leak records ------------------------------------------------------
    def frame_matches(self, frame, want):
        """want: dict with optional function (str, or a compiled re searched
        for), file (a progs/ name or an absolute path, compared by real path;
        base names when the report's path is relative), line (int), module."""
        if frame is None:
            return False
        fn = want.get("function")
        if fn is not None:
            if isinstance(fn, str):
                if frame.get("function") != fn:
                    return False
            elif not (frame.get("function") and fn.search(frame["function"])):
                return False
        if "file" in want:
            got = frame.get("file")
            if not got:
                return False
            exp = want["file"]
            if os.path.isabs(got) and os.path.exists(self.src(exp)):
                if os.path.realpath(got) != os.path.realpath(self.src(exp)):
                    return False
            elif os.path.basename(got) != os.path.basename(exp):
                return False
        if "line" in want and frame.get("line") != want["line"]:
            return False
        if "module" in want and frame.get("module") != want["module"]:
            return False
        return True

    def record_matches(self, rec, spec, own_modules):
        if rec["kind"] != spec["kind"] or rec["blocks"] != spec["blocks"] or rec["bytes"] != spec["bytes"]:
            return False
        stack = rec["stack"]
        for i, want in enumerate(spec.get("frames", [])):
            if not self.frame_matches(stack[i] if i < len(stack) else None, want):
                return False
        if "caller" in spec:
            own = [f for f in stack if f.get("module") in own_modules]
            if not own or not self.frame_matches(own[0], spec["caller"]):
                return False
        return True

    def expect_leaks(self, proc, totals, records, own_modules, reachable="exact", suppressed=(0, 0)):
        """totals: kind -> (blocks, bytes) for definite, indirect, possible and
        (reachable="exact") reachable. records: the exact list of records of
        those kinds (and of the program's own reachable ones when
        reachable="own"). own_modules: module names of the test's code."""
        leaks = proc.get("leaks")
        if not self.check(leaks is not None, "pid %s: no leak check in the report (leaks is null)" % proc.get("pid")):
            return
        pid = proc["pid"]
        want_totals = dict(totals)
        if reachable == "own":
            want_totals.pop("reachable", None)
        want_totals["suppressed"] = tuple(suppressed)
        for kind, (blocks, nbytes) in want_totals.items():
            got = (leaks[kind]["blocks"], leaks[kind]["bytes"])
            self.check(got == (blocks, nbytes), "pid %d: %s: expected %d blocks / %d bytes, got %d / %d"
                       % (pid, kind, blocks, nbytes, got[0], got[1]))
        self.check(leaks.get("threads_unscanned") == 0, "pid %d: threads_unscanned is %s" % (pid, leaks.get("threads_unscanned")))
        recs = leaks["records"]
        for r in recs:
            self.check(re.fullmatch(r"[0-9a-f]{8}", r.get("id", "")) is not None, "record id %r is not 8 hex digits" % r.get("id"))
            for f in r["stack"]:
                self.check(set(f) >= {"function", "file", "line", "module", "address"}, "frame lacks a key: %r" % f)
        in_scope, runtime = [], []
        for r in recs:
            if r["kind"] != "reachable" or reachable == "exact":
                in_scope.append(r)
            elif r["stack"] and r["stack"][0].get("module") in own_modules:
                in_scope.append(r)
            else:
                runtime.append(r)
        # the program's own reachable blocks add up too
        if reachable == "own":
            own_reach = [r for r in in_scope if r["kind"] == "reachable"]
            want_reach = [s for s in records if s["kind"] == "reachable"]
            got = (sum(r["blocks"] for r in own_reach), sum(r["bytes"] for r in own_reach))
            exp = (sum(s["blocks"] for s in want_reach), sum(s["bytes"] for s in want_reach))
            self.check(got == exp, "pid %d: reachable from the program's own code: expected %d blocks / %d bytes, got %d / %d"
                       % (pid, exp[0], exp[1], got[0], got[1]))
            for r in runtime:
                top = r["stack"][0] if r["stack"] else None
                self.check(top is None or RUNTIME_MODULE.match(top.get("module") or ""),
                           "pid %d: reachable record not from the runtime: %s" % (pid, describe(r)))
                self.note("  runtime (not asserted): %s" % describe(r))
        used = set()
        for spec in records:
            hit = next((i for i, r in enumerate(in_scope) if i not in used and self.record_matches(r, spec, own_modules)), None)
            if self.check(hit is not None, "pid %d: no record %s" % (pid, describe_spec(spec))):
                used.add(hit)
        for i, r in enumerate(in_scope):
            self.check(i in used, "pid %d: unexpected record %s" % (pid, describe(r)))


def describe(r):
    fr = r["stack"][:3]
    where = " <- ".join("%s (%s:%s) [%s]" % (f.get("function"), os.path.basename(f.get("file") or "?"), f.get("line"), f.get("module"))
                        for f in fr) or "(no stack)"
    return "%s %d blocks %d bytes at %s" % (r["kind"], r["blocks"], r["bytes"], where)


def describe_spec(s):
    def fr(w):
        return "%s %s:%s %s" % (w.get("function"), w.get("file", ""), w.get("line", ""), w.get("module", ""))
    parts = ["%s %d blocks %d bytes" % (s["kind"], s["blocks"], s["bytes"])]
    parts += ["frame #%d %s" % (i, fr(w)) for i, w in enumerate(s.get("frames", []))]
    if "caller" in s:
        parts.append("caller %s" % fr(s["caller"]))
    return ", ".join(parts)


def rec(t, kind, blocks, nbytes, src, *frames, caller=None):
    """A record spec; each frame is (function, marker): file `src`, line of
    the marker (marker None: any line)."""
    spec = {"kind": kind, "blocks": blocks, "bytes": nbytes, "frames": []}
    for item in frames:
        fn, marker = item[0], item[1]
        file = item[2] if len(item) > 2 else src
        w = {"function": fn, "file": file}
        if marker:
            w["line"] = t.line(file, marker)
        spec["frames"].append(w)
    if caller:
        fn, marker = caller[0], caller[1]
        spec["caller"] = {"function": fn, "file": src, "line": t.line(src, marker)}
    return spec


def zero():
    return {k: (0, 0) for k in KINDS}


def totals(**kw):
    z = zero()
    z.update(kw)
    return z


# ---- scenarios ---------------------------------------------------------------

def run_one(t, name):
    """Runs test program NAME under heapscope, expects exit 0 and returns
    its one process from the JSON report (its traces: t.last_out)."""
    st, _, _, out = t.run([t.prog(name)])
    t.last_out = out
    t.check(st == 0, "%s: status %d, expected 0" % (name, st))
    return t.one_process(t.report(out))


def sc_simple(t):
    p = run_one(t, "simple")
    t.expect_leaks(p, totals(definite=(1, 100)),
                   [rec(t, "definite", 1, 100, "simple.c", ("leak_simple", "simple"))],
                   {t.module("simple")})


def sc_first_block(t):
    p = run_one(t, "first_block")
    t.expect_leaks(p, totals(definite=(1, 4321)),
                   [rec(t, "definite", 1, 4321, "first_block.c", ("lose_first", "first_block"))],
                   {t.module("first_block")})


def sc_list(t):
    p = run_one(t, "list")
    site = ("make_list", "list_node")
    t.expect_leaks(p, totals(definite=(1, 32), indirect=(9, 288)),
                   [rec(t, "definite", 1, 32, "list.c", site), rec(t, "indirect", 9, 288, "list.c", site)],
                   {t.module("list")})


def sc_cycle(t):
    p = run_one(t, "cycle")
    # ring: 5 x 48, one definite; pair: a at @pair_a, b at @pair_b, one of
    # them definite (the clique leader), the other indirect.
    leaks = p.get("leaks") or {}
    pair = [r for r in leaks.get("records", []) if r["stack"] and r["stack"][0].get("function") == "leak_pair"]
    lines = {r["stack"][0].get("line"): r["kind"] for r in pair}
    la, lb = t.line("cycle.c", "pair_a"), t.line("cycle.c", "pair_b")
    t.check(sorted(lines) == sorted([la, lb]) and sorted(lines.values()) == ["definite", "indirect"],
            "the pair cycle should be one definite and one indirect block at lines %d and %d, got %r" % (la, lb, lines))
    pair_def = next((ln for ln, k in lines.items() if k == "definite"), la)
    pair_ind = next((ln for ln, k in lines.items() if k == "indirect"), lb)
    t.expect_leaks(p, totals(definite=(2, 112), indirect=(5, 256)), [
        rec(t, "definite", 1, 48, "cycle.c", ("leak_ring", "ring_node")),
        rec(t, "indirect", 4, 192, "cycle.c", ("leak_ring", "ring_node")),
        {"kind": "definite", "blocks": 1, "bytes": 64,
         "frames": [{"function": "leak_pair", "file": "cycle.c", "line": pair_def}]},
        {"kind": "indirect", "blocks": 1, "bytes": 64,
         "frames": [{"function": "leak_pair", "file": "cycle.c", "line": pair_ind}]},
    ], {t.module("cycle")})


def sc_global(t):
    p = run_one(t, "global")
    t.expect_leaks(p, totals(definite=(1, 17), reachable=(4, 628)), [
        rec(t, "definite", 1, 17, "global.c", ("lose", "global_lost")),
        rec(t, "reachable", 1, 200, "global.c", ("keep", "global_bss")),
        rec(t, "reachable", 1, 300, "global.c", ("keep", "global_data")),
        rec(t, "reachable", 1, 64, "global.c", ("keep", "global_tree")),
        rec(t, "reachable", 1, 64, "global.c", ("keep", "global_child")),
    ], {t.module("global")})


def thread_checks(t, p):
    leaks = p.get("leaks") or {}
    t.check(leaks.get("threads_scanned") == 2, "threads_scanned is %s, expected 2 (main + the blocked thread)"
            % leaks.get("threads_scanned"))


def sc_tls_thread(t):
    p = run_one(t, "tls_thread")
    thread_checks(t, p)
    t.expect_leaks(p, totals(definite=(1, 33)), [
        rec(t, "definite", 1, 33, "tls_thread.c", ("drop_one", "tls_lost")),
        rec(t, "reachable", 1, 300, "tls_thread.c", ("fill_tls", "tls_block")),
    ], {t.module("tls_thread")}, reachable="own")


def sc_stack_thread(t):
    p = run_one(t, "stack_thread")
    thread_checks(t, p)
    t.expect_leaks(p, totals(definite=(1, 44)), [
        rec(t, "definite", 1, 44, "stack_thread.c", ("drop_one", "stack_lost")),
        rec(t, "reachable", 1, 400, "stack_thread.c", ("hold_and_block", "stack_block")),
    ], {t.module("stack_thread")}, reachable="own")


def sc_interior(t):
    p = run_one(t, "interior")
    t.expect_leaks(p, totals(possible=(1, 256), reachable=(1, 64)), [
        rec(t, "possible", 1, 256, "interior.c", ("keep", "interior")),
        rec(t, "reachable", 1, 64, "interior.c", ("keep", "interior_start")),
    ], {t.module("interior")})


def sc_xor(t):
    p = run_one(t, "xor")
    t.expect_leaks(p, totals(definite=(1, 72)),
                   [rec(t, "definite", 1, 72, "xor.c", ("hide", "xor"))], {t.module("xor")})


def sc_dlopen(t):
    st, so, _, out = t.run([t.prog("dlopen_main"), t.a.plugin])
    t.check(st == 0, "status %d, expected 0" % st)
    t.check("still_loaded=0" in so, "the library was not unloaded by dlclose (stdout %r)" % so)
    p = t.one_process(t.report(out))
    plug = os.path.basename(t.a.plugin)
    spec = rec(t, "definite", 1, 77, "dlplug.c", ("plug_make", "plug_leak"), ("plugin_leak", "plug_caller"),
               ("main", None, "dlopen_main.c"))
    spec["frames"][0]["module"] = plug
    spec["frames"][1]["module"] = plug
    t.expect_leaks(p, totals(definite=(1, 77)), [spec], {t.module("dlopen_main"), plug}, reachable="own")


def sc_dlopen_fork(t):
    """The child of a fork dlcloses the library after the leak and allocates
    from a new site: the leak it inherited is still named in the library."""
    st, so, _, out = t.run([t.prog("dlopen_main"), t.a.plugin, "fork"])
    t.check(st == 0, "status %d, expected 0" % st)
    m = re.search(r"child=(\d+)", so)
    if not t.check(m is not None, "no child pid in the output %r" % so):
        return
    procs = t.report(out)["processes"]
    t.check(len(procs) == 2, "expected 2 processes, got %d" % len(procs))
    plug = os.path.basename(t.a.plugin)
    for p in procs:
        t.note("child:" if p["pid"] == int(m.group(1)) else "parent:")
        spec = rec(t, "definite", 1, 77, "dlplug.c", ("plug_make", "plug_leak"), ("plugin_leak", "plug_caller"),
                   ("main", None, "dlopen_main.c"))
        spec["frames"][0]["module"] = plug
        spec["frames"][1]["module"] = plug
        t.expect_leaks(p, totals(definite=(1, 77)), [spec], {t.module("dlopen_main"), plug}, reachable="own")


def sc_libc_calls(t):
    st, so, _, out = t.run([t.prog("libc_calls")])
    t.check(st == 0, "status %d, expected 0" % st)
    sizes = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", so))
    if not t.check({"strdup", "getline", "asprintf"} <= set(sizes), "program output %r lacks the sizes" % so):
        return
    p = t.one_process(t.report(out))
    libc = re.compile(r"^libc\.so")

    def libc_rec(size, fn_re, caller, marker):
        s = rec(t, "definite", 1, size, "libc_calls.c", caller=(caller, marker))
        s["frames"] = [{"function": re.compile(fn_re)}]
        return s

    specs = [libc_rec(sizes["strdup"], r"strdup", "lose_strdup", "strdup"),
             libc_rec(sizes["getline"], r"getdelim|getline", "lose_getline", "getline"),
             libc_rec(sizes["asprintf"], r"asprintf", "lose_asprintf", "asprintf")]
    total = sizes["strdup"] + sizes["getline"] + sizes["asprintf"]
    t.expect_leaks(p, totals(definite=(3, total)), specs, {t.module("libc_calls")})
    for r in (p.get("leaks") or {}).get("records", []):
        top = r["stack"][0] if r["stack"] else {}
        t.check(bool(libc.match(top.get("module") or "")), "first frame of %s is not in the C library" % describe(r))


def sc_ctor(t):
    st, _, _, out = t.run([t.prog("ctor")])
    t.check(st == 0, "status %d (the constructor did not run?)" % st)
    p = t.one_process(t.report(out))
    t.expect_leaks(p, totals(definite=(1, 55)),
                   [rec(t, "definite", 1, 55, "ctor.c", ("early_leak", "ctor"))], {t.module("ctor")})


def sc_fork(t):
    st, so, _, out = t.run([t.prog("fork")])
    t.check(st == 0, "status %d, expected 0" % st)
    m = re.search(r"child=(\d+)", so)
    if not t.check(m is not None, "no child pid in the output %r" % so):
        return
    child_pid = int(m.group(1))
    procs = t.report(out)["processes"]
    t.check(len(procs) == 2, "expected 2 processes, got %d" % len(procs))
    child = [p for p in procs if p["pid"] == child_pid]
    parent = [p for p in procs if p["pid"] != child_pid]
    if not t.check(len(child) == 1 and len(parent) == 1, "processes %r, child %d" % ([p["pid"] for p in procs], child_pid)):
        return
    child, parent = child[0], parent[0]
    t.check(child["ppid"] == parent["pid"], "child's ppid %d is not the parent's pid %d" % (child["ppid"], parent["pid"]))
    t.check(child["exit"] == {"code": 0} and parent["exit"] == {"code": 0},
            "exits: child %r parent %r" % (child["exit"], parent["exit"]))
    mod = {t.module("fork")}
    t.note("child:")
    t.expect_leaks(child, totals(definite=(2, 192), reachable=(1, 500)), [
        rec(t, "definite", 1, 64, "fork.c", ("child_leak_a", "fork_a")),
        rec(t, "definite", 1, 128, "fork.c", ("child_leak_b", "fork_b")),
        rec(t, "reachable", 1, 500, "fork.c", ("main", "fork_shared")),
    ], mod)
    t.note("parent:")
    t.expect_leaks(parent, zero(), [], mod)


def sc_many_groups(t):
    """600 leak records, one per stack: the scan's group table grows."""
    p = run_one(t, "many_groups")
    spec = rec(t, "definite", 1, 16, "many_groups.c", ("many_leak", "many_leak"), ("many_site", None))
    t.expect_leaks(p, totals(definite=(600, 9600)), [spec] * 600, {t.module("many_groups")})
    stacks = {tuple(f["address"] for f in r["stack"]) for r in p["leaks"]["records"]}
    t.check(len(stacks) == 600, "expected 600 distinct stacks, got %d" % len(stacks))


def untracked(t, out):
    """(blocks, bytes) of the still reachable records without a stack (the
    runtimes' blocks from before recording, libstdc++'s exception pool) in
    the report without built-in suppressions: what the built-in rule for
    them suppresses."""
    p = t.one_process(t.report(out, opts=["--no-default-suppressions"]))
    recs = [r for r in (p.get("leaks") or {}).get("records", []) if r["kind"] == "reachable" and not r["stack"]]
    return sum(r["blocks"] for r in recs), sum(r["bytes"] for r in recs)


def sc_cxx_clean(t):
    st, so, _, out = t.run([t.prog("cxx_clean")])
    t.check(st == 0, "status %d, expected 0" % st)
    t.check("entries=4" in so, "unexpected output %r" % so)
    p = t.one_process(t.report(out))
    t.check((p.get("heap") or {}).get("allocations", 0) > 2000, "too few allocations recorded")
    pool = untracked(t, out)
    t.check(pool[0] >= 1, "no still reachable block without a stack (libstdc++'s pool): %r" % (pool,))
    t.expect_leaks(p, {k: (0, 0) for k in ("definite", "indirect", "possible")}, [],
                   {t.module("cxx_clean")}, reachable="own", suppressed=pool)
    # what the report shows even with no built-in suppression
    p2 = t.one_process(t.report(out, opts=["--no-default-suppressions"]))
    l2 = p2.get("leaks") or {}
    for k in ("definite", "indirect", "possible"):
        t.check(l2.get(k, {}).get("blocks") == 0, "--no-default-suppressions: %s %r" % (k, l2.get(k)))


def sc_by_design(t):
    """Interior pointers kept by design (valgrind's heuristics): reachable;
    the control block, pointed into at +8 with no count first, possible.
    The old-ABI string's characters are allocated inside libstdc++: that
    block is among the runtime's reachable records, and a misclassified one
    would show in the possible totals."""
    src = "by_design.cpp"
    # by_design_nosep: linked with its vtables in the code's segment
    for prog in ("by_design", "by_design_nosep"):
        t.note("%s:" % prog)
        p = run_one(t, prog)
        pool = untracked(t, t.last_out)
        t.expect_leaks(p, totals(possible=(1, 40)), [
            rec(t, "possible", 1, 40, src, ("keep()", "by_design_control")),
            rec(t, "reachable", 1, 32, src, ("keep()", "by_design_array")),
            rec(t, "reachable", 1, 48, src, ("len_alloc(unsigned long)", "by_design_length")),
            rec(t, "reachable", 1, 40, src, ("keep()", "by_design_inherit")),
            rec(t, "reachable", 1, 8, src, ("keep()", "by_design_string_object")),
        ], {t.module(prog)}, reachable="own", suppressed=pool)
        runtime = [r for r in (p.get("leaks") or {}).get("records", [])
                   if r.get("kind") == "reachable" and r.get("bytes") == 24 + 40 + 1]
        t.check(len(runtime) == 1, "the string's characters (65 bytes) are not one reachable record: %r" % runtime)


def sc_unreadable(t):
    """Memory where reading faults, read by the leak scan (a vtable
    heuristic's candidate, an inaccessible page of a block, reached or
    leaked): the scan goes on (the victim after it among the roots stays
    reachable), the verdicts are the right ones and the process exits as it
    would."""
    src = "unreadable.c"
    victim = rec(t, "reachable", 1, 100, src, ("setup", "unreadable_victim"))
    guarded = ("guarded_block", "unreadable_guarded")
    cases = {
        "file": (totals(possible=(1, 32), reachable=(1, 100)),
                 [rec(t, "possible", 1, 32, src, ("setup", "unreadable_bait")), victim]),
        "rodata": (totals(possible=(1, 32), reachable=(1, 100)),
                   [rec(t, "possible", 1, 32, src, ("setup", "unreadable_bait")), victim]),
        "guarded": (totals(reachable=(2, 16384 + 100)),
                    [rec(t, "reachable", 1, 16384, src, guarded), victim]),
        "guarded-leak": (totals(definite=(1, 16384), reachable=(1, 100)),
                         [rec(t, "definite", 1, 16384, src, guarded), victim]),
    }
    for mode, (want, records) in cases.items():
        t.note("%s:" % mode)
        st, so, _, out = t.run([t.prog("unreadable"), mode])
        t.check(st == 0 and "done" in so, "%s: status %d, output %r" % (mode, st, so))
        p = t.one_process(t.report(out))
        t.expect_leaks(p, want, records, {t.module("unreadable")})


def gate_line(err):
    m = re.search(r"^heapscope: gate failed: .*$", err, re.M)
    return m.group(0) if m else "(no gate message)"


def sc_cxx_clean_gate(t):
    """The clean C++ program passes the default gate (definite,error)."""
    st, _, err, out = t.run([t.prog("cxx_clean")], opts=[])
    t.check(st == 0, "clean C++ program under the default gate: status %d, expected 0: %s" % (st, gate_line(err)))
    for p in t.report(out)["processes"]:
        for e in p.get("errors") or []:
            t.note("  error reported: %s %s, block %r, alloc stack %s" % (
                e.get("kind"), e.get("detected"), e.get("block"),
                [f.get("function") for f in (e.get("alloc_stack") or [])[:3]] or "(none: allocated before recording)"))


def sc_on_demand(t):
    # without heapscope the weak API says "not recording"
    p = subprocess.run([t.prog("on_demand")], stdout=subprocess.PIPE, timeout=60)
    t.check(p.returncode == 0 and p.stdout.decode().strip() == "c0=-1 c1=-1 c2=-1 c3=-1",
            "without heapscope: status %d output %r" % (p.returncode, p.stdout))
    st, so, _, out = t.run([t.prog("on_demand")])
    t.check(st == 0, "status %d, expected 0" % st)
    t.check(so.strip() == "c0=0 c1=4 c2=10 c3=10",
            "heapscope_check_leaks() returned %r, expected c0=0 c1=4 c2=10 c3=10" % so.strip())
    p = t.one_process(t.report(out))
    h = p.get("heap") or {}
    # 3+1 lost, 2 x 200 x 64 churned, 1+5 lost, 64 kept then freed
    t.check(h.get("allocations") == 25674 and h.get("frees") == 25664,
            "allocations %s frees %s, expected 25674 / 25664" % (h.get("allocations"), h.get("frees")))
    t.check(h.get("live_at_end") == {"blocks": 10, "bytes": 208}, "live_at_end %r" % h.get("live_at_end"))
    src = "on_demand.c"
    t.expect_leaks(p, totals(definite=(4, 112), indirect=(6, 96)), [
        rec(t, "definite", 1, 16, src, ("lose_chain", "od_chain"), ("main", "od_first_chain")),
        rec(t, "indirect", 2, 32, src, ("lose_chain", "od_chain"), ("main", "od_first_chain")),
        rec(t, "definite", 1, 40, src, ("lose_one", "od_one"), ("main", "od_first_one")),
        rec(t, "definite", 1, 40, src, ("lose_one", "od_one"), ("main", "od_second_one")),
        rec(t, "definite", 1, 16, src, ("lose_chain", "od_chain"), ("main", "od_second_chain")),
        rec(t, "indirect", 4, 64, src, ("lose_chain", "od_chain"), ("main", "od_second_chain")),
    ], {t.module("on_demand")})


def sc_exit_underscore(t):
    st, _, err, out = t.run([t.prog("abrupt")])
    t.check(st == 4, "status %d, expected the program's 4" % st)
    t.check("no leak check ran" in err, "the run's report does not say that no leak check ran")
    p = t.one_process(t.report(out))
    t.check(p.get("exit") == {"code": 4, "via": "_exit"}, "exit %r" % p.get("exit"))
    t.check("leaks" in p and p["leaks"] is None, "leaks should be null after _exit, got %r" % p.get("leaks"))


def sc_sigsegv(t):
    st, _, err, out = t.run([t.prog("abrupt"), "segv"])
    t.check(st == -signal.SIGSEGV, "heapscope run should die of SIGSEGV, status %d" % st)
    t.check("no leak check ran" in err, "the run's report does not say that no leak check ran")
    p = t.one_process(t.report(out))
    t.check(p.get("exit") == {"signal": "SIGSEGV"}, "exit %r" % p.get("exit"))
    t.check("leaks" in p and p["leaks"] is None, "leaks should be null after SIGSEGV, got %r" % p.get("leaks"))


def supp_expect(t, out, supp_file, rule_text, rule_line):
    mod = {t.module("suppress")}
    shown = rec(t, "definite", 1, 24, "suppress.c", ("kept_visible_function", "supp_shown"))
    for opts in ([], ["--no-default-suppressions"]):
        rep = t.report(out, opts=["--suppressions", supp_file] + opts)
        p = t.one_process(rep)
        t.expect_leaks(p, totals(definite=(1, 24)), [shown], mod, suppressed=(2, 80))
        s = rep.get("suppressions")
        t.check(s == [{"rule": rule_text, "file": supp_file, "line": rule_line, "records": 1, "blocks": 2, "bytes": 80}],
                "suppressions %r" % s)
    # without the file both leaks show
    p = t.one_process(t.report(out))
    t.expect_leaks(p, totals(definite=(3, 104)), [
        rec(t, "definite", 2, 80, "suppress.c", ("supp_leaking_function", "supp_hidden")), shown], mod)


def sc_suppress_lsan(t):
    f = os.path.join(t.work, "lsan.supp")
    with open(f, "w") as fh:
        fh.write("# LeakSanitizer syntax\n"
                 "leak:no_such_function_anywhere\n"
                 "leak:supp_leaking_function\n"
                 "\n")
    st, _, err, out = t.run([t.prog("suppress")], opts=["--suppressions", f, "--fail-on", "none"])
    t.check(st == 0, "status %d: %s" % (st, err[-500:]))
    supp_expect(t, out, f, "leak:supp_leaking_function", 3)


def sc_suppress_valgrind(t):
    f = os.path.join(t.work, "valgrind.supp")
    with open(f, "w") as fh:
        fh.write("# Valgrind syntax; the first two blocks must not match\n"
                 "{\n"
                 "   wrong_kind_does_not_match\n"
                 "   Memcheck:Leak\n"
                 "   match-leak-kinds: reachable\n"
                 "   fun:malloc\n"
                 "   fun:supp_leaking_function\n"
                 "}\n"
                 "{\n"
                 "   wrong_allocator_does_not_match\n"
                 "   Memcheck:Leak\n"
                 "   fun:malloc\n"
                 "   fun:kept_visible_function\n"
                 "}\n"
                 "{\n"
                 "   hide_the_leaking_function\n"
                 "   Memcheck:Leak\n"
                 "   match-leak-kinds: definite\n"
                 "   fun:malloc\n"
                 "   fun:supp_leaking_function\n"
                 "   fun:main\n"
                 "   ...\n"
                 "}\n")
    st, _, err, out = t.run([t.prog("suppress")], opts=["--suppressions", f, "--fail-on", "none"])
    t.check(st == 0, "status %d: %s" % (st, err[-500:]))
    supp_expect(t, out, f, "hide_the_leaking_function", 15)


def gate_blocks(err):
    m = re.search(r"gate failed: (\d+) leaked blocks \((\d+) bytes\)", err)
    return (int(m.group(1)), int(m.group(2))) if m else None


def sc_gate_status(t):
    g = t.prog("gate")
    st, _, err, _ = t.run([g, "3", "0"], opts=[])
    t.check(st == GATE_STATUS, "default gate, 3 definite leaks: status %d, expected 23" % st)
    t.check(gate_blocks(err) == (3, 96), "gate message: %r" % (gate_blocks(err),))
    st, _, _, _ = t.run([g, "3", "3"], opts=[])
    t.check(st == GATE_STATUS, "default gate, leaks and status 3: status %d, expected 23" % st)
    st, _, _, _ = t.run([g, "3", "3"], opts=["--fail-on", "none"])
    t.check(st == 3, "--fail-on none: status %d, expected the program's 3" % st)
    st, _, _, _ = t.run([g, "0", "3"], opts=[])
    t.check(st == 3, "default gate, no leak: status %d, expected the program's 3" % st)
    st, _, _, _ = t.run([g, "3", "0"], opts=["--fail-on", "indirect,possible"])
    t.check(st == 0, "--fail-on indirect,possible with only definite leaks: status %d, expected 0" % st)
    st, _, _, _ = t.run([g, "3", "0"], opts=["--fail-on", "possible,definite"])
    t.check(st == GATE_STATUS, "--fail-on possible,definite: status %d, expected 23" % st)
    st, _, _, _ = t.run([g, "3", "0"], opts=["--fail-on", "bogus"])
    t.check(st == 2, "--fail-on bogus: status %d, expected 2" % st)


def sc_gate_max_leaks(t):
    g = t.prog("gate")
    for n, expect in ((3, 0), (4, 0), (2, GATE_STATUS), (0, GATE_STATUS)):
        st, _, err, _ = t.run([g, "3", "0"], opts=["--max-leaks", str(n)])
        t.check(st == expect, "3 leaked blocks, --max-leaks %d: status %d, expected %d" % (n, st, expect))
        if expect == GATE_STATUS:
            t.check(gate_blocks(err) == (3, 96), "gate message: %r" % (gate_blocks(err),))
    st, _, _, _ = t.run([g, "3", "5"], opts=["--max-leaks", "3"])
    t.check(st == 5, "passing gate keeps the program's status: %d, expected 5" % st)
    st, _, _, _ = t.run([g, "3", "0"], opts=["--max-leaks", "-1"])
    t.check(st == 2, "--max-leaks -1: status %d, expected 2" % st)


def sc_gate_baseline(t):
    g = t.prog("gate")
    st, _, _, out = t.run([g, "3", "0"])
    t.check(st == 0, "status %d" % st)
    base = os.path.join(t.work, "baseline.json")
    rep = t.report(out)
    with open(base, "w") as fh:
        json.dump(rep, fh)
    ids = [r["id"] for r in t.one_process(rep)["leaks"]["records"]]
    t.check(len(ids) == 1, "baseline has %d records, expected 1" % len(ids))
    st, _, err, _ = t.run([g, "3", "0"], opts=["--baseline", base])
    t.check(st == 0, "same leaks as the baseline: status %d, expected 0: %s" % (st, gate_line(err)))
    st, _, err, out2 = t.run([g, "3", "0", "new"], opts=["--baseline", base])
    t.check(st == GATE_STATUS, "a new leak not in the baseline: status %d, expected 23" % st)
    t.check(gate_blocks(err) == (1, 48), "only the new leak counts: gate message %r" % (gate_blocks(err),))
    p = t.one_process(t.report(out2))
    t.expect_leaks(p, totals(definite=(4, 144)), [
        rec(t, "definite", 3, 96, "gate.c", ("gate_old_leak", "gate_old")),
        rec(t, "definite", 1, 48, "gate.c", ("gate_new_leak", "gate_new")),
    ], {t.module("gate")})
    st, _, _, _ = t.run([g, "3", "7"], opts=["--baseline", base])
    t.check(st == 7, "baseline passes: the program's status 7 expected, got %d" % st)
    # A site that was only still reachable in the baseline and now loses
    # its blocks is a new leak: the baseline's record there does not excuse it.
    st, _, _, out4 = t.run([g, "3", "0", "keep"])
    t.check(st == 0, "keep: status %d" % st)
    kept = os.path.join(t.work, "baseline-kept.json")
    rep4 = t.report(out4)
    with open(kept, "w") as fh:
        json.dump(rep4, fh)
    kinds = sorted((r["kind"], r["blocks"]) for r in t.one_process(rep4)["leaks"]["records"]
                   if r["stack"] and r["stack"][0]["function"] == "gate_old_leak")
    t.check(kinds == [("reachable", 3)], "keep: gate_old_leak's records %r, expected reachable 3" % kinds)
    st, _, err, _ = t.run([g, "3", "0"], opts=["--baseline", kept])
    t.check(st == GATE_STATUS, "definite where the baseline had reachable: status %d, expected 23: %s"
            % (st, gate_line(err)))
    t.check(gate_blocks(err) == (3, 96), "the 3 lost blocks count: gate message %r" % (gate_blocks(err),))
    # and a baseline with the definite leak excuses the same site when its
    # blocks are only reachable now
    st, _, err, _ = t.run([g, "3", "0", "keep"], opts=["--baseline", base, "--fail-on", "definite,reachable"])
    t.check(st == 0, "reachable where the baseline had definite: status %d, expected 0: %s" % (st, gate_line(err)))
    # bad baselines: usage error 2, and the program does not run
    bad = {
        "missing": os.path.join(t.work, "no-such-file.json"),
        "garbage": ("not json at all\n",),
        "truncated": (json.dumps(rep)[: len(json.dumps(rep)) // 2],),
        "not-a-report": ('{"processes": []}\n',),
        "empty": ("",),
    }
    for name, what in bad.items():
        if isinstance(what, tuple):
            path = os.path.join(t.work, "bad-%s.json" % name)
            with open(path, "w") as fh:
                fh.write(what[0])
        else:
            path = what
        st, _, err, out3 = t.run([g, "3", "0"], opts=["--baseline", path])
        t.check(st == 2, "--baseline %s: status %d, expected 2" % (name, st))
        t.check(not t.traces(out3), "--baseline %s: the program ran anyway" % name)
        t.check("baseline" in err, "--baseline %s: no message naming the baseline: %r" % (name, err[-300:]))


def sc_diff(t):
    """heapscope diff OLD NEW: gate 3 0 (3 lost blocks of 32 bytes at
    gate_old) against gate 5 0 new (5 of them, and 48 bytes at gate_new):
    one leak grown, one new, and the two sites that allocated more."""
    runs = {}
    for name, argv in (("old", ["3", "0"]), ("new", ["5", "0", "new"])):
        st, _, _, out = t.run([t.prog("gate")] + argv)
        t.check(st == 0, "gate %s: status %d" % (" ".join(argv), st))
        runs[name] = out
    old_id = next(r["id"] for r in t.one_process(t.report(runs["new"]))["leaks"]["records"]
                  if r["stack"] and r["stack"][0]["function"] == "gate_old_leak")
    cmd = [t.a.heapscope, "diff", "--format", "json", runs["old"], runs["new"]]
    st, so, se = t.capture(cmd)
    if not t.check(st == 0, "diff: status %d: %s" % (st, se)):
        return
    d = json.loads(so)
    leaks = {(x["change"], x["old_bytes"], x["new_bytes"]) for x in d["leaks"]}
    t.check(leaks == {("grown", 96, 160), ("new", 0, 48)}, "diff leaks %r" % d["leaks"])
    t.check(any(x["id"] == old_id and x["change"] == "grown" for x in d["leaks"]), "the grown leak is gate_old's")
    sites = {(x["where"].split(" ")[0], x["old_bytes"], x["new_bytes"], x["old_allocations"], x["new_allocations"])
             for x in d["sites_grown"]}
    t.check(("gate_old_leak", 96, 160, 3, 5) in sites and ("gate_new_leak", 0, 48, 0, 1) in sites,
            "diff sites_grown %r" % d["sites_grown"])
    t.check(len(sites) == 2, "only those two sites grew: %r" % d["sites_grown"])
    st, so, se = t.capture([t.a.heapscope, "diff", runs["old"], runs["new"]])
    t.check(st == 0 and "GROWN" in so and "NEW" in so and re.search(r"\+64 bytes .* at gate_old_leak", so),
            "diff text: status %d:\n%s" % (st, so))
    # a run against itself: nothing new, grown or gone, no site grew
    st, so, se = t.capture([t.a.heapscope, "diff", "--format", "json", runs["old"], runs["old"]])
    d = json.loads(so) if st == 0 else {}
    t.check(d.get("leaks") == [] and d.get("sites_grown") == [], "diff of a run with itself: %r" % so[:500])


def sc_sarif(t):
    st, _, _, out = t.run([t.prog("kinds")])
    t.check(st == 0, "status %d" % st)
    rep = t.report(out)
    p = t.one_process(rep)
    src = "kinds.c"
    t.expect_leaks(p, totals(definite=(2, 56), indirect=(2, 64), possible=(1, 128), reachable=(1, 16)), [
        rec(t, "definite", 1, 24, src, ("kinds_definite", "kinds_definite")),
        rec(t, "definite", 1, 32, src, ("kinds_list", "kinds_list")),
        rec(t, "indirect", 2, 64, src, ("kinds_list", "kinds_list")),
        rec(t, "possible", 1, 128, src, ("kinds_kept", "kinds_possible")),
        rec(t, "reachable", 1, 16, src, ("kinds_kept", "kinds_reachable")),
    ], {t.module("kinds")})
    counted = [r for r in (p.get("leaks") or {}).get("records", []) if r["kind"] != "reachable"]
    sarif = t.report(out, fmt="sarif")
    results = validate_sarif(t, sarif)
    t.check(len(results) == len(counted) == 4, "SARIF has %d results, JSON %d unsuppressed non-reachable records, expected 4"
            % (len(results), len(counted)))
    # a list's definite head and indirect tail share a stack, hence an id:
    # the rule tells them apart
    by_id = {("heapscope/leak/" + r["kind"], r["id"]): r for r in counted}
    t.check(len(by_id) == len(counted), "two records with the same kind and id")
    for res in results:
        fp = list((res.get("partialFingerprints") or {}).values())
        r = next((by_id[(res.get("ruleId"), v)] for v in fp if (res.get("ruleId"), v) in by_id), None)
        if not t.check(r is not None, "SARIF result %r has no fingerprint matching a JSON record id" % res.get("ruleId")):
            continue
        t.check(res["ruleId"] == "heapscope/leak/" + r["kind"], "ruleId %r for a %s record" % (res["ruleId"], r["kind"]))
        loc = res["locations"][0]["physicalLocation"]
        t.check(loc["artifactLocation"]["uri"].endswith("/" + src) or loc["artifactLocation"]["uri"] == src,
                "uri %r does not name %s" % (loc["artifactLocation"]["uri"], src))
        t.check(loc["region"]["startLine"] == r["stack"][0]["line"],
                "startLine %r, the record's first frame is at line %r" % (loc["region"]["startLine"], r["stack"][0]["line"]))
        t.check(("%d bytes" % r["bytes"]) in res["message"]["text"], "message %r lacks the byte count" % res["message"]["text"])
    mine = [res for res in results if res["ruleId"] == "heapscope/leak/definite"
            and res["locations"][0]["physicalLocation"]["region"]["startLine"] == t.line(src, "kinds_definite")]
    t.check(len(mine) == 1, "no definite SARIF result at the leak's line %d" % t.line(src, "kinds_definite"))
    # suppressed records are left out
    f = os.path.join(t.work, "kinds.supp")
    with open(f, "w") as fh:
        fh.write("leak:kinds_definite\n")
    results = validate_sarif(t, t.report(out, fmt="sarif", opts=["--suppressions", f]))
    t.check(len(results) == 3, "with kinds_definite suppressed: %d results, expected 3" % len(results))
    # a clean program: no result
    st, _, _, out2 = t.run([t.prog("gate"), "0", "0"])
    results = validate_sarif(t, t.report(out2, fmt="sarif"))
    t.check(results == [], "clean program: SARIF results %r" % results)
    # without debug information no frame has a source file: the result
    # still has a location (the program itself; GitHub refuses a result
    # without one), and no frame says "module": null
    nodebug = os.path.join(t.work, "nodebug")
    src_nd = os.path.join(t.work, "nodebug.c")
    with open(src_nd, "w") as fh:
        fh.write(TINY_LEAKY)
    cc = subprocess.run([t.a.cc, "-O0", "-o", nodebug, src_nd], capture_output=True, text=True)
    if t.check(cc.returncode == 0, "cc: %s" % cc.stderr):
        st, _, _, out3 = t.run([nodebug])
        results = validate_sarif(t, t.report(out3, fmt="sarif"))
        t.check(len(results) == 1, "no debug information: %d results, expected 1" % len(results))
        for res in results:
            uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            t.check(uri.endswith("nodebug"), "no debug information: location %r is not the program" % uri)


def validate_sarif(t, s):
    """The SARIF 2.1.0 properties that are required, and those a code
    scanning upload needs. Returns the results list."""
    ok = t.check(isinstance(s, dict) and s.get("version") == "2.1.0", "SARIF version %r" % (s.get("version") if isinstance(s, dict) else s))
    runs = s.get("runs") if ok else None
    if not t.check(isinstance(runs, list) and len(runs) == 1, "SARIF runs %r" % type(runs)):
        return []
    run = runs[0]
    driver = (run.get("tool") or {}).get("driver") or {}
    t.check(isinstance(driver.get("name"), str) and driver["name"] == "heapscope", "tool.driver.name %r" % driver.get("name"))
    rule_ids = {r.get("id") for r in driver.get("rules", [])}
    for r in driver.get("rules", []):
        t.check(isinstance(r.get("id"), str) and r["id"], "rule without id: %r" % r)
    results = run.get("results")
    if not t.check(isinstance(results, list), "runs[0].results is %r" % type(results)):
        return []
    for res in results:
        t.check(isinstance((res.get("message") or {}).get("text"), str) and res["message"]["text"],
                "result without message.text: %r" % res)
        t.check(isinstance(res.get("ruleId"), str) and res["ruleId"] in rule_ids, "ruleId %r not among the driver's rules" % res.get("ruleId"))
        t.check(res.get("level", "warning") in ("none", "note", "warning", "error"), "level %r" % res.get("level"))
        locs = res.get("locations")
        if t.check(isinstance(locs, list) and len(locs) >= 1, "result without locations: %r" % res.get("ruleId")):
            pl = locs[0].get("physicalLocation") or {}
            uri = (pl.get("artifactLocation") or {}).get("uri")
            t.check(isinstance(uri, str) and uri, "location without artifactLocation.uri")
            # a source file has its line; the object itself (no debug
            # information) has none
            if "region" in pl or re.search(r"\.(c|cc|cpp|cxx|h|hpp)$", uri or ""):
                line = (pl.get("region") or {}).get("startLine")
                t.check(isinstance(line, int) and line >= 1, "region.startLine %r" % line)
            t.check(" " not in (uri or "") and "#" not in (uri or ""), "uri %r is not percent-encoded" % uri)
        for st_ in res.get("stacks", []):
            for fr in st_.get("frames", []):
                t.check("module" not in fr or isinstance(fr["module"], str), "stack frame module %r" % fr.get("module"))
        fp = res.get("partialFingerprints")
        t.check(isinstance(fp, dict) and fp and all(isinstance(v, str) and v for v in fp.values()),
                "partialFingerprints %r" % fp)
    return results


TINY_CMAKE = """cmake_minimum_required(VERSION 3.10)
project(tiny C)
enable_testing()
set(CMAKE_C_FLAGS "${CMAKE_C_FLAGS} -g -O0")
add_executable(tiny_leaky leaky.c)
add_executable(tiny_clean clean.c)
add_test(NAME leaky COMMAND tiny_leaky)
add_test(NAME clean COMMAND tiny_clean)
"""
TINY_LEAKY = """#include <stdlib.h>
#include <string.h>

static void tiny_leak_fn(void)
{
	char *p = malloc(4321); /* @tiny_leak */
	memset(p, 0, 4321);
}

int main(void)
{
	tiny_leak_fn();
	return 0;
}
"""
TINY_CLEAN = """#include <stdlib.h>
#include <string.h>

int main(void)
{
	char *p = malloc(100);
	strcpy(p, "clean");
	free(p);
	return 0;
}
"""


def sc_ctest(t):
    srcdir = os.path.join(t.work, "tiny")
    build = os.path.join(srcdir, "build")
    os.makedirs(srcdir)
    for name, text in (("CMakeLists.txt", TINY_CMAKE), ("leaky.c", TINY_LEAKY), ("clean.c", TINY_CLEAN)):
        with open(os.path.join(srcdir, name), "w") as fh:
            fh.write(text)
    env = hscheck.environ(drop=("LD_PRELOAD", "HEAPSCOPE_OPTIONS"))
    for cmd in ([t.a.cmake, "-S", srcdir, "-B", build, "-DCMAKE_C_COMPILER=" + t.a.cc, "-DCMAKE_BUILD_TYPE="],
                [t.a.cmake, "--build", build]):
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=120)
        if not t.check(p.returncode == 0, "%s failed:\n%s" % (" ".join(cmd), p.stdout.decode(errors="replace"))):
            return
    leaky_src = os.path.join(srcdir, "leaky.c")
    leak_line = next(n for n, l in enumerate(TINY_LEAKY.splitlines(), 1) if "@tiny_leak" in l)
    ctest = [t.a.ctest, "--output-on-failure"]

    st, _, err, out = t.run(ctest, opts=[], cwd=build)
    t.check(st == GATE_STATUS, "heapscope run -- ctest: status %d, expected 23" % st)
    t.check("tiny_leak_fn" in err, "the run's report does not name tiny_leak_fn")
    rep = t.report(out)
    procs = [p for p in rep["processes"] if (p.get("executable") or "").endswith("/tiny_leaky")]
    if t.check(len(procs) == 1, "expected one tiny_leaky process, got %d (%r)"
               % (len(procs), [(p.get("executable"), p.get("exit")) for p in rep["processes"]])):
        p = procs[0]
        t.expect_leaks(p, totals(definite=(1, 4321)), [
            {"kind": "definite", "blocks": 1, "bytes": 4321,
             "frames": [{"function": "tiny_leak_fn", "file": leaky_src, "line": leak_line, "module": "tiny_leaky"}]},
        ], {"tiny_leaky"})
    clean = [p for p in rep["processes"] if (p.get("executable") or "").endswith("/tiny_clean")]
    if t.check(len(clean) == 1, "expected one tiny_clean process, got %d" % len(clean)):
        t.expect_leaks(clean[0], zero(), [], {"tiny_clean"})
    # every process of the run was checked (or exec'd), none but tiny_leaky
    # has a definite leak
    for p in rep["processes"]:
        if p is not (procs[0] if procs else None):
            d = ((p.get("leaks") or {}).get("definite") or {}).get("blocks", 0)
            t.check(d == 0, "process %s (%s) has %d definite leaks" % (p["pid"], p.get("executable"), d))
    base = os.path.join(t.work, "baseline.json")
    with open(base, "w") as fh:
        json.dump(rep, fh)

    supp = os.path.join(t.work, "tiny.supp")
    with open(supp, "w") as fh:
        fh.write("leak:tiny_leak_fn\n")
    st, _, err, out = t.run(ctest, opts=["--suppressions", supp], cwd=build)
    t.check(st == 0, "with a suppression for tiny_leak_fn: status %d, expected 0: %s" % (st, gate_line(err)))
    rep2 = t.report(out, opts=["--suppressions", supp])
    got = [s for s in rep2.get("suppressions", []) if s.get("rule") == "leak:tiny_leak_fn"]
    t.check(len(got) == 1 and got[0]["blocks"] == 1 and got[0]["bytes"] == 4321,
            "suppression use %r, expected 1 block of 4321 bytes" % rep2.get("suppressions"))

    st, _, err, _ = t.run(ctest, opts=["--baseline", base], cwd=build)
    t.check(st == 0, "with the first run's report as baseline: status %d, expected 0: %s" % (st, gate_line(err)))


SCENARIOS = {
    "simple": sc_simple,
    "first_block": sc_first_block,
    "list": sc_list,
    "cycle": sc_cycle,
    "global": sc_global,
    "tls_thread": sc_tls_thread,
    "stack_thread": sc_stack_thread,
    "interior": sc_interior,
    "xor": sc_xor,
    "dlopen": sc_dlopen,
    "dlopen_fork": sc_dlopen_fork,
    "libc_calls": sc_libc_calls,
    "ctor": sc_ctor,
    "fork": sc_fork,
    "diff": sc_diff,
    "many_groups": sc_many_groups,
    "cxx_clean": sc_cxx_clean,
    "by_design": sc_by_design,
    "unreadable": sc_unreadable,
    "cxx_clean_gate": sc_cxx_clean_gate,
    "on_demand": sc_on_demand,
    "exit_underscore": sc_exit_underscore,
    "sigsegv": sc_sigsegv,
    "suppress_lsan": sc_suppress_lsan,
    "suppress_valgrind": sc_suppress_valgrind,
    "gate_status": sc_gate_status,
    "gate_max_leaks": sc_gate_max_leaks,
    "gate_baseline": sc_gate_baseline,
    "sarif": sc_sarif,
    "ctest": sc_ctest,
}


def main():
    ap = hscheck.arg_parser(("heapscope", "progs", "plugin", "src", "work", "cmake", "ctest", "cc"),
                            description=__doc__.split("\n")[0])
    ap.add_argument("--run-opt", action="append", default=[],
                    help="an extra option for every `heapscope run` (e.g. --guard=off)")
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    args = ap.parse_args()
    # the tests set up their own environment for heapscope
    for k in ("LD_PRELOAD", "HEAPSCOPE_OPTIONS"):
        os.environ.pop(k, None)
    sys.exit(Test(args, args.scenario).execute(SCENARIOS[args.scenario]))


if __name__ == "__main__":
    main()
