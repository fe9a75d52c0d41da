"""hs_format.py — reading the analyzer's JSON defensively and turning its
numbers into words: byte and time units, counts, stack-frame labels.

The report is untrusted input: every accessor here checks types and falls
back to a default instead of raising, so one odd field costs one value, not
the whole page. Standard library only (no matplotlib here).
"""
import math
import os
import re

KIB = 1024
MIB = 1024 * 1024
GIB = 1024 * 1024 * 1024

# Libraries whose frames are the allocator's callers but not the program's
# code: a site label skips them to name the program's own frame.
RUNTIME_MODULE = re.compile(
    r"^(ld-linux.*|ld-.*\.so.*|libc\.so.*|libc-.*\.so|libstdc\+\+\.so.*|libgcc_s\.so.*|"
    r"libm\.so.*|libpthread\.so.*|libdl\.so.*)$")


def num(x, default=0):
    """x if it is a JSON number (not a bool), else default."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return default
    if isinstance(x, float) and not math.isfinite(x):  # json reads NaN and Infinity
        return default
    return x


def obj(x):
    """x if it is a JSON object, else an empty dict."""
    return x if isinstance(x, dict) else {}


def arr(x):
    """x if it is a JSON array, else an empty list."""
    return x if isinstance(x, list) else []


def text(x, default=""):
    """A string for any JSON scalar (null gives default)."""
    if x is None:
        return default
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float, str)):
        return str(x)
    return default


def dig(d, *keys, default=None):
    """d[k1][k2]... through objects only; default when any step is missing."""
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


# ---- units ------------------------------------------------------------------

def byte_unit(max_bytes):
    """(divisor, name) for an axis whose largest value is max_bytes."""
    m = num(max_bytes)
    if m >= GIB:
        return GIB, "GiB"
    if m >= MIB:
        return MIB, "MiB"
    if m >= KIB:
        return KIB, "KiB"
    return 1, "bytes"


def fmt_bytes(n):
    """27 B, 4.0 KiB, 3.15 MiB, 1.20 GiB."""
    n = num(n)
    if n < 0:
        return "-" + fmt_bytes(-n)
    if n < KIB:
        return "%d B" % n
    for div, name in ((GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")):
        if n >= div:
            v = n / div
            s = ("%.0f" if v >= 100 else "%.1f" if v >= 10 else "%.2f") % v
            if "." in s:
                s = s.rstrip("0").rstrip(".")
            return "%s %s" % (s, name)
    return "%d B" % n


def fmt_size(n):
    """A block or class size, exact where it is whole: 48 B, 4 KiB, 3.5 KiB."""
    n = num(n)
    for div, name in ((MIB, "MiB"), (KIB, "KiB")):
        if n >= div:
            v = n / div
            return ("%d %s" % (v, name)) if v == int(v) else ("%.1f %s" % (v, name))
    return "%d B" % n


def fmt_count(n):
    n = num(n)
    return "{:,}".format(int(n)) if n == int(n) else "{:,.2f}".format(n)


def fmt_pct(ratio):
    return "%.0f%%" % (100.0 * num(ratio))


def time_unit(max_ms):
    """(divisor, name) for a time axis whose largest value is max_ms."""
    m = num(max_ms)
    if m >= 20 * 60 * 1000:
        return 60 * 1000, "min"
    if m >= 10 * 1000:
        return 1000, "s"
    return 1, "ms"


def fmt_ms(ms):
    ms = num(ms)
    if ms >= 60 * 1000:
        return "%.1f min" % (ms / 60000.0)
    if ms >= 10 * 1000:
        return "%.1f s" % (ms / 1000.0)
    if ms >= 1000:
        return "%.2f s" % (ms / 1000.0)
    return "%d ms" % ms


# ---- stacks -----------------------------------------------------------------

def frame_where(f):
    """'function (file.c:12)', the short form of one frame."""
    f = obj(f)
    func = text(f.get("function")) or None
    file = text(f.get("file")) or None
    line = num(f.get("line"), None)
    loc = ""
    if file:
        loc = os.path.basename(file) + (":%d" % line if line is not None else "")
    if func:
        return "%s (%s)" % (func, loc) if loc else func
    mod = text(f.get("module")) or "??"
    addr = text(f.get("address"))
    return "%s (%s)" % (loc, mod) if loc else ("%s %s" % (mod, addr)).strip()


def short_function(name, limit=48):
    """A C++ name cut down for a chart label: argument list dropped when long,
    then the middle elided."""
    if len(name) > limit and "(" in name:
        name = name[:name.index("(")] + "()"
    if len(name) > limit:
        keep = limit - 1
        name = name[:keep // 2] + "\u2026" + name[-(keep - keep // 2):]
    return name


def site_frame(stack):
    """(frame, skipped): the first frame of the program's own code (not the C
    or C++ runtime), and the function names of the runtime frames above it."""
    frames = [obj(f) for f in arr(stack)]
    for i, f in enumerate(frames):
        if not RUNTIME_MODULE.match(text(f.get("module"))):
            return f, [text(g.get("function")) for g in frames[:i] if text(g.get("function"))]
    return (frames[0] if frames else {}), []


def site_label(stack, limit=48):
    """A one-line chart label for an allocation stack."""
    f, skipped = site_frame(stack)
    if not f:
        return "(no stack)"
    func = text(f.get("function"))
    file = text(f.get("file"))
    line = num(f.get("line"), None)
    label = short_function(func, limit) if func else (text(f.get("module")) or "??")
    if file:
        label += " \u00b7 " + os.path.basename(file) + (":%d" % line if line is not None else "")
    elif not func:
        label += " " + text(f.get("address"))
    if skipped:
        label += " via " + short_function(skipped[0], 24)
    return label


def process_name(p):
    """A short name for a process: argv[0]'s base name, else the executable's."""
    argv = arr(p.get("argv"))
    name = text(argv[0]) if argv else ""
    if not name:
        name = text(p.get("executable"))
    return os.path.basename(name) or "?"
