"""The link path of ``make bench-gateway``: approved mail released as links, through real
``sekisho gateway`` and ``sekisho web --public-listen`` processes.

1. A 1 MB xlsx to 11 recipients, held and approved: time from the approval to all 11
   copies at the next hop, as links (11 copies) and as plain relay (one message to 11),
   p50 of ``--link-runs`` each; the difference is what links add.
2. A 25 MB CSV roster to 11 recipients as links in a fresh gateway: its peak RSS after
   the scan at receipt and after the release (target <= 300 MB).
3. 10 concurrent downloads of that 25 MB file from the public listener: how much its
   peak RSS grows (target < 50 MB: files are streamed, never read whole).

Run alone: ``.venv/bin/python bench/gateway_links.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller
from bench.gateway import (
    SENDER,
    free_port,
    message,
    peak_rss_mb,
    percentile,
    send_all,
    wait_port,
)
from tests.factories import incident_rows, write_xlsx

RECIPIENTS = [f"c{i}@care{i}.example.jp" for i in range(11)]
SECRET = "bench-secret"
POLICY = """\
organisation: {{internal_domains: [city.example.lg.jp]}}
partners:
  - {{name: 介護事業所, domains: [{domains}], link_code: false}}
rules:
  - {{name: held, when: {{recipients: outside}}, action: hold, role: 承認者{then}}}
"""
LINK = re.compile(rb"/d/([A-Za-z0-9_-]{43})")


class Sink:
    """The next hop: counts recipients and keeps the link tokens it sees."""

    def __init__(self) -> None:
        self.recipients = 0
        self.tokens: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        from email import message_from_bytes, policy

        found = []
        if len(envelope.content) < 1 << 20:  # a copy with a link (the files are not in it)
            mail = message_from_bytes(envelope.content, policy=policy.default)
            for part in mail.walk():
                if part.get_content_type() == "text/plain":
                    found += LINK.findall(part.get_content().encode())
        with self.lock:
            self.recipients += len(envelope.rcpt_tos)
            self.tokens += [t.decode() for t in found]
        return "250 OK"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Gateway:
    def __init__(self, tmp: Path, name: str, upstream: int, then: str) -> None:
        self.tmp, self.name = tmp, name
        self.database_url = f"sqlite:///{tmp / f'{name}.db'}"
        policy = tmp / f"{name}.yaml"
        domains = ", ".join(sorted({r.split("@")[1] for r in RECIPIENTS}))
        policy.write_text(POLICY.format(domains=domains, then=f", then: {then}" if then else ""))
        self.port, self.public_port = free_port(), free_port()
        common = ["--db", self.database_url, "--blobs", str(tmp / f"{name}-blobs")]
        self.process = subprocess.Popen(
            [
                *_sekisho("gateway"),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--upstream",
                f"127.0.0.1:{upstream}",
                "--spool",
                str(tmp / f"{name}-spool"),
                "--policy",
                str(policy),
                "--interval",
                "0.05",
                "--processes",
                "1",
                "--secret",
                SECRET,
                "--public-url",
                f"http://127.0.0.1:{self.public_port}",
                *common,
            ],
            stderr=(tmp / f"{name}.log").open("ab"),
        )
        self.common = common
        self.web: subprocess.Popen[bytes] | None = None
        wait_port(self.port)

    def start_public(self) -> None:
        self.web = subprocess.Popen(
            [
                *_sekisho("web"),
                "--listen",
                f"127.0.0.1:{free_port()}",
                "--public-listen",
                f"127.0.0.1:{self.public_port}",
                "--secret",
                SECRET,
                *self.common,
            ],
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.public_port)

    def wait_held(self) -> str:
        from sekisho.store import Database

        database = Database(self.database_url)
        deadline = time.monotonic() + 120
        while not (held := database.messages("held")):
            if time.monotonic() > deadline:
                raise RuntimeError("nothing was held")
            time.sleep(0.01)
        return held[0].sekisho_id

    def approve(self, sekisho_id: str) -> float:
        """Approve a held message; the moment of the approval."""
        from sekisho.store import Database

        moment = time.perf_counter()
        Database(self.database_url).decide(
            sekisho_id, approve=True, actor="ciso@city.example.lg.jp", comment="bench"
        )
        return moment

    def stop(self) -> None:
        for process in (self.process, self.web):
            if process is not None:
                process.terminate()
                process.wait(10)


def _sekisho(command: str) -> list[str]:
    return [sys.executable, "-m", "sekisho.cli.main", command]


def wait_recipients(sink: Sink, expected: int, timeout: float = 300) -> float:
    deadline = time.monotonic() + timeout
    while sink.recipients < expected:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{sink.recipients} of {expected} recipients reached")
        time.sleep(0.002)
    return time.perf_counter()


def send_to_all(port: int, data: bytes) -> None:
    import smtplib

    with smtplib.SMTP("127.0.0.1", port, timeout=600) as smtp:
        smtp.sendmail(SENDER, RECIPIENTS, data)


def release_times(tmp: Path, then: str, data: bytes, runs: int) -> list[float]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), decode_data=False)
    controller.start()
    gateway = Gateway(tmp, f"release-{then or 'plain'}", controller.port, then)
    try:
        times = []
        for run in range(runs):
            before = sink.recipients
            send_to_all(gateway.port, f"X-Bench-Run: {run}\r\n".encode() + data)  # not a retry
            approved = gateway.approve(gateway.wait_held())
            times.append(wait_recipients(sink, before + len(RECIPIENTS)) - approved)
        return times
    finally:
        gateway.stop()
        controller.stop()


def download(url: str) -> int:
    total = 0
    with urllib.request.urlopen(url, timeout=300) as response:
        while chunk := response.read(1 << 16):
            total += len(chunk)
    return total


def main(runs: int = 7) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="sekisho-bench-"))
    workbook = write_xlsx(tmp / "w.xlsx", {"元データ": incident_rows(14000)}).read_bytes()
    with_xlsx = message(2048, ("集計資料.xlsx", workbook))
    plain = release_times(tmp, "", with_xlsx, runs)
    links = release_times(tmp, "link", with_xlsx, runs)
    print(
        f"approved {len(with_xlsx) / 1e6:.1f} MB xlsx mail to {len(RECIPIENTS)} recipients, "
        f"approval → all relayed (scheduler pass every 0.05 s), p50 of {runs}: "
        f"plain {percentile(plain, 0.5) * 1000:.0f} ms, as links {percentile(links, 0.5) * 1000:.0f} ms "
        f"(added {(percentile(links, 0.5) - percentile(plain, 0.5)) * 1000:.0f} ms)"
    )

    sink = Sink()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=free_port(),
        decode_data=False,
        data_size_limit=128 << 20,
    )
    controller.start()
    gateway = Gateway(tmp, "big", controller.port, "link")
    try:
        send_all(gateway.port, message(2048), 3, 1)  # warm-up: dictionaries loaded
        idle = peak_rss_mb(gateway.process.pid)
        line = "山田 太郎,090-1234-5678,東京都千代田区千代田1-1,要介護3\r\n".encode("cp932")
        big = line * (25 * 1024 * 1024 // len(line))
        big_message = message(2048, ("大きな名簿.csv", big))
        size = len(big)
        del big
        send_to_all(gateway.port, big_message)
        held = gateway.wait_held()
        received = peak_rss_mb(gateway.process.pid)
        start = gateway.approve(held)
        wait_recipients(sink, len(RECIPIENTS) + 3)
        print(
            f"{size / 1e6:.0f} MB CSV to {len(RECIPIENTS)} recipients as links: released in "
            f"{time.perf_counter() - start:.1f} s; gateway peak RSS {peak_rss_mb(gateway.process.pid):.0f} MB "
            f"(after the scan at receipt {received:.0f} MB, idle {idle:.0f} MB; target <= 300 MB)"
        )
        gateway.start_public()
        assert gateway.web is not None
        base = f"http://127.0.0.1:{gateway.public_port}"
        tokens = sink.tokens[-len(RECIPIENTS) :]
        assert download(f"{base}/d/{tokens[0]}/f/1") == size  # warm-up, and the bytes count
        before = rss_mb(gateway.web.pid)
        start = time.perf_counter()
        with ThreadPoolExecutor(10) as pool:
            sizes = list(pool.map(download, [f"{base}/d/{t}/f/1" for t in tokens[1:11]]))
        elapsed = time.perf_counter() - start
        assert sizes == [size] * 10, sizes
        grown = peak_rss_mb(gateway.web.pid) - before
        print(
            f"10 concurrent downloads of the {size / 1e6:.0f} MB file: {elapsed:.1f} s "
            f"({10 * size / elapsed / 1e6:.0f} MB/s); public listener peak RSS grew by {grown:.0f} MB "
            f"(from {before:.0f} MB; target < 50 MB)"
        )
    finally:
        gateway.stop()
        controller.stop()


if __name__ == "__main__":
    main()
