"""Accounts of the web UI; every change audited (never the hash)."""

from __future__ import annotations

from sqlalchemy import (
    select,
)

from sekisho.store.engine import Store, utcnow
from sekisho.store.models import User


class Users(Store):
    def add_user(
        self,
        username: str,
        password_hash: str,
        role: str,
        departments: list[str] | None = None,
        actor: str = "admin",
        *,
        one_time: bool = False,
    ) -> None:
        """An account; ``one_time``: its password was generated and shown once, so it
        must be changed at the first login."""
        with self.session() as session:
            session.add(
                User(
                    username=username.lower(),
                    password_hash=password_hash,
                    role=role,
                    departments=list(departments or []),
                    created_at=utcnow(),
                    must_change_password=one_time,
                )
            )
            detail = {
                "username": username.lower(),
                "role": role,
                "departments": list(departments or []),
            }
            self._audit(session, actor, "user.added", None, detail)

    def change_user(
        self,
        username: str,
        actor: str,
        *,
        role: str | None = None,
        disabled: bool | None = None,
        password_hash: str | None = None,
        one_time: bool = False,
    ) -> None:
        """Change an account's role, disable or enable it, or set a new password (an
        admin's reset, ``one_time``: to be changed at the next login; or the person's own
        change); audited as ``user.changed`` with what changed (never the hash)."""
        with self.session() as session:
            user = session.scalar(select(User).where(User.username == username.lower()))
            if user is None:
                raise KeyError(username)
            detail: dict = {"username": user.username}
            if role is not None and role != user.role:
                detail["role"] = [user.role, role]
                user.role = role
            if disabled is not None and disabled != user.disabled:
                detail["disabled"] = disabled
                user.disabled = disabled
            if password_hash is not None:
                detail["password"] = "reset" if one_time else "changed"
                user.password_hash = password_hash
                user.must_change_password = one_time
            if len(detail) > 1:
                self._audit(session, actor, "user.changed", None, detail)

    def users(self) -> list[User]:
        with self.session() as session:
            return list(session.scalars(select(User).order_by(User.username)))

    def user(self, username: str) -> User | None:
        with self.session() as session:
            return session.scalar(select(User).where(User.username == username.lower()))

    def begin_second_factor(self, username: str, secret: str) -> None:
        """Enrolment: ``secret`` waits until a code from the person's app confirms it."""
        with self.session() as session:
            user = session.scalar(select(User).where(User.username == username.lower()))
            if user is None:
                raise KeyError(username)
            user.totp_pending = secret

    def confirm_second_factor(self, username: str, recovery_hashes: list[str]) -> None:
        """The pending secret becomes the account's; its recovery codes (hashed) with it."""
        with self.session() as session:
            user = session.scalar(select(User).where(User.username == username.lower()))
            if user is None or not user.totp_pending:
                raise KeyError(username)
            user.totp_secret, user.totp_pending = user.totp_pending, None
            user.recovery_hashes = list(recovery_hashes)
            self._audit(session, user.username, "user.second_factor_enrolled", None, {})

    def use_recovery_code(self, username: str, code_hash: str) -> bool:
        """Spend one recovery code (each works once); False when it is not one."""
        with self.session() as session:
            user = session.scalar(
                select(User).where(User.username == username.lower()).with_for_update()
            )
            if user is None or code_hash not in (user.recovery_hashes or []):
                return False
            user.recovery_hashes = [h for h in user.recovery_hashes if h != code_hash]
            detail = {"left": len(user.recovery_hashes)}
            self._audit(session, user.username, "user.recovery_code_used", None, detail)
            return True

    def sync_directory_user(
        self, username: str, role: str, departments: list[str], mark: str
    ) -> None:
        """The account of someone the directory just accepted: made on their first
        sign-in, its role and departments kept as the directory's groups say (audited
        when they change). ``mark`` stands in for the password hash (no local password
        can match it). An account an admin disabled here stays disabled."""
        with self.session() as session:
            user = session.scalar(select(User).where(User.username == username.lower()))
            if user is None:
                session.add(
                    User(
                        username=username.lower(),
                        password_hash=mark,
                        role=role,
                        departments=list(departments),
                        created_at=utcnow(),
                    )
                )
                detail = {"username": username.lower(), "role": role, "departments": departments}
                self._audit(session, "directory", "user.added", None, detail)
                return
            changed: dict = {}
            if user.role != role:
                changed["role"] = [user.role, role]
                user.role = role
            if list(user.departments or []) != list(departments):
                changed["departments"] = [list(user.departments or []), list(departments)]
                user.departments = list(departments)
            if changed:
                changed["username"] = user.username
                self._audit(session, "directory", "user.changed", None, changed)
