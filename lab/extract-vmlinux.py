#!/usr/bin/env python3
"""Writes the uncompressed ELF kernel inside a bzImage (Debian's vmlinuz): finds the first
compressed stream (xz, zstd or gzip) that decompresses to an ELF image."""
import gzip, lzma, subprocess, sys

src, dst = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
magics = [(b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"), (b"\x1f\x8b\x08", "gzip")]
for magic, kind in magics:
    pos = data.find(magic)
    while pos >= 0:
        blob = data[pos:]
        try:
            if kind == "xz":
                out = lzma.LZMADecompressor().decompress(blob)
            elif kind == "gzip":
                out = gzip.GzipFile(fileobj=__import__("io").BytesIO(blob)).read()
            else:
                out = subprocess.run(["zstd", "-qdc"], input=blob, capture_output=True).stdout
        except Exception:
            out = b""
        if out[:4] == b"\x7fELF":
            open(dst, "wb").write(out)
            sys.exit(0)
        pos = data.find(magic, pos + 1)
sys.exit(f"extract-vmlinux: no compressed ELF kernel in {src}")
