"""hscheck.py — what the end-to-end checkers under tests/ share.

errors/errcheck.py, leaks/leakcheck.py and frag/fragcheck.py build their
Test class on Checker: a scratch directory per scenario, checks that are
counted and printed, a dump of every command for when one fails, programs
found in --progs, source lines found by their @marker comment in --src,
`heapscope run` and `heapscope report` and the outcome line.
golden/golden.py and reports/check_reports.py use the functions only.

What the checkers do differently is a parameter here, never a guess: the
exception report() raises (Fail), the program name prefix (PROG_PREFIX), the
outcome lines (FAILED, PASSED, DUMP_LIMIT, DUMP_RULE), what a scenario may
raise and still be reported as a failed check (CATCH, crashed()).

A checker imports it through its own location, so it works from ctest and
by hand alike:

    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "lib"))
    import hscheck  # noqa: E402

Python standard library only; python3 >= 3.9.
"""
import argparse
import json
import os
import re
import shutil
import subprocess

GATE_STATUS = 23  # `heapscope run`'s status when its gate (--fail-on, --max-leaks, --baseline) fails


# ---- functions -----------------------------------------------------------------

def fresh_dir(path):
    """Make PATH an empty directory (whatever was there is removed); returns PATH."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def traces(out):
    """The traces (heapscope.*.hst) in the directory OUT, sorted; [] when OUT does not exist."""
    if not os.path.isdir(out):
        return []
    return sorted(os.path.join(out, f) for f in os.listdir(out)
                  if f.startswith("heapscope.") and f.endswith(".hst"))


def at_marker(marker):
    """The comment @MARKER, and not a longer marker that starts with it."""
    return re.compile(r"@" + re.escape(marker) + r"(?![A-Za-z0-9_])")


def marker_lines(path, pattern):
    """The numbers (from 1) of the lines of PATH where the compiled PATTERN
    is found, trailing white space left out."""
    hits = []
    with open(path) as f:
        for n, text in enumerate(f, 1):
            if pattern.search(text.rstrip()):
                hits.append(n)
    return hits


def environ(drop=("HEAPSCOPE_OPTIONS",), extra=None):
    """os.environ without the variables DROP, with EXTRA (a dict) added."""
    env = dict(os.environ)
    for k in drop:
        env.pop(k, None)
    if extra:
        env.update(extra)
    return env


def run_dump(cmd, status, stdout, stderr, env=None):
    """What a command showed, for the dump printed when a check fails; ENV:
    the variables it was given beyond the checker's own, shown before it."""
    shown = "".join("%s=%s " % kv for kv in (env or {}).items())
    return "$ %s%s\n[status %d]\n--- stdout\n%s--- stderr\n%s" % (shown, " ".join(cmd), status, stdout, stderr)


def arg_parser(required, description=None):
    """An ArgumentParser with a required --NAME for each name of REQUIRED."""
    ap = argparse.ArgumentParser(description=description)
    for name in required:
        ap.add_argument("--" + name, required=True)
    return ap


# ---- the checkers' base class --------------------------------------------------

class Checker:
    """One scenario's checks. args: the parsed command line (work, and
    heapscope, progs, src where used); its scratch directory is
    WORK/WORKDIR (WORKDIR defaults to the scenario), wiped at the start;
    NAME is what the outcome line calls it (defaults to the scenario)."""

    PROG_PREFIX = ""        # the programs in --progs are PROG_PREFIX + name
    Fail = RuntimeError     # what report() raises when there is no report
    CATCH = ()              # what a scenario may raise to end as a failed check
    FAILED = "\n==== {n} failure(s) in {name}; commands and outputs:"
    PASSED = "PASS {name}"
    DUMP_LIMIT = 20000      # characters of each dump printed after a failure
    DUMP_RULE = None        # a line printed before each dump

    def __init__(self, args, scenario, workdir=None, name=None):
        self.a = args
        self.scenario = scenario
        self.name = name or scenario
        self.work = fresh_dir(os.path.join(args.work, workdir or scenario))
        self.errors = []
        self.nout = 0
        self.dumps = []

    # ---- checks ----------------------------------------------------------
    def check(self, cond, msg):
        if not cond:
            self.errors.append(msg)
            print("FAIL: " + msg)
        return cond

    def note(self, msg):
        print(msg)

    # ---- files -----------------------------------------------------------
    def prog(self, name):
        return os.path.join(self.a.progs, self.PROG_PREFIX + name)

    def src(self, name):
        return os.path.join(self.a.src, name)

    def line(self, file, marker):
        """The line of `file` (in --src) that carries the comment @marker."""
        hits = marker_lines(self.src(file), at_marker(marker))
        if len(hits) != 1:
            raise RuntimeError("marker @%s found %d times in %s" % (marker, len(hits), file))
        return hits[0]

    def fresh(self, tag="run"):
        """A new output directory in the scratch directory (not made): TAG1, TAG2, ..."""
        self.nout += 1
        d = os.path.join(self.work, "%s%d" % (tag, self.nout))
        shutil.rmtree(d, ignore_errors=True)
        return d

    traces = staticmethod(traces)

    # ---- heapscope -------------------------------------------------------
    def capture(self, cmd, env=None, cwd=None, timeout=60, shown_env=None):
        """Run CMD (no stdin); returns (status, stdout, stderr), status as
        subprocess has it (-N: killed by signal N), and keeps its dump
        (SHOWN_ENV: the variables shown before the command there)."""
        p = subprocess.run(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        so, se = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
        self.dumps.append(run_dump(cmd, p.returncode, so, se, shown_env))
        return p.returncode, so, se

    def report(self, out, fmt="json", opts=()):
        """`heapscope report --format FMT OPTS` over the traces in OUT, parsed."""
        tr = self.traces(out)
        if not tr:
            raise self.Fail("no trace in " + out)
        cmd = [self.a.heapscope, "report", "--format", fmt] + list(opts) + tr
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        if p.returncode != 0:
            raise self.Fail("%s: status %d: %s" % (" ".join(cmd), p.returncode, p.stderr.decode(errors="replace")))
        text = p.stdout.decode()
        self.dumps.append("$ %s\n%s" % (" ".join(cmd), text))
        return json.loads(text)

    # ---- outcome ---------------------------------------------------------
    def one_process(self, rep, where="the report"):
        """The single process of the parsed report REP; raises self.Fail
        (the scenario ends as a failed check) when there is not exactly one."""
        procs = rep["processes"]
        if len(procs) != 1:
            raise self.Fail("expected 1 process in %s, got %d" % (where, len(procs)))
        return procs[0]

    def crashed(self, e):
        """A scenario raised E (one of CATCH)."""
        self.check(False, str(e))

    def execute(self, scenario):
        """Run the function SCENARIO(self); returns the exit status."""
        try:
            scenario(self)
        except self.CATCH as e:
            self.crashed(e)
        return self.finish()

    def finish(self):
        if self.errors:
            print(self.FAILED.format(n=len(self.errors), name=self.name))
            for d in self.dumps:
                if self.DUMP_RULE is not None:
                    print(self.DUMP_RULE)
                print(d[:self.DUMP_LIMIT])
            return 1
        print(self.PASSED.format(name=self.name))
        return 0
