"""Persistence: the database (SQLAlchemy; SQLite by default) and the spool (quarantine)."""

from sekisho.store.database import Database, utcnow
from sekisho.store.models import AuditEvent, MessageRecord, User
from sekisho.store.spool import Spool

__all__ = ["AuditEvent", "Database", "MessageRecord", "Spool", "User", "utcnow"]
