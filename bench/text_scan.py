"""Scan time per 100 KB of running text (a mail body, a .txt attachment), and where it
goes: each recognizer's share, measured on two generated texts —

- letter: Faker ja_JP prose with a name, an address and a phone number in ~5% of the
  paragraphs (34,000 characters);
- memo: one sentence repeated (the body of ``bench/gateway.py``'s messages).

Best of 7 runs each, one process, warm (dictionaries loaded).
"""

from __future__ import annotations

import random
import time

from faker import Faker

from sekisho.detect.normalize import normalize
from sekisho.detect.registry import default_registry
from sekisho.scan import Scanner


def texts() -> dict[str, str]:
    fake = Faker("ja_JP")
    fake.seed_instance(3)
    rng = random.Random(3)
    parts: list[str] = []
    while sum(len(p.encode()) for p in parts) < 100_000:
        parts.append(fake.text(max_nb_chars=200))
        if rng.random() < 0.05:
            parts.append(f"{fake.name()}様 {fake.address()} 電話 {fake.phone_number()}")
    return {
        "letter": "\n".join(parts),
        "memo": ("会議の資料をお送りします。" * 8000)[:33000],
    }


def best_ms(fn, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    scanner = Scanner()
    registry = default_registry()
    for label, text in texts().items():
        data = text.encode()
        whole = best_ms(lambda data=data: scanner.scan_bytes(data, "body.txt"))
        per_100k = whole * 100_000 / len(data)
        print(f"{label}: {len(data):,} bytes, {len(text):,} characters")
        print(f"  scan: {whole:.1f} ms ({per_100k:.1f} ms per 100 KB)")
        norm = normalize(text).text
        shares = []
        for recognizer in registry:
            ms = best_ms(lambda r=recognizer, t=norm: sum(1 for _ in r.candidates(t)), 3)
            shares.append((ms, type(recognizer).__name__))
        for ms, name in sorted(shares, reverse=True)[:4]:
            print(f"    {name:34} {ms:6.1f} ms over the whole text")


if __name__ == "__main__":
    main()
