"""The gateway's Prometheus metrics: verdicts by action and scan latency. They live in the
process's default registry: ``sekisho gateway --metrics-port`` serves them, and in
``sekisho run`` the web UI's ``/metrics`` includes them."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

VERDICTS = Counter("sekisho_verdicts", "Messages by the action policy chose", ["action"])
SCAN_SECONDS = Histogram(
    "sekisho_scan_seconds",
    "Time to scan one message",
    buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0),
)
