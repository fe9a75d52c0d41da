"""simref.py — a deliberately naive reference for `heapscope report --simulate`
(analyzer/simulate.h has the rules), and a writer of synthetic traces.

The reference keeps every free list as a plain Python list and walks it the
way a textbook allocator does, so it is slow (O(holes) per request) and
obviously right; simulate.c answers the same questions with balanced trees.
frag.sim_reference replays random traces through both and wants identical
numbers. Python standard library only.
"""
import struct

PAGE = 4096
SLAB_MAX = 3584
BUDDY_MAX_ORDER = 8
CLASS_SIZES = [16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
               640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584]
STRATEGIES = ["first-fit", "next-fit", "best-fit", "worst-fit", "buddy", "heapscope"]


def size_class(size):
    for i, c in enumerate(CLASS_SIZES):
        if size <= c:
            return i
    raise ValueError(size)


def slab_order(cls):
    size = CLASS_SIZES[cls]
    for order in range(4):
        b = PAGE << order
        n = b // size
        if n >= 8 and (b - n * size) * 16 <= b:
            return order
    return 4


def page_order(size):
    for o in range(BUDDY_MAX_ORDER + 1):
        if size <= PAGE << o:
            return o
    return None


class Peak:
    def __init__(self):
        self.foot = 0
        self.live = 0
        self.req = 0
        self.frag = 0.0

    def note(self, foot, live, req, free, largest):
        if foot > self.foot:
            self.foot, self.live, self.req = foot, live, req
            self.frag = 1.0 - largest / free if free else 0.0


def r16(n):
    return (n + 15) // 16 * 16 if n else 16


class Contiguous:
    """Holes: a list of [addr, size] in address order."""

    def __init__(self, policy):
        self.policy = policy
        self.holes = []
        self.brk = 0
        self.rover = 0
        self.live = 0
        self.req = 0
        self.peak = Peak()
        self.searches = 0
        self.examined = 0

    def note(self):
        free = sum(s for _, s in self.holes)
        largest = max((s for _, s in self.holes), default=0)
        self.peak.note(self.brk, self.live, self.req, free, largest)

    def place(self, n):
        H = self.holes
        pick, ex = None, len(H)
        if self.policy == "first-fit":
            for i, (a, s) in enumerate(H):
                if s >= n:
                    pick, ex = i, i + 1
                    break
        elif self.policy == "next-fit":
            start = len(H)
            for i, (a, s) in enumerate(H):
                if a + s > self.rover:
                    start = i
                    break
            order = list(range(start, len(H))) + list(range(0, start))
            for k, i in enumerate(order):
                if H[i][1] >= n:
                    pick, ex = i, k + 1
                    break
        elif self.policy == "best-fit":
            for i, (a, s) in enumerate(H):
                if s == n:
                    pick, ex = i, i + 1
                    break
                if s >= n and (pick is None or s < H[pick][1]):
                    pick = i
        else:
            for i, (a, s) in enumerate(H):
                if s >= n and (pick is None or s > H[pick][1]):
                    pick = i
        self.searches += 1
        self.examined += ex
        if pick is not None:
            a, s = H[pick]
            if s == n:
                del H[pick]
            else:
                H[pick] = [a + n, s - n]
        else:
            a = self.brk
            self.brk += n
        self.rover = a + n
        return a

    def release(self, a, n):
        H = self.holes
        start, end = a, a + n
        i = 0
        while i < len(H) and H[i][0] < a:
            i += 1
        # H[i-1] is the hole before, H[i] the one after
        if i > 0 and H[i - 1][0] + H[i - 1][1] == a:
            start = H[i - 1][0]
            del H[i - 1]
            i -= 1
        if i < len(H) and H[i][0] == end:
            end += H[i][1]
            del H[i]
        if end == self.brk:
            self.brk = start
        else:
            H.insert(i, [start, end - start])

    def alloc(self, req):
        n = r16(req)
        a = self.place(n)
        self.live += n
        self.req += req
        self.note()
        return a

    def free(self, a, req):
        self.release(a, r16(req))
        self.live -= r16(req)
        self.req -= req

    def realloc(self, a, old, req):
        n0, n1 = r16(old), r16(req)
        if n1 < n0:
            self.release(a + n1, n0 - n1)
        elif n1 > n0:
            end, more = a + n0, n1 - n0
            if end == self.brk:
                self.brk += more
            else:
                hit = [h for h in self.holes if h[0] == end and h[1] >= more]
                if hit:
                    h = hit[0]
                    if h[1] == more:
                        self.holes.remove(h)
                    else:
                        h[0] += more
                        h[1] -= more
                else:
                    b = self.alloc(req)
                    self.free(a, old)
                    return b
        self.live += n1 - n0
        self.req += req - old
        self.note()
        return a


class Buddy:
    """Free blocks: a set of addresses per order (units of `unit` bytes)."""

    def __init__(self, unit, max_order=None):
        self.unit = unit
        self.max_order = max_order  # None: one arena that doubles
        self.free = {}
        self.top = 0
        self.arena_order = 0

    def limit(self):
        return self.arena_order if self.max_order is None else self.max_order

    def release(self, addr, order):
        while order < self.limit():
            mate = addr ^ (1 << order)
            if mate >= self.top or mate not in self.free.get(order, set()):
                break
            self.free[order].discard(mate)
            addr &= ~(1 << order)
            order += 1
        self.free.setdefault(order, set()).add(addr)

    def alloc(self, order):
        if self.max_order is None and self.top == 0:
            self.arena_order, self.top = order, 1 << order
            return 0
        while True:
            cand = [o for o in range(order, self.limit() + 1) if self.free.get(o)]
            if cand:
                break
            if self.max_order is None:
                half = self.top
                self.top *= 2
                self.arena_order += 1
                self.release(half, self.arena_order - 1)
            else:
                self.top += 1 << self.max_order
                self.release(self.top - (1 << self.max_order), self.max_order)
        o = cand[0]
        addr = min(self.free[o])
        self.free[o].discard(addr)
        while o > order:
            o -= 1
            self.free.setdefault(o, set()).add(addr + (1 << o))
        return addr

    def free_units(self):
        return sum(len(s) << o for o, s in self.free.items())

    def largest_units(self):
        return max((1 << o for o, s in self.free.items() if s), default=0)


def pure_order(req):
    units = (req + 15) // 16 if req else 1
    o = 0
    while (1 << o) < units:
        o += 1
    return o


class PureBuddy:
    def __init__(self):
        self.b = Buddy(16)
        self.live = 0
        self.req = 0
        self.peak = Peak()

    def note(self):
        self.peak.note(self.b.top * 16, self.live, self.req, self.b.free_units() * 16,
                       self.b.largest_units() * 16)

    def alloc(self, req):
        o = pure_order(req)
        a = self.b.alloc(o)
        self.live += 16 << o
        self.req += req
        self.note()
        return a

    def free(self, a, req):
        o = pure_order(req)
        self.b.release(a, o)
        self.live -= 16 << o
        self.req -= req

    def realloc(self, a, old, req):
        if pure_order(old) == pure_order(req):
            self.req += req - old
            return a
        b = self.alloc(req)
        self.free(a, old)
        return b


class Slab:
    def __init__(self, page, cls, nobj):
        self.page, self.cls, self.nobj = page, cls, nobj
        self.free = set(range(nobj))


class Heapscope:
    def __init__(self):
        self.b = Buddy(PAGE, BUDDY_MAX_ORDER)
        self.slabs = {c: [] for c in range(len(CLASS_SIZES))}
        self.pages = 0
        self.live = 0
        self.req = 0
        self.peak = Peak()

    def note(self):
        self.peak.note(self.pages * PAGE, self.live, self.req, self.b.free_units() * PAGE,
                       self.b.largest_units() * PAGE)

    @staticmethod
    def kind(req):
        if req <= SLAB_MAX:
            return "slab"
        return "buddy" if page_order(req) is not None else "large"

    def alloc(self, req):
        k = self.kind(req)
        if k == "slab":
            c = size_class(req)
            avail = [s for s in self.slabs[c] if s.free]
            if not avail:
                o = slab_order(c)
                s = Slab(self.b.alloc(o), c, (PAGE << o) // CLASS_SIZES[c])
                self.slabs[c].append(s)
                self.pages += 1 << o
                avail = [s]
            s = min(avail, key=lambda s: s.page)
            obj = min(s.free)
            s.free.discard(obj)
            self.live += CLASS_SIZES[c]
            loc = (s, obj)
        elif k == "buddy":
            o = page_order(req)
            loc = self.b.alloc(o)
            self.pages += 1 << o
            self.live += PAGE << o
        else:
            loc = (req + PAGE - 1) // PAGE
            self.pages += loc
            self.live += loc * PAGE
        self.req += req
        self.note()
        return loc

    def free(self, loc, req):
        k = self.kind(req)
        if k == "slab":
            s, obj = loc
            s.free.add(obj)
            self.live -= CLASS_SIZES[s.cls]
            empties = [x for x in self.slabs[s.cls] if len(x.free) == x.nobj]
            if len(s.free) == s.nobj and len(empties) > 1:
                o = slab_order(s.cls)
                self.slabs[s.cls].remove(s)
                self.b.release(s.page, o)
                self.pages -= 1 << o
        elif k == "buddy":
            o = page_order(req)
            self.b.release(loc, o)
            self.pages -= 1 << o
            self.live -= PAGE << o
        else:
            self.pages -= loc
            self.live -= loc * PAGE
        self.req -= req

    def realloc(self, loc, old, req):
        k0, k1 = self.kind(old), self.kind(req)
        same = k0 == k1 and ((k0 == "slab" and size_class(old) == size_class(req)) or
                             (k0 == "buddy" and page_order(old) == page_order(req)) or k0 == "large")
        if same:
            if k0 == "large":
                n = (req + PAGE - 1) // PAGE
                self.pages += n - loc
                self.live += (n - loc) * PAGE
                loc = n
            self.req += req - old
            self.note()
            return loc
        b = self.alloc(req)
        self.free(loc, old)
        return b


class Reference:
    """Replays ("alloc", addr, size) / ("free", addr) / ("realloc", old, new, size)."""

    def __init__(self):
        self.sims = [Contiguous(p) for p in STRATEGIES[:4]] + [PureBuddy(), Heapscope()]
        self.live = {}

    def event(self, ev):
        if ev[0] == "alloc":
            _, addr, size = ev
            if addr in self.live:
                self._free(addr)
            self.live[addr] = (size, [s.alloc(size) for s in self.sims])
        elif ev[0] == "free":
            if ev[1] in self.live:
                self._free(ev[1])
        else:
            _, old, new, size = ev
            if old in self.live:
                osize, locs = self.live.pop(old)
                locs = [s.realloc(l, osize, size) for s, l in zip(self.sims, locs)]
            else:
                locs = [s.alloc(size) for s in self.sims]
            if new in self.live:
                self._free(new)
            self.live[new] = (size, locs)

    def _free(self, addr):
        size, locs = self.live.pop(addr)
        for s, l in zip(self.sims, locs):
            s.free(l, size)

    def results(self):
        out = []
        for name, s in zip(STRATEGIES, self.sims):
            p = s.peak
            out.append({
                "name": name,
                "peak_footprint_bytes": p.foot,
                "peak_live_bytes": p.live,
                "peak_requested_bytes": p.req,
                "external_fragmentation_at_peak": p.frag,
                "average_search_length": (s.examined / s.searches if s.searches else 0.0)
                if hasattr(s, "searches") else None,
                "compaction_reclaim_bytes": p.foot - p.live,
            })
        return out


# ---- synthetic traces (include/heapscope/trace_format.h) -------------------

def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7f) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zigzag(v):
    return (v << 1) ^ (v >> 63) if v >= 0 else ((-v) << 1) - 1


def string(s):
    b = s.encode()
    return varint(len(b)) + b


def record(rtype, payload):
    return struct.pack("<BI", rtype, len(payload)) + payload


def write_trace(path, events, pid=4242):
    """A minimal trace: INFO, the events, EXIT. Addresses must be multiples of 16."""
    info = (varint(pid) + varint(1) + varint(0) + varint(PAGE) + string("/synthetic") +
            varint(1) + string("synthetic") + string("detect=0"))
    encoded = []
    cur = 0
    for ev in events:
        if ev[0] == "alloc":
            a = ev[1] >> 4
            encoded.append(bytes([0x10 | 1]) + varint(zigzag(a - cur)) + varint(ev[2]) + varint(0))
            cur = a
        elif ev[0] == "free":
            a = ev[1] >> 4
            encoded.append(bytes([0x20]) + varint(zigzag(a - cur)))
            cur = a
        else:
            o, n = ev[1] >> 4, ev[2] >> 4
            encoded.append(bytes([0x30]) + varint(zigzag(o - cur)) + varint(zigzag(n - o)) +
                           varint(ev[3]) + varint(0))
            cur = n
    data = b"HSTRACE\0" + struct.pack("<II", 1, 0)
    data += record(1, info)
    # several EVENTS records, as a real trace has: the decoder's state
    # (last address) carries from one to the next
    for i in range(0, len(encoded), 500):
        data += record(4, b"".join(encoded[i:i + 500]))
    data += record(5, varint(0) + varint(0) + varint(0) + string(""))
    with open(path, "wb") as f:
        f.write(data)
