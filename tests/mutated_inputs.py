#!/usr/bin/env python3
"""Mutated-input check (issue 17): every command that reads a user file exits 0 or 2 on mutated copies of
real inputs, never 1, 3, another code or a signal (a crash, a sanitizer abort).

Usage: tests/mutated_inputs.py GUESTMEM [MUTANTS_PER_FILE]   (default 30; seeded, so repeatable)

Each fixture of tests/data/ that a command reads is mutated MUTANTS_PER_FILE times (bytes flipped,
bytes that are not UTF-8 inserted, lines duplicated, dropped or cut, digits replaced by huge numbers,
a line repeated to many fields) and given to the command in its text and --json forms. Prints a line
per run with another exit and a summary; exits 1 when there was one. Not part of `make test` (a few
thousand sanitizer processes); docs/reliability.md says when it was last run and what it found.
"""
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def data(*parts):
    return os.path.join(ROOT, "tests", "data", *parts)


def files(folder, suffixes=("",)):
    d = data(folder)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(suffixes))


# (name, fixtures, argument lists; FILE is the mutated input, OUT a fresh directory)
COMMANDS = [
    ("e820", files("e820"), [["e820", "FILE"], ["e820", "FILE", "--json"]]),
    ("iomem", files("iomem"), [["iomem", "FILE"], ["iomem", "FILE", "--json", "--e820", data("e820", "bios_dmesg.txt")]]),
    ("iomem --e820", [data("e820", "bios_dmesg.txt"), data("e820", "map.json")],
     [["iomem", data("iomem", "dom0_running.txt"), "--e820", "FILE", "--json"]]),
    ("buddyinfo", files("buddyinfo"), [["buddyinfo", "FILE"], ["buddyinfo", "FILE", "--json"]]),
    ("calibrate", files("traces"), [["calibrate", "FILE"], ["calibrate", "FILE", "--json", "--out", "OUT/c.json"]]),
    ("validate", files("scenario", (".json",)), [["validate", "FILE"], ["validate", "FILE", "--json"]]),
    ("kconfig --config", [data("kconfig", "debian-6.1-amd64.config"), data("kconfig", "debian-6.12-arm64.config")],
     [["kconfig", "--config", "FILE", "--json"]]),
]

BAD_BYTES = [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xe2\x82"]


def mutate(text: bytes, rng: random.Random) -> bytes:
    b = bytearray(text)
    lines = text.split(b"\n")
    kind = rng.randrange(8)
    if kind == 0 and b:  # flip bytes
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if kind == 1:  # a byte sequence that is not UTF-8
        at = rng.randrange(len(b) + 1)
        return bytes(b[:at]) + rng.choice(BAD_BYTES) + bytes(b[at:])
    if kind == 2 and lines:  # duplicate lines
        i = rng.randrange(len(lines))
        return b"\n".join(lines[:i] + [lines[i]] * rng.randint(2, 50) + lines[i:])
    if kind == 3 and lines:  # drop lines
        keep = [ln for ln in lines if rng.random() > 0.3]
        return b"\n".join(keep)
    if kind == 4:  # truncate
        return bytes(b[: rng.randrange(len(b) + 1)])
    if kind == 5:  # huge numbers where digits were
        out = bytearray()
        for c in b:
            out.append(c)
            if chr(c).isdigit() and rng.random() < 0.05:
                out += rng.choice([b"99999999999999999999999", b"e999", b"0000000000", b"-1", b".5"])
        return bytes(out)
    if kind == 6 and lines:  # a line made of many fields
        i = rng.randrange(len(lines))
        words = lines[i].split()
        if words:
            lines[i] = b" ".join(words + [rng.choice(words) for _ in range(rng.randint(50, 300))])
        return b"\n".join(lines)
    # splice two halves of the file (a second copy pasted in the middle)
    at = rng.randrange(len(b) + 1)
    return bytes(b[:at]) + text + bytes(b[at:])


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    per_file = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    rng = random.Random(17)
    env = dict(os.environ)
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1")
    runs, bad, codes = 0, 0, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, fixtures, argvs in COMMANDS:
            for fixture in fixtures:
                original = open(fixture, "rb").read()
                ext = os.path.splitext(fixture)[1]
                for n in range(per_file):
                    mutant = mutate(original, rng)
                    path = os.path.join(tmp, "mutant" + ext)
                    open(path, "wb").write(mutant)
                    for argv in argvs:
                        out = tempfile.mkdtemp(dir=tmp)
                        args = [a.replace("OUT", out) if a.startswith("OUT") else (path if a == "FILE" else a) for a in argv]
                        p = subprocess.run([binary] + args, capture_output=True, env=env, cwd=out, timeout=120)
                        runs += 1
                        codes[p.returncode] = codes.get(p.returncode, 0) + 1
                        if p.returncode not in (0, 2):
                            bad += 1
                            keep = os.path.join(tmp, "..", "guestmem-mutant-%d%s" % (bad, ext))
                            open(keep, "wb").write(mutant)
                            tail = p.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
                            print("BAD %s (mutant %d of %s): exit %d, input kept in %s\n    %s"
                                  % (" ".join(argv), n, os.path.basename(fixture), p.returncode,
                                     os.path.normpath(keep), "\n    ".join(tail)))
            print("done %s" % name, file=sys.stderr)
    print("mutated inputs: %d runs, exit codes %s, %d not 0 or 2"
          % (runs, ", ".join("%d: %d" % kv for kv in sorted(codes.items())), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
