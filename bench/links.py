"""The link path (action ``link``) alone: attachments sealed and one copy per recipient
relayed into a Maildir, for a 1 MB and a 25 MB attachment to 11 recipients; each size in
a fresh process, so the printed peak RSS is that message's. Then a sealed 25 MB file read
back chunk by chunk.
Run: ``make bench-links`` (approval to relay through real gateway processes, the 25 MB
release's peak RSS and concurrent downloads over HTTP: ``bench/gateway_links.py``, part
of ``make bench-gateway``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RECIPIENTS = [f"c{i}@care{i}.example.jp" for i in range(11)]


def _pipeline(tmp: Path):  # type: ignore[no-untyped-def]
    from sekisho.gateway.pipeline import Pipeline
    from sekisho.gateway.upstream import MaildirUpstream
    from sekisho.policy import parse_policy
    from sekisho.scan import Scanner
    from sekisho.store import Database, Spool
    from sekisho.store.links import LinkStore
    from sekisho.store.sealed import BlobStore

    database = Database(f"sqlite:///{tmp / 'links.db'}")
    return Pipeline(
        Scanner(),
        parse_policy("rules:\n  - {name: all, action: link}\n"),
        database,
        Spool(tmp / "spool"),
        MaildirUpstream(tmp / "maildir"),
        link_store=LinkStore(database, BlobStore(tmp / "blobs"), "bench"),
        public_url="https://files.example",
    )


def _measure(message: str) -> None:
    from sekisho.gateway.submission import Submission

    data = Path(message).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = _pipeline(Path(tmp))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        submission = Submission.received("clerk@city.example.lg.jp", RECIPIENTS, data)
        start = time.perf_counter()
        asyncio.run(pipeline.send_as_links(submission, ""))
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{len(data) / 1e6:5.1f} MB message to {len(RECIPIENTS)} recipients as links: "
            f"{elapsed * 1000:.0f} ms, peak RSS {peak:.0f} MB ({before:.0f} MB before)",
            flush=True,
        )


def main() -> None:
    from tests.extract.builders import eml_bytes

    from sekisho.store.sealed import BlobStore

    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in (1, 25):
            path = Path(tmp) / f"{megabytes}.eml"
            attachment = os.urandom(megabytes << 20)
            path.write_bytes(eml_bytes("資料です", {"data.bin": attachment}, charset="utf-8"))
            child = context.Process(target=_measure, args=(str(path),))
            child.start()
            child.join()
        blobs = BlobStore(Path(tmp) / "blobs")
        data = os.urandom(25 << 20)
        key = blobs.put("x.sealed", data)
        start = time.perf_counter()
        size = sum(len(chunk) for chunk in blobs.open("x.sealed", key, len(data)))
        elapsed = time.perf_counter() - start
        print(f"a sealed {size / 1e6:.0f} MB file read back: {size / elapsed / 1e6:.0f} MB/s")


if __name__ == "__main__":
    main()
