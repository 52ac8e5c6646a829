"""Hostile inputs: each must end in <= 2 s with peak RSS <= 300 MB as *unscannable with a
reason* — never a crash, never silent success.

Each case is built into a temporary directory and scanned by a fresh process
(``sekisho scan --format json``), whose wall time and peak RSS are measured.
Run: ``make bench-hostile``.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_SECONDS = 2.0
MAX_RSS_MB = 300
GiB = 1024**3


def nested_bomb(path: Path) -> None:
    """42.zip-style: five layers of 16 copies each, over a member of 16 MiB of zeros.
    Each layer deflates to a few kilobytes because its copies repeat within deflate's
    window; fully inflated it would be 16^5 x 16 MiB = 16 TiB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("0.bin", bytes(16 * 1024 * 1024))
    layer = buffer.getvalue()
    for level in range(1, 6):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for copy in range(16):
                zf.writestr(f"{level}-{copy}.zip", layer)
        layer = buffer.getvalue()
    path.write_bytes(layer)


def ten_gib_member(path: Path) -> None:
    """One member that inflates to 10 GiB of zeros (zip64), assembled from identical
    full-flush deflate blocks so that building it takes seconds, not minutes."""
    chunk = 1024 * 1024
    count = 10 * GiB // chunk
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    crc = 0
    zeros = bytes(chunk)
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    size = chunk * count
    compressed = len(block) * count + len(tail)
    name = b"zeros.bin"
    zip64_local = struct.pack("<HHQQ", 1, 16, size, compressed)
    local = struct.pack(
        "<4sHHHHHIIIHH",
        b"PK\x03\x04",
        45,
        0,
        8,
        0,
        0,
        crc,
        0xFFFFFFFF,
        0xFFFFFFFF,
        len(name),
        len(zip64_local),
    )
    with path.open("wb") as out:
        out.write(local + name + zip64_local)
        for _ in range(count):
            out.write(block)
        out.write(tail)
        central_offset = out.tell()
        zip64_central = struct.pack("<HHQQQ", 1, 24, size, compressed, 0)
        central = struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            45,
            45,
            0,
            8,
            0,
            0,
            crc,
            0xFFFFFFFF,
            0xFFFFFFFF,
            len(name),
            len(zip64_central),
            0,
            0,
            0,
            0,
            0xFFFFFFFF,
        )
        out.write(central + name + zip64_central)
        central_size = out.tell() - central_offset
        end64_offset = out.tell()
        out.write(
            struct.pack(
                "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 1, 1, central_size, central_offset
            )
        )
        out.write(struct.pack("<4sIQI", b"PK\x06\x07", 0, end64_offset, 1))
        out.write(
            struct.pack(
                "<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0
            )
        )


def billion_laughs(path: Path) -> None:
    from tests.factories import write_xlsx

    plain = write_xlsx(path, {"名簿": [["氏名"], ["山田 太郎"]]}).read_bytes()
    entities = "".join(
        f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">{entities}]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&l9;</t></si></sst>'
    source = io.BytesIO(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = bomb.encode() if info.filename == "xl/sharedStrings.xml" else zin.read(info)
            zout.writestr(info, data)
    path.write_bytes(out.getvalue())


def big_csv(path: Path) -> None:
    line = "山田 太郎,123456789018,090-1234-5678,東京都千代田区千代田1-1\n".encode("cp932")
    with path.open("wb") as out:
        for _ in range(200 * 1024 * 1024 // (len(line) * 1000) + 1):
            out.write(line * 1000)


def corrupt_xlsx(path: Path) -> None:
    from tests.factories import incident_rows, write_xlsx

    full = write_xlsx(path, {"元データ": incident_rows(2000)}).read_bytes()
    damaged = bytearray(full)
    for i in range(len(damaged) // 3, len(damaged) // 3 + 4096):
        damaged[i] = 0
    path.write_bytes(bytes(damaged))


def traversal_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../../../etc/cron.d/evil", "* * * * * root sh -c 'id'\n")


CASES: list[tuple[str, str, Callable[[Path], None]]] = [
    ("42.zip-style nested bomb", "bomb.zip", nested_bomb),
    ("one member inflating to 10 GiB", "zeros.zip", ten_gib_member),
    ("billion laughs in sharedStrings.xml", "laughs.xlsx", billion_laughs),
    ("200 MB CSV", "big.csv", big_csv),
    ("corrupt xlsx", "corrupt.xlsx", corrupt_xlsx),
    ("zip with a path-traversal name", "traversal.zip", traversal_zip),
]


def run_case(path: Path) -> tuple[float, float, dict]:
    command = [sys.executable, "-m", "sekisho.cli.main", "scan", "--format", "json", str(path)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = b"", b""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stdout = process.stdout.read() if process.stdout else b""
    stderr = process.stderr.read() if process.stderr else b""
    try:
        report = json.loads(stdout)["files"][0]
    except (ValueError, KeyError, IndexError):
        report = {"error": stderr.decode(errors="replace")[-300:], "status": status}
    return elapsed, usage.ru_maxrss / 1024, report


def main() -> int:
    failures = 0
    print(f"{'case':40} {'seconds':>8} {'peak RSS MB':>12}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for title, name, build in CASES:
            path = Path(tmp) / name
            build(path)
            seconds, rss, report = run_case(path)
            reasons = "; ".join(f"{p['code']}: {p['reason']}" for p in report.get("problems", []))
            ok = report.get("unscannable") is True and seconds <= MAX_SECONDS and rss <= MAX_RSS_MB
            failures += not ok
            outcome = (
                ("unscannable — " + reasons)
                if report.get("unscannable")
                else f"NOT unscannable {report}"
            )
            print(
                f"{title:40} {seconds:8.2f} {rss:12.0f}  {'ok' if ok else 'FAIL'}: {outcome[:150]}"
            )
            path.unlink()
    print(
        f"limits: <= {MAX_SECONDS} s and <= {MAX_RSS_MB} MB per case; {'all met' if not failures else f'{failures} not met'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
