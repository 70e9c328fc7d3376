#!/usr/bin/env python3
"""Cuts a lab serial log into one file per section.

  lab/split.py SERIAL_LOG OUTDIR

dom0's /init prints "@@@LAB BEGIN name" ... "@@@LAB END name rc=N"; each section goes to OUTDIR/name.
Xen's own console lines ("(XEN) ...") go to OUTDIR/xen-console wherever they appear, never into a
section. Progress lines ("@@@LAB STAGE/MEMSET/FAIL/WARN/DONE ...") go to OUTDIR/events. The domU's
console (section domU-console) is split again: its "@@@DOMU BEGIN name" sections to OUTDIR/domU-<name>
(names already start with domU-), its once-a-second samples ("S uptime target current low high
MemTotal") to OUTDIR/domU-samples, its balloon kernel messages ("K ...") to OUTDIR/domU-kmsg."""
import os
import re
import sys


def cut(lines, prefix, outdir, sink_other=None):
    cur, buf, files = None, [], {}
    begin = re.compile(re.escape(prefix) + r" BEGIN (\S+)")
    end = re.compile(re.escape(prefix) + r" END (\S+)(?: rc=(\d+))?")
    for line in lines:
        m = begin.search(line)
        if m:
            cur, buf = m.group(1), []
            continue
        m = end.search(line)
        if m and cur == m.group(1):
            files[cur] = (buf, m.group(2))
            cur = None
            continue
        if cur is not None:
            buf.append(line)
        elif sink_other is not None:
            sink_other(line)
    return files


def write(path, lines):
    with open(path, "w") as f:
        f.write("".join(l + "\n" for l in lines))


def main():
    log, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    text = open(log, "rb").read().decode("utf-8", "replace").replace("\r", "")
    xen, rest, events = [], [], []
    for line in text.split("\n"):
        if line.startswith("(XEN)"):
            xen.append(line)
            continue
        if re.match(r"@@@LAB (STAGE|MEMSET|FAIL|WARN|DONE)\b", line):
            events.append(line[len("@@@LAB "):])
        rest.append(line)
    write(os.path.join(outdir, "xen-console"), xen)
    write(os.path.join(outdir, "events"), events)
    rcs = []
    for name, (buf, rc) in cut(rest, "@@@LAB", outdir).items():
        write(os.path.join(outdir, name), buf)
        rcs.append(f"{name} {rc}")
        if name == "domU-console":
            samples, kmsg = [], []
            def other(line):
                if line.startswith("S "):
                    samples.append(line[2:])
                elif line.startswith("K "):
                    kmsg.append(line[2:])
            for dname, (dbuf, _) in cut(buf, "@@@DOMU", outdir, other).items():
                write(os.path.join(outdir, dname), dbuf)
            write(os.path.join(outdir, "domU-samples"), samples)
            write(os.path.join(outdir, "domU-kmsg"), kmsg)
    write(os.path.join(outdir, "sections"), sorted(rcs))


if __name__ == "__main__":
    main()
