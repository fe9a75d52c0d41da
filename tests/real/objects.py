"""objects.py — builds and drops many Python objects and prints a
deterministic digest of what it computed.

Usage: python3 objects.py [SCALE]   (SCALE defaults to 1; the benchmark
passes a larger one). Output depends only on SCALE.
"""
import gc
import hashlib
import json
import re
import sys

scale = int(sys.argv[1]) if len(sys.argv) > 1 else 1
digest = hashlib.sha256()


def feed(label, value):
    text = "%s=%r" % (label, value)
    digest.update(text.encode())
    print(text if len(text) < 120 else text[:117] + "...")


class Rng:
    """A small LCG so the data does not depend on Python's random module."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return self.state >> 33


rng = Rng(12345)
words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
         "hotel", "india", "juliet", "kilo", "lima", "mike", "november"]

# 1. Dicts of lists of strings, created and dropped in rounds.
for rnd in range(3 * scale):
    table = {}
    for i in range(20000):
        key = "%s-%d" % (words[rng.next() % len(words)], rng.next() % 5000)
        table.setdefault(key, []).append(str(i) * (1 + i % 7))
    sizes = sorted(len(v) for v in table.values())
    feed("round%d.keys" % rnd, len(table))
    feed("round%d.median" % rnd, sizes[len(sizes) // 2])
    feed("round%d.chars" % rnd, sum(len(s) for v in table.values() for s in v))
    del table, sizes

# 2. A big list of tuples, sorted several ways.
rows = [(rng.next() % 1000, words[rng.next() % len(words)], i, float(i) / 7.0)
        for i in range(200000 * scale)]
rows.sort()
feed("rows.first", rows[0][:3])
feed("rows.last", rows[-1][:3])
rows.sort(key=lambda r: (r[1], -r[0], r[2]))
feed("rows.by_word", [r[2] for r in rows[:5]])
by_word = {}
for r in rows:
    by_word[r[1]] = by_word.get(r[1], 0) + r[0]
feed("rows.sums", sorted(by_word.items()))
del rows

# 3. Strings: concatenation, join, split, replace, encode.
parts = []
for i in range(50000 * scale):
    parts.append("%05d:%s" % (i, words[i % len(words)] * (1 + i % 3)))
blob = ";".join(parts)
feed("blob.len", len(blob))
pieces = blob.split(";")
feed("blob.pieces", len(pieces))
upper = blob.upper().replace("ALPHA", "a").replace(";", "\n")
feed("blob.upper.sha", hashlib.sha1(upper.encode()).hexdigest())
del parts, pieces, upper

# 4. json dumps / loads round trips of nested structures.
docs = []
for i in range(2000 * scale):
    docs.append({
        "id": i,
        "name": words[i % len(words)],
        "tags": [words[(i + k) % len(words)] for k in range(i % 6)],
        "nested": {"a": [i, i * 2, {"b": str(i)}], "c": None, "d": i % 2 == 0},
        "value": i / 3.0,
    })
text = json.dumps(docs, sort_keys=True)
feed("json.len", len(text))
back = json.loads(text)
feed("json.roundtrip", back == docs)
pretty = json.dumps(back[:50], indent=2, sort_keys=True)
feed("json.pretty.sha", hashlib.sha1(pretty.encode()).hexdigest())
del docs, back, text, pretty

# 5. Regular expressions: compile many patterns, findall, sub, groups.
pat = re.compile(r"(\d+):([a-z]+?)(\1)?")
found = pat.findall(blob)
feed("re.found", len(found))
feed("re.sample", found[:3])
counts = {}
for m in re.finditer(r"([a-z])\1", blob):
    counts[m.group(1)] = counts.get(m.group(1), 0) + 1
feed("re.doubles", sorted(counts.items()))
subbed = re.sub(r"(?P<n>\d{5}):(?P<w>[a-z]+)", lambda m: m.group("w")[::-1] + m.group("n")[-2:], blob)
feed("re.sub.sha", hashlib.sha1(subbed.encode()).hexdigest())
for i in range(300):
    re.compile("x{%d}y[a-%s]+" % (i, "abcdefghij"[i % 10]))
del blob, found, subbed

# 6. Cyclic garbage for the collector, sets, bytes, bytearrays.
class Node:
    def __init__(self, n):
        self.n = n
        self.peer = None
        self.data = bytearray(n % 300)


for rnd in range(5 * scale):
    nodes = [Node(i) for i in range(20000)]
    for i, node in enumerate(nodes):
        node.peer = nodes[(i * 7 + 3) % len(nodes)]
    total = sum(len(n.data) for n in nodes)
    del nodes
    collected = gc.collect()
    feed("gc%d" % rnd, (total, collected > 0))

s = set()
for i in range(100000 * scale):
    s.add((i * 2654435761) % 1000003)
feed("set.len", len(s))
feed("set.min_max", (min(s), max(s)))
b = b"".join(bytes([i % 256]) * (i % 50) for i in range(20000))
feed("bytes.sha", hashlib.sha256(b).hexdigest())

print("digest", digest.hexdigest())
