"""The baseline of ``bench/gateway.py``: an aiosmtpd server that relays every message
unchanged with aiosmtplib, doing nothing else. Same libraries, the same DATA reader and
relay code as the gateway (``GatewaySMTP``, ``SmtpUpstream``), same machine, no scanning:
the ratio to it is what scanning, policy and the store cost."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sekisho.gateway.smtp import GatewaySMTP
from sekisho.gateway.submission import Submission
from sekisho.gateway.upstream import SmtpUpstream


class Relay:
    def __init__(self, upstream: SmtpUpstream) -> None:
        self.upstream = upstream

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        try:
            await self.upstream.send(
                Submission.received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    envelope.original_content,
                    envelope.mail_options,
                )
            )
        except Exception:
            return "451 4.3.0 upstream failed"
        return "250 OK relayed"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", type=int, required=True)
    args = parser.parse_args()
    relay = Relay(SmtpUpstream("127.0.0.1", args.upstream))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: GatewaySMTP(
            relay, decode_data=False, enable_SMTPUTF8=True, data_size_limit=64 * 1024 * 1024
        ),
        "127.0.0.1",
        args.listen,
    )
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
