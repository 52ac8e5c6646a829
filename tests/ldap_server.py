"""A private OpenLDAP server for the tests: Debian's slapd with its own slapd.conf in a
temporary directory, on a loopback port, stopped and started at will (the directory being
down is part of what is tested)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SUFFIX = "dc=city,dc=example"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "slapd-test-secret"


def available() -> bool:
    return Path(SLAPD).exists() and Path("/usr/lib/ldap").is_dir() and shutil.which("slapd") != ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Directory:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        (root / "db").mkdir(parents=True, exist_ok=True)
        (root / "slapd.conf").write_text(
            "\n".join(
                [
                    "include /etc/ldap/schema/core.schema",
                    "include /etc/ldap/schema/cosine.schema",
                    "include /etc/ldap/schema/inetorgperson.schema",
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    f"pidfile {root / 'slapd.pid'}",
                    "database mdb",
                    "maxsize 10485760",
                    f'suffix "{SUFFIX}"',
                    f'rootdn "{ADMIN_DN}"',
                    f"rootpw {ADMIN_PASSWORD}",
                    f"directory {root / 'db'}",
                    "access to attrs=userPassword by self read by anonymous auth by * none",
                    "access to * by * read",
                    "",
                ]
            )
        )

    def start(self) -> None:
        with (self.root / "slapd.log").open("ab") as log:
            self.process = subprocess.Popen(
                [SLAPD, "-f", str(self.root / "slapd.conf"), "-h", self.url + "/", "-d", "0"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError((self.root / "slapd.log").read_text(errors="replace")[-2000:])
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def admin(self):  # type: ignore[no-untyped-def]
        from ldap3 import Connection, Server

        return Connection(Server(self.url), ADMIN_DN, ADMIN_PASSWORD, auto_bind=True)

    def seed(self, people: dict[str, str], groups: dict[str, list[str]]) -> None:
        """``people``: uid → password; ``groups``: cn → member uids."""
        with self.admin() as ldap:
            ldap.add(SUFFIX, ["dcObject", "organization"], {"o": "City", "dc": "city"})
            for ou in ("people", "groups"):
                ldap.add(f"ou={ou},{SUFFIX}", ["organizationalUnit"], {"ou": ou})
            for uid, password in people.items():
                ldap.add(self.person(uid), ["inetOrgPerson"],
                         {"cn": uid, "sn": uid, "uid": uid, "userPassword": password})  # fmt: skip
            for cn, members in groups.items():
                ldap.add(f"cn={cn},ou=groups,{SUFFIX}", ["groupOfNames"],
                         {"cn": cn, "member": [self.person(m) for m in members]})  # fmt: skip

    def remove(self, uid: str) -> None:
        with self.admin() as ldap:
            assert ldap.delete(self.person(uid)), ldap.result

    @staticmethod
    def person(uid: str) -> str:
        return f"uid={uid},ou=people,{SUFFIX}"
