"""The web apps as uvicorn builds them in each worker of ``sekisho web --workers N``.

uvicorn starts each worker in a fresh interpreter and calls a factory named by an import
string, so the settings travel in the environment (``SEKISHO_WEB_*``, set by the command
line, never by hand). Everything the workers share lives in the store or in signed
cookies: sessions and CSRF tokens (one secret for all workers), the login throttle, the
uploaded policy — a request may reach any worker."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

SETTINGS = ("DB", "SPOOL", "POLICY", "SECRET", "BLOBS", "PUBLIC_URL", "WEB_URL", "LDAP_URL")


def settings_env(**values: str | None) -> dict[str, str]:
    """The environment a worker reads its settings from."""
    return {f"SEKISHO_WEB_{k.upper()}": v for k, v in values.items() if v is not None}


def _setting(name: str) -> str | None:
    return os.environ.get(f"SEKISHO_WEB_{name}") or None


def _links(database):  # type: ignore[no-untyped-def]
    from sekisho.store.blobs import link_files
    from sekisho.store.links import LinkStore
    from sekisho.store.sealed import BlobStore

    files = link_files(database, _setting("BLOBS") or "var/blobs")
    return LinkStore(database, BlobStore(files), _setting("SECRET") or "")


def staff_app() -> FastAPI:
    from sekisho.policy import load_policy
    from sekisho.store import Database
    from sekisho.store.blobs import held_files, journal_files
    from sekisho.store.journal import Journal
    from sekisho.web.app import create_app

    database = Database(_setting("DB") or "sqlite:///var/sekisho.db")
    policy = _setting("POLICY")
    return create_app(
        database,
        held_files(database, _setting("SPOOL") or "var/spool", _setting("BLOBS") or "var/blobs"),
        _setting("SECRET") or "",
        load_policy(Path(policy) if policy else None),
        links=_links(database),
        public_url=_setting("PUBLIC_URL"),
        web_url=_setting("WEB_URL") or "",
        ldap_url=_setting("LDAP_URL") or "",
        journal=Journal(database, journal_files(database, _setting("BLOBS") or "var/blobs")),
    )


def public_app() -> FastAPI:
    from sekisho.store import Database
    from sekisho.web.public import create_public_app

    return create_public_app(
        _links(Database(_setting("DB") or "sqlite:///var/sekisho.db")), _setting("SECRET") or ""
    )
