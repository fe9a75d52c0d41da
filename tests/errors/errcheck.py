#!/usr/bin/env python3
"""errcheck.py — memory-error detection scenarios for heapscope (ctest label `errors`).

Each scenario runs programs from progs/ (built -g -O0) under
`heapscope run --out <fresh dir> --guard MODE ...`, then reads
`heapscope report --format json` (or sarif) and checks exact facts of every
reported error: kind, access, block size and offset, detected, api,
alloc_api, free_api, region, the first frame of the error's stack
(function, source file, line), of its allocation stack and of its free
stack. Source lines are never hard-coded: a line is found by the
`@marker` comment it carries, at test time.

It also checks how the run ended, as a shell would see it: a fault makes
`heapscope run` die of SIGSEGV (status 139, no core dump) and the trace's
exit is {"signal": "SIGSEGV"}; a bad free is reported and the program goes
on, so it exits normally and the default gate (--fail-on definite,error)
turns that into status 23.

Usage: errcheck.py --heapscope CLI --progs DIR --src DIR --work DIR
                   --guard auto|all|off SCENARIO
Exit status: 0 pass, 1 fail. Python standard library only.
"""
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "lib"))
import hscheck  # noqa: E402

GATE_STATUS = hscheck.GATE_STATUS
SEGV_STATUS = 128 + signal.SIGSEGV  # 139
ABRT_STATUS = 128 + signal.SIGABRT  # 134

ANY = object()  # "do not check this field"


class Fail(Exception):
    pass


class Test(hscheck.Checker):
    PROG_PREFIX = "hs_err_"
    Fail = Fail
    CATCH = (Fail,)
    FAILED = "\n==== {n} failure(s) in {name}; what ran:"

    def __init__(self, args, scenario):
        super().__init__(args, scenario, workdir="%s.%s" % (scenario, args.guard),
                         name="errors.%s.%s" % (scenario, args.guard))
        self.mode = args.guard

    # ---- helpers ---------------------------------------------------------
    def run(self, name, args=(), guard=None, opts=(), env=None, timeout=60):
        """heapscope run --out OUT --guard G OPTS -- PROG ARGS.

        Returns a dict: status (as a shell sees it: 128+N for death by
        signal N), core (core dumped), stdout, stderr, out."""
        out = self.fresh()
        guard = guard or self.mode
        cmd = [self.a.heapscope, "run", "--out", out, "--guard", guard] + list(opts) + \
              ["--", self.prog(name)] + list(args)
        so = open(out + ".stdout", "w+b")
        se = open(out + ".stderr", "w+b")
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=so, stderr=se, env=hscheck.environ(extra=env),
                             start_new_session=True)
        # Wait ourselves: Popen keeps only the decoded status, the raw one
        # also tells whether a core was dumped.
        deadline = time.monotonic() + timeout
        while True:
            pid, raw = os.waitpid(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(p.pid, signal.SIGKILL)
                os.waitpid(p.pid, 0)
                p.returncode = -signal.SIGKILL
                raise Fail("%s: timed out after %d s" % (" ".join(cmd), timeout))
            time.sleep(0.01)
        p.returncode = os.waitstatus_to_exitcode(raw)
        if os.WIFSIGNALED(raw):
            status, core = 128 + os.WTERMSIG(raw), os.WCOREDUMP(raw)
        else:
            status, core = os.WEXITSTATUS(raw), False
        so.seek(0)
        se.seek(0)
        res = {"status": status, "core": core, "stdout": so.read().decode(errors="replace"),
               "stderr": se.read().decode(errors="replace"), "out": out, "cmd": cmd}
        so.close()
        se.close()
        self.dumps.append(hscheck.run_dump(cmd, status, res["stdout"], res["stderr"], env))
        return res

    def process(self, out, opts=()):
        return self.one_process(self.report(out, opts=opts), "the report of %s" % out)

    # ---- expectations ------------------------------------------------------
    def expect_status(self, r, status, what):
        self.check(r["status"] == status, "%s: heapscope run status %d, expected %d" % (what, r["status"], status))
        if status >= 128:
            self.check(not r["core"], "%s: heapscope run dumped core" % what)

    def expect_exit(self, proc, exit_, what):
        self.check(proc.get("exit") == exit_, "%s: trace exit %r, expected %r" % (what, proc.get("exit"), exit_))

    def frame_ok(self, frames, want, what, field):
        """want: None (the field must be null), or (function, file, line)."""
        if want is ANY:
            return
        if want is None:
            self.check(frames is None, "%s: %s is %r, expected null" % (what, field, frames))
            return
        if not self.check(isinstance(frames, list) and frames, "%s: %s is empty or null" % (what, field)):
            return
        f = frames[0]
        fn, file, line = want
        got = (f.get("function"), os.path.basename(f.get("file") or ""), f.get("line"))
        self.check(got == (fn, file, line), "%s: %s[0] is %s %s:%s, expected %s %s:%d" % (
            what, field, got[0], got[1], got[2], fn, file, line))

    def expect_error(self, e, what, kind, access, detected, block, api, alloc_api, free_api, region,
                     stack, alloc_stack, free_stack, size=ANY, count=1):
        """Check every field of one error; block is None or (size, offset)."""
        def eq(field, want):
            if want is ANY:
                return
            self.check(e.get(field) == want, "%s: %s is %r, expected %r" % (what, field, e.get(field), want))
        eq("kind", kind)
        eq("access", access)
        eq("detected", detected)
        eq("api", api)
        eq("alloc_api", alloc_api)
        eq("free_api", free_api)
        eq("region", region)
        eq("size", size)
        eq("count", count)
        b = e.get("block")
        if block is None:
            self.check(b is None, "%s: block is %r, expected null" % (what, b))
        elif self.check(isinstance(b, dict), "%s: block is %r, expected size %d offset %d" % (what, b, *block)):
            self.check((b.get("size"), b.get("offset")) == block, "%s: block size %r offset %r, expected %d %d" % (
                what, b.get("size"), b.get("offset"), *block))
            if isinstance(b.get("address"), str) and isinstance(e.get("address"), str):
                self.check(int(e["address"], 16) - int(b["address"], 16) == block[1],
                           "%s: address %s - block address %s is not the offset %d" % (
                               what, e["address"], b["address"], block[1]))
        self.frame_ok(e.get("stack"), stack, what, "stack")
        self.frame_ok(e.get("alloc_stack"), alloc_stack, what, "alloc_stack")
        self.frame_ok(e.get("free_stack"), free_stack, what, "free_stack")

    def one_error(self, proc, what):
        errs = proc.get("errors") or []
        if not self.check(len(errs) == 1, "%s: %d errors reported, expected exactly 1: %s" % (
                what, len(errs), ", ".join("%s(%s)" % (x.get("kind"), x.get("detected")) for x in errs))):
            # still check the first of the expected kind if there is one
            return errs[0] if errs else None
        return errs[0]


def no_definite_leak(t, proc, what):
    leaks = proc.get("leaks") or {}
    t.check((leaks.get("definite") or {}).get("blocks") == 0, "%s: definite leaks %r" % (what, leaks.get("definite")))


def fault_run(t, name, args, what, **kw):
    """A run that must die of SIGSEGV; returns its single process."""
    r = t.run(name, args, **kw)
    t.expect_status(r, SEGV_STATUS, what)
    proc = t.process(r["out"])
    t.expect_exit(proc, {"signal": "SIGSEGV"}, what)
    return r, proc


# ---- 1. one-byte write past the end ----------------------------------------
#
# Guarded blocks (all: every block; auto: every block during its start-up
# allowance, about a thousand blocks, far more than these programs make)
# end on a 16-byte boundary flush against a PROT_NONE page; the slack
# between the block's end and that boundary holds a canary. So the first
# byte past the end is
#   size    1: offset 1 is in the 15 bytes of slack   -> canary, found at free
#   size   13: offset 13 is in the  3 bytes of slack   -> canary, found at free
#   size   24: offset 24 is in the  8 bytes of slack   -> canary, found at free
#   size 4096: a multiple of 16, no slack             -> guard page, at access
#   size 100000 (= 16 * 6250, 25 pages, under the 64-page slot limit): no slack
#                                                     -> guard page, at access
# At free the report's stack is the free() call and the block is the one
# being freed: its free_stack is that same call; the program exits 0 and the
# gate makes that 23. At access the process dies of SIGSEGV at the write.

def overflow_at_free(t, args, what, size, alloc_api, l_alloc):
    """overflow ARGS writes one byte past a block of SIZE, which the
    canary shows when main frees it; the program goes on to exit 0."""
    src = "overflow.c"
    l_free = t.line(src, "free")
    r = t.run("overflow", args)
    t.expect_status(r, GATE_STATUS, what)
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="heap-buffer-overflow", access="write", detected="at-free",
                       block=(size, size), api="free", alloc_api=alloc_api, free_api=None,
                       region="heap", stack=("main", src, l_free),
                       alloc_stack=("main", src, l_alloc), free_stack=("main", src, l_free))


def sc_overflow_write(t):
    src = "overflow.c"
    l_alloc, l_write = t.line(src, "alloc"), t.line(src, "write")
    for size, slack in ((1, True), (13, True), (24, True), (4096, False), (100000, False)):
        what = "write past %d bytes" % size
        if slack:
            overflow_at_free(t, [str(size), "write"], what, size, "malloc", l_alloc)
        else:
            r, proc = fault_run(t, "overflow", [str(size), "write"], what)
            e = t.one_error(proc, what)
            if e:
                t.expect_error(e, what, kind="heap-buffer-overflow", access="write", detected="at-access",
                               block=(size, size), api=None, alloc_api="malloc", free_api=None,
                               region="heap", stack=("main", src, l_write),
                               alloc_stack=("main", src, l_alloc), free_stack=None, size=None)


# A block whose slack was overwritten and that is never freed: its canary
# is checked at exit, after the program's destructors. No stack of its own
# (the report is made at exit), so the error is known by its block and its
# allocation stack — and two such blocks are two errors, not one.

def sc_overflow_exit(t):
    src = "overflow.c"
    what = "write past 13 bytes, block never freed"
    r = t.run("overflow", ["13", "write", "13", "keep"])
    t.expect_status(r, GATE_STATUS, what)
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="heap-buffer-overflow", access="write", detected="at-exit",
                       block=(13, 13), api=None, alloc_api="malloc", free_api=None, region="heap",
                       stack=ANY, alloc_stack=("main", src, t.line(src, "alloc")), free_stack=None)
    no_definite_leak(t, proc, what)
    # found at exit it has no stack of its own: a rule naming where the
    # block was allocated suppresses it (nothing could before)
    supp = os.path.join(t.work, "at_exit.supp")
    with open(supp, "w") as f:
        f.write("error:overflow.c\n")
    r = t.run("overflow", ["13", "write", "13", "keep"], opts=["--suppressions", supp])
    t.expect_status(r, 0, what + ", suppressed")
    proc = t.process(r["out"], opts=["--suppressions", supp])
    t.check(proc.get("errors") == [] and proc.get("errors_suppressed") == 1,
            "%s, suppressed by its allocation's file: errors %r, errors_suppressed %r"
            % (what, [x.get("kind") for x in proc.get("errors") or []], proc.get("errors_suppressed")))

    what = "writes past 13 and 21 bytes, both blocks never freed"
    r = t.run("overflow", ["13", "write", "13", "keep2"])
    t.expect_status(r, GATE_STATUS, what)
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    errs = sorted(proc.get("errors") or [], key=lambda x: (x.get("block") or {}).get("size") or 0)
    if t.check(len(errs) == 2, "%s: %d errors reported, expected 2 (one per block): %s" % (what, len(errs), ", ".join(
            "%s(%s, block %r, count %r)" % (x.get("kind"), x.get("detected"), x.get("block"), x.get("count"))
            for x in errs))):
        for e, size, marker in ((errs[0], 13, "alloc"), (errs[1], 21, "alloc2")):
            t.expect_error(e, "%s, block of %d" % (what, size), kind="heap-buffer-overflow", access="write",
                           detected="at-exit", block=(size, size), api=None, alloc_api="malloc", free_api=None,
                           region="heap", stack=ANY, alloc_stack=("main", src, t.line(src, marker)),
                           free_stack=None)


# A block grown by realloc, then written one byte past its new size: the
# canary after the new size finds it at free, with the realloc as the
# allocation. Under auto and all realloc moves the block into a new guarded
# slot (8 bytes of slack for 24); under sample:N the block is not a sampled
# one (the neighbour before it is) and grows in place, its canary moved.

def sc_realloc_overflow(t):
    overflow_at_free(t, ["20", "grow"], "write past a block grown from 20 to 24 bytes", 24, "realloc",
                     t.line("overflow.c", "grow"))


# ---- 2. read past the end ----------------------------------------------------
#
# A read leaves a canary intact, so only reads that reach the guard page are
# caught: the 32-byte block's byte 32, and for a 13-byte block the first byte
# after its 3 bytes of slack, offset 16. (A read of the slack itself, offset
# 13..15, is not detected: canaries only see writes.)

def sc_overflow_read(t):
    src = "overflow.c"
    l_alloc, l_read = t.line(src, "alloc"), t.line(src, "read")
    for size, off in ((32, 32), (13, 16)):
        what = "read at offset %d of %d bytes" % (off, size)
        r, proc = fault_run(t, "overflow", [str(size), "read", str(off)], what)
        e = t.one_error(proc, what)
        if e:
            t.expect_error(e, what, kind="heap-buffer-overflow", access="read", detected="at-access",
                           block=(size, off), api=None, alloc_api="malloc", free_api=None, region="heap",
                           stack=("main", src, l_read), alloc_stack=("main", src, l_alloc),
                           free_stack=None, size=None)


# ---- 3. write before the start ----------------------------------------------
#
# Default placement puts the guard page AFTER the block, which ends flush
# against it: a 24-byte block starts 32 bytes before the end of its page,
# and the byte before it is ordinary memory of the same page, with no canary
# (canaries only follow a block). heapscope promises nothing for underflows
# without --guard-below (README): the write goes unnoticed, the program runs
# to its end (exit 0) and — what is asserted — no error is invented.
#
# With --guard-below the block starts right after a guard page, so the byte
# before it faults at the access: heap-buffer-underflow, offset -1, the block
# being the one written before (not its neighbour).

def sc_underflow(t):
    what = "write before a 24-byte block, guard after"
    r = t.run("overflow", ["24", "under"])
    t.expect_status(r, 0, what)
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    t.check(proc.get("errors") == [], "%s: errors reported: %r" % (what, proc.get("errors")))


# Without --guard-below, a block whose size is a multiple of the page size
# starts on a page boundary, right after the guard page that ends the slot
# before it: the write before it faults even so. heapscope cannot keep the
# program alive then, but what it explains must be true: 1 byte before the
# 4096-byte block — not an overflow of the neighbour whose guard page it is.
def sc_underflow_page(t):
    src = "overflow.c"
    what = "write before a 4096-byte block, guard after"
    r, proc = fault_run(t, "overflow", ["4096", "under"], what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="heap-buffer-underflow", access="write", detected="at-access",
                       block=(4096, -1), api=None, alloc_api="malloc", free_api=None, region="heap",
                       stack=("main", src, t.line(src, "under")), alloc_stack=("main", src, t.line(src, "alloc")),
                       free_stack=None, size=None)


def sc_underflow_below(t):
    src = "overflow.c"
    l_alloc, l_under = t.line(src, "alloc"), t.line(src, "under")
    for size in (24, 4096):
        what = "write before a %d-byte block, --guard-below" % size
        r, proc = fault_run(t, "overflow", [str(size), "under"], what, opts=["--guard-below"])
        e = t.one_error(proc, what)
        if e:
            t.expect_error(e, what, kind="heap-buffer-underflow", access="write", detected="at-access",
                           block=(size, -1), api=None, alloc_api="malloc", free_api=None, region="heap",
                           stack=("main", src, l_under), alloc_stack=("main", src, l_alloc),
                           free_stack=None, size=None)


# ---- 4. use after free --------------------------------------------------------
#
# Guarded (auto, all): the freed block's pages are PROT_NONE while it waits
# in quarantine, so the access faults: heap-use-after-free at access, with
# the free stack. --guard off: the freed block is poisoned; a read goes
# unnoticed, a write is found when the block leaves quarantine — here at
# exit, when the quarantine is drained — as heap-use-after-free "at-exit"
# with the allocation and free stacks, and no stack of its own (it was
# "at-free" with heapscope's exit path as its stack). The program itself
# exits 0, the gate makes it 23.

def sc_uaf(t):
    src = "uaf.c"
    l_alloc, l_free = t.line(src, "alloc"), t.line(src, "free")
    if t.mode == "off":
        what = "write after free, guard off"
        r = t.run("uaf", ["write"])
        t.expect_status(r, GATE_STATUS, what)
        proc = t.process(r["out"])
        t.expect_exit(proc, {"code": 0}, what)
        e = t.one_error(proc, what)
        if e:
            t.expect_error(e, what, kind="heap-use-after-free", access="write", detected="at-exit",
                           block=(32, 8), api=None, alloc_api="malloc", free_api="free", region="heap",
                           stack=ANY, alloc_stack=("main", src, l_alloc), free_stack=("main", src, l_free))
            t.check(not e.get("stack"), "%s: a stack of the exit's own: %r" % (what, e.get("stack")))
        return
    for acc in ("read", "write"):
        what = "%s after free" % acc
        r, proc = fault_run(t, "uaf", [acc], what)
        e = t.one_error(proc, what)
        if e:
            t.expect_error(e, what, kind="heap-use-after-free", access=acc, detected="at-access",
                           block=(32, 8), api=None, alloc_api="malloc", free_api="free", region="heap",
                           stack=("main", src, t.line(src, acc)), alloc_stack=("main", src, l_alloc),
                           free_stack=("main", src, l_free), size=None)


# A block released with delete[]: free_api names that family, not free.
def sc_uaf_cxx(t):
    src = "cxx.cpp"
    what = "read after delete[]"
    r, proc = fault_run(t, "cxx", ["uaf-delete"], what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="heap-use-after-free", access="read", detected="at-access",
                       block=(64, 8), api=None, alloc_api="new[]", free_api="delete[]", region="heap",
                       stack=("main", src, t.line(src, "read_uaf_delete")),
                       alloc_stack=("main", src, t.line(src, "alloc_uaf_delete")),
                       free_stack=("main", src, t.line(src, "free_uaf_delete")), size=None)


# ---- a correct C++ program -----------------------------------------------
#
# Not a scenario of its own in the list, but the premise of scenario 8: a C++
# program whose every block is released by its own function reports nothing
# (libstdc++ allocates its exception emergency pool before recording starts;
# that block has no canary and must not be checked for one at exit).

def sc_cxx_clean(t):
    what = "correct C++ program"
    r = t.run("cxx", ["clean"])
    t.expect_status(r, 0, what)
    t.check(r["stdout"] == "still running\n", "%s: stdout %r" % (what, r["stdout"]))
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    t.check(proc.get("errors") == [], "%s: errors reported: %s" % (what, ", ".join(
        "%s(%s, block %r)" % (x.get("kind"), x.get("detected"), x.get("block")) for x in proc.get("errors") or [])))


# ---- 5. double free -----------------------------------------------------------

def run_survived(t, prog, args, what):
    """Runs a program whose bad free heapscope reports without stopping it:
    the gate's status, the program's own output after the error, exit 0."""
    r = t.run(prog, args)
    t.expect_status(r, GATE_STATUS, what)
    t.check("still running" in r["stdout"], "%s: the program did not go on after the error" % what)
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    return proc


def expect_double_free(t, proc, what, fn="free_twice", markers=("alloc_double", "free1", "free2")):
    """badfree.c's double free: the block allocated at markers[0] in main,
    freed at markers[1] and again at markers[2], both in fn."""
    src = "badfree.c"
    alloc, free1, free2 = markers
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="double-free", access=None, detected="at-free", block=(24, 0),
                       api="free", alloc_api="malloc", free_api="free", region="heap",
                       stack=(fn, src, t.line(src, free2)),
                       alloc_stack=("main", src, t.line(src, alloc)),
                       free_stack=(fn, src, t.line(src, free1)))


def sc_double_free(t):
    what = "double free"
    proc = run_survived(t, "badfree", ["double"], what)
    expect_double_free(t, proc, what)


def sc_double_free_late(t):
    """The second free after the block has left the quarantine: still a
    double free with the first free's stack. A guarded block's released
    slot used to be nothing: an invalid free without the block."""
    what = "double free after the quarantine"
    proc = run_survived(t, "badfree", ["late"], what)
    expect_double_free(t, proc, what, "main", ("alloc_late", "free1_late", "free2_late"))


def sc_double_free_unsampled(t):
    """guard=sample:1000, a double free of a block that was not sampled:
    no free stack was recorded. The text report says so, and still heads
    the allocation stack (it printed that stack as if it were the free's)."""
    what = "double free of an unsampled block"
    r = t.run("badfree", ["second"], guard="sample:1000")
    t.expect_status(r, GATE_STATUS, what)
    proc = t.process(r["out"])
    e = t.one_error(proc, what)
    src = "badfree.c"
    if e:
        t.expect_error(e, what, kind="double-free", access=None, detected="at-free", block=(24, 0),
                       api="free", alloc_api="malloc", free_api="free", region="heap",
                       stack=("free_twice", src, t.line(src, "free2")),
                       alloc_stack=("main", src, t.line(src, "alloc_second")), free_stack=None)
    lines = r["stderr"].splitlines()
    # the analyzer's report (the preload's own line, at the error, says
    # "free'd (allocated by malloc)" and points to it)
    at = next((i for i, l in enumerate(lines) if l.endswith("block of size 24 free'd")), None)
    if t.check(at is not None, "%s: no \"block of size 24 free'd\" line in the text report" % what):
        t.check("(where it was freed was not recorded)" in lines[at + 1],
                "%s: the line after 'free'd' is %r" % (what, lines[at + 1]))
        t.check("Block was alloc'd at" in lines[at + 2], "%s: then %r" % (what, lines[at + 2]))
        t.check(("badfree.c:%d" % t.line(src, "alloc_second")) in lines[at + 3],
                "%s: the allocation frame %r" % (what, lines[at + 3]))


def sc_double_delete(t):
    src = "cxx.cpp"
    what = "double delete"
    proc = run_survived(t, "cxx", ["double-delete"], what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="double-free", access=None, detected="at-free", block=(4, 0),
                       api="delete", alloc_api="new", free_api="delete", region="heap",
                       stack=("main", src, t.line(src, "free2_double_delete")),
                       alloc_stack=("main", src, t.line(src, "alloc_double_delete")),
                       free_stack=("main", src, t.line(src, "free1_double_delete")))


# ---- 6. free of a stack address and of an interior pointer ----------------------

def sc_invalid_free(t):
    src = "badfree.c"
    what = "free of a stack array"
    proc = run_survived(t, "badfree", ["stack"], what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="invalid-free", access=None, detected="at-free", block=None,
                       api="free", alloc_api=None, free_api=None, region="stack",
                       stack=("main", src, t.line(src, "free_stack")), alloc_stack=None, free_stack=None)

    what = "free of p + 8"
    proc = run_survived(t, "badfree", ["interior"], what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="invalid-free", access=None, detected="at-free", block=(64, 8),
                       api="free", alloc_api="malloc", free_api=None, region="heap",
                       stack=("main", src, t.line(src, "free_interior")),
                       alloc_stack=("main", src, t.line(src, "alloc_interior")), free_stack=None)
    # the right free afterwards released the block: nothing leaks
    no_definite_leak(t, proc, what + ": after the invalid free")


# ---- 7. realloc of a freed block -------------------------------------------------
#
# The block is freed (in quarantine), so realloc finds a block that is no
# longer live: a second release of it, reported as double-free with api
# realloc; realloc returns NULL and the program goes on.

def sc_realloc_freed(t):
    src = "badfree.c"
    what = "realloc of a freed block"
    proc = run_survived(t, "badfree", ["realloc"], what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="double-free", access=None, detected="at-free", block=(24, 0),
                       api="realloc", alloc_api="malloc", free_api="free", region="heap",
                       stack=("main", src, t.line(src, "realloc")),
                       alloc_stack=("main", src, t.line(src, "alloc_realloc")),
                       free_stack=("main", src, t.line(src, "free_realloc")))


# ---- 8. mismatched families ------------------------------------------------------
#
# Reported at the release, which still goes through (the block is not
# leaked); the block was live, so there is no free stack yet.

MISMATCHES = (
    # mode,          C++ marker suffix,  block size, api,       alloc_api
    ("malloc-delete", "malloc_delete", 4, "delete", "malloc"),
    ("new-free", "new_free", 4, "free", "new"),
    ("newarr-delete", "newarr_delete", 40, "delete", "new[]"),
    ("new-deletearr", "new_deletearr", 4, "delete[]", "new"),
)


def sc_mismatched(t):
    src = "cxx.cpp"
    for mode, mk, size, api, alloc_api in MISMATCHES:
        what = "mismatched %s" % mode
        proc = run_survived(t, "cxx", [mode], what)
        e = t.one_error(proc, what)
        if e:
            t.expect_error(e, what, kind="mismatched-free", access=None, detected="at-free", block=(size, 0),
                           api=api, alloc_api=alloc_api, free_api=None, region="heap",
                           stack=("main", src, t.line(src, "free_" + mk)),
                           alloc_stack=("main", src, t.line(src, "alloc_" + mk)), free_stack=None)
        no_definite_leak(t, proc, what + ": the block was not released")


# ---- 9. stack overflow ----------------------------------------------------------

def sc_stack_overflow(t):
    src = "recurse.c"
    what = "unbounded recursion"
    r, proc = fault_run(t, "recurse", [], what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="stack-overflow", access="write", detected="at-access", block=None,
                       api=None, alloc_api=None, free_api=None, region="stack",
                       stack=("dive", src, t.line(src, "dive")), alloc_stack=None, free_stack=None, size=None)
        st = e.get("stack") or []
        t.check(len(st) >= 2 and st[1].get("function") == "dive",
                "%s: the second frame is not dive: %r" % (what, st[1:2]))


# ---- 10. NULL dereference ------------------------------------------------------

def sc_null(t):
    src = "null.c"
    for acc in ("read", "write"):
        what = "NULL %s" % acc
        r, proc = fault_run(t, "null", [acc], what)
        e = t.one_error(proc, what)
        if e:
            t.expect_error(e, what, kind="wild-access", access=acc, detected="at-access", block=None,
                           api=None, alloc_api=None, free_api=None, region="null",
                           stack=("main", src, t.line(src, acc)), alloc_stack=None, free_stack=None,
                           size=None)
            want = "0x8" if acc == "write" else "0x0"
            t.check(e.get("address") == want, "%s: address %r, expected %s" % (what, e.get("address"), want))


# ---- 11. a program with its own SIGSEGV handler -------------------------------------

def sc_own_handler(t):
    src = "ownhandler.c"
    what = "own handler, NULL read"
    r = t.run("ownhandler", [])
    t.expect_status(r, 0, what)
    t.check(r["stdout"] == "recovered\nfaults 1\n", "%s: stdout %r" % (what, r["stdout"]))
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    t.check(proc.get("errors") == [], "%s: the program's own fault was reported: %r" % (what, proc.get("errors")))

    what = "own handler, heap overflow"
    r = t.run("ownhandler", ["overflow"])
    # the program recovers and exits 0; the explained overflow fails the gate
    t.expect_status(r, GATE_STATUS, what)
    t.check(r["stdout"] == "recovered\nrecovered from overflow\nfaults 2\n", "%s: stdout %r" % (what, r["stdout"]))
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="heap-buffer-overflow", access="write", detected="at-access",
                       block=(4096, 4096), api=None, alloc_api="malloc", free_api=None, region="heap",
                       stack=("main", src, t.line(src, "overflow")), alloc_stack=("main", src, t.line(src, "alloc")),
                       free_stack=None, size=None)


# ---- 12. more live blocks than the guard budget ------------------------------------

def sc_guard_budget(t):
    what = "200000 live blocks"
    r = t.run("many", [], timeout=60)
    t.expect_status(r, 0, what)
    t.check(r["stdout"] == "done\n", "%s: stdout %r" % (what, r["stdout"]))
    proc = t.process(r["out"])
    t.expect_exit(proc, {"code": 0}, what)
    t.check(proc.get("errors") == [], "%s: errors reported: %r" % (what, proc.get("errors")))
    g = proc.get("guard")
    if not t.check(isinstance(g, dict), "%s: no guard section: %r" % (what, g)):
        return
    budget, guarded, peak = g.get("budget"), g.get("guarded_blocks"), g.get("peak_live_guarded")
    t.check(isinstance(budget, int) and 0 < budget < 200000, "%s: budget %r" % (what, budget))
    t.check(isinstance(guarded, int) and guarded <= (budget or 0),
            "%s: guarded_blocks %r > budget %r" % (what, guarded, budget))
    t.check(g.get("map_limit_hit") is False, "%s: map_limit_hit %r" % (what, g.get("map_limit_hit")))
    if t.mode == "all":
        # every block is wanted guarded; the budget caps the live ones
        t.check(g.get("budget_exhausted") is True, "%s: budget_exhausted %r" % (what, g.get("budget_exhausted")))
        t.check(peak == budget, "%s: peak_live_guarded %r, expected the budget %r" % (what, peak, budget))
    t.check(proc["heap"]["allocations"] >= 200000, "%s: %r allocations" % (what, proc["heap"]["allocations"]))


# ---- 13. four threads, one overflows ---------------------------------------------

def sc_threads(t):
    src = "threads.c"
    what = "thread overflow"
    r, proc = fault_run(t, "threads", [], what)
    e = t.one_error(proc, what)
    if e:
        t.expect_error(e, what, kind="heap-buffer-overflow", access="write", detected="at-access",
                       block=(64, 64), api=None, alloc_api="malloc", free_api=None, region="heap",
                       stack=("worker", src, t.line(src, "overflow")),
                       alloc_stack=("worker", src, t.line(src, "alloc")), free_stack=None, size=None)
        st = e.get("stack") or []
        t.check(len(st) >= 2 and st[1].get("function") == "start_thread",
                "%s: the second frame is %r, expected start_thread" % (what, st[1:2]))


# The error names the thread it happened in: thread ids start at 1 (the
# README's example shows the main thread as 1), 0 stands for "unknown".
def sc_thread_id(t):
    what = "thread overflow, thread id"
    r, proc = fault_run(t, "threads", [], what)
    e = t.one_error(proc, what)
    if e:
        tid = e.get("thread")
        t.check(isinstance(tid, int) and tid >= 1, "%s: thread %r, expected the faulting thread's id (>= 1)" % (
            what, tid))


# ---- 14. halt_on_error=1 ---------------------------------------------------------

def sc_halt_on_error(t):
    what = "double free, halt_on_error=1"
    r = t.run("badfree", ["double"], env={"HEAPSCOPE_OPTIONS": "halt_on_error=1"})
    t.expect_status(r, ABRT_STATUS, what)
    t.check("still running" not in r["stdout"], "%s: the program went on" % what)
    proc = t.process(r["out"])
    t.expect_exit(proc, {"signal": "SIGABRT"}, what)
    expect_double_free(t, proc, what)


# ---- 15. suppressions -------------------------------------------------------------
#
# The same double free suppressed by an LSan-syntax `error:` rule and by a
# Valgrind block written as Valgrind prints it for "Invalid free()"
# (--gen-suppressions): the stack starts with the freeing function itself.

def suppressed_double_free(t, what, text):
    supp = os.path.join(t.work, "errors.supp")
    with open(supp, "w") as f:
        f.write(text)
    r = t.run("badfree", ["double"], opts=["--suppressions", supp])
    t.expect_status(r, 0, what)
    proc = t.process(r["out"], opts=["--suppressions", supp])
    t.expect_exit(proc, {"code": 0}, what)
    t.check(proc.get("errors") == [], "%s: errors not suppressed: %r" % (
        what, [x.get("kind") for x in proc.get("errors") or []]))
    t.check(proc.get("errors_suppressed") == 1, "%s: errors_suppressed %r, expected 1" % (
        what, proc.get("errors_suppressed")))


def sc_suppress_lsan(t):
    suppressed_double_free(t, "error: rule", "# the double free of badfree.c\nerror:free_twice\n")
    # three double frees at one place: one entry (count 3), so one record
    # of the rule, three errors suppressed
    what = "three double frees at one place, suppressed"
    supp = os.path.join(t.work, "thrice.supp")
    with open(supp, "w") as f:
        f.write("error:free_twice\n")
    r = t.run("badfree", ["thrice"], opts=["--suppressions", supp])
    t.expect_status(r, 0, what)
    rep = t.report(r["out"], opts=["--suppressions", supp])
    proc = rep["processes"][0]
    t.check(proc.get("errors_suppressed") == 3, "%s: errors_suppressed %r" % (what, proc.get("errors_suppressed")))
    used = [x for x in rep.get("suppressions", []) if x.get("rule") == "error:free_twice"]
    t.check(len(used) == 1 and used[0].get("records") == 1, "%s: the rule's use %r" % (what, used))


def sc_suppress_valgrind(t):
    suppressed_double_free(t, "Memcheck:Free block",
                           "{\n   badfree-double\n   Memcheck:Free\n   fun:free_twice\n   fun:main\n}\n")


# The block exactly as `valgrind --gen-suppressions=yes` writes it for this
# double free: Valgrind's stack starts with the freeing function (free, in
# its preload), then the caller. heapscope's error stacks start at the
# caller, so the block must be matched with that first frame supplied, as
# leak blocks are with the allocation function.
def sc_suppress_valgrind_gen(t):
    suppressed_double_free(t, "generated Memcheck:Free block",
                           "{\n   <insert_a_suppression_name_here>\n   Memcheck:Free\n   fun:free\n"
                           "   fun:free_twice\n   fun:main\n}\n")


# ---- 16. SARIF ---------------------------------------------------------------------

def sc_sarif(t):
    what = "double free, SARIF"
    r = t.run("badfree", ["double"])
    t.expect_status(r, GATE_STATUS, what)
    sarif = t.report(r["out"], fmt="sarif")
    t.check(sarif.get("version") == "2.1.0", "%s: version %r" % (what, sarif.get("version")))
    want = t.line("badfree.c", "free2")
    results = [x for run in sarif.get("runs", []) for x in run.get("results", [])]
    hits = [x for x in results if x.get("ruleId") == "heapscope/double-free"]
    if not t.check(len(hits) == 1, "%s: %d results with ruleId heapscope/double-free, expected 1 (rules: %r)" % (
            what, len(hits), [x.get("ruleId") for x in results])):
        return
    locs = hits[0].get("locations") or []
    pl = locs[0].get("physicalLocation", {}) if locs else {}
    uri = (pl.get("artifactLocation") or {}).get("uri") or ""
    line = (pl.get("region") or {}).get("startLine")
    t.check(uri.endswith("badfree.c") and line == want, "%s: located at %s:%r, expected badfree.c:%d" % (
        what, uri, line, want))
    t.check(isinstance(hits[0].get("partialFingerprints", {}).get("heapscopeId/v1"), str),
            "%s: no heapscopeId/v1 fingerprint" % what)


SCENARIOS = {name[3:]: fn for name, fn in globals().items() if name.startswith("sc_")}


def main():
    ap = hscheck.arg_parser(("heapscope", "progs", "src", "work"))
    ap.add_argument("--guard", default="auto")
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    a = ap.parse_args()
    return Test(a, a.scenario).execute(SCENARIOS[a.scenario])


if __name__ == "__main__":
    sys.exit(main())
