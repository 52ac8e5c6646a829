"""The policy in force, for every process that applies one (each gateway worker, each web
worker): the newest version an admin uploaded, parsed once per version, else the policy
the process started with. The gateway and the web read it through this one object, so
that they never disagree on which rules hold or parse a version differently.

It takes the store's lookup as a function (``Database.latest_policy``): the policy layer
does not import the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sekisho.policy.loader import parse_policy
from sekisho.policy.model import Policy


class StoredPolicy(Protocol):
    id: int
    text: str
    uploaded_by: str


class PolicySource:
    def __init__(self, start: Policy, latest: Callable[[], StoredPolicy | None]) -> None:
        self._start = start
        self._latest = latest
        self.policy = start
        self.version: int | None = None  # the uploaded version in force; None: the start-up one
        self.uploaded_by: str | None = None

    def refresh(self) -> bool:
        """Look for a newer uploaded version; True when one came into force now (uploads
        are linted before they are stored)."""
        latest = self._latest()
        if latest is None or latest.id == self.version:
            return False
        self.policy = parse_policy(latest.text)
        self.version, self.uploaded_by = latest.id, latest.uploaded_by
        return True

    def current(self) -> Policy:
        """The policy in force now (asks the store: an upload on another worker or host
        holds from the next request)."""
        self.refresh()
        return self.policy
