"""The next hop of the gateway benchmarks: takes every message and drops it, in a process
of its own, reading DATA in chunks (the gateway's own reader). aiosmtpd's stock line
reader in the bench's own process spent ~20 ms of its loop per MB, and its queueing and
CPU went into the figures of whatever it was measuring.

``python bench/sink.py PORT`` serves until killed; ``start_sink()`` starts one.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from aiosmtpd.controller import Controller


class Sink:
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        return "250 OK"


class _Controller(Controller):
    def factory(self):  # type: ignore[no-untyped-def]
        from sekisho.gateway.smtp import GatewaySMTP

        return GatewaySMTP(self.handler, **self.SMTP_kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sink() -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, __file__, str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, port
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the sink did not start")


if __name__ == "__main__":
    controller = _Controller(
        Sink(), hostname="127.0.0.1", port=int(sys.argv[1]), decode_data=False,
        data_size_limit=256 * 1024 * 1024,
    )  # fmt: skip
    controller.start()
    threading.Event().wait()
