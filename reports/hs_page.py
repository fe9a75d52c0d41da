"""hs_page.py — the one self-contained HTML page of a report: summary, leak
and error tables with symbolized stacks, top allocation sites, and the
charts embedded as base64 data URIs (the PNG files next to it are linked
too). No script, no external style sheet, no fetch: it opens from disk.

Every string taken from the report goes through esc() (html.escape with
quotes): paths, argv, function names and ids are program-controlled data.
"""
import base64
import html
import shlex
import struct

from hs_format import (arr, dig, fmt_bytes, fmt_count, fmt_ms, num, obj, process_name, site_label,
                       text)

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 margin:0;color:#1d1d1f;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:26px;margin:18px 0 4px}h2{font-size:21px;margin:34px 0 8px;padding-top:10px;
 border-top:3px solid #1f77b4}h3{font-size:17px;margin:22px 0 8px}
.sub{color:#555;margin:0 0 12px}
table{border-collapse:collapse;background:#fff;margin:6px 0 14px;width:100%}
th,td{border:1px solid #d7dbe0;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv th{width:190px}
code,.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px}
ol.stack{margin:4px 0 2px;padding-left:26px;font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;
 font-size:12.5px;overflow-wrap:anywhere}
ol.stack li{margin:1px 0}.fn{font-weight:600}.loc{color:#1f5f99}.mod,.addr{color:#777}
.inl{color:#8a5a00;font-style:italic}
details>summary{cursor:pointer}
.kind{display:inline-block;padding:1px 7px;border-radius:9px;color:#fff;font-size:12.5px;
 white-space:nowrap}
.k-definite,.k-error{background:#c62828}.k-indirect{background:#ef6c00}.k-possible{background:#9e9d24}
.k-reachable{background:#757575}.k-other{background:#00838f}
.warn{background:#fff4e5;border-left:4px solid #ef6c00;padding:8px 12px;margin:10px 0}
.note{background:#eef4fb;border-left:4px solid #1f77b4;padding:8px 12px;margin:10px 0}
.ok{color:#2e7d32}
figure{background:#fff;border:1px solid #d7dbe0;margin:14px 0;padding:10px}
figure img{max-width:100%;height:auto;display:block;margin:0 auto}
figcaption{color:#444;font-size:13.5px;margin-top:6px}
.stacks{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:10px}
.stacks h4{margin:4px 0;font-size:13.5px}
nav ul{margin:4px 0;padding-left:20px}
footer{color:#777;font-size:13px;margin-top:40px}
"""


def esc(x):
    return html.escape(text(x), quote=True)


def png_size(png):
    """(width, height) from a PNG's IHDR, or None."""
    if png and len(png) >= 24 and png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR":
        return struct.unpack(">II", png[16:24])
    return None


# ---- pieces --------------------------------------------------------------------

def frames_html(stack, empty="(no stack recorded)"):
    frames = [f for f in arr(stack) if isinstance(f, dict)]
    if not frames:
        return '<span class="sub">%s</span>' % esc(empty)
    out = ['<ol class="stack">']
    for f in frames:
        func = text(f.get("function"))
        file = text(f.get("file"))
        line = num(f.get("line"), None)
        parts = ['<span class="fn">%s</span>' % (esc(func) if func else "??")]
        if file:
            parts.append('<span class="loc">%s%s</span>' % (esc(file), ":%d" % line if line is not None else ""))
        if text(f.get("module")):
            parts.append('<span class="mod">%s</span>' % esc(f.get("module")))
        if text(f.get("address")):
            parts.append('<span class="addr">%s</span>' % esc(f.get("address")))
        if f.get("inlined") is True:
            parts.append('<span class="inl">inlined</span>')
        out.append("<li>%s</li>" % " ".join(parts))
    out.append("</ol>")
    return "".join(out)


def stack_cell(stack, open_=False, empty="(no stack recorded)"):
    if not arr(stack):
        return '<span class="sub">%s</span>' % esc(empty)
    return '<details%s><summary><code>%s</code></summary>%s</details>' % (
        " open" if open_ else "", esc(site_label(stack, 80)), frames_html(stack, empty))


def blocks(n):
    return "%s block%s" % (fmt_count(n), "" if num(n) == 1 else "s")


def kind_badge(kind):
    k = text(kind, "?")
    cls = k if k in ("definite", "indirect", "possible", "reachable") else "other"
    return '<span class="kind k-%s">%s</span>' % (cls, esc(k))


def exit_text(p):
    e = p.get("exit")
    if not isinstance(e, dict):
        return "no end record (killed by SIGKILL, or still running when the trace was read)"
    if "signal" in e:
        return "killed by signal %s" % text(e.get("signal"), "?")
    if e.get("exec") is True:
        return "replaced its image (exec)"
    if "code" in e:
        s = "exited with status %s" % text(e.get("code"), "?")
        if e.get("via") == "_exit":
            s += " through _exit (no destructors or atexit handlers ran)"
        return s
    return "unknown"


def no_scan_reason(p):
    e = p.get("exit")
    if not isinstance(e, dict):
        return "the trace has no end record: the process was killed by SIGKILL or had not ended"
    if e.get("exec") is True:
        return "the process replaced its image (exec) before it could exit"
    if "signal" in e:
        return "the process was killed by %s before the exit scan" % text(e.get("signal"), "a signal")
    if e.get("via") == "_exit":
        return "the process left through _exit, which runs no exit handlers and no leak check"
    return "the trace holds no leak scan"


def argv_text(p):
    argv = [text(a) for a in arr(p.get("argv"))]
    return " ".join(shlex.quote(a) for a in argv) if argv else "(unknown)"


def block_text(e):
    b = e.get("block")
    if not isinstance(b, dict):
        return "none"
    size, off = num(b.get("size")), num(b.get("offset"))
    s = "offset %s in a %s-byte block" % (fmt_count(off), fmt_count(size))
    if text(b.get("address")):
        s += " at %s" % text(b.get("address"))
    if off < 0:
        s += " (%s bytes before its start)" % fmt_count(-off)
    elif off >= size:
        s += " (%s bytes past its end)" % fmt_count(off - size) if off > size else " (just past its end)"
    return s


def access_text(e):
    acc = text(e.get("access"))
    size = num(e.get("size"), None)
    if not acc:
        return "\u2014"
    return acc + (" of %s byte%s" % (fmt_count(size), "" if size == 1 else "s") if size else "")


# ---- sections -----------------------------------------------------------------

def summary_html(p):
    heap = obj(p.get("heap"))
    rows = [
        ("command", "<code>%s</code>" % esc(argv_text(p))),
        ("executable", "<code>%s</code>" % esc(p.get("executable") or "(unknown)")),
        ("pid / parent", "%s / %s" % (esc(p.get("pid")), esc(p.get("ppid")))),
        ("trace", "<code>%s</code>" % esc(p.get("trace") or "(unknown)")),
        ("end", esc(exit_text(p))),
        ("duration", esc(fmt_ms(heap.get("duration_ms")))),
        ("allocations", "%s calls returned a block (%s of them reallocations); %s frees" % (
            fmt_count(heap.get("allocations")), fmt_count(heap.get("reallocations")),
            fmt_count(heap.get("frees")))),
        ("bytes allocated", "%s in all" % esc(fmt_bytes(heap.get("total_bytes")))),
        ("peak", "%s in %s blocks at %s" % (esc(fmt_bytes(heap.get("peak_bytes"))),
                                            fmt_count(heap.get("peak_blocks")),
                                            esc(fmt_ms(heap.get("peak_time_ms"))))),
        ("in use at end", "%s in %s" % (esc(fmt_bytes(dig(heap, "live_at_end", "bytes"))),
                                        blocks(dig(heap, "live_at_end", "blocks")))),
    ]
    if num(heap.get("unknown_frees")):
        rows.append(("unknown frees", "%s (blocks allocated before recording started)"
                     % fmt_count(heap.get("unknown_frees"))))
    leaks = p.get("leaks")
    if isinstance(leaks, dict):
        parts = []
        for k in ("definite", "indirect", "possible", "reachable", "suppressed"):
            t = obj(leaks.get(k))
            parts.append("%s: %s in %s" % (
                kind_badge(k) if k != "suppressed" else k, esc(fmt_bytes(t.get("bytes"))),
                blocks(t.get("blocks"))))
        extra = ""
        if num(leaks.get("threads_unscanned")):
            extra = ('<div class="warn">%s thread stacks could not be scanned: some blocks may '
                     'show as leaked although a thread still pointed to them.</div>'
                     % fmt_count(leaks.get("threads_unscanned")))
        rows.append(("leaks", "<br>".join(parts) + extra))
    else:
        rows.append(("leaks", "not checked: %s" % esc(no_scan_reason(p))))
    errs = [e for e in arr(p.get("errors")) if isinstance(e, dict)]
    if errs:
        kinds = {}
        for e in errs:
            k = text(e.get("kind"), "?")
            kinds[k] = kinds.get(k, 0) + max(1, num(e.get("count"), 1))
        s = ", ".join("%s %s" % (fmt_count(n), esc(k)) for k, n in sorted(kinds.items()))
    elif p.get("errors") is None:
        s = "not recorded"
    else:
        s = '<span class="ok">none</span>'
    if num(p.get("errors_suppressed")):
        s += " (%s suppressed)" % fmt_count(p.get("errors_suppressed"))
    rows.append(("memory errors", s))
    g = p.get("guard")
    if isinstance(g, dict):
        s = "%s blocks guarded (at most %s live at once; budget %s)" % (
            fmt_count(g.get("guarded_blocks")), fmt_count(g.get("peak_live_guarded")),
            fmt_count(g.get("budget")))
        if g.get("budget_exhausted") is True:
            s += "; the budget ran out, later blocks were sampled"
        if g.get("map_limit_hit") is True:
            s += "; the kernel's map limit was hit"
        rows.append(("guard pages", s))
    body = "".join('<tr><th>%s</th><td>%s</td></tr>' % (esc(k), v) for k, v in rows)
    out = '<table class="kv">%s</table>' % body
    if p.get("truncated") is True:
        out = ('<div class="warn">The trace ends early (the process was killed or is still '
               'running): this report covers it up to its last complete record.</div>') + out
    return out


def leaks_html(p):
    leaks = p.get("leaks")
    if not isinstance(leaks, dict):
        return '<p class="note">No leak scan ran for this process: %s.</p>' % esc(no_scan_reason(p))
    recs = [r for r in arr(leaks.get("records")) if isinstance(r, dict)]
    if not recs:
        return '<p class="ok">No leaked or reachable blocks.</p>'
    open_ = len(recs) <= 20
    rows = []
    for i, r in enumerate(recs):
        rows.append('<tr><td class="n">#%d</td><td>%s</td><td class="n">%s</td><td class="n">%s</td>'
                    '<td><code>%s</code></td><td>%s</td><td>%s</td></tr>' % (
                        i + 1, kind_badge(r.get("kind")), fmt_count(r.get("blocks")),
                        esc(fmt_bytes(r.get("bytes"))), esc(r.get("id")), esc(r.get("alloc_api") or "\u2014"),
                        stack_cell(r.get("stack"), open_)))
    return ('<table><tr><th class="n">#</th><th>kind</th><th class="n">blocks</th>'
            '<th class="n">bytes</th><th>id</th><th>API</th><th>allocated at</th></tr>%s</table>'
            % "".join(rows))


def errors_html(p):
    errs = p.get("errors")
    if errs is None:
        return '<p class="note">The report holds no memory-error section for this process.</p>'
    errs = [e for e in arr(errs) if isinstance(e, dict)]
    if not errs:
        return '<p class="ok">No memory errors.</p>'
    rows = []
    for i, e in enumerate(errs):
        apis = []
        for k, what in (("api", "call"), ("alloc_api", "allocated by"), ("free_api", "freed by")):
            if text(e.get(k)):
                apis.append("%s %s" % (what, esc(e.get(k))))
        rows.append(
            '<tr><td class="n">#%d</td><td><span class="kind k-error">%s</span></td>'
            '<td class="n">%s</td><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td>'
            '<td>%s</td><td>%s</td><td><code>%s</code></td></tr>' % (
                i + 1, esc(e.get("kind") or "?"), fmt_count(num(e.get("count"), 1)),
                esc(access_text(e)), esc(e.get("address")), esc(block_text(e)),
                esc(e.get("region") or "\u2014"), esc(e.get("detected") or "\u2014"),
                "<br>".join(apis) or "\u2014", esc(e.get("id"))))
        stacks = []
        for key, head, none in (("stack", "where", "(no stack recorded)"),
                                ("alloc_stack", "allocated", "(no heap block involved)"),
                                ("free_stack", "freed", "(not freed)")):
            v = e.get(key)
            empty = none if v is None else (
                "(found at exit: no stack)" if key == "stack" and e.get("detected") == "at-exit"
                else "(no stack recorded; likely allocated before recording started)" if key == "alloc_stack"
                else "(no stack recorded)")
            stacks.append("<div><h4>%s</h4>%s</div>" % (head, frames_html(v, empty)))
        rows.append('<tr><td></td><td colspan="9"><div class="stacks">%s</div></td></tr>'
                    % "".join(stacks))
    return ('<table><tr><th class="n">#</th><th>kind</th><th class="n">count</th><th>access</th>'
            '<th>address</th><th>block</th><th>region</th><th>detected</th><th>API</th>'
            '<th>id</th></tr>%s</table>' % "".join(rows))


def sites_html(p):
    sites = [s for s in arr(obj(p.get("heap")).get("top_sites")) if isinstance(s, dict)]
    if not sites:
        return '<p class="sub">No allocation site was recorded.</p>'
    rows = []
    for i, s in enumerate(sites):
        rows.append('<tr><td class="n">#%d</td><td class="n">%s</td><td class="n">%s</td>'
                    '<td class="n">%s</td><td><code>%s</code></td><td>%s</td></tr>' % (
                        i + 1, esc(fmt_bytes(s.get("bytes"))), fmt_count(s.get("allocations")),
                        esc(fmt_bytes(s.get("peak_bytes"))), esc(s.get("id")),
                        stack_cell(s.get("stack"))))
    return ('<table><tr><th class="n">#</th><th class="n">bytes allocated</th>'
            '<th class="n">allocations</th><th class="n">peak live</th><th>id</th>'
            '<th>stack</th></tr>%s</table>' % "".join(rows))


def chart_html(c, fname):
    if not c.png:
        return '<p class="note"><b>%s</b>: not drawn \u2014 %s.</p>' % (esc(c.title), esc(c.skip))
    size = png_size(c.png)
    dims = ' width="%d" height="%d"' % size if size else ""
    uri = "data:image/png;base64," + base64.b64encode(c.png).decode("ascii")
    return ('<figure><img src="%s" alt="%s"%s><figcaption><b>%s.</b> %s '
            '<a href="%s">PNG file</a></figcaption></figure>'
            % (uri, esc(c.alt), dims, esc(c.title), esc(c.caption), esc(fname)))


def suppressions_html(rep):
    rules = [r for r in arr(rep.get("suppressions")) if isinstance(r, dict)]
    if not rules:
        return ""
    rows = "".join('<tr><td><code>%s</code></td><td><code>%s:%s</code></td><td class="n">%s</td>'
                   '<td class="n">%s</td><td class="n">%s</td></tr>' % (
                       esc(r.get("rule")), esc(r.get("file")), esc(r.get("line")),
                       fmt_count(r.get("records")), fmt_count(r.get("blocks")),
                       esc(fmt_bytes(r.get("bytes")))) for r in rules)
    return ('<h2 id="suppressions">Suppression rules that matched</h2><table><tr><th>rule</th>'
            '<th>from</th><th class="n">records</th><th class="n">blocks</th>'
            '<th class="n">bytes</th></tr>%s</table>' % rows)


def overview_html(items):
    rows = []
    for anchor, p, _charts, _files in items:
        heap = obj(p.get("heap"))
        leaks = p.get("leaks")
        lk = (esc(fmt_bytes(dig(leaks, "definite", "bytes"))) if isinstance(leaks, dict)
              else '<span class="sub">not checked</span>')
        ne = len([e for e in arr(p.get("errors")) if isinstance(e, dict)])
        rows.append('<tr><td><a href="#%s">%s</a></td><td><code>%s</code></td><td>%s</td>'
                    '<td class="n">%s</td><td class="n">%s</td><td class="n">%s</td>'
                    '<td class="n">%s</td></tr>' % (
                        anchor, esc(p.get("pid")), esc(argv_text(p)), esc(exit_text(p)),
                        esc(fmt_bytes(heap.get("peak_bytes"))),
                        esc(fmt_bytes(dig(heap, "live_at_end", "bytes"))), lk, ne))
    return ('<h2 id="processes">Processes</h2><table><tr><th>pid</th><th>command</th><th>end</th>'
            '<th class="n">peak heap</th><th class="n">in use at end</th>'
            '<th class="n">definitely lost</th><th class="n">errors</th></tr>%s</table>'
            % "".join(rows))


def process_html(anchor, p, charts, files, limit):
    who = "pid %s, %s" % (text(p.get("pid"), "?"), process_name(p))
    out = ['<section id="%s"><h2>%s</h2>' % (anchor, esc(who))]
    out.append("<h3>Summary</h3>" + summary_html(p))
    out.append("<h3>Leaks</h3>" + leaks_html(p))
    out.append("<h3>Memory errors</h3>" + errors_html(p))
    out.append("<h3>Charts</h3>")
    if charts is None:
        out.append('<p class="note">Charts are drawn only for the %s with the largest peak '
                   'heap, and this is not one of them.</p>'
                   % ("process" if limit == 1 else "%d processes" % limit))
    else:
        for c in charts:
            out.append(chart_html(c, files.get(c.key, "")))
    out.append("<h3>Top allocation sites</h3>" + sites_html(p))
    out.append("</section>")
    return "\n".join(out)


def page(rep, source, items, generator, limit):
    """The whole page. items: (anchor, process, charts or None, {key: png file})."""
    procs = [p for _, p, _, _ in items]
    title = "heapscope report"
    if len(procs) == 1:
        title += " \u2014 " + process_name(procs[0])
    head = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>%s</title><style>%s</style></head><body><main>' % (esc(title), CSS))
    parts = [head, "<h1>%s</h1>" % esc(title),
             '<p class="sub">From <code>%s</code>: %d process%s.</p>'
             % (esc(source), len(procs), "" if len(procs) == 1 else "es")]
    if not procs:
        parts.append('<p class="note">The report lists no process: no trace could be read.</p>')
    if len(procs) > 1:
        parts.append(overview_html(items))
    for anchor, p, charts, files in items:
        parts.append(process_html(anchor, p, charts, files, limit))
    parts.append(suppressions_html(rep))
    parts.append('<footer>Generated by %s. Sizes: 1 KiB = 1024 bytes, 1 MiB = 1024 KiB.</footer>'
                 % esc(generator))
    parts.append("</main></body></html>\n")
    return "\n".join(parts)
