#!/usr/bin/env python3
"""check_reports.py — the HTML report end to end (ctest label `reports`).

Each scenario records a program under `heapscope run --out <fresh dir>`,
makes the page with `heapscope report --html DIR` (or runs
reports/heapscope_report.py directly) and checks what a reader depends on:

  demo      the bundled demo: every chart its JSON sections allow exists as a
            valid PNG (signature, IHDR, IEND, sensible size) and embedded in
            index.html as a data URI identical to the file; the page loads
            nothing from outside, every link points to a file that exists or
            an anchor on the page, every <img> has alt text, every leak and
            error id of report.json is on the page; a second run over the same
            directory replaces heapscope's files and removes stale charts.
  pattern   tests/reports/pattern.cc (a parent and an _exit'ing child):
            names with < > & and argv with markup come out escaped, the error
            table has where/allocated/freed stacks, the child says no leak
            scan ran, the overview table lists both processes.
  simulate  `report --simulate --html`: the fit-strategy chart is drawn.
  sections  a report with null and malformed sections, and a simulate
            section of another shape: the page is still made, says what is
            missing, draws what it can.
  bad_input not JSON, JSON that is not a heapscope report, a newer format,
            a missing file, an output path that is a file, and a trace that
            is not a trace: each one line on stderr, non-zero, no traceback.
  no_matplotlib  the script under an interpreter that really lacks matplotlib
            (found at test time among the python3 interpreters on PATH and
            pyenv's; else /usr/bin/python3 -S when matplotlib lives in
            site-packages): exit 3 and exactly the one-line message. Skipped
            (77) when every interpreter here can import matplotlib.
  heapscope_no_matplotlib  the same through `heapscope report --html` with
            HEAPSCOPE_PYTHON pointing at that interpreter: non-zero, the
            message, no index.html. Skipped (77) likewise.
  symlink   DIR, DIR/report.json, DIR/index.html or a chart's PNG planted as a
            symbolic link: refused with one line, the link's target unchanged.

Usage: check_reports.py --heapscope CLI --demo PROG --pattern PROG
                        --reports DIR --work DIR SCENARIO
Exit status: 0 pass, 1 fail, 77 skipped. Python standard library only.
"""
import argparse
import base64
import glob
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "lib"))
import hscheck  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NEED_MATPLOTLIB = ("heapscope: the HTML report needs matplotlib "
                   "(Debian: apt-get install python3-matplotlib)")
# What each chart needs in a process of the JSON report (mirrors the
# skip rules of reports/hs_charts.py, from the data's side).
CHART_KEYS = ("timeline", "fragmentation", "classes", "buddy", "segments", "sites", "leaks",
              "simulate")
SKIP = 77


class Failed(Exception):
    pass


class T:
    def __init__(self, a, scenario):
        self.a = a
        self.work = hscheck.fresh_dir(os.path.join(a.work, scenario))
        self.errors = 0
        self.env = hscheck.environ(drop=("HEAPSCOPE_PYTHON", "HEAPSCOPE_OPTIONS"))
        exe_dir = os.path.dirname(os.path.realpath(a.heapscope))
        if not any(os.path.isfile(os.path.join(exe_dir, rel, "heapscope_report.py"))
                   for rel in ("../share/heapscope/reports", "../../reports")):
            # a build tree that is not a direct subdirectory of the sources
            self.env["HEAPSCOPE_REPORTS"] = a.reports
            print("note: build tree outside the source root; HEAPSCOPE_REPORTS=%s" % a.reports)

    def check(self, cond, msg):
        if not cond:
            self.errors += 1
            print("FAIL: " + msg)
        return cond

    def must(self, cond, msg):
        if not cond:
            raise Failed(msg)

    def run(self, argv, env=None, **kw):
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env or self.env, timeout=300, **kw)
        r.out = r.stdout.decode("utf-8", "replace")
        r.err = r.stderr.decode("utf-8", "replace")
        return r

    # ---- recording and reporting ---------------------------------------------------
    def record(self, name, prog, args=(), options=None):
        out = os.path.join(self.work, name)
        env = dict(self.env, HEAPSCOPE_OPTIONS=options) if options else None
        r = self.run([self.a.heapscope, "run", "--quiet", "--fail-on", "none", "--out", out, "--",
                      prog] + list(args), env=env)
        self.must(r.returncode == 0, "heapscope run %s: status %d\n%s" % (prog, r.returncode, r.err))
        traces = hscheck.traces(out)
        self.must(traces, "heapscope run %s left no trace in %s" % (prog, out))
        return traces

    def html(self, traces, name="html", extra=(), env=None):
        d = os.path.join(self.work, name)
        r = self.run([self.a.heapscope, "report"] + list(extra) + ["--html", d] + traces, env=env)
        return d, r

    def html_ok(self, traces, name="html", extra=()):
        d, r = self.html(traces, name, extra)
        self.must(r.returncode == 0, "report --html: status %d\n%s" % (r.returncode, r.err))
        index = os.path.join(d, "index.html")
        lines = r.out.strip().splitlines()
        self.check(lines and lines[-1] == os.path.realpath(index),
                   "report --html printed %r, not the path of %s" % (r.out, index))
        self.check(r.err.strip() == "", "report --html wrote to stderr: %r" % r.err)
        with open(os.path.join(d, "report.json"), encoding="utf-8") as f:
            rep = json.load(f)
        return d, rep

    # ---- interpreters ---------------------------------------------------------------
    @staticmethod
    def has_mpl(argv):
        try:
            r = subprocess.run(argv + ["-c", "import matplotlib"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=60)
        except OSError:
            return None
        return r.returncode == 0

    def mpl_python(self):
        for c in ("/usr/bin/python3", shutil.which("python3"), sys.executable):
            if c and self.has_mpl([c]):
                return c
        raise Failed("no python3 here can import matplotlib: the HTML report cannot be made")

    def no_mpl_python(self):
        """[interpreter, args...] that lacks matplotlib, or None."""
        cands = []
        for d in os.environ.get("PATH", "").split(os.pathsep):
            for f in sorted(glob.glob(os.path.join(d or ".", "python3*"))):
                if re.search(r"/python3(\.\d+)?$", f) and os.access(f, os.X_OK):
                    cands.append(f)
        cands += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/*/bin/python3")))
        cands.append(sys.executable)
        seen = set()
        for c in cands:
            real = os.path.realpath(c)
            if real in seen:
                continue
            seen.add(real)
            if self.has_mpl([c]) is False:
                return [c]
        for c in ("/usr/bin/python3", shutil.which("python3")):
            # Debian's matplotlib lives in dist-packages, which -S leaves out of sys.path
            if c and self.has_mpl([c]) and self.has_mpl([c, "-S"]) is False:
                return [c, "-S"]
        return None

    # ---- the page -------------------------------------------------------------------
    def check_png(self, path, data=None):
        if data is None:
            with open(path, "rb") as f:
                data = f.read()
        name = os.path.basename(path)
        if not self.check(len(data) > 2000, "%s: %d bytes, too small for a chart" % (name, len(data))):
            return
        if not self.check(data[:8] == PNG_MAGIC, "%s: no PNG signature" % name):
            return
        self.check(data[12:16] == b"IHDR", "%s: first chunk is not IHDR" % name)
        w, h = struct.unpack(">II", data[16:24])
        self.check(400 <= w <= 4000 and 150 <= h <= 4000, "%s: odd size %dx%d" % (name, w, h))
        self.check(data[-12:-8] == b"\0\0\0\0" and data[-8:-4] == b"IEND", "%s: no IEND at the end" % name)
        crc = struct.unpack(">I", data[29:33])[0]
        self.check(zlib.crc32(data[12:29]) & 0xffffffff == crc, "%s: IHDR CRC wrong" % name)

    def expected_charts(self, p):
        """Chart keys the process's JSON allows."""
        out = set()
        tl = p.get("timeline")
        if isinstance(tl, dict) and tl.get("points"):
            out.add("timeline")
        fr = p.get("fragmentation")
        if isinstance(fr, dict) and fr.get("series"):
            out.add("fragmentation")
            snaps = [s for s in (fr.get("at_peak"), fr.get("at_exit")) if isinstance(s, dict)]
            # each chart draws the first snapshot in which what it shows was
            # in use (the peak's, else the last)
            classes = [c for s in snaps for c in s.get("classes", [])]
            orders = [o for s in snaps for o in s.get("orders", [])]
            if any(c.get("size") and (c.get("capacity") or c.get("live")) for c in classes):
                out.add("classes")
            if any(o.get("free") or o.get("used") or o.get("slab") for o in orders):
                out.add("buddy")
        sg = p.get("segments")
        if isinstance(sg, dict) and len(sg.get("series") or []) >= 2:
            out.add("segments")
        if (p.get("heap") or {}).get("top_sites"):
            out.add("sites")
        if isinstance(p.get("leaks"), dict) and p["leaks"].get("records"):
            out.add("leaks")
        if p.get("simulate") is not None:
            out.add("simulate")
        return out

    def check_page(self, d, rep, prefix_of=None):
        index = os.path.join(d, "index.html")
        with open(index, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
        pg = Page()
        pg.feed(text)
        pg.close()
        self.check(text.startswith("<!DOCTYPE html>"), "index.html: no doctype")
        self.check(not pg.unbalanced, "index.html: unbalanced tags: %s" % pg.unbalanced[:5])
        self.check(not pg.forbidden, "index.html: loads or runs something: %s" % pg.forbidden[:5])
        self.check(pg.imgs, "index.html: no image at all")
        files = {}
        for f in sorted(glob.glob(os.path.join(d, "*.png"))):
            with open(f, "rb") as fh:
                files[os.path.basename(f)] = fh.read()
            self.check_png(f, files[os.path.basename(f)])
        embedded = []
        for attrs in pg.imgs:
            src, alt = attrs.get("src") or "", (attrs.get("alt") or "").strip()
            self.check(len(alt) >= 20, "an <img> without real alt text: %r" % alt)
            if not self.check(src.startswith("data:image/png;base64,"),
                              "an <img> not embedded as a PNG data URI: %s" % src[:60]):
                continue
            data = base64.b64decode(src.split(",", 1)[1], validate=True)
            self.check_png("embedded image (alt %r)" % alt[:40], data)
            embedded.append(data)
        self.check(sorted(embedded) == sorted(files.values()),
                   "the embedded images are not exactly the PNG files of %s (%d embedded, %d files)"
                   % (d, len(embedded), len(files)))
        for href in pg.hrefs:
            if href.startswith("#"):
                self.check(href[1:] in pg.ids, "link to a missing anchor %s" % href)
            else:
                self.check("/" not in href and ":" not in href and os.path.isfile(os.path.join(d, href)),
                           "link to something that is not a file next to index.html: %s" % href)
        # every chart the data allows, and no other
        procs = rep["processes"]
        want = set()
        for p in procs:
            pid = p["pid"]
            for k in self.expected_charts(p):
                want.add("pid%d-%s.png" % (pid, k))
        self.check(set(files) == want, "PNG files %s, expected %s"
                   % (sorted(set(files) ^ want), "the symmetric difference"))
        for p in procs:
            self.check('id="pid%d"' % p["pid"] in text, "no section for pid %d" % p["pid"])
            for r in (p.get("leaks") or {}).get("records", []):
                self.check(html_escape(r["id"]) in text, "leak record %s not on the page" % r["id"])
            for e in p.get("errors") or []:
                self.check(html_escape(e["id"]) in text, "error %s not on the page" % e["id"])
        return text, files


class Page(html.parser.HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input", "source", "wbr", "col", "area", "base"}
    OPTIONAL_END = {"li", "p", "tr", "td", "th", "option"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.unbalanced, self.forbidden = [], [], []
        self.imgs, self.hrefs, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("script", "link", "iframe", "object", "embed", "base", "frame"):
            self.forbidden.append(tag)
        for k, v in attrs:
            if k.startswith("on"):
                self.forbidden.append("%s %s" % (tag, k))
            if k in ("src", "href", "srcset", "action", "data") and v and \
                    re.match(r"^\s*(https?:|//|file:|javascript:)", v, re.I):
                self.forbidden.append("%s %s=%s" % (tag, k, v[:40]))
        if tag == "img":
            self.imgs.append(a)
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack and self.stack[-1] != tag and self.stack[-1] in self.OPTIONAL_END:
            self.stack.pop()
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.unbalanced.append("</%s> with %s open" % (tag, self.stack[-3:]))

    def handle_data(self, data):
        if re.search(r"@import|url\(\s*['\"]?(https?:|//)", data):
            self.forbidden.append("CSS loading %s" % data[:40])

    def close(self):
        super().close()
        rest = [t for t in self.stack if t not in self.OPTIONAL_END]
        if rest:
            self.unbalanced.append("left open: %s" % rest)


def html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;").replace("'", "&#x27;")


# ---- scenarios --------------------------------------------------------------------

def s_demo(t):
    # snapshots every 10 ms, as scripts/run does for the demo: a run this
    # short would otherwise have a snapshot at start and at exit only
    traces = t.record("traces", t.a.demo, options="snapshot_ms=10")
    d, rep = t.html_ok(traces)
    text, files = t.check_page(d, rep)
    p = rep["processes"][0]
    t.check(len(rep["processes"]) == 1, "the demo is one process")
    for k in ("timeline", "fragmentation", "classes", "buddy", "segments", "sites", "leaks"):
        t.check("pid%d-%s.png" % (p["pid"], k) in files, "the demo has no %s chart" % k)
    t.check("no simulate section" in text, "the page does not say why the fit chart is missing")
    t.check(isinstance(p["leaks"], dict) and p["leaks"]["definite"]["blocks"] >= 1,
            "the demo's deliberate leak is not in the report")
    t.check("strdup" in text and "demo.c" in text, "the leak's stack is not on the page")
    # again over the same directory: heapscope's own files are replaced, the
    # charts of processes no longer shown are removed, other files are kept
    before = os.stat(os.path.join(d, "index.html")).st_mtime_ns
    with open(os.path.join(d, "pid1-timeline.png"), "wb") as f:
        f.write(files["pid%d-timeline.png" % p["pid"]])
    with open(os.path.join(d, "notes.txt"), "w") as f:
        f.write("mine\n")
    d2, rep2 = t.html_ok(traces)
    t.check(os.stat(os.path.join(d2, "index.html")).st_mtime_ns >= before, "index.html not rewritten")
    t.check(not os.path.exists(os.path.join(d2, "pid1-timeline.png")), "a stale chart was left")
    t.check(os.path.isfile(os.path.join(d2, "notes.txt")), "a file that is not heapscope's was removed")
    t.check_page(d2, rep2)


def s_pattern(t):
    args = ["<b>x&y</b>", "it's \"quoted\""]
    traces = t.record("traces", t.a.pattern, args)
    t.must(len(traces) == 2, "pattern: %d traces, expected parent and child" % len(traces))
    d, rep = t.html_ok(traces)
    text, files = t.check_page(d, rep)
    procs = {("child" if (p.get("exit") or {}).get("via") == "_exit" else "parent"): p
             for p in rep["processes"]}
    t.must(set(procs) == {"parent", "child"}, "pattern: parent and child not told apart: %s"
           % [p.get("exit") for p in rep["processes"]])
    par, child = procs["parent"], procs["child"]
    for k in ("timeline", "fragmentation", "classes", "buddy", "segments", "sites", "leaks"):
        t.check("pid%d-%s.png" % (par["pid"], k) in files, "parent: no %s chart" % k)
    # escaping: names and argv from the program never appear raw
    for raw, esc in (("make_array<int>", "make_array&lt;int&gt;"),
                     ("make_tree(int const&)", "make_tree(int const&amp;)"),
                     ("<b>x&y</b>", "&lt;b&gt;x&amp;y&lt;/b&gt;")):
        t.check(raw not in text, "%r appears unescaped in index.html" % raw)
        t.check(esc in text, "%r (escaped) is not in index.html" % esc)
    kinds = {r["kind"] for r in par["leaks"]["records"]}
    t.check({"definite", "indirect"} <= kinds, "pattern: leak kinds %s" % kinds)
    ekinds = {e["kind"] for e in par["errors"]}
    t.check({"double-free", "invalid-free"} <= ekinds, "pattern: error kinds %s" % ekinds)
    for h in ("<h4>where</h4>", "<h4>allocated</h4>", "<h4>freed</h4>"):
        t.check(h in text, "error table without the %s stack" % h)
    t.check(text.count('bad_frees()') >= 3, "the double free's three stacks are not all shown")
    t.check(child["leaks"] is None, "child: a leak scan after _exit?")
    sec = text[text.index('id="pid%d"' % child["pid"]):]
    t.check("No leak scan ran" in sec and "_exit" in sec, "child: the page does not say why no scan ran")
    t.check('id="processes"' in text and text.count('href="#pid') >= 2,
            "no overview table linking both processes")


def s_simulate(t):
    traces = t.record("traces", t.a.demo)
    d, rep = t.html_ok(traces, extra=["--simulate"])
    text, files = t.check_page(d, rep)
    p = rep["processes"][0]
    t.check(p["simulate"] is not None, "report --simulate: no simulate section")
    t.check("pid%d-simulate.png" % p["pid"] in files, "no fit-strategy chart")
    t.check("first-fit" in text, "the fit chart's alt text does not name the strategies")


def s_sections(t):
    py = t.mpl_python()
    traces = t.record("traces", t.a.demo)
    d, rep = t.html_ok(traces)
    p = rep["processes"][0]

    def page_of(name, report):
        """heapscope_report.py on `report` (written as NAME.json): the
        result and the page's directory (NAME-html)."""
        path = os.path.join(t.work, name + ".json")
        with open(path, "w") as f:
            json.dump(report, f)
        out = os.path.join(t.work, name + "-html")
        return t.run([py, t.a.script, "--quiet", path, out]), out

    # 1. null sections: said so, nothing drawn for them, no complaint
    nul = json.loads(json.dumps(rep))
    q = nul["processes"][0]
    for k in ("leaks", "fragmentation", "segments", "timeline", "simulate"):
        q[k] = None
    q["errors"] = []
    q["exit"] = None
    r, out = page_of("null", nul)
    t.must(r.returncode == 0, "null sections: status %d: %s" % (r.returncode, r.err))
    t.check(r.err == "", "null sections: stderr %r" % r.err)
    text, files = t.check_page(out, nul)
    t.check(sorted(files) == ["pid%d-sites.png" % p["pid"]], "null sections: charts %s" % sorted(files))
    for s in ("No leak scan ran", "no end record", "not drawn", "No memory errors"):
        t.check(s in text, "null sections: the page does not say %r" % s)
    # 2. malformed values: the page is still made
    bad = json.loads(json.dumps(rep))
    q = bad["processes"][0]
    q["heap"] = {"top_sites": [1, "x", {"stack": "nope", "bytes": "many"}], "peak_bytes": "big"}
    q["timeline"] = {"points": "none", "peak": []}
    q["fragmentation"] = {"series": [{"t_ms": "x"}, 5], "at_peak": {"classes": {}, "orders": [None]}}
    q["segments"] = {"kinds": 3, "series": [{"virtual": []}, {}]}
    q["leaks"] = {"records": [{"stack": [{"function": None}], "bytes": -1}], "definite": 7}
    q["errors"] = [{"kind": "<script>", "block": {"size": "a"}}, None]
    q["argv"] = [None, 5, "<i>"]
    q["simulate"] = {"strategies": {"first-fit": {"peak_footprint_bytes": "no"}}}
    bad["processes"].append({"pid": "<7>", "argv": "x"})
    bad["processes"].append("not an object")
    r, out = page_of("bad", bad)
    t.check(r.returncode == 0, "malformed sections: status %d: %s" % (r.returncode, r.err))
    t.check("Traceback" not in r.err, "malformed sections: a traceback:\n%s" % r.err)
    if os.path.isfile(os.path.join(out, "index.html")):
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            text = f.read()
        t.check("<script>" not in text and "<i>" not in text, "malformed sections: markup got through")
    # 3. a simulate section of another shape: drawn generically
    gen = json.loads(json.dumps(rep))
    gen["processes"][0]["simulate"] = {
        "first-fit": {"footprint_bytes": 3 << 20, "fragmentation": 0.25, "searches": 120},
        "best-fit": {"footprint_bytes": 5 << 19, "fragmentation": 0.125, "searches": 300}}
    r, out = page_of("generic", gen)
    t.check(r.returncode == 0 and r.err == "", "generic simulate: status %d: %s" % (r.returncode, r.err))
    t.check(os.path.isfile(os.path.join(out, "pid%d-simulate.png" % p["pid"])),
            "generic simulate: no chart")
    # 4. the peak fell between snapshots of slab use (buddy blocks only then):
    # the slab chart draws the last snapshot and says so, the buddy chart the peak
    fr = p.get("fragmentation") or {}
    if isinstance(fr.get("at_exit"), dict) and fr["at_exit"].get("classes"):
        ph = json.loads(json.dumps(rep))
        f2 = ph["processes"][0]["fragmentation"]
        f2["at_peak"] = dict(f2["at_exit"], classes=[])
        f2["at_peak"]["orders"] = [{"order": 0, "block_bytes": 4096, "free": 0, "used": 9, "slab": 0}]
        r, out = page_of("peak-buddy-only", ph)
        t.must(r.returncode == 0 and r.err == "", "peak without slabs: status %d: %s" % (r.returncode, r.err))
        text, files = t.check_page(out, ph)
        for k in ("classes", "buddy"):
            t.check("pid%d-%s.png" % (p["pid"], k) in files, "peak without slabs: no %s chart" % k)
        t.check("the last snapshot" in text, "peak without slabs: the page does not say which snapshot")
    else:
        t.check(False, "the recorded run has no slab classes at exit to build the peak case from")


def one_line_error(t, r, what, pattern):
    lines = r.err.strip().splitlines()
    t.check(r.returncode != 0, "%s: status 0" % what)
    t.check(len(lines) == 1, "%s: %d lines on stderr, expected one:\n%s" % (what, len(lines), r.err))
    t.check(lines and lines[0].startswith("heapscope: ") and re.search(pattern, lines[0]),
            "%s: stderr %r does not match %r" % (what, r.err.strip(), pattern))
    t.check("Traceback" not in r.err, "%s: a traceback" % what)


def s_bad_input(t):
    py = t.mpl_python()
    cases = [
        ("garbage", b"\x00\x01 not json at all \xff", r"not a heapscope report \(not (JSON|UTF-8)"),
        ("plain", b"hello", r"not a heapscope report \(not JSON"),
        ("cut", b'{"heapscope": 1, "processes": [{"pid": 1', r"not a heapscope report \(not JSON"),
        ("other", b'{"foo": 1}', r"not a heapscope report"),
        ("list", b"[1, 2]", r"not a heapscope report"),
        ("noprocs", b'{"heapscope": 1}', r'no "processes" list'),
        ("newer", b'{"heapscope": 99, "processes": []}', r"version 99"),
    ]
    out = os.path.join(t.work, "out")
    for name, data, pattern in cases:
        path = os.path.join(t.work, name + ".json")
        with open(path, "wb") as f:
            f.write(data)
        r = t.run([py, t.a.script, path, out])
        one_line_error(t, r, name, pattern)
        t.check(r.returncode == 1, "%s: status %d, expected 1" % (name, r.returncode))
        t.check(not os.path.exists(os.path.join(out, "index.html")), "%s: an index.html was written" % name)
    r = t.run([py, t.a.script, os.path.join(t.work, "missing.json"), out])
    one_line_error(t, r, "missing", r"cannot read .*missing\.json")
    good = os.path.join(t.work, "good.json")
    with open(good, "w") as f:
        f.write('{"heapscope": 1, "processes": []}')
    afile = os.path.join(t.work, "afile")
    open(afile, "w").close()
    r = t.run([py, t.a.script, good, afile])
    one_line_error(t, r, "outdir is a file", r"afile")
    r = t.run([py, t.a.script, good])
    t.check(r.returncode == 2, "missing OUTDIR: status %d, expected 2 (usage)" % r.returncode)
    # heapscope report --html on something that is not a trace
    r = t.run([t.a.heapscope, "report", "--html", os.path.join(t.work, "h"), good])
    one_line_error(t, r, "report --html on a non-trace", r"good\.json")
    t.check(not os.path.exists(os.path.join(t.work, "h", "index.html")), "an index.html for no trace")


def s_no_matplotlib(t):
    py = t.no_mpl_python()
    if not py:
        print("SKIP: every python3 here imports matplotlib, even with -S")
        return SKIP
    print("interpreter without matplotlib: %s" % " ".join(py))
    traces = t.record("traces", t.a.demo)
    _, rep = t.html_ok(traces)
    src = os.path.join(t.work, "html", "report.json")
    out = os.path.join(t.work, "nompl")
    r = t.run(py + [t.a.script, src, out])
    t.check(r.returncode == 3, "status %d, expected 3" % r.returncode)
    t.check(r.err.strip() == NEED_MATPLOTLIB, "stderr %r, expected the one-line message" % r.err)
    t.check(not os.path.exists(os.path.join(out, "index.html")), "an index.html without matplotlib")
    # the message comes before the input is even read
    r = t.run(py + [t.a.script, os.path.join(t.work, "missing.json"), out])
    t.check(r.returncode == 3 and r.err.strip() == NEED_MATPLOTLIB,
            "missing input without matplotlib: status %d, %r" % (r.returncode, r.err))


def s_heapscope_no_matplotlib(t):
    py = t.no_mpl_python()
    if not py or len(py) > 1:
        print("SKIP: no python3 here lacks matplotlib (HEAPSCOPE_PYTHON takes a path, not options)")
        return SKIP
    print("interpreter without matplotlib: %s" % py[0])
    traces = t.record("traces", t.a.demo)
    env = dict(t.env, HEAPSCOPE_PYTHON=py[0])
    d, r = t.html(traces, env=env)
    one_line_error(t, r, "report --html without matplotlib", re.escape(NEED_MATPLOTLIB[len("heapscope: "):]))
    t.check(r.err.strip() == NEED_MATPLOTLIB, "stderr %r" % r.err)
    t.check(not os.path.exists(os.path.join(d, "index.html")), "an index.html without matplotlib")
    t.check(r.out == "", "a path printed although no page was made: %r" % r.out)


def s_symlink(t):
    traces = t.record("traces", t.a.demo)
    pid = int(re.search(r"heapscope\.(\d+)\.hst$", traces[0]).group(1))
    victim = os.path.join(t.work, "victim")
    for target in ("report.json", "index.html", "pid%d-timeline.png" % pid, None):
        with open(victim, "w") as f:
            f.write("keep me\n")
        d = os.path.join(t.work, "html-%s" % (target or "dir"))
        if target:
            os.makedirs(d)
            os.symlink(victim, os.path.join(d, target))
        else:
            os.makedirs(d + "-real")
            os.symlink(d + "-real", d)
        _, r = t.html(traces, name=os.path.basename(d))
        one_line_error(t, r, "symlink %s" % (target or "as DIR"), r"symbolic link")
        with open(victim) as f:
            t.check(f.read() == "keep me\n", "symlink %s: the link's target was written" % target)
        if target is None:
            t.check(os.listdir(d + "-real") == [], "symlinked DIR: files written through it")
    # a directory that belongs to another user is refused too
    if os.geteuid() == 0:
        other = os.path.join(t.work, "html-other")
        os.makedirs(other)
        os.chown(other, 65534, 65534)
    else:
        other = "/"
    r = t.run([t.a.heapscope, "report", "--html", other] + traces)
    one_line_error(t, r, "DIR of another user", r"belongs to another user")


SCENARIOS = {
    "demo": s_demo, "pattern": s_pattern, "simulate": s_simulate, "sections": s_sections,
    "bad_input": s_bad_input, "no_matplotlib": s_no_matplotlib,
    "heapscope_no_matplotlib": s_heapscope_no_matplotlib, "symlink": s_symlink,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--heapscope", required=True)
    ap.add_argument("--demo", required=True)
    ap.add_argument("--pattern", required=True)
    ap.add_argument("--reports", required=True, help="the source tree's reports/ directory")
    ap.add_argument("--work", required=True)
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    a = ap.parse_args()
    a.script = os.path.join(a.reports, "heapscope_report.py")
    t = T(a, a.scenario)
    try:
        rc = SCENARIOS[a.scenario](t)
    except Failed as e:
        print("FAIL: %s" % e)
        return 1
    if rc == SKIP:
        return SKIP
    if t.errors:
        print("%s: %d check(s) failed" % (a.scenario, t.errors))
        return 1
    print("%s: ok" % a.scenario)
    return 0


if __name__ == "__main__":
    sys.exit(main())
