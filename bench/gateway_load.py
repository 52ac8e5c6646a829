"""Small mail under load, and memory under many big workbooks at once (one gateway
process, SQLite, relaying to a sink on the same machine):

- small-mail latency p50/p99 alone, then while ~3 messages with a 1 MB xlsx arrive each
  second (target: p99 <= 20 ms under that load);
- peak RSS of a fresh gateway while 20 messages with a 5 MB workbook each arrive at once
  (target: <= 300 MB per process).

The next hop is ``bench/sink.py``, in a process of its own.

Part of ``make bench-gateway``; alone: ``python bench/gateway_load.py``.
"""

from __future__ import annotations

import smtplib
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gateway import (
    RECIPIENT,
    SENDER,
    free_port,
    message,
    peak_rss_mb,
    percentile,
    send_all,
    start_gateway,
    wait_port,
)
from bench.sink import start_sink
from tests.factories import incident_rows, write_xlsx


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *children(int(child))]
    return found


def small_latencies(port: int, seconds: float) -> list[float]:
    """Plain 2 KB messages one after another on one connection, every 20 ms."""
    data = message(2048)
    found: list[float] = []
    deadline = time.monotonic() + seconds
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        smtp.ehlo()
        while time.monotonic() < deadline:
            start = time.perf_counter()
            smtp.mail(SENDER)
            smtp.rcpt(RECIPIENT)
            code, _ = smtp.data(data)
            found.append(time.perf_counter() - start)
            assert code == 250
            time.sleep(0.02)
    return found


def steady(port: int, data: bytes, per_second: float, stop: threading.Event) -> int:
    """``data`` sent at ``per_second`` (each on its own connection) until ``stop``."""
    sent = 0
    threads: list[threading.Thread] = []
    next_at = time.monotonic()
    while not stop.is_set():
        thread = threading.Thread(target=send_all, args=(port, data, 1, 1))
        thread.start()
        threads.append(thread)
        sent += 1
        next_at += 1 / per_second
        time.sleep(max(0.0, next_at - time.monotonic()))
    for thread in threads:
        thread.join()
    return sent


def main() -> None:
    sink, sink_port = start_sink()
    tmp = Path(tempfile.mkdtemp())
    port = free_port()
    gateway = start_gateway(port, sink_port, tmp, "load")
    try:
        wait_port(port)
        workbook = write_xlsx(tmp / "w.xlsx", {"元データ": incident_rows(14000)}).read_bytes()
        with_xlsx = message(2048, ("集計資料.xlsx", workbook))
        send_all(port, with_xlsx, 2, 1)  # warm-up
        alone = small_latencies(port, 5)
        stop = threading.Event()
        result: dict[str, int] = {}
        load = threading.Thread(
            target=lambda: result.update(sent=steady(port, with_xlsx, 3.0, stop))
        )
        load.start()
        time.sleep(1)
        loaded = small_latencies(port, 15)
        stop.set()
        load.join()
        print(
            f"small mail alone:                 p50 {percentile(alone, 0.5) * 1000:6.1f} ms, "
            f"p99 {percentile(alone, 0.99) * 1000:6.1f} ms ({len(alone)} messages)"
        )
        print(
            f"small mail under 3 xlsx msg/s:    p50 {percentile(loaded, 0.5) * 1000:6.1f} ms, "
            f"p99 {percentile(loaded, 0.99) * 1000:6.1f} ms, p90 {percentile(loaded, 0.9) * 1000:.1f}, "
            f"max {max(loaded) * 1000:.0f} ({len(loaded)} messages; "
            f"{result['sent']} messages with a {len(workbook) / 1e6:.1f} MB xlsx)"
        )
    finally:
        gateway.terminate()
        gateway.wait(20)
    port = free_port()
    fresh = start_gateway(port, sink_port, tmp, "memory")
    try:
        wait_port(port)
        send_all(port, message(2048), 3, 1)  # warm-up: dictionaries loaded, as in service
        idle = peak_rss_mb(fresh.pid)
        big = write_xlsx(tmp / "big.xlsx", {"元データ": incident_rows(70000)}).read_bytes()
        big_message = message(2048, ("認定者一覧.xlsx", big))
        start = time.perf_counter()
        send_all(port, big_message, 20, 20)
        scanners = [peak_rss_mb(pid) for pid in children(fresh.pid)]
        print(
            f"20 concurrent messages with a {len(big) / 1e6:.1f} MB xlsx (70,000 rows): "
            f"{time.perf_counter() - start:.1f} s; peak RSS of the gateway process "
            f"{peak_rss_mb(fresh.pid):.0f} MB (idle after warm-up {idle:.0f} MB), of its scan "
            f"process {', '.join(f'{mb:.0f}' for mb in scanners if mb == mb)} MB"
        )
    finally:
        fresh.terminate()
        fresh.wait(20)
        sink.terminate()
        sink.wait(10)


if __name__ == "__main__":
    main()
