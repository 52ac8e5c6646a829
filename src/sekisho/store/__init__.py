"""Persistence: the database (SQLAlchemy; SQLite by default) and the spool (quarantine)."""

from sekisho.store.database import Database, utcnow
from sekisho.store.models import AuditEvent, MessageRecord, Notice, User
from sekisho.store.spool import Spool
from sekisho.store.states import Action, State

__all__ = [
    "Action",
    "AuditEvent",
    "Database",
    "MessageRecord",
    "Notice",
    "Spool",
    "State",
    "User",
    "utcnow",
]
