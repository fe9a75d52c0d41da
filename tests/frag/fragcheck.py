#!/usr/bin/env python3
"""fragcheck.py — fragmentation, segments, timeline and `--simulate`
scenarios for heapscope (ctest label `frag`).

Each scenario runs a program from progs/ under `heapscope run --guard off
--out <fresh dir>` (HEAPSCOPE_OPTIONS=detect=0 or the default detect=1, as
the scenario says), reads `heapscope report --format json [--simulate]` and
checks numbers whose true value is known: derived by hand in the program's
comments, or, for sim_reference, computed by the naive reference allocators
of simref.py over synthetic traces.

Recording with detect=1 (the default) gives every block one canary byte
(preload/alloc.c alloc_detect), which can move a request into the next size
class; the snapshot numbers are checked under both settings where that
matters, each with its own expected values. The simulation replays the
sizes the program asked for, so its numbers must not depend on detect.

Lines are never hard-coded: a source line is found by its @marker comment.

Usage: fragcheck.py --heapscope CLI --progs DIR --src DIR --work DIR SCENARIO
Exit status: 0 pass, 1 fail. Python standard library only.
"""
import json
import os
import random
import re
import subprocess
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
import hscheck  # noqa: E402
import simref  # noqa: E402

PAGE = 4096
KIB = 1024
MIB = 1024 * 1024


class Test(hscheck.Checker):
    PROG_PREFIX = "hs_frag_"
    CATCH = Exception  # a crash of the checker is a failure too
    FAILED = "\n{n} check(s) failed in {name}; commands and outputs follow."
    DUMP_LIMIT = 6000
    DUMP_RULE = "-" * 60

    # ---- helpers ---------------------------------------------------------
    def crashed(self, e):
        traceback.print_exc()
        self.errors.append("exception: %s" % e)

    def eq(self, got, want, what):
        return self.check(got == want, "%s: got %r, expected %r" % (what, got, want))

    def close(self, got, want, what, rel=2e-6):
        ok = got is not None and abs(got - want) <= rel * max(1.0, abs(want))
        return self.check(ok, "%s: got %r, expected %r" % (what, got, want))

    def between(self, got, lo, hi, what):
        return self.check(lo <= got <= hi, "%s: got %r, expected %r..%r" % (what, got, lo, hi))

    def run(self, argv, detect=1, timeout=120):
        """heapscope run --guard off --out OUT -- ARGV; returns (status, stdout, out)."""
        out = self.fresh()
        shown = {} if detect else {"HEAPSCOPE_OPTIONS": "detect=0"}
        cmd = [self.a.heapscope, "run", "--out", out, "--guard", "off", "--fail-on", "none", "--"] + list(argv)
        rc, so, _ = self.capture(cmd, env=hscheck.environ(extra=shown), timeout=timeout, shown_env=shown)
        return rc, so, out

    def report_raw(self, paths, opts=(), fmt="json"):
        cmd = [self.a.heapscope, "report", "--format", fmt] + list(opts) + list(paths)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        text = p.stdout.decode(errors="replace")
        self.dumps.append("$ %s\n[status %d]\n%s%s" % (" ".join(cmd), p.returncode, text[:20000],
                                                       p.stderr.decode(errors="replace")))
        return p.returncode, text, p.stderr.decode(errors="replace")

    def report(self, out, opts=()):
        """The one process of the one trace in OUT (the base class's report()
        takes any number of traces and returns the whole report)."""
        tr = self.traces(out)
        if len(tr) != 1:
            raise RuntimeError("expected one trace in %s, found %d" % (out, len(tr)))
        rc, text, err = self.report_raw(tr, opts)
        if rc != 0:
            raise RuntimeError("heapscope report: status %d: %s" % (rc, err))
        return self.one_process(json.loads(text))

    def traced(self, name, args=(), detect=1, opts=()):
        """Run progs/NAME and return its report (process object)."""
        rc, so, out = self.run([self.prog(name)] + list(args), detect=detect)
        if rc != 0:
            raise RuntimeError("%s exited with status %d" % (name, rc))
        return self.report(out, opts)

    def first_frame_is(self, stack, file, marker, what):
        want_line = self.line(file, marker)
        if not self.check(bool(stack), "%s: empty stack" % what):
            return
        f = stack[0]
        self.check(f["function"] == "main" and (f["file"] or "").endswith(file) and f["line"] == want_line,
                   "%s: first frame %s %s:%s, expected main %s:%d" % (what, f["function"], f["file"],
                                                                      f["line"], file, want_line))

    def strategies(self, proc):
        sim = proc["simulate"]
        if not self.check(isinstance(sim, dict), "simulate section missing with --simulate: %r" % (sim,)):
            return {}
        names = [s["name"] for s in sim["strategies"]]
        self.eq(names, simref.STRATEGIES, "simulate strategy names")
        for s in sim["strategies"]:
            self.eq(s["compaction_reclaim_bytes"], s["peak_footprint_bytes"] - s["peak_live_bytes"],
                    "%s: compaction = footprint - live at peak" % s["name"])
            if s["name"] in ("buddy", "heapscope"):
                self.eq(s["average_search_length"], None, "%s: average_search_length" % s["name"])
        return {s["name"]: s for s in sim["strategies"]}

    def expect_strategy(self, got, name, foot=None, live=None, req=None, frag=None, search=None):
        s = got.get(name)
        if not self.check(s is not None, "no %s strategy" % name):
            return
        if foot is not None:
            self.eq(s["peak_footprint_bytes"], foot, "%s peak_footprint_bytes" % name)
        if live is not None:
            self.eq(s["peak_live_bytes"], live, "%s peak_live_bytes" % name)
            if foot is not None:
                self.eq(s["compaction_reclaim_bytes"], foot - live, "%s compaction_reclaim_bytes" % name)
        if req is not None:
            self.eq(s["peak_requested_bytes"], req, "%s peak_requested_bytes" % name)
        if frag is not None:
            self.close(s["external_fragmentation_at_peak"], frag, "%s external_fragmentation_at_peak" % name)
        if search is not None:
            self.close(s["average_search_length"], search, "%s average_search_length" % name)


# ---- scenarios ------------------------------------------------------------

def random_events(seed, n):
    """A random trace: reuse of freed addresses, reallocs that move or stay,
    frees of unknown blocks, sizes across slabs, buddy orders and large."""
    rnd = random.Random(seed)
    ev, live, free_addrs = [], [], []
    next_addr = [0x10000]

    def size():
        r = rnd.random()
        if seed % 3 == 0:
            return rnd.choice([0, 1, 15, 16, 17, 48, 64, 65, 100, 256, 1000, 3584, 3585, 4096, 5000])
        if r < 0.6:
            return rnd.randint(0, 4000)
        if r < 0.9:
            return rnd.randint(3585, 1 << 20)
        return rnd.randint((1 << 20) + 1, 3 << 20)

    def addr():
        if free_addrs and rnd.random() < 0.5:
            return free_addrs.pop(rnd.randrange(len(free_addrs)))
        next_addr[0] += 16 * rnd.randint(1, 1000)
        return next_addr[0]

    for _ in range(n):
        r = rnd.random()
        if live and r < 0.42:
            a = live.pop(rnd.randrange(len(live)))
            ev.append(("free", a))
            free_addrs.append(a)
        elif live and r < 0.52:
            i = rnd.randrange(len(live))
            old = live[i]
            new = old if rnd.random() < 0.3 else addr()
            if new != old:
                free_addrs.append(old)
            live[i] = new
            ev.append(("realloc", old, new, size()))
        elif r < 0.54:
            ev.append(("free", 0x70000000 + 16 * rnd.randint(0, 100)))  # never allocated
        else:
            a = addr()
            live.append(a)
            ev.append(("alloc", a, size()))
    return ev


def compare_reference(t, events, path, label):
    ref = simref.Reference()
    for e in events:
        ref.event(e)
    rc, text, err = t.report_raw([path], ["--simulate", "--compact"])
    if not t.check(rc == 0, "%s: heapscope report --simulate: status %d: %s" % (label, rc, err)):
        return
    got = json.loads(text)["processes"][0]["simulate"]["strategies"]
    for want, g in zip(ref.results(), got):
        for k, v in want.items():
            what = "%s %s %s" % (label, want["name"], k)
            if isinstance(v, float):
                t.close(g[k], v, what, rel=1e-5)
            else:
                t.eq(g[k], v, what)


def sc_sim_reference(t):
    """simulate.c against simref.py over random synthetic traces."""
    for seed in range(12):
        ev = random_events(seed, 1500 + 250 * seed)
        path = os.path.join(t.work, "random%d.hst" % seed)
        simref.write_trace(path, ev)
        compare_reference(t, ev, path, "seed %d" % seed)
    # a trace cut in its third EVENTS record (simref writes 500 events a
    # record): the report covers the first two records
    ev = random_events(99, 2000)
    path = os.path.join(t.work, "cut.hst")
    simref.write_trace(path, ev)
    with open(path, "rb") as f:
        data = f.read()
    offs, pos = [], 16
    while pos + 5 <= len(data):
        ln = int.from_bytes(data[pos + 1:pos + 5], "little")
        offs.append((data[pos], pos, ln))
        pos += 5 + ln
    ev_recs = [o for o in offs if o[0] == 4]
    cut = ev_recs[2][1] + 5 + ev_recs[2][2] // 2
    with open(path, "wb") as f:
        f.write(data[:cut])
    compare_reference(t, ev[:1000], path, "truncated trace")
    # an empty trace: no events at all
    path = os.path.join(t.work, "empty.hst")
    simref.write_trace(path, [])
    compare_reference(t, [], path, "no events")


def sc_simulate_output(t):
    """--simulate fills "simulate" and a text section; without it, null and nothing."""
    ev = random_events(7, 500)
    path = os.path.join(t.work, "t.hst")
    simref.write_trace(path, ev)
    rc, text, _ = t.report_raw([path])
    t.eq(json.loads(text)["processes"][0]["simulate"], None, "simulate without --simulate")
    rc, text, _ = t.report_raw([path], ["--simulate"])
    t.check(isinstance(json.loads(text)["processes"][0]["simulate"], dict), "simulate with --simulate")
    rc, text, _ = t.report_raw([path], fmt="text")
    t.check("ALLOCATOR SIMULATION" not in text, "text report without --simulate has a simulation section")
    rc, text, _ = t.report_raw([path], ["--simulate"], fmt="text")
    t.check(rc == 0 and "ALLOCATOR SIMULATION" in text, "text report with --simulate lacks the section")
    for name in simref.STRATEGIES:
        t.check(re.search(r"==4242==\s+%s\s+[0-9,]+" % re.escape(name), text) is not None,
                "text report: no row for %s" % name)
    # two traces, each simulated separately
    path2 = os.path.join(t.work, "t2.hst")
    simref.write_trace(path2, random_events(8, 300), pid=4343)
    rc, text, _ = t.report_raw([path, path2], ["--simulate"])
    procs = json.loads(text)["processes"]
    t.check(len(procs) == 2 and all(isinstance(p["simulate"], dict) for p in procs),
            "two traces: both simulated")
    if len(procs) == 2:
        t.check(procs[0]["simulate"] != procs[1]["simulate"], "two traces: different results")
    # an unreadable trace: status 1, the other still reported
    bad = os.path.join(t.work, "bad.hst")
    with open(bad, "wb") as f:
        f.write(b"not a trace")
    rc, text, _ = t.report_raw([path, bad], ["--simulate"])
    t.eq(rc, 1, "status with an unreadable trace")


def sc_pow2(t):
    """(a) only 66 KiB blocks: order 5 (128 KiB) blocks, power-of-two waste exact."""
    n, size = 5, 66 * KIB
    for detect in (0, 1):
        tag = "detect=%d: " % detect
        p = t.traced("pow2", detect=detect, opts=["--simulate"])
        t.eq(p["heap"]["allocations"], n, tag + "heap.allocations (nothing else allocates)")
        t.eq(p["heap"]["live_at_end"], {"blocks": n, "bytes": n * size}, tag + "heap.live_at_end")
        f = p["fragmentation"]["at_exit"]
        o5 = f["orders"][5]
        t.eq(o5["block_bytes"], 128 * KIB, tag + "orders[5].block_bytes")
        t.eq(o5["used"], n, tag + "orders[5].used")
        t.eq(o5["requested_bytes"], n * size, tag + "orders[5].requested_bytes")
        t.eq(o5["handed_out_bytes"], n * 128 * KIB, tag + "orders[5].handed_out_bytes")
        t.eq(o5["waste_bytes"], n * (128 * KIB - size), tag + "orders[5].waste_bytes")
        t.eq(f["internal_by_cause"], {"size_class": 0, "power_of_two": n * (128 * KIB - size), "page": 0},
             tag + "internal_by_cause")
        t.eq(f["internal_bytes"], n * (128 * KIB - size), tag + "internal_bytes")
        for o in f["orders"]:
            if o["order"] != 5:
                t.eq((o["used"], o["slab"]), (0, 0), tag + "orders[%d] used, slab" % o["order"])
        t.eq(f["classes"], [], tag + "slab classes")
        # one 1 MiB chunk: pages 0..159 used, free 160 (order 5) and 192 (order 6)
        t.eq(f["buddy_free_bytes"], 96 * PAGE, tag + "buddy_free_bytes")
        t.eq(f["buddy_largest_free_bytes"], 64 * PAGE, tag + "buddy_largest_free_bytes")
        t.close(f["external"], 1 - 64 / 96, tag + "external")
        ws = p["fragmentation"]["waste_sites"]
        if t.check(len(ws) >= 1, tag + "no waste site"):
            t.eq(ws[0]["waste_bytes"], n * (128 * KIB - size), tag + "waste_sites[0].waste_bytes")
            t.first_frame_is(ws[0]["stack"], "pow2.c", "pow2_alloc", tag + "waste_sites[0]")
        # the simulation: the contiguous heaps just stack them up; the pure
        # buddy doubles 128K→256K→512K→1M at the fifth block (free 640K..1M:
        # 128K + 256K); heapscope's page buddy as the real one above
        g = t.strategies(p)
        for name in simref.STRATEGIES[:4]:
            t.expect_strategy(g, name, foot=n * size, live=n * size, req=n * size, frag=0.0, search=0.0)
        t.expect_strategy(g, "buddy", foot=MIB, live=n * 128 * KIB, req=n * size, frag=1 - 256 / 384)
        t.expect_strategy(g, "heapscope", foot=n * 128 * KIB, live=n * 128 * KIB, req=n * size,
                          frag=1 - 64 / 96)


def one_class(t, f, want, util, mode, name):
    """The snapshot f has one slab class in use, exactly `want` with
    utilisation `util`."""
    cls = f["classes"]
    if t.eq(len(cls), 1, "%s: one slab class in use" % mode):
        c = dict(cls[0])
        got = c.pop("utilisation")
        t.eq(c, want, "%s: %s" % (mode, name))
        t.close(got, util, "%s: %s utilisation" % (mode, name))


def sc_slab(t):
    """(b) one size class only: 1000 × 64 B."""
    count = 1000
    # detect=0: class 64 (index 3), 64 objects a one-page slab. The thread
    # cache refills 32 at a time and 32 divides 64, so 32 refills take 1024
    # objects: 16 full slabs, 24 objects parked in the magazine.
    p = t.traced("slab", detect=0)
    t.eq(p["heap"]["allocations"], count, "detect=0: heap.allocations (nothing else allocates)")
    f = p["fragmentation"]["at_exit"]
    want = {"size": 64, "slabs": {"empty": 0, "partial": 0, "full": 16}, "slab_bytes": PAGE,
            "capacity": 16 * 64, "live": count, "requested_bytes": count * 64,
            "handed_out_bytes": count * 64, "waste_bytes": 0}
    one_class(t, f, want, count / 1024, "detect=0", "class 64")
    t.close(f["slab_utilisation"], count / 1024, "detect=0: slab_utilisation")
    t.eq(f["internal_by_cause"], {"size_class": 0, "power_of_two": 0, "page": 0}, "detect=0: internal_by_cause")
    t.eq([(o["order"], o["slab"], o["used"]) for o in f["orders"] if o["slab"] or o["used"]], [(0, 16, 0)],
         "detect=0: buddy blocks (16 one-page slabs)")
    # the 1 MiB chunk less 16 pages: free blocks of 16, 32, 64 and 128 pages
    t.eq(f["buddy_free_bytes"], 240 * PAGE, "detect=0: buddy_free_bytes")
    t.close(f["external"], 1 - 128 / 240, "detect=0: external")
    t.eq(p["fragmentation"]["waste_sites"], [], "detect=0: waste_sites (no rounding)")
    # detect=1: 64 + 1 canary byte → class 80 (index 4): 51 objects a
    # one-page slab. A refill takes 32 from the partial slab, or what is
    # left of it (19), before a new slab is made: 51 allocations a slab.
    # 1000 = 19 × 51 + 31: 19 full slabs, the 20th has given out 32 (31 to
    # the program, 1 in the magazine) → partial.
    p = t.traced("slab", detect=1)
    f = p["fragmentation"]["at_exit"]
    want = {"size": 80, "slabs": {"empty": 0, "partial": 1, "full": 19}, "slab_bytes": PAGE,
            "capacity": 20 * 51, "live": count, "requested_bytes": count * 64,
            "handed_out_bytes": count * 80, "waste_bytes": count * 16}
    one_class(t, f, want, count / 1020, "detect=1", "class 80")
    t.eq(f["internal_by_cause"], {"size_class": count * 16, "power_of_two": 0, "page": 0},
         "detect=1: internal_by_cause")
    ws = p["fragmentation"]["waste_sites"]
    if t.check(len(ws) == 1, "detect=1: one waste site, got %d" % len(ws)):
        t.eq(ws[0]["waste_bytes"], count * 16, "detect=1: waste_sites[0].waste_bytes")
        t.first_frame_is(ws[0]["stack"], "slab.c", "slab_alloc", "detect=1: waste_sites[0]")


U = 16


def sc_fit_worst(t):
    """(c) progs/fit_worst.c: the numbers derived in its comment."""
    results = []
    for detect in (0, 1):
        p = t.traced("fit_worst", detect=detect, opts=["--simulate"])
        t.eq(p["heap"]["allocations"], 12, "detect=%d: heap.allocations (nothing else allocates)" % detect)
        g = t.strategies(p)
        results.append(p["simulate"])
        t.expect_strategy(g, "first-fit", foot=230 * U, live=200 * U, req=200 * U, frag=1 / 3, search=10 / 12)
        t.expect_strategy(g, "next-fit", foot=230 * U, live=200 * U, req=200 * U, frag=0.0, search=7 / 12)
        t.expect_strategy(g, "best-fit", foot=230 * U, live=200 * U, req=200 * U, frag=0.0, search=9 / 12)
        t.expect_strategy(g, "worst-fit", foot=250 * U, live=230 * U, req=230 * U, frag=0.5, search=15 / 12)
    t.eq(results[0], results[1], "the simulation does not depend on detect")


def sc_fit_best(t):
    """(c) progs/fit_best.c: Knuth's example, the numbers derived in its comment.

    buddy (16-byte units): A=130 → order 8 (4 KiB) is the whole first arena;
    s1 (order 4) doubles it to 8 KiB, the new upper half split for s1 —
    that is the peak (live 4096 + 256; free 8192-4352, the largest an
    order-7 2 KiB block → fragmentation 1-2048/3840). The later blocks fit.

    heapscope: A 2080 B → class 2560 (8-page slab, pages 0-7); s1, s2 160 B
    → class 160 (1-page slab, page 8); B 1920 → class 2048 (4-page slab,
    page 12); A, B freed: each slab is its class's only empty one, kept.
    X 1600 and Y 1760 → class 1792 (4-page slab, pages 16-19); Z 400 → class
    448 (1 page, page 9). Peak 18 pages, live 160+160+1792+1792+448; free
    238 pages of the 1 MiB chunk, the largest 128 (pages 128-255).
    """
    results = []
    for detect in (0, 1):
        p = t.traced("fit_best", detect=detect, opts=["--simulate"])
        t.eq(p["heap"]["allocations"], 7, "detect=%d: heap.allocations (nothing else allocates)" % detect)
        g = t.strategies(p)
        results.append(p["simulate"])
        t.expect_strategy(g, "first-fit", foot=270 * U, live=270 * U, req=270 * U, frag=0.0, search=4 / 7)
        t.expect_strategy(g, "next-fit", foot=270 * U, live=270 * U, req=270 * U, frag=0.0, search=5 / 7)
        t.expect_strategy(g, "best-fit", foot=295 * U, live=255 * U, req=255 * U, frag=0.5, search=6 / 7)
        t.expect_strategy(g, "worst-fit", foot=270 * U, live=270 * U, req=270 * U, frag=0.0, search=6 / 7)
        t.expect_strategy(g, "buddy", foot=8192, live=4096 + 256, req=(130 + 10) * U, frag=1 - 2048 / 3840)
        t.expect_strategy(g, "heapscope", foot=18 * PAGE, live=160 + 160 + 1792 + 1792 + 448,
                          req=(10 + 10 + 100 + 110 + 25) * U, frag=1 - 128 / 238)
    t.eq(results[0], results[1], "the simulation does not depend on detect")


def page_round(n):
    return (n + PAGE - 1) // PAGE * PAGE


def sc_segments(t):
    """(d) progs/segments.c against its -DCONTROL build, under detect=0 and 1."""
    data, bss, file_bytes, stack, nthreads = 4 * MIB, 8 * MIB, 3 * MIB + 5, 1 * MIB, 3
    control_page = PAGE  # the control build keeps one page of each array
    for detect in (0, 1):
        tag = "detect=%d: " % detect
        mapped = os.path.join(t.work, "mapped%d.bin" % detect)
        rc, so, out = t.run([t.prog("segments"), mapped], detect=detect)
        t.eq(rc, 0, tag + "segments exit status")
        t.check("ready" in so, tag + "segments did not get ready")
        s = t.report(out)["segments"]["at_exit"]
        rc, so, out = t.run([t.prog("segments_control")], detect=detect)
        t.eq(rc, 0, tag + "segments_control exit status")
        c = t.report(out)["segments"]["at_exit"]
        t.note(tag + "at exit: " + json.dumps(s))
        t.note(tag + "control: " + json.dumps(c))
        t.check(s["data"] >= data, tag + "data %d < %d" % (s["data"], data))
        t.eq(s["data"] - c["data"], data - control_page, tag + "data minus the control's")
        t.check(s["bss"] >= bss, tag + "bss %d < %d" % (s["bss"], bss))
        t.eq(s["bss"] - c["bss"], bss - control_page, tag + "bss minus the control's")
        t.eq(c["files"], 0, tag + "control: files (nothing mapped)")
        t.eq(s["files"], page_round(file_bytes), tag + "files (the mapped file, pages rounded up)")
        t.eq(c["thread_stacks"], 0, tag + "control: thread_stacks (no thread)")
        # glibc (2.36) maps each stack with its guard page on top of the
        # size asked for; allow a page or two more per thread elsewhere
        t.between(s["thread_stacks"], nthreads * stack, nthreads * (stack + 2 * PAGE), tag + "thread_stacks")
        for k in ("text", "rodata"):
            t.eq(s[k], c[k], tag + "%s (same objects loaded)" % k)


def sc_resident(t):
    """(d) progs/resident.c against its -DCONTROL build: resident sizes at
    exit put the heap's pages under "heap", under detect=0 and 1."""
    touched, slabs = 12 * MIB, 4096 * 1024
    for detect in (0, 1):
        tag = "detect=%d: " % detect
        res = {}
        for prog in ("resident", "resident_control"):
            rc, _, out = t.run([t.prog(prog)], detect=detect)
            t.eq(rc, 0, tag + prog + " exit status")
            last = t.report(out)["segments"]["series"][-1]
            t.note(tag + prog + " at exit: " + json.dumps(last["resident"]))
            res[prog] = last["resident"] or {}
        s, c = res["resident"], res["resident_control"]
        if not t.check(s and c, tag + "no resident sizes at exit"):
            continue
        t.between(s["heap"] - c["heap"], touched + slabs, touched + slabs + 64 * KIB,
                  tag + "resident heap minus the control's")
        t.between(s["anon"] - c["anon"], -64 * KIB, 64 * KIB, tag + "resident anon minus the control's")
        t.between(s["heapscope"] - c["heapscope"], 0, 1 * MIB, tag + "resident heapscope minus the control's")


def sc_timeline(t):
    """(e) progs/timeline.c: a 10 MiB peak from one line."""
    big, small = 10 * MIB, 10 * 100
    for detect in (0, 1):
        tag = "detect=%d: " % detect
        p = t.traced("timeline", detect=detect)
        h = p["heap"]
        t.eq(h["peak_bytes"], big + small, tag + "heap.peak_bytes")
        t.eq(h["peak_blocks"], 11, tag + "heap.peak_blocks")
        t.eq(h["allocations"], 10 + 1 + 1000, tag + "heap.allocations")
        t.eq(h["live_at_end"], {"blocks": 10, "bytes": small}, tag + "heap.live_at_end")
        tl = p["timeline"]
        pk = tl["peak"]
        t.check(pk["bytes"] >= big, tag + "timeline.peak.bytes %d < 10 MiB" % pk["bytes"])
        t.eq(pk["bytes"], h["peak_bytes"], tag + "timeline.peak.bytes = heap.peak_bytes")
        t.eq(pk["t_ms"], h["peak_time_ms"], tag + "timeline.peak.t_ms = heap.peak_time_ms")
        sites = pk["sites"]
        if t.check(len(sites) >= 2, tag + "timeline.peak.sites: %d" % len(sites)):
            t.eq(sites[0]["bytes_at_peak"], big, tag + "peak site #1 bytes_at_peak")
            t.first_frame_is(sites[0]["stack"], "timeline.c", "peak_alloc", tag + "peak site #1")
            t.eq(sites[1]["bytes_at_peak"], small, tag + "peak site #2 bytes_at_peak")
            t.first_frame_is(sites[1]["stack"], "timeline.c", "small_alloc", tag + "peak site #2")
            t.eq(sum(s["bytes_at_peak"] for s in sites), big + small, tag + "peak sites add up to the peak")
        pts = tl["points"]
        if t.check(len(pts) >= 2, tag + "timeline points: %d" % len(pts)):
            t.eq(max(q["live_bytes"] for q in pts), big + small, tag + "largest point = the peak")
            # the free came 100 ms after the peak, the churn 100 ms later:
            # a later point is back to the small blocks (+ one churn block)
            after = [q for q in pts if q["t_ms"] >= pk["t_ms"] + 150]
            if t.check(bool(after), tag + "no timeline point 150 ms after the peak (%r)" % pts):
                t.check(after[-1]["live_bytes"] <= small + 64,
                        tag + "after the peak: %d bytes live" % after[-1]["live_bytes"])
            t.eq(pts[-1]["allocations"], h["allocations"], tag + "last point's cumulative allocations")
            t.eq(pts[-1]["frees"], h["frees"], tag + "last point's cumulative frees")


def sc_quarantine(t):
    """Freed blocks waiting in the quarantine (detect=1) are not live: no
    snapshot may show more requested bytes than the program ever held, and
    the class's live objects are the program's. progs/quarantine.c: 1000 ×
    64 B kept, 500 × 64 B allocated and freed one at a time, then after
    150 ms (a snapshot due) one more kept: snapshots at that malloc (1000
    live) and at exit (1001 live); heap.peak_bytes is 1000 × 64 + 64."""
    keep, size = 1000, 64
    slot = {0: 64, 1: 80}  # detect's canary byte moves 64 B into class 80
    for detect in (0, 1):
        tag = "detect=%d: " % detect
        p = t.traced("quarantine", detect=detect)
        h = p["heap"]
        t.eq(h["peak_bytes"], keep * size + size, tag + "heap.peak_bytes")
        f = p["fragmentation"]
        for s in f["series"]:
            t.check(s["requested_bytes"] <= h["peak_bytes"],
                    tag + "snapshot at %d ms: requested_bytes %d > heap.peak_bytes %d (freed blocks counted "
                    "as live; quarantine_bytes %d)" % (s["t_ms"], s["requested_bytes"], h["peak_bytes"],
                                                      s["quarantine_bytes"]))
        mid = [s for s in f["series"] if s["t_ms"] >= 100 and s["requested_bytes"] != keep * size + size]
        if t.check(len(mid) == 1, tag + "one snapshot between the churn and exit, got %r" % (f["series"],)):
            t.eq(mid[0]["requested_bytes"], keep * size, tag + "requested_bytes after the churn")
        pk = f["at_peak"]
        t.eq(pk["requested_bytes"], (keep + 1) * size, tag + "at_peak.requested_bytes")
        cls = [c for c in pk["classes"] if c["size"] == slot[detect]]
        if t.check(len(cls) == 1, tag + "at_peak: class %d" % slot[detect]):
            t.eq(cls[0]["live"], keep + 1, tag + "at_peak: class %d live" % slot[detect])
            t.eq(cls[0]["requested_bytes"], (keep + 1) * size, tag + "at_peak: class %d requested_bytes"
                 % slot[detect])
        t.note(tag + "quarantine_bytes over time: %r" % [(s["t_ms"], s["quarantine_bytes"]) for s in f["series"]])


SCENARIOS = {
    "sim_reference": sc_sim_reference,
    "simulate_output": sc_simulate_output,
    "pow2": sc_pow2,
    "slab": sc_slab,
    "fit_worst": sc_fit_worst,
    "fit_best": sc_fit_best,
    "segments": sc_segments,
    "resident": sc_resident,
    "timeline": sc_timeline,
    "quarantine": sc_quarantine,
}


def main():
    ap = hscheck.arg_parser(("heapscope", "progs", "src", "work"))
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    a = ap.parse_args()
    return Test(a, a.scenario).execute(SCENARIOS[a.scenario])


if __name__ == "__main__":
    sys.exit(main())
