"""CPU seconds per message of one gateway worker (its process and its scan process, from
/proc), the per-core figures of docs/capacity.md: plain 2 KB memos, messages with a 1 MB
xlsx, and rosters that are held (fsync'd spool + committed row). SQLite, next hop
``bench/sink.py``. Part of ``make bench-gateway``; alone: ``python bench/gateway_cpu.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gateway import free_port, message, send_all, start_gateway, wait_port
from bench.gateway_load import children
from bench.sink import start_sink
from tests.factories import incident_rows, write_xlsx

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its children so far."""
    total = 0.0
    for each in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def main() -> None:
    sink, sink_port = start_sink()
    tmp = Path(tempfile.mkdtemp())
    port = free_port()
    gateway = start_gateway(port, sink_port, tmp, "cpu")
    try:
        wait_port(port)
        workbook = write_xlsx(tmp / "w.xlsx", {"元データ": incident_rows(14000)}).read_bytes()
        loads = (
            ("plain 2 KB memo", message(2048), 400),
            ("1 MB xlsx (14,000 rows)", message(2048, ("集計資料.xlsx", workbook)), 40),
        )
        for label, data, count in loads:
            send_all(port, data, 4, 2)  # warm-up
            before = cpu_seconds(gateway.pid)
            send_all(port, data, count, 4)
            per = (cpu_seconds(gateway.pid) - before) / count
            print(f"CPU per message, {label:26} {per * 1000:7.1f} ms (one worker and its scanner)")
    finally:
        gateway.terminate()
        gateway.wait(20)
        sink.terminate()
        sink.wait(10)


if __name__ == "__main__":
    main()
