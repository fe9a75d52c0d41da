"""hs_charts.py — the charts of one process, drawn with matplotlib (Agg).

Each chart function takes the process object of the JSON report and returns
a Chart: either a figure with its alt text, or the reason it was skipped
(a section is null, or holds nothing worth drawing). Nothing here reads a
file or knows about HTML. Byte axes pick B/KiB/MiB/GiB from their largest
value; time axes ms/s/min.
"""
import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter  # noqa: E402

from hs_format import (arr, byte_unit, dig, fmt_bytes, fmt_count, fmt_ms, fmt_pct,  # noqa: E402
                       fmt_size, num, obj, text, time_unit, site_label)

DPI = 100
WIDTH = 9.0  # inches: 900 px at DPI

# One colour per meaning, the same in every chart.
C_LIVE = "#1f77b4"
C_PEAK = "#d62728"
C_EXIT = "#555555"
C_REQ = "#1f77b4"
C_WASTE = "#ff7f0e"
C_FREE = "#2ca02c"
C_SPARE = "#d9d9d9"
C_SLAB = "#9467bd"
C_EXT = "#d62728"
LEAK_COLOURS = {"definite": "#d62728", "indirect": "#ff7f0e", "possible": "#bcbd22",
                "reachable": "#7f7f7f"}
SEGMENT_COLOURS = {
    "text": "#1f77b4", "rodata": "#aec7e8", "data": "#ff7f0e", "bss": "#ffbb78",
    "brk": "#8c564b", "heap": "#2ca02c", "heapscope": "#98df8a", "stack": "#d62728",
    "thread_stacks": "#ff9896", "anon": "#9467bd", "files": "#c5b0d5",
}
SEGMENT_LABELS = {"heapscope": "heapscope (tool)", "thread_stacks": "thread stacks",
                  "anon": "anonymous", "files": "mapped files", "brk": "brk heap",
                  "heap": "heap (allocator)"}
EXTRA_COLOURS = ["#17becf", "#e377c2", "#bcbd22", "#7f7f7f", "#c49c94", "#f7b6d2", "#dbdb8d"]

STYLE = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.35,
    "grid.linewidth": 0.6,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
}


class Chart:
    """One chart: key (file name part), title, and either png/alt or skip."""

    def __init__(self, key, title, fig=None, alt="", skip=None, caption=""):
        self.key = key
        self.title = title
        self.fig = fig
        self.alt = alt
        self.skip = skip
        self.caption = caption
        self.png = None
        self.failed = False

    def render(self):
        if self.fig is not None and self.png is None:
            buf = io.BytesIO()
            self.fig.savefig(buf, format="png", dpi=DPI)
            self.png = buf.getvalue()
            self.fig = None
        return self.png


def new_figure(height, **kw):
    matplotlib.rcParams.update(STYLE)
    return Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained", **kw)


def unit_formatter(div):
    """Tick labels for values already divided by div: no needless decimals."""
    def fmt(v, _pos):
        if v == int(v):
            return "{:,}".format(int(v))
        return ("%.2f" % v).rstrip("0").rstrip(".")
    return FuncFormatter(fmt)


def count_formatter():
    return FuncFormatter(lambda v, _pos: "{:,}".format(int(v)) if v == int(v) else "")


def bar_text(ax, rects, labels, xmax, inside=0.5):
    """Value labels of horizontal bars: inside the end of a bar longer than
    `inside` of xmax (white on the bar), else just right of it (room made by
    the caller's x limit)."""
    for r, s in zip(rects, labels):
        end, y = r.get_x() + r.get_width(), r.get_y() + r.get_height() / 2
        if inside and r.get_width() > xmax * inside:
            ax.text(end - xmax * 0.015, y, s, va="center", ha="right", fontsize=8.5, color="white",
                    fontweight="bold")
        else:
            ax.text(end + xmax * 0.01, y, s, va="center", ha="left", fontsize=8.5, color="#333333")


# ---- 1. live heap over time -----------------------------------------------------

def timeline(p, who):
    title = "Live heap over time"
    tl = p.get("timeline")
    if not isinstance(tl, dict):
        return Chart("timeline", title, skip="the report has no timeline for this process")
    pts = []
    for pt in arr(tl.get("points")):
        if isinstance(pt, dict):
            pts.append((num(pt.get("t_ms")), num(pt.get("live_bytes"))))
    if not pts:
        return Chart("timeline", title, skip="no allocation was recorded")
    pts.sort()
    heap = obj(p.get("heap"))
    res = max(1, num(tl.get("resolution_ms"), 1))
    end_t = max(num(heap.get("duration_ms")), pts[-1][0] + res)
    peak_t = num(dig(tl, "peak", "t_ms"), num(heap.get("peak_time_ms")))
    peak_b = num(dig(tl, "peak", "bytes"), num(heap.get("peak_bytes")))
    peak_n = num(dig(tl, "peak", "blocks"), num(heap.get("peak_blocks")))
    ymax = max([peak_b] + [b for _, b in pts]) or 1
    div, uname = byte_unit(ymax)
    tdiv, tname = time_unit(end_t)

    live_end = dig(heap, "live_at_end", "bytes")
    have_end = isinstance(live_end, (int, float)) and not isinstance(live_end, bool)
    xs = [t / tdiv for t, _ in pts]
    ys = [b / div for _, b in pts]
    if have_end:  # the state after the last event closes the line
        xs.append(end_t / tdiv)
        ys.append(live_end / div)
    xmax = end_t / tdiv

    fig = new_figure(4.8)
    ax = fig.add_subplot()
    ax.plot(xs, ys, color=C_LIVE, lw=1.6, marker="o" if len(xs) <= 60 else None, ms=3,
            label="live heap")
    ax.fill_between(xs, ys, color=C_LIVE, alpha=0.15, lw=0)
    if have_end:
        ax.plot([xmax], [live_end / div], marker="s", ms=7, color=C_EXIT, ls="none", clip_on=False,
                label="%s: %s" % ("in use at exit" if p.get("exit") is not None else "in use at the end",
                                  fmt_bytes(live_end)), zorder=5)
    if peak_b:
        px, py = peak_t / tdiv, peak_b / div
        ax.axvline(px, color=C_PEAK, lw=0.8, ls=":", zorder=1)
        ax.plot([px], [py], marker="o", ms=8, color=C_PEAK, ls="none", zorder=6, clip_on=False,
                label="peak: %s in %s blocks at %s" % (fmt_bytes(peak_b), fmt_count(peak_n), fmt_ms(peak_t)))
        right = px > 0.6 * xmax
        ax.annotate("peak %s at %s" % (fmt_bytes(peak_b), fmt_ms(peak_t)), xy=(px, py),
                    xytext=(-10 if right else 10, 6), textcoords="offset points",
                    ha="right" if right else "left", va="bottom", fontsize=9.5, color=C_PEAK,
                    fontweight="bold")
    ax.set_xlim(0, xmax * 1.01 if xmax else 1)
    if tdiv == 1:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, ymax / div * 1.18)
    ax.yaxis.set_major_formatter(unit_formatter(div))
    ax.set_xlabel("time since start (%s)" % tname)
    ax.set_ylabel("live heap (%s)" % uname)
    ax.set_title("%s \u2014 %s" % (title, who))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
    bucket = "%d ms" % res if res < 1000 else fmt_ms(res)
    alt = ("Line chart of live heap bytes over %s; peak %s in %s blocks at %s; %s in use at exit"
           % (fmt_ms(end_t), fmt_bytes(peak_b), fmt_count(peak_n), fmt_ms(peak_t),
              fmt_bytes(live_end) if isinstance(live_end, (int, float)) else "unknown"))
    cap = ("Requested bytes in live blocks. Each point is the most that was live within its "
           "%s interval, so short spikes are kept; the last point is the state after the last "
           "event." % bucket)
    return Chart("timeline", title, fig, alt, caption=cap)


def by_time(series):
    """A section's snapshot series (objects only), in time order."""
    return sorted((s for s in arr(series) if isinstance(s, dict)), key=lambda s: num(s.get("t_ms")))


# ---- 2. fragmentation over time -------------------------------------------------

def fragmentation(p, who):
    title = "Fragmentation over time"
    fr = p.get("fragmentation")
    if not isinstance(fr, dict):
        return Chart("fragmentation", title, skip="the trace has no allocator snapshots")
    ser = by_time(fr.get("series"))
    if not ser:
        return Chart("fragmentation", title, skip="the trace has no allocator snapshots")
    t = [num(s.get("t_ms")) for s in ser]
    req = [num(s.get("requested_bytes")) for s in ser]
    out = [num(s.get("handed_out_bytes")) for s in ser]
    inte = [num(s.get("internal_bytes")) for s in ser]
    ext = [100.0 * num(s.get("external")) for s in ser]
    ipct = [100.0 * i / o if o else 0.0 for i, o in zip(inte, out)]
    tdiv, tname = time_unit(max(t) or 1)
    div, uname = byte_unit(max(out + req) or 1)
    xs = [x / tdiv for x in t]
    mk = "o" if len(ser) <= 40 else None

    fig = new_figure(6.2)
    ax1, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    ax1.plot(xs, [v / div for v in out], color=C_WASTE, marker=mk, ms=4, lw=1.6,
             label="handed out (block sizes)")
    ax1.plot(xs, [v / div for v in req], color=C_REQ, marker=mk, ms=4, lw=1.6,
             label="requested")
    ax1.fill_between(xs, [v / div for v in req], [v / div for v in out], color=C_WASTE,
                     alpha=0.25, lw=0, label="internal fragmentation")
    ax1.set_ylim(0, (max(out + req) or 1) / div * 1.15)
    ax1.yaxis.set_major_formatter(unit_formatter(div))
    ax1.set_ylabel("bytes in live blocks (%s)" % uname)
    ax1.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False, borderaxespad=0.2)
    fig.suptitle("%s \u2014 %s" % (title, who), fontweight="bold", fontsize=12)

    ax2.plot(xs, ipct, color=C_WASTE, marker=mk, ms=4, lw=1.6,
             label="internal: waste / handed out")
    ax2.plot(xs, ext, color=C_EXT, marker=mk, ms=4, lw=1.6, ls="--",
             label="external: 1 \u2212 largest free buddy block / free buddy bytes")
    ax2.set_ylim(0, 105)
    ax2.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax2.set_ylabel("fragmentation (%)")
    ax2.set_xlabel("time since start (%s)" % tname)
    ax2.set_xlim(0, max(xs) or 1)
    ax2.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False, borderaxespad=0.2)
    n = num(fr.get("snapshots"), len(ser))
    alt = ("Two line charts over %s from %s allocator snapshots: requested versus handed-out "
           "bytes (up to %s handed out), and internal fragmentation (last %.0f%%) and external "
           "fragmentation (last %.0f%%) in percent"
           % (fmt_ms(max(t)), fmt_count(n), fmt_bytes(max(out)), ipct[-1], ext[-1]))
    cap = ("From %s allocator snapshots%s. Internal: bytes handed out beyond the request "
           "(size-class rounding, power-of-two buddy blocks, page rounding). External: how "
           "scattered the free buddy memory is." %
           (fmt_count(n), "" if len(ser) == n else " (%d plotted)" % len(ser)))
    return Chart("fragmentation", title, fig, alt, caption=cap)


def _classes_in_use(snap):
    return any(isinstance(c, dict) and num(c.get("size")) > 0 and
               num(c.get("capacity")) + num(c.get("live")) for c in arr(snap.get("classes")))


def _orders_in_use(snap):
    return any(isinstance(o, dict) and num(o.get("free")) + num(o.get("used")) + num(o.get("slab"))
               for o in arr(snap.get("orders")))


def _snapshot(p, holds):
    """The full allocator snapshot to draw: the one with the most requested
    bytes, unless what this chart shows was not in use then, else the last
    one. The peak is found among the periodic snapshots only, so it can fall
    in a phase that used buddy blocks alone (a short run whose small objects
    lived between two snapshots): the slab chart then draws the last one."""
    fr = p.get("fragmentation")
    if not isinstance(fr, dict):
        return None, ""
    found = None
    for key, what in (("at_peak", "the snapshot with the most requested bytes"),
                      ("at_exit", "the last snapshot")):
        s = fr.get(key)
        if isinstance(s, dict):
            if holds(s):
                return s, what
            found = found or (s, what)
    return found or (None, "")


# ---- 3. slab size classes -------------------------------------------------------

def size_classes(p, who):
    title = "Slab size classes"
    snap, what = _snapshot(p, _classes_in_use)
    if snap is None:
        return Chart("classes", title, skip="the trace has no allocator snapshots")
    cls = [c for c in arr(snap.get("classes")) if isinstance(c, dict) and num(c.get("size")) > 0]
    cls.sort(key=lambda c: num(c.get("size")))
    if not cls:
        return Chart("classes", title, skip="no slab size class was in use in %s" % what)
    labels = [fmt_size(c.get("size")) for c in cls]
    req = [num(c.get("requested_bytes")) for c in cls]
    waste = [num(c.get("waste_bytes")) for c in cls]
    spare = [max(0, num(c.get("capacity")) - num(c.get("live"))) * num(c.get("size")) for c in cls]
    live = [num(c.get("live")) for c in cls]
    cap = [num(c.get("capacity")) for c in cls]
    occ = [100.0 * l / c if c else 0.0 for l, c in zip(live, cap)]
    tot = [a + b + c for a, b, c in zip(req, waste, spare)]
    div, uname = byte_unit(max(tot) or 1)
    ys = list(range(len(cls)))

    fig = new_figure(max(3.0, 1.9 + 0.36 * len(cls)))
    ax1, ax2 = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [2.2, 1]})
    left = [0.0] * len(cls)
    for vals, colour, lab in ((req, C_REQ, "requested"), (waste, C_WASTE, "rounding waste"),
                              (spare, C_SPARE, "free slots")):
        ax1.barh(ys, [v / div for v in vals], left=left, color=colour, label=lab, height=0.7)
        left = [a + v / div for a, v in zip(left, vals)]
    ax1.set_yticks(ys, labels)
    ax1.invert_yaxis()
    ax1.set_xlim(0, (max(tot) or 1) / div * 1.05)
    ax1.xaxis.set_major_formatter(unit_formatter(div))
    ax1.set_xlabel("slab memory (%s)" % uname)
    ax1.set_ylabel("size class")
    ax1.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False, borderaxespad=0.2)
    ax1.grid(axis="y", visible=False)

    rects = ax2.barh(ys, occ, color=C_SLAB, height=0.7)
    bar_text(ax2, rects, ["%s/%s" % (fmt_count(l), fmt_count(c)) for l, c in zip(live, cap)], 100,
             inside=0)
    ax2.set_xlim(0, 150)
    ax2.set_xticks([0, 25, 50, 75, 100])
    ax2.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax2.set_xlabel("occupancy (live / slots)")
    ax2.grid(axis="y", visible=False)
    t = num(snap.get("t_ms"))
    fig.suptitle("%s at %s \u2014 %s" % (title, fmt_ms(t), who), fontweight="bold", fontsize=12)
    alt = ("Horizontal bars for %s at %s: requested bytes, rounding waste (%s in all) and free "
           "slots, and occupancy in percent"
           % ("the %s slab size class" % labels[0] if len(cls) == 1 else
              "%d slab size classes from %s to %s" % (len(cls), labels[0], labels[-1]),
              fmt_ms(t), fmt_bytes(sum(waste))))
    capt = ("At %s, %s. Rounding waste: the class size minus the requested size, summed "
            "over live objects." % (fmt_ms(t), what))
    return Chart("classes", title, fig, alt, caption=capt)


# ---- 4. buddy blocks by order ---------------------------------------------------

def buddy(p, who):
    title = "Buddy blocks by order"
    snap, what = _snapshot(p, _orders_in_use)
    if snap is None:
        return Chart("buddy", title, skip="the trace has no allocator snapshots")
    orders = [o for o in arr(snap.get("orders")) if isinstance(o, dict)]
    orders.sort(key=lambda o: num(o.get("order")))
    if not orders or not any(num(o.get("free")) + num(o.get("used")) + num(o.get("slab"))
                             for o in orders):
        return Chart("buddy", title, skip="no buddy block existed in %s" % what)
    labels = ["%s\n(order %d)" % (fmt_size(o.get("block_bytes")), num(o.get("order"))) for o in orders]
    free = [num(o.get("free")) for o in orders]
    used = [num(o.get("used")) for o in orders]
    slab = [num(o.get("slab")) for o in orders]
    free_b = [f * num(o.get("block_bytes")) for f, o in zip(free, orders)]
    xs = list(range(len(orders)))

    fig = new_figure(6.0)
    ax1, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    w = 0.27
    top = max(free + used + slab) or 1
    nz = [v for v in free + used + slab if v > 0]
    logy = top / min(nz) > 25
    for off, vals, colour, lab in ((-w, free, C_FREE, "free"), (0, used, C_REQ, "allocated (a block)"),
                                   (w, slab, C_SLAB, "holding a slab")):
        r = ax1.bar([x + off for x in xs], vals, w, color=colour, label=lab)
        ax1.bar_label(r, labels=[fmt_count(v) if v else "" for v in vals], fontsize=7.5, padding=1,
                      color=colour)
    if logy:
        ax1.set_yscale("log")
        ax1.set_ylim(0.6, top * 4)
        ax1.yaxis.set_major_formatter(count_formatter())
        ax1.set_ylabel("blocks (log scale)")
    else:
        ax1.set_ylim(0, top * 1.15)
        ax1.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax1.yaxis.set_major_formatter(count_formatter())
        ax1.set_ylabel("blocks")
    ax1.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False, borderaxespad=0.2)
    ax1.grid(axis="x", visible=False)
    div, uname = byte_unit(max(free_b) or 1)
    r2 = ax2.bar(xs, [b / div for b in free_b], 0.55, color=C_FREE)
    ax2.bar_label(r2, labels=[fmt_bytes(b) if b else "" for b in free_b], fontsize=8, padding=2)
    ax2.set_ylim(0, (max(free_b) or 1) / div * 1.25)
    ax2.yaxis.set_major_formatter(unit_formatter(div))
    ax2.set_ylabel("free memory (%s)" % uname)
    ax2.set_xticks(xs, labels)
    ax2.set_xlabel("buddy block size")
    ax2.grid(axis="x", visible=False)
    t = num(snap.get("t_ms"))
    fig.suptitle("%s at %s \u2014 %s" % (title, fmt_ms(t), who), fontweight="bold", fontsize=12)
    fb = num(snap.get("buddy_free_bytes"), sum(free_b))
    lf = num(snap.get("buddy_largest_free_bytes"))
    ext = num(snap.get("external"))
    alt = ("Bar charts of buddy blocks per order (4 KiB and up) at %s: free, allocated and "
           "slab-holding block counts, and free bytes per order; %s free in all, largest free "
           "block %s, external fragmentation %s" % (fmt_ms(t), fmt_bytes(fb), fmt_bytes(lf),
                                                     fmt_pct(ext)))
    large = obj(snap.get("large"))
    capt = ("At %s, %s: %s free in %s blocks, the largest %s (external fragmentation %s)."
            % (fmt_ms(t), what, fmt_bytes(fb), fmt_count(sum(free)), fmt_bytes(lf), fmt_pct(ext)))
    if num(large.get("blocks")):
        capt += (" Besides the buddy range: %s large blocks mapped on their own (%s)."
                 % (fmt_count(large.get("blocks")), fmt_bytes(large.get("mapped_bytes"))))
    return Chart("buddy", title, fig, alt, caption=capt)


# ---- 5. segments over time ------------------------------------------------------

def _stack_panel(ax, xs, rows, kinds, colours, div):
    ys = [[r.get(k, 0) / div for r in rows] for k in kinds]
    return ax.stackplot(xs, ys, colors=[colours[k] for k in kinds],
                        labels=[SEGMENT_LABELS.get(k, k) for k in kinds], alpha=0.9, lw=0)


def segments(p, who):
    title = "Memory by segment over time"
    sg = p.get("segments")
    if not isinstance(sg, dict):
        return Chart("segments", title, skip="the trace has no segment snapshots")
    ser = by_time(sg.get("series"))
    kinds = [text(k) for k in arr(sg.get("kinds")) if isinstance(k, str)]

    def row(d):
        return {k: num(v) for k, v in obj(d).items() if isinstance(k, str)}

    virt = [(num(s.get("t_ms")), row(s.get("virtual"))) for s in ser if isinstance(s.get("virtual"), dict)]
    res = [(num(s.get("t_ms")), row(s.get("resident")), num(s.get("rss_bytes")))
           for s in ser if isinstance(s.get("resident"), dict)]
    for _, r in virt:
        kinds += [k for k in r if k not in kinds]
    if len(virt) < 2 and len(res) < 2:
        return Chart("segments", title, skip="fewer than two segment snapshots: nothing to draw over time")
    colours = dict(SEGMENT_COLOURS)
    extra = iter(EXTRA_COLOURS * 4)
    for k in kinds:
        if k not in colours:
            colours[k] = next(extra)
    panels = []
    if len(res) >= 2:
        panels.append(("resident", res))
    # heapscope's own metadata is a large reservation, mostly never touched:
    # in the virtual panel it would flatten the program's segments to lines.
    tool_virt = max((r.get("heapscope", 0) for _, r in virt), default=0)
    if len(virt) >= 2:
        panels.append(("virtual", [(t, {k: v for k, v in r.items() if k != "heapscope"}, None)
                                   for t, r in virt]))
    tmax = max(t for _, pts in panels for t, _, _ in pts) or 1
    tdiv, tname = time_unit(tmax)

    fig = new_figure(3.3 * len(panels) + 1.0)
    axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
    handles = {}
    for ax, (name, pts) in zip(axes, panels):
        used = [k for k in kinds if any(r.get(k, 0) for _, r, _ in pts)]
        tops = [sum(r.get(k, 0) for k in used) for _, r, _ in pts]
        rss = [x for _, _, x in pts if x is not None]
        div, uname = byte_unit(max(tops + rss) or 1)
        xs = [t / tdiv for t, _, _ in pts]
        polys = _stack_panel(ax, xs, [r for _, r, _ in pts], used, colours, div)
        for k, poly in zip(used, polys):
            handles.setdefault(k, poly)
        if name == "resident" and rss:
            line, = ax.plot(xs, [x / div for x in rss], color="black", lw=1.2, ls="--",
                            marker="o" if len(rss) <= 40 else None, ms=3.5)
            handles.setdefault("_rss", line)
        ax.set_ylim(0, (max(tops + rss) or 1) / div * 1.08)
        ax.yaxis.set_major_formatter(unit_formatter(div))
        ax.set_ylabel("%s (%s)" % ("resident" if name == "resident"
                                   else "virtual, without heapscope", uname))
        ax.set_xlim(0, tmax / tdiv)
    axes[0].set_title("%s \u2014 %s" % (title, who))
    axes[-1].set_xlabel("time since start (%s)" % tname)
    order = [k for k in kinds if k in handles] + (["_rss"] if "_rss" in handles else [])
    axes[0].legend([handles[k] for k in order],
                   ["RSS (whole process)" if k == "_rss" else SEGMENT_LABELS.get(k, k) for k in order],
                   loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize=8.5)
    last = (res or [(0, virt[-1][1], None)])[-1][1]
    big = sorted(((v, k) for k, v in last.items() if v), reverse=True)[:3]
    alt = ("Stacked area chart%s of memory by segment kind over %s; largest at the end: %s"
           % ("s (resident, then virtual)" if len(panels) == 2 else "", fmt_ms(tmax),
              ", ".join("%s %s" % (SEGMENT_LABELS.get(k, k), fmt_bytes(v)) for v, k in big)))
    capt = ("Resident sizes come from /proc/self/smaps, read on every tenth snapshot and at exit "
            "(%d points); virtual sizes from every snapshot (%d points). The dashed line is the "
            "process's whole RSS." % (len(res), len(virt)))
    if tool_virt and len(virt) >= 2:
        capt += (" The virtual panel leaves out heapscope's own metadata reservation (up to %s, "
                 "mostly never touched; its resident part is in the upper panel)." % fmt_bytes(tool_virt))
    return Chart("segments", title, fig, alt, caption=capt)


# ---- 6. top allocation sites ----------------------------------------------------

def top_sites(p, who, top=10):
    title = "Top allocation sites"
    sites = [s for s in arr(obj(p.get("heap")).get("top_sites")) if isinstance(s, dict)][:top]
    if not sites:
        return Chart("sites", title, skip="no allocation site was recorded")
    labels = ["#%d %s" % (i + 1, site_label(s.get("stack"))) for i, s in enumerate(sites)]
    by = [num(s.get("bytes")) for s in sites]
    cnt = [num(s.get("allocations")) for s in sites]
    pk = [num(s.get("peak_bytes")) for s in sites]
    ys = list(range(len(sites)))
    div, uname = byte_unit(max(by) or 1)

    fig = new_figure(1.5 + 0.42 * len(sites))
    ax1, ax2 = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1.25, 1]})
    r1 = ax1.barh(ys, [b / div for b in by], color=C_LIVE, height=0.65)
    bar_text(ax1, r1, ["%s (peak %s)" % (fmt_bytes(b), fmt_bytes(k)) for b, k in zip(by, pk)],
             max(by) / div)
    ax1.set_xlim(0, (max(by) or 1) / div * 1.05)
    ax1.xaxis.set_major_formatter(unit_formatter(div))
    ax1.set_xlabel("bytes allocated, in all (%s)" % uname)
    ax1.set_yticks(ys, labels)
    ax1.invert_yaxis()
    ax1.grid(axis="y", visible=False)
    r2 = ax2.barh(ys, cnt, color=C_SLAB, height=0.65)
    bar_text(ax2, r2, [fmt_count(c) for c in cnt], max(cnt) or 1)
    ax2.set_xlim(0, (max(cnt) or 1) * 1.05)
    ax2.xaxis.set_major_formatter(count_formatter())
    ax2.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax2.set_xlabel("allocations")
    ax2.grid(axis="y", visible=False)
    fig.suptitle("%s by bytes allocated \u2014 %s" % (title, who), fontweight="bold", fontsize=12)
    alt = ("Horizontal bars of the %d allocation sites that allocated the most bytes, with their "
           "allocation counts; first: %s, %s in %s allocations"
           % (len(sites), labels[0], fmt_bytes(by[0]), fmt_count(cnt[0])))
    capt = ("Each site is named by its first frame in the program's own code (\u201cvia\u201d: the "
            "C or C++ runtime function that allocated for it). The numbers are those of the Top "
            "allocation sites table below.")
    return Chart("sites", title, fig, alt, caption=capt)


# ---- 7. leak sites --------------------------------------------------------------

def leak_sites(p, who, top=15):
    title = "Leak sites"
    leaks = p.get("leaks")
    if not isinstance(leaks, dict):
        return Chart("leaks", title, skip="no leak scan ran for this process")
    recs = [r for r in arr(leaks.get("records")) if isinstance(r, dict)]
    if not recs:
        return Chart("leaks", title, skip="no leaked or reachable blocks")
    order = sorted(range(len(recs)), key=lambda i: -num(recs[i].get("bytes")))[:top]
    sel = [(i, recs[i]) for i in order]
    labels = ["#%d %s" % (i + 1, site_label(r.get("stack"))) for i, r in sel]
    by = [num(r.get("bytes")) for _, r in sel]
    kinds = [text(r.get("kind"), "?") for _, r in sel]
    div, uname = byte_unit(max(by) or 1)
    ys = list(range(len(sel)))

    fig = new_figure(1.6 + 0.42 * len(sel))
    ax = fig.add_subplot()
    rects = ax.barh(ys, [b / div for b in by], height=0.65,
                    color=[LEAK_COLOURS.get(k, "#17becf") for k in kinds])
    bar_text(ax, rects, ["%s in %s block%s (%s)" % (fmt_bytes(b), fmt_count(r.get("blocks")),
                                                    "" if num(r.get("blocks")) == 1 else "s", k)
                         for b, (_, r), k in zip(by, sel, kinds)], max(by) / div)
    ax.set_xlim(0, (max(by) or 1) / div * 1.05)
    ax.xaxis.set_major_formatter(unit_formatter(div))
    ax.set_xlabel("bytes (%s)" % uname)
    ax.set_yticks(ys, labels)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    seen = [k for k in ("definite", "indirect", "possible", "reachable") if k in kinds]
    seen += sorted(set(kinds) - set(seen))
    from matplotlib.patches import Patch
    ax.legend([Patch(color=LEAK_COLOURS.get(k, "#17becf")) for k in seen], seen,
              loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, title="kind",
              fontsize=8.5, title_fontsize=8.5)
    ax.set_title("%s by bytes \u2014 %s" % (title, who))
    alt = ("Horizontal bars of %d leak records by bytes, coloured by kind (%s); largest: %s, %s"
           % (len(sel), ", ".join(seen), labels[0], fmt_bytes(by[0])))
    capt = "The numbers are those of the leak table above."
    if len(recs) > len(sel):
        capt = "The %d largest of %d records. " % (len(sel), len(recs)) + capt
    return Chart("leaks", title, fig, alt, caption=capt)


# ---- 8. fit-strategy comparison -------------------------------------------------

def _sim_entries(sim):
    """(name, object) per strategy, whatever the container: a list of objects
    with a name, or an object keyed by strategy name, possibly under
    'strategies'/'results'."""
    cand = sim
    if isinstance(sim, dict):
        for k in ("strategies", "results", "policies", "fits", "runs"):
            if isinstance(sim.get(k), (list, dict)):
                cand = sim[k]
                break
    out = []
    if isinstance(cand, list):
        for i, e in enumerate(cand):
            if isinstance(e, dict):
                name = ""
                for k in ("name", "strategy", "policy", "fit", "allocator"):
                    if isinstance(e.get(k), str):
                        name = e[k]
                        break
                out.append((name or "#%d" % (i + 1), e))
    elif isinstance(cand, dict):
        out = [(k, e) for k, e in cand.items() if isinstance(e, dict)]
    return out


def _metric_label(k):
    for suffix in ("_bytes", "_ratio"):
        if k.endswith(suffix):
            k = k[:-len(suffix)]
    return k.replace("_", " ")


def simulate(p, who):
    title = "Fit-strategy comparison"
    sim = p.get("simulate")
    if sim is None:
        return Chart("simulate", title, skip="the report has no simulate section "
                     "(heapscope report --simulate adds it)")
    ents = _sim_entries(sim)
    if not ents:
        return Chart("simulate", title, skip="the simulate section lists no strategies")
    if all("peak_footprint_bytes" in e for _, e in ents):
        return _simulate_footprint(ents, who, title)
    return _simulate_generic(ents, who, title)


def _simulate_footprint(ents, who, title):
    """The documented shape: footprint split into requested, rounding and
    the rest; external fragmentation at the peak; average search length."""
    names = [n for n, _ in ents]
    foot = [num(e.get("peak_footprint_bytes")) for _, e in ents]
    live = [min(num(e.get("peak_live_bytes")), f) for (_, e), f in zip(ents, foot)]
    req = [min(num(e.get("peak_requested_bytes")), l) for (_, e), l in zip(ents, live)]
    ext = [100.0 * num(e.get("external_fragmentation_at_peak")) for _, e in ents]
    search = [e.get("average_search_length") for _, e in ents]
    div, uname = byte_unit(max(foot) or 1)
    ys = list(range(len(ents)))

    fig = new_figure(2.6 + 0.5 * len(ents) * 1.6)
    gs = fig.add_gridspec(2, 2, height_ratios=[1.25, 1])
    ax = fig.add_subplot(gs[0, :])
    left = [0.0] * len(ents)
    parts = ((req, C_REQ, "requested"),
             ([l - r for l, r in zip(live, req)], C_WASTE, "rounding (block sizes)"),
             ([f - l for f, l in zip(foot, live)], C_SPARE, "free inside the footprint (fragmentation)"))
    for vals, colour, lab in parts:
        ax.barh(ys, [v / div for v in vals], left=left, color=colour, label=lab, height=0.65)
        left = [a + v / div for a, v in zip(left, vals)]
    best = min(foot)
    for y, f in zip(ys, foot):
        ax.text(f / div + max(foot) / div * 0.01, y, fmt_bytes(f) + ("  (least)" if f == best else ""),
                va="center", ha="left", fontsize=8.5, fontweight="bold" if f == best else "normal")
    ax.set_yticks(ys, names)
    ax.invert_yaxis()
    ax.set_xlim(0, (max(foot) or 1) / div * 1.22)
    ax.xaxis.set_major_formatter(unit_formatter(div))
    ax.set_xlabel("peak footprint (%s)" % uname)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False, borderaxespad=0.2)

    ax2 = fig.add_subplot(gs[1, 0])
    r = ax2.barh(ys, ext, color=C_EXT, height=0.6)
    bar_text(ax2, r, ["%.0f%%" % v for v in ext], 100, inside=0)
    ax2.set_xlim(0, 118)
    ax2.set_xticks([0, 25, 50, 75, 100])
    ax2.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax2.set_yticks(ys, names)
    ax2.invert_yaxis()
    ax2.set_xlabel("external fragmentation at the peak")
    ax2.grid(axis="y", visible=False)

    ax3 = fig.add_subplot(gs[1, 1], sharey=ax2)
    sv = [num(v) for v in search]
    smax = max(sv) or 1
    r = ax3.barh(ys, sv, color=C_SLAB, height=0.6)
    bar_text(ax3, r, [("%.3g" % num(v)) if isinstance(v, (int, float)) and not isinstance(v, bool)
                      else "n/a (no hole list)" for v in search], smax, inside=0)
    ax3.set_xlim(0, smax * 1.45)
    ax3.xaxis.set_major_locator(MaxNLocator(4))
    ax3.set_xlabel("holes examined per allocation (average)")
    ax3.tick_params(labelleft=False)
    ax3.grid(axis="y", visible=False)
    fig.suptitle("%s \u2014 %s" % (title, who), fontweight="bold", fontsize=12)
    i = foot.index(best)
    alt = ("Horizontal bars comparing %d allocation strategies replayed on this process's "
           "allocations: peak footprint split into requested bytes, rounding and fragmentation "
           "(least: %s, %s), external fragmentation at the peak, and average search length"
           % (len(ents), names[i], fmt_bytes(best)))
    capt = ("The recorded allocations and frees replayed under each placement strategy. The "
            "footprint is the most memory each would have needed; past the requested bytes it "
            "holds rounding to block sizes and free memory stranded between live blocks. Each "
            "strategy's figures are taken at its own peak.")
    return Chart("simulate", title, fig, alt, caption=capt)


def _simulate_generic(ents, who, title):
    """Any other shape: numeric fields as grouped bars, by kind of number."""
    keys = []
    for _, e in ents:
        for k, v in e.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in keys:
                keys.append(k)
    groups = {"bytes": [], "ratio": [], "count": []}
    for k in keys:
        vals = [num(e.get(k)) for _, e in ents]
        if "bytes" in k:
            groups["bytes"].append(k)
        elif all(0 <= v <= 1 for v in vals) and any(isinstance(e.get(k), float) for _, e in ents):
            groups["ratio"].append(k)
        else:
            groups["count"].append(k)
    panels = [(g, ks) for g, ks in groups.items() if ks]
    if not panels:
        return Chart("simulate", title, skip="the simulate section has no numbers to compare")
    names = [n for n, _ in ents]
    fig = new_figure(1.0 + 3.0 * len(panels))
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf"]
    for ax, (g, ks) in zip(axes, panels):
        vals = {n: [num(e.get(k)) for k in ks] for n, e in ents}
        top = max(max(v) for v in vals.values()) or 1
        div, uname = byte_unit(top) if g == "bytes" else (1, "")
        scale = 100.0 if g == "ratio" else 1.0 / div
        w = 0.8 / len(names)
        for j, n in enumerate(names):
            xs = [i - 0.4 + w * (j + 0.5) for i in range(len(ks))]
            ax.bar(xs, [v * scale for v in vals[n]], w, label=n,
                   color=palette[j % len(palette)])
        ax.set_xticks(range(len(ks)), [_metric_label(k) for k in ks])
        ax.grid(axis="x", visible=False)
        if g == "bytes":
            ax.set_ylabel("bytes (%s)" % uname)
            ax.yaxis.set_major_formatter(unit_formatter(div))
        elif g == "ratio":
            ax.set_ylabel("percent")
            ax.set_ylim(0, 105)
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        else:
            ax.set_ylabel("count")
            ax.yaxis.set_major_formatter(count_formatter())
    axes[0].legend(title="strategy", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
                   fontsize=8.5, title_fontsize=8.5)
    axes[0].set_title("%s \u2014 %s" % (title, who))
    alt = ("Grouped bar charts comparing %d allocation strategies (%s) replayed on this "
           "process's allocations: %s" % (len(names), ", ".join(names),
                                          ", ".join(_metric_label(k) for k in keys)))
    capt = "The process's allocations and frees replayed under each placement strategy."
    return Chart("simulate", title, fig, alt, caption=capt)


CHARTS = ((timeline, "timeline", "Live heap over time"),
          (fragmentation, "fragmentation", "Fragmentation over time"),
          (size_classes, "classes", "Slab size classes"),
          (buddy, "buddy", "Buddy blocks by order"),
          (segments, "segments", "Memory by segment over time"),
          (top_sites, "sites", "Top allocation sites"),
          (leak_sites, "leaks", "Leak sites"),
          (simulate, "simulate", "Fit-strategy comparison"))


def all_charts(p, who):
    """Every chart of one process, in page order. A chart that fails on an
    odd report is returned skipped with the reason, never raised."""
    out = []
    for fn, key, title in CHARTS:
        try:
            c = fn(p, who)
            c.render()
        except Exception as e:  # untrusted input: one chart's failure is not the page's
            c = Chart(key, title,
                      skip="could not be drawn from this report (%s: %s)" % (type(e).__name__, e))
            c.failed = True
        out.append(c)
    return out
