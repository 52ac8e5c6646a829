"""Uploaded policies: each version kept, each change audited with its hash."""

from __future__ import annotations

import hashlib

from sqlalchemy import (
    select,
)

from sekisho.store.engine import Store, utcnow
from sekisho.store.models import PolicyVersion


class Policies(Store):
    def save_policy(self, text: str, actor: str) -> int:
        """Store an uploaded policy (already linted by the caller) and audit the change."""
        with self.session() as session:
            version = PolicyVersion(text=text, uploaded_by=actor, uploaded_at=utcnow())
            session.add(version)
            session.flush()
            digest = hashlib.sha256(text.encode()).hexdigest()
            self._audit(
                session, actor, "policy.changed", None, {"version": version.id, "sha256": digest}
            )
            return version.id

    def latest_policy(self) -> PolicyVersion | None:
        with self.session() as session:
            return session.scalar(select(PolicyVersion).order_by(PolicyVersion.id.desc()).limit(1))
