"""Messages per second through the gateway against a pass-through aiosmtpd relay on the
same machine in the same run (the ratio is the figure), added latency p50/p99, and the
gateway's peak RSS, for plain 2 KB messages and for messages with a 1 MB xlsx; then one
message with a 25 MB attachment. Messages go to an internal recipient so both servers
relay them. Then small mail under a load of workbooks and memory under 20 big ones at once
(``bench/gateway_load.py``), CPU seconds per message (``bench/gateway_cpu.py``), the link path (``bench/gateway_links.py``): approved mail released as
links, a 25 MB file as links, 10 concurrent downloads; and held messages/s on SQLite and
PostgreSQL (``bench/held_store.py``). Run: ``make bench-gateway``.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import smtplib

from bench.sink import start_sink
from tests.factories import incident_rows, write_xlsx

from sekisho.gateway.workers import default_processes

SENDER = "clerk@kourei.city.example.lg.jp"
RECIPIENT = "colleague@city.example.lg.jp"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open")


def message(body_size: int, attachment: tuple[str, bytes] | None = None) -> bytes:
    mail = EmailMessage()
    mail["From"] = SENDER
    mail["To"] = RECIPIENT
    mail["Subject"] = "ベンチマーク"
    mail.set_content(("会議の資料をお送りします。" * 200)[: body_size // 3])
    if attachment:
        mail.add_attachment(
            attachment[1], maintype="application", subtype="octet-stream", filename=attachment[0]
        )
    return mail.as_bytes(policy=mail.policy.clone(linesep="\r\n"))


def send_all(port: int, data: bytes, count: int, workers: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()

    def one(_: int) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=300) as smtp:
            smtp.ehlo()
            start = time.perf_counter()
            smtp.mail(SENDER)
            smtp.rcpt(RECIPIENT)
            code, reply = smtp.data(data)
            elapsed = time.perf_counter() - start
        if code != 250:
            raise RuntimeError(f"{code} {reply!r}")
        with lock:
            latencies.append(elapsed)

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(count)))
    return time.perf_counter() - start, latencies


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_gateway(
    port: int, upstream: int, tmp: Path, name: str, processes: int = 1
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sekisho.cli.main",
            "gateway",
            "--listen",
            f"127.0.0.1:{port}",
            "--upstream",
            f"127.0.0.1:{upstream}",
            "--db",
            f"sqlite:///{tmp / f'{name}.db'}",
            "--spool",
            str(tmp / f"{name}-spool"),
            "--processes",
            str(processes),
        ],
        stderr=subprocess.DEVNULL,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plain", type=int, default=400)
    parser.add_argument("--xlsx", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--link-runs", type=int, default=7, help="approvals timed per path")
    args = parser.parse_args()

    sink, sink_port = start_sink()
    tmp = Path(tempfile.mkdtemp())
    relay_port, gateway_port = free_port(), free_port()
    relay = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "passthrough_relay.py"),
            "--listen",
            str(relay_port),
            "--upstream",
            str(sink_port),
        ]
    )
    gateway = start_gateway(gateway_port, sink_port, tmp, "bench")
    many_port = free_port()
    processes = default_processes()
    many = start_gateway(many_port, sink_port, tmp, "many", processes)
    try:
        wait_port(relay_port)
        wait_port(gateway_port)
        wait_port(many_port)
        plain = message(2048)
        workbook = write_xlsx(tmp / "w.xlsx", {"元データ": incident_rows(14000)}).read_bytes()
        with_xlsx = message(2048, ("集計資料.xlsx", workbook))
        for port in (relay_port, gateway_port, many_port):  # warm-up: imports, dictionaries
            send_all(port, with_xlsx, 2 * processes, processes)
        print(
            f"plain message {len(plain):,} bytes; xlsx message {len(with_xlsx):,} bytes (xlsx {len(workbook):,} bytes, 14,000 rows)"
        )
        print(f"{'load':22} {'server':12} {'msg/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for label, data, count in (
            ("plain 2 KB", plain, args.plain),
            ("with 1 MB xlsx", with_xlsx, args.xlsx),
        ):
            results = {}
            servers = (
                ("pass-through", relay_port),
                ("sekisho", gateway_port),
                (f"sekisho ×{processes}", many_port),
            )
            for name, port in servers:
                seconds, latencies = send_all(port, data, count, args.workers)
                results[name] = (count / seconds, latencies)
                print(
                    f"{label:22} {name:12} {count / seconds:8.1f} {percentile(latencies, 0.5) * 1000:8.1f} {percentile(latencies, 0.99) * 1000:8.1f}"
                )
            (base_rate, base_lat), (rate, lat) = results["pass-through"], results["sekisho"]
            added50 = (percentile(lat, 0.5) - percentile(base_lat, 0.5)) * 1000
            added99 = (percentile(lat, 0.99) - percentile(base_lat, 0.99)) * 1000
            print(
                f"{label:22} ratio {rate / base_rate:.0%} of pass-through; added latency p50 {added50:.1f} ms, p99 {added99:.1f} ms"
            )
            many_rate = results[f"sekisho ×{processes}"][0]
            print(
                f"{label:22} {processes} processes: {many_rate / rate:.2f}x one process "
                f"({many_rate / base_rate:.0%} of pass-through)"
            )
        print(
            f"gateway peak RSS after the rate runs: {peak_rss_mb(gateway.pid):.0f} MB (pass-through: {peak_rss_mb(relay.pid):.0f} MB)"
        )
        big_gateway_port = free_port()
        big_gateway = start_gateway(big_gateway_port, sink_port, tmp, "big")
        try:
            wait_port(big_gateway_port)
            send_all(big_gateway_port, plain, 5, 1)  # warm-up: dictionaries loaded, as in service
            idle = peak_rss_mb(big_gateway.pid)
            line = "山田 太郎,090-1234-5678,東京都千代田区千代田1-1,要介護3\r\n".encode("cp932")
            big = line * (25 * 1024 * 1024 // len(line))
            big_message = message(2048, ("大きな名簿.csv", big))
            del big
            start = time.perf_counter()
            send_all(big_gateway_port, big_message, 1, 1)
            print(
                f"25 MB attachment (a CSV of 459,901 residents, message {len(big_message):,} bytes): "
                f"{time.perf_counter() - start:.1f} s; fresh gateway peak RSS {peak_rss_mb(big_gateway.pid):.0f} MB "
                f"(idle after warm-up {idle:.0f} MB)"
            )
        finally:
            big_gateway.terminate()
            big_gateway.wait(10)
    finally:
        gateway.terminate()
        many.terminate()
        relay.terminate()
        many.wait(20)
        gateway.wait(10)
        relay.wait(10)
        sink.terminate()
        sink.wait(10)

    from bench.gateway_load import main as under_load

    under_load()
    from bench.gateway_cpu import main as cpu_per_message

    cpu_per_message()
    from bench.gateway_links import main as link_path

    link_path(args.link_runs)
    from bench.held_store import main as held_store

    held_store()


if __name__ == "__main__":
    main()
