#!/usr/bin/env python3
"""Writes the zip_archive seed corpus (fuzz/corpus/zip_archive/): the shapes
tests/archive/ZipFixtures.h builds for the archive tests, small enough to
commit. Run from anywhere: python3 fuzz/tools/make_zip_seeds.py"""
import io
import os
import struct
import zipfile

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus", "zip_archive")
os.makedirs(out, exist_ok=True)


def make(name, items, deflate=True):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        for item in items:
            entry, data = item[0], item[1]
            kind = item[2] if len(item) > 2 else "file"
            info = zipfile.ZipInfo(entry, date_time=(2025, 3, 1, 10, 20, 30))
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            if kind == "dir":
                info.external_attr = (0o40755 << 16) | 0x10
            elif kind == "symlink":
                info.create_system = 3
                info.external_attr = 0o120777 << 16
            else:
                info.external_attr = 0o100644 << 16
            z.writestr(info, data)
    data = buf.getvalue()
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    return data


perf = b"timestamp,cpu_percent,memory_mb,gpu_percent,vram_mb\n" + b"".join(
    b"2025-03-01T10:20:%02dZ,%d,2048,30,1024\n" % (i, i) for i in range(5))
make("export.zip", [
    ("application/", b"", "dir"),
    ("application/Logs/game.log", b"started\nrunning\n"),
    ("application/Crashes/Minidump.dmp", b"MDMP\x93\xa7" + bytes(64)),
    ("profile/settings.ini", b"[a]\nb=1\n"),
    ("temp/screenshot.png", b"\x89PNG\r\n\x1a\n" + bytes(32)),
    ("stats/perf_stats_v1.csv", perf),
])
make("stored.zip", [("a.txt", b"hello"), ("b/c.txt", b"world")], deflate=False)
make("zip-slip.zip", [("../evil.txt", b"x"), ("a/../../evil2.txt", b"y"), ("ok.txt", b"z")])
make("absolute.zip", [("/tmp/evil.txt", b"x"), ("C:/evil.txt", b"y"), ("\\\\server\\share\\x", b"z"), ("a\\..\\..\\b", b"w")])
make("symlink.zip", [("link", b"/etc", "symlink"), ("link/passwd", b"x")])
make("symlink-dir.zip", [("d/", b"", "dir"), ("d/up", b"..", "symlink"), ("d/up/escape.txt", b"x")])
make("duplicate.zip", [("same.txt", b"1"), ("same.txt", b"2"), ("Same.txt", b"3")])
make("file-and-folder.zip", [("x", b"file"), ("x/y", b"inside")])
make("bomb.zip", [("zeros.bin", bytes(1024 * 1024))])
make("empty.zip", [])
make("odd-names.zip", [("dot/./x", b"1"), ("", b"2") if False else ("trailing/", b"", "dir"), ("nul\x01name", b"3"),
                       ("x.part", b"4"), ("a//b", b"5"), (".", b"6")])

# A lying header: the central directory declares 5 bytes for a 4096-byte entry.
data = bytearray(make("lying-size.zip", [("big.txt", b"A" * 4096)]))
at = data.find(b"PK\x01\x02")
struct.pack_into("<I", data, at + 24, 5)  # uncompressed size
at = data.find(b"PK\x03\x04")
struct.pack_into("<I", data, at + 22, 5)
with open(os.path.join(out, "lying-size.zip"), "wb") as f:
    f.write(data)
# Truncated and bad-CRC variants.
good = open(os.path.join(out, "export.zip"), "rb").read()
with open(os.path.join(out, "truncated.zip"), "wb") as f:
    f.write(good[: len(good) // 2])
bad = bytearray(good)
at = bad.find(b"PK\x01\x02")
bad[at + 16] ^= 0xFF  # CRC-32 in the central directory
with open(os.path.join(out, "bad-crc.zip"), "wb") as f:
    f.write(bad)
