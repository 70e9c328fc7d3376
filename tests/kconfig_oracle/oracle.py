#!/usr/bin/env python3
"""The Kconfig oracle (make kconfig-oracle): configurations resolved by the kernel's own scripts/kconfig.

  oracle.py run --seed FULL.config --src KSRC --conf CONF --batch CONF_BATCH --arch A --kernel V
                --fixture NAME --header TEXT --count N --work DIR --out TABLE [--validate K]
      builds N configurations (the seed with boundary and random assignments of the varied symbols),
      resolves them with the kernel's scripts/kconfig (conf_batch, in chunks: the Kconfig tree is
      parsed once per chunk), checks the first K against real `conf --olddefconfig` runs (identical
      output files), and writes the truth table TABLE
  oracle.py trim  --seed FULL.config --header TEXT --out FILE
      keeps only the lines of the symbols guestmem's rules name (tests/data/kconfig/debian-*.config)

Assignment codes, one character per varied symbol: s = the seed's line kept, y / m / n = that value
(`# CONFIG_X is not set` for n), - = the line removed (Kconfig then uses the symbol's default).
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time

VARIED = ["ZONE_DEVICE", "MEMORY_HOTPLUG", "MEMORY_HOTREMOVE", "SPARSEMEM_VMEMMAP", "XEN", "XEN_PV", "XEN_PVH",
          "XEN_DOM0", "XEN_BACKEND", "XEN_GNTDEV", "XEN_BALLOON", "XEN_BALLOON_MEMORY_HOTPLUG",
          "XEN_UNPOPULATED_ALLOC"]
# Every symbol guestmem's rule files define (models/kconfig_rules/*.kconfig), compared after resolution.
# Integers first-class: their value or n when unset.
INT_SYMBOLS = ["XEN_MEMORY_HOTPLUG_LIMIT", "XEN_BALLOON_MEMORY_HOTPLUG_LIMIT"]
LINE = re.compile(r"^(?:CONFIG_([A-Za-z0-9_]+)=(.*)|# CONFIG_([A-Za-z0-9_]+) is not set)$")


def rule_symbols(rules_dir):
    names, refs = set(), set()
    for f in os.listdir(rules_dir):
        if not f.endswith(".kconfig"):
            continue
        for line in open(os.path.join(rules_dir, f)):
            m = re.match(r"^(?:menu)?config\s+([A-Z0-9_]+)", line)
            if m:
                names.add(m.group(1))
            if re.match(r"^\s*(depends on|select|default|def_bool|imply)", line):
                refs.update(re.findall(r"\b[A-Z][A-Z0-9_]+\b", line))
    return sorted(names), sorted(refs - names - {"ARCH"})


def read_config(path):
    vals = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        m = LINE.match(line.rstrip("\n"))
        if m:
            if m.group(1):
                vals[m.group(1)] = m.group(2)
            else:
                vals[m.group(3)] = "n"
    return vals


class Seed:
    """The seed .config with the line index of each varied symbol, for fast rewriting."""

    def __init__(self, path):
        self.lines = open(path, encoding="utf-8", errors="replace").readlines()
        self.at = {}
        for i, line in enumerate(self.lines):
            m = LINE.match(line.rstrip("\n"))
            if m and (m.group(1) or m.group(3)) in VARIED:
                self.at[m.group(1) or m.group(3)] = i

    def apply(self, codes):
        out = list(self.lines)
        extra = []
        for name, c in zip(VARIED, codes):
            if c == "s":
                continue
            text = "" if c == "-" else f"# CONFIG_{name} is not set\n" if c == "n" else f"CONFIG_{name}={c}\n"
            if name in self.at:
                out[self.at[name]] = text
            elif text:
                extra.append(text)
        return out + extra


def apply(seed_lines, codes):
    want = dict(zip(VARIED, codes))
    out = []
    seen = set()
    for line in seed_lines:
        m = LINE.match(line.rstrip("\n"))
        name = m and (m.group(1) or m.group(3))
        if name in want and want[name] != "s":
            seen.add(name)
            c = want[name]
            if c == "-":
                continue
            out.append(f"# CONFIG_{name} is not set\n" if c == "n" else f"CONFIG_{name}={c}\n")
        else:
            out.append(line)
    for name, c in want.items():  # symbols the seed does not mention (e.g. XEN_PV on arm64)
        if name not in seen and c not in "s-":
            out.append(f"# CONFIG_{name} is not set\n" if c == "n" else f"CONFIG_{name}={c}\n")
    return out


def boundary_rows():
    k = len(VARIED)
    rows = []
    for c in "sy nm-".replace(" ", ""):
        rows.append(c * k)
    for i in range(k):  # one symbol changed from the seed, and one symbol kept against all the others
        for c in "ynm-":
            rows.append("s" * i + c + "s" * (k - i - 1))
        for c in "yn-":
            other = {"y": "n", "n": "y", "-": "n"}[c]
            rows.append(other * i + c + other * (k - i - 1))
    for i in range(k):  # pairs switched off together (the dependency chains of ZONE_DEVICE and Xen)
        for j in range(i + 1, k):
            r = ["s"] * k
            r[i] = r[j] = "n"
            rows.append("".join(r))
    return rows


def make_rows(count, rng_seed):
    rng = random.Random(rng_seed)
    rows, seen = [], set()
    for r in boundary_rows():
        if r not in seen:
            seen.add(r)
            rows.append(r)
    choices, weights = "synm-", [30, 25, 25, 5, 15]
    while len(rows) < count:
        r = "".join(rng.choices(choices, weights, k=len(VARIED)))
        if r not in seen:
            seen.add(r)
            rows.append(r)
    return rows


def kconfig_env(a):
    env = dict(os.environ)
    env.update(srctree=a.src, ARCH=a.arch, KERNELVERSION=a.kernel, CC="gcc", LD="ld", HOSTCC="gcc", HOSTCXX="g++",
               CROSS_COMPILE="", LLVM="", RUSTC="rustc", BINDGEN="bindgen", PAHOLE="pahole",
               SRCARCH="x86" if a.arch in ("x86_64", "i386") else a.arch)
    env["CC_VERSION_TEXT"] = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return env


def cmd_run(a):
    names, _ = rule_symbols(a.rules)
    tri = [n for n in names if n not in INT_SYMBOLS]
    ints = [n for n in names if n in INT_SYMBOLS]
    seed = Seed(a.seed)
    rows = make_rows(a.count, a.rng)
    env = kconfig_env(a)
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    results = []
    t0 = time.time()
    cpu0 = os.times()
    validated = 0
    with open(os.path.join(work, "symbols.txt"), "w") as f:
        f.write("\n".join(tri + ints) + "\n")
    for c0 in range(0, len(rows), a.chunk):
        chunk = rows[c0:c0 + a.chunk]
        listing = []
        for i, r in enumerate(chunk):
            src = os.path.join(work, f"in{i:04d}.config")
            dst = os.path.join(work, f"out{i:04d}.config") if c0 == 0 and i < a.validate else "-"
            with open(src, "w") as f:
                f.writelines(seed.apply(r))
            listing.append(f"{src} {dst}\n")
        with open(os.path.join(work, "list.txt"), "w") as f:
            f.writelines(listing)
        got = subprocess.run([a.batch, "Kconfig", os.path.join(work, "list.txt"), os.path.join(work, "symbols.txt")],
                             cwd=a.src, env=env, check=True, capture_output=True, text=True).stdout.splitlines()
        if len(got) != len(chunk):
            sys.exit(f"oracle: conf_batch gave {len(got)} lines for {len(chunk)} configurations")
        if c0 == 0 and a.validate:
            for i in range(min(a.validate, len(chunk))):
                real = os.path.join(work, f"real{i:04d}.config")
                shutil.copy(os.path.join(work, f"in{i:04d}.config"), real)
                subprocess.run([a.conf, "--olddefconfig", "Kconfig"], cwd=a.src, env=dict(env, KCONFIG_CONFIG=real),
                               check=True, stdout=subprocess.DEVNULL)
                if open(real).read() != open(os.path.join(work, f"out{i:04d}.config")).read():
                    sys.exit(f"oracle: conf_batch and conf --olddefconfig differ on row {i} ({chunk[i]})")
                validated += 1
        for i, r in enumerate(chunk):
            v = got[i].split(" ")
            if c0 == 0 and i < a.validate:  # the printed values are those of the written file
                vals = read_config(os.path.join(work, f"out{i:04d}.config"))
                if v != [vals.get(n, "n") for n in tri + ints]:
                    sys.exit(f"oracle: conf_batch printed values that differ from its .config on row {i}")
            t = "".join(x if x in ("y", "m", "n") else "?" for x in v[:len(tri)])
            iv = " ".join(v[len(tri):])
            results.append(f"{r} {t} {iv}\n")
        print(f"  {a.kernel} {a.arch}: {len(results)}/{len(rows)}", file=sys.stderr, flush=True)
    cpu1 = os.times()
    with open(a.out, "w") as f:
        for h in a.header:
            f.write(f"# {h}\n")
        f.write("# row: one code per input (s seed line kept, y/m/n that value, - line removed), then one\n")
        f.write("# character per tristate output (y/m/n), then each int output (its value, n when unset)\n")
        f.write(f"kernel {a.kernel}\narch {a.arch}\nseed {a.fixture}\n")
        f.write("inputs " + " ".join(VARIED) + "\n")
        f.write("tristates " + " ".join(tri) + "\n")
        f.write("ints " + " ".join(ints) + "\n")
        f.writelines(results)
    cpu = (cpu1.children_user + cpu1.children_system) - (cpu0.children_user + cpu0.children_system)
    print(f"{a.kernel} {a.arch}: {len(results)} configurations resolved by conf_batch "
          f"({validated} checked against conf --olddefconfig) in {time.time() - t0:.0f} s wall, "
          f"{cpu:.1f} s CPU -> {a.out}")


def cmd_trim(a):
    names, refs = rule_symbols(a.rules)
    keep = set(names) | set(refs) | set(VARIED)
    out = [f"# {h}\n" for h in a.header]
    for line in open(a.seed, encoding="utf-8", errors="replace"):
        if re.match(r"^# Linux/\S+ \S+ Kernel Configuration", line):
            out.append(line)
            continue
        m = LINE.match(line.rstrip("\n"))
        if m and (m.group(1) or m.group(3)) in keep:
            out.append(line)
    open(a.out, "w").writelines(out)
    print(f"{len(out)} lines -> {a.out}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("run")
    for opt in ("--seed", "--src", "--conf", "--batch", "--arch", "--kernel", "--fixture", "--work", "--out"):
        g.add_argument(opt, required=True)
    g.add_argument("--header", action="append", default=[])
    g.add_argument("--count", type=int, default=2000)
    g.add_argument("--chunk", type=int, default=250)
    g.add_argument("--rng", type=int, default=1)
    g.add_argument("--validate", type=int, default=0)
    g.add_argument("--rules", default=os.path.join(os.path.dirname(__file__), "../../models/kconfig_rules"))
    r = sub.add_parser("trim")
    r.add_argument("--seed", required=True)
    r.add_argument("--header", action="append", default=[])
    r.add_argument("--out", required=True)
    r.add_argument("--rules", default=os.path.join(os.path.dirname(__file__), "../../models/kconfig_rules"))
    a = p.parse_args()
    {"run": cmd_run, "trim": cmd_trim}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
