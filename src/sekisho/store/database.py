"""The database: one object with the operations the gateway, the web and the command line
need, each in its own short transaction. Its parts live in their own modules: the engine
and transactions (``engine``), messages and their states (``messages``), the outbox of
notices (``outbox``), minimised messages waiting to be scanned (``resubmissions``), users, uploaded policies, and the audit log (``audit``)."""

from __future__ import annotations

from sekisho.store.audit import AuditLog
from sekisho.store.engine import Store, make_engine, migrate, utcnow
from sekisho.store.messages import Messages, message_detail, recipient_domains
from sekisho.store.outbox import Outbox
from sekisho.store.policies import Policies
from sekisho.store.resubmissions import Resubmissions
from sekisho.store.users import Users

__all__ = [
    "Database",
    "make_engine",
    "message_detail",
    "migrate",
    "recipient_domains",
    "utcnow",
]


class Database(Messages, Resubmissions, Outbox, Users, Policies, AuditLog, Store):
    pass
