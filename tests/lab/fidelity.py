#!/usr/bin/env python3
"""Fidelity test: guestmem's model against what real Xen + Linux did in the lab (make lab).

  tests/lab/fidelity.py --guestmem BIN --data tests/data/lab [--root .] [--table]

For every configuration directory under --data it runs the paired scenarios with the simulated
backend and compares, field by field, with the captured files (see docs/lab.md):
  dom0.json        dom0 boot: balloon sysfs (target/current/low/high kB); the first "Xen scratch"
                   range and its parent in /proc/iomem after the experiments mapped foreign pages
  domU.json        the PV domU's xl mem-set sequence: balloon sysfs after each change settled,
                   MemTotal deltas against the balloon's current deltas, xl list memory
  real-backend     (lab/scenarios/real-backend.json) the real backend's hypercall trace against the
                   simulated run's: calls and frames per kind; xl list memory before and after
Every row is `agree` or `disagree`. A disagreement must be listed in tests/lab/known_disagreements
with the simulated value it has (documented in docs/lab.md as an open model limitation); a new
disagreement, a listed one whose simulated value moved, or a listed one that now agrees or no longer
exists, fails the test (exit 1). --table prints the markdown table of
docs/lab.md."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

KiB = 1024
MiB = 1024 * KiB


def size_bytes(text):
    """A scenario size ("256 MiB", "191300 KiB") in bytes."""
    m = re.fullmatch(r"\s*([0-9.]+)\s*(B|KiB|MiB|GiB|TiB)\s*", text)
    if not m:
        raise ValueError(f"not a size: {text!r}")
    unit = {"B": 1, "KiB": KiB, "MiB": MiB, "GiB": 1024 * MiB, "TiB": 1024 * 1024 * MiB}[m.group(2)]
    return int(float(m.group(1)) * unit)


def read_capture(path):
    """A capture without its '#' header lines."""
    with open(path) as f:
        return [l.rstrip("\n") for l in f if not l.startswith("#")]


def kv(lines):
    out = {}
    for l in lines:
        parts = l.split()
        if len(parts) == 2:
            out[parts[0]] = parts[1]
    return out


def meminfo_kb(lines, key):
    for l in lines:
        if l.startswith(key + ":"):
            return int(l.split()[1])
    raise KeyError(key)


def parse_iomem(lines):
    """[(depth, start, end, name)] of a /proc/iomem dump (two spaces of indent per level)."""
    out = []
    for l in lines:
        m = re.match(r"^( *)([0-9a-f]+)-([0-9a-f]+) : (.*)$", l)
        if m:
            out.append((len(m.group(1)) // 2, int(m.group(2), 16), int(m.group(3), 16), m.group(4)))
    return out


def parent_of(entries, idx):
    depth = entries[idx][0]
    for j in range(idx - 1, -1, -1):
        if entries[j][0] == depth - 1:
            return entries[j][3]
    return "(top level)"


def xl_mem(lines, name):
    for l in lines:
        parts = l.split()
        if parts and parts[0] == name:
            return int(parts[2])
    return None


class Checker:
    def __init__(self, known, offset_real=0):
        self.rows = []
        self.known = known
        self.offset_real = offset_real

    def row(self, config, field, real, sim, note="", tolerance=0):
        """One compared field; numbers agree within `tolerance` (stated in the field's name)."""
        if isinstance(real, int) and self.offset_real:
            real += self.offset_real  # --offset-real: the self-test that this comparison can fail
        if isinstance(real, int) and isinstance(sim, int):
            verdict = "agree" if abs(real - sim) <= tolerance else "disagree"
        else:
            verdict = "agree" if real == sim else "disagree"
        self.rows.append((config, field, real, sim, verdict, note))

    def failures(self):
        bad = []
        seen = set()
        for config, field, real, sim, verdict, _ in self.rows:
            key = f"{config} {field}"
            seen.add(key)
            if verdict == "disagree" and key not in self.known:
                bad.append(f"NEW disagreement: {key}: real {real}, simulated {sim}")
            elif verdict == "disagree" and self.known[key] != str(sim):
                # A known disagreement pins the simulated value: a model change that moves it (even to
                # another wrong value) must be looked at, not absorbed by the list.
                bad.append(f"known disagreement changed: {key}: simulated {sim}, listed {self.known[key]} "
                           "(update tests/lab/known_disagreements and docs/lab.md)")
            if verdict == "agree" and key in self.known:
                bad.append(f"listed as a known disagreement but agrees now: {key} "
                           "(remove it from tests/lab/known_disagreements and update docs/lab.md)")
        for key in sorted(self.known):
            if key not in seen:
                bad.append(f"listed as a known disagreement but not compared: {key}")
        return bad


def run_sim(gm, scenario, workdir, trace=None):
    out = os.path.join(workdir, os.path.basename(os.path.dirname(scenario)) + "-" + os.path.basename(scenario))
    cmd = [gm, "run", scenario, "--out", out, "--quiet"]
    if trace:
        cmd += ["--hypercall-trace", trace]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"fidelity: {' '.join(cmd)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def series_at(report, t_s):
    """The time-series row at simulated time t_s (the last sample at or before it)."""
    ts = report["time_series"]
    idx = max(i for i, t in enumerate(ts["t_ns"]) if t <= t_s * 1e9)
    return {k: v[idx] for k, v in ts.items() if isinstance(v, list)}


def compare_dom0(c, name, d, gm, work):
    rep = run_sim(gm, os.path.join(d, "dom0.json"), work)
    b = rep["balloon"]
    real = kv(read_capture(os.path.join(d, "balloon")))
    c.row(name, "dom0 boot target_kb", int(real["target_kb"]), b["target_pages"] * 4)
    c.row(name, "dom0 boot current_kb", int(real["info/current_kb"]), b["current_pages"] * 4)
    c.row(name, "dom0 boot low_kb", int(real["info/low_kb"]), b["ballooned_pages"] * 4)
    c.row(name, "dom0 boot high_kb", int(real["info/high_kb"]), 0, "no highmem on x86_64")
    # The first "Xen scratch" range after the experiments, and the resource it sits under.
    end = parse_iomem(read_capture(os.path.join(d, "iomem-end")))
    real_scratch = [(i, e) for i, e in enumerate(end) if e[3] == "Xen scratch"]
    sim_iomem = rep["address_space"]["iomem"]
    sim_scratch = [i for i, e in enumerate(sim_iomem) if e["name"] == "Xen scratch"]
    if real_scratch:
        i, e = real_scratch[0]
        real_range, real_parent = f"{e[1]:#x}-{e[2]:#x}", parent_of(end, i)
    else:
        real_range, real_parent = "none", "none"
    if sim_scratch:
        i = sim_scratch[0]
        e = sim_iomem[i]
        sim_range = f"{e['start']:#x}-{e['end']:#x}"
        entries = [(x["depth"], x["start"], x["end"], x["name"]) for x in sim_iomem]
        sim_parent = parent_of(entries, i)
    else:
        sim_range, sim_parent = "none", "none"
    c.row(name, "dom0 first Xen scratch range", real_range, sim_range)
    c.row(name, "dom0 first Xen scratch parent", real_parent, sim_parent)


def compare_domU(c, name, d, gm, work):
    with open(os.path.join(d, "domU.json")) as f:
        scen = json.load(f)
    rep = run_sim(gm, os.path.join(d, "domU.json"), work)
    # Consistency: the scenario describes the captured run.
    free = [l for l in read_capture(os.path.join(d, "xl-info-free")) if l.startswith("free_memory")]
    c.row(name, "domU scenario host_free_memory (MiB) = xl info free_memory", int(free[0].split(":")[1]),
          size_bytes(scen["xen"]["host_free_memory"]) // MiB)
    steps = [("boot", None)] + [(str(size_bytes(t["size"]) // MiB), t) for t in scen["balloon"]["target"]]
    times = [t["at"] for t in scen["balloon"]["target"]]
    dur = scen["duration"]
    sec = lambda s: float(s.split()[0])
    prev_real_mt = prev_sim_cur = None
    prev_refused = False
    for k, (label, tgt) in enumerate(steps):
        # The state just before the next change (or the end): the model has settled by then.
        t_end = sec(times[k]) if k < len(times) else sec(dur)
        sim = series_at(rep, t_end - 1)
        state_file = os.path.join(d, f"domU-state-{label}")
        s = read_capture(state_file)[0].split()
        if len(s) != 6:
            sys.exit(f"fidelity: {state_file}: expected 'uptime target current low high MemTotal', found {s}")
        real = dict(zip(["uptime", "target_kb", "current_kb", "low_kb", "high_kb", "MemTotal"], s))
        sim_cur_kb = sim["guest_ram_bytes"] // KiB
        # Where Xen refused pages, how many it gave depends on its free memory to the page, which
        # xl info reports only in MiB (the scenario's host_free_memory): those fields agree within 1 MiB.
        refused = sim_cur_kb < sim["balloon_target_pages"] * 4
        tol, tag = (1023, " (refused: within 1 MiB)") if refused else (0, "")
        c.row(name, f"domU {label}: target_kb", int(real["target_kb"]), sim["balloon_target_pages"] * 4)
        c.row(name, f"domU {label}: current_kb{tag}", int(real["current_kb"]), sim_cur_kb, tolerance=tol)
        c.row(name, f"domU {label}: low_kb{tag}", int(real["low_kb"]), sim["ballooned_pages"] * 4, tolerance=tol)
        c.row(name, f"domU {label}: high_kb", int(real["high_kb"]), 0, "no highmem on x86_64")
        mt = int(real["MemTotal"])
        if prev_real_mt is not None:
            dtol, dtag = (1023, " (after a refusal: within 1 MiB)") if (refused or prev_refused) else (0, "")
            c.row(name, f"domU {label}: MemTotal delta kB (sim: current delta){dtag}", mt - prev_real_mt,
                  sim_cur_kb - prev_sim_cur, tolerance=dtol)
        prev_real_mt, prev_sim_cur, prev_refused = mt, sim_cur_kb, refused
        xl = xl_mem(read_capture(os.path.join(d, f"domU-xl-list-{label}")), "lab-domu")
        c.row(name, f"domU {label}: xl list Mem (MiB)", xl, sim_cur_kb // 1024)


def compare_real_backend(c, name, d, gm, root, work):
    scen = os.path.join(root, "lab", "scenarios", "real-backend.json")
    trace = os.path.join(work, "rb-sim.jsonl")
    rep = run_sim(gm, scen, work, trace)
    real_calls = [json.loads(l) for l in read_capture(os.path.join(d, "rb-trace")) if l.strip()]
    sim_calls = [json.loads(l) for l in open(trace) if l.strip()]
    for kind in ("decrease_reservation", "populate_physmap"):
        r = [x for x in real_calls if x["kind"] == kind]
        s = [x for x in sim_calls if x["kind"] == kind]
        c.row(name, f"real backend {kind} calls", len(r), len(s))
        c.row(name, f"real backend {kind} frames done", sum(max(x["result"], 0) for x in r),
              sum(max(x["result"], 0) for x in s))
        c.row(name, f"real backend {kind} failed calls", sum(1 for x in r if x["result"] < x["extents"]),
              sum(1 for x in s if x["result"] < x["extents"]))
    before = xl_mem(read_capture(os.path.join(d, "rb-xl-list-before")), "lab-target")
    after = xl_mem(read_capture(os.path.join(d, "rb-xl-list-after")), "lab-target")
    # xl list shows tot_pages in MiB (rounded down).
    c.row(name, "real backend xl list Mem before (MiB)", before, size_bytes(rep["scenario"]["guest"]["memory"]) // MiB)
    c.row(name, "real backend xl list Mem after (MiB)", after, rep["balloon"]["domain"]["tot_pages"] * 4 // 1024)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guestmem", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--root", default=".")
    ap.add_argument("--known", default=None)
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--offset-real", type=int, default=0,
                    help="add N to every captured number before comparing (self-test: must fail)")
    a = ap.parse_args()
    known_file = a.known or os.path.join(a.root, "tests", "lab", "known_disagreements")
    known = {}  # "CONFIGURATION FIELD" -> the simulated value it is known to have
    if os.path.exists(known_file):
        for n, l in enumerate(open(known_file), 1):
            l = l.split("#", 1)[0].strip()
            if not l:
                continue
            key, sep, sim = l.partition(" => ")
            if not sep or not sim.strip():
                sys.exit(f"{known_file}:{n}: expected 'CONFIGURATION FIELD => SIMULATED VALUE'")
            known[key.strip()] = sim.strip()
    c = Checker(known, a.offset_real)
    configs = sorted(x for x in os.listdir(a.data) if os.path.isdir(os.path.join(a.data, x)))
    if not configs:
        sys.exit(f"fidelity: no captures under {a.data}")
    with tempfile.TemporaryDirectory() as work:
        for name in configs:
            d = os.path.join(a.data, name)
            if os.path.exists(os.path.join(d, "dom0.json")):
                compare_dom0(c, name, d, a.guestmem, work)
            if os.path.exists(os.path.join(d, "domU.json")):
                compare_domU(c, name, d, a.guestmem, work)
            if os.path.exists(os.path.join(d, "rb-trace")):
                compare_real_backend(c, name, d, a.guestmem, a.root, work)
    if a.table:
        print("| configuration | field | real | simulated | verdict |")
        print("|---|---|---|---|---|")
        for config, field, real, sim, verdict, note in c.rows:
            v = verdict if verdict == "agree" else "**disagree** (known, see below)" if f"{config} {field}" in known else "**disagree (new)**"
            print(f"| {config} | {field} | {real} | {sim} | {v} |")
    else:
        for config, field, real, sim, verdict, _ in c.rows:
            print(f"{verdict:9} {config:14} {field}: real {real}, simulated {sim}")
    bad = c.failures()
    n_agree = sum(1 for r in c.rows if r[4] == "agree")
    print(f"fidelity: {len(c.rows)} fields compared, {n_agree} agree, {len(c.rows) - n_agree} disagree "
          f"({len(known)} known)", file=sys.stderr)
    for b in bad:
        print("fidelity: " + b, file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
