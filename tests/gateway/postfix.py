"""A private Postfix instance for end-to-end tests: its own configuration directory,
queue and Maildir, loopback ports only, DNS disabled, no relaying; every message, to any
domain, is delivered to one Maildir. The after-queue content filter points at Sekisho,
and the re-injection smtpd (content_filter empty) takes Sekisho's output — exactly the
lines of docs/deploy-postfix.md. Without /etc/postfix/main.cf every command needs -c."""

from __future__ import annotations

import grp
import pwd
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

POSTFIX = "/usr/sbin/postfix"


def available() -> bool:
    return Path(POSTFIX).exists() and shutil.which("postconf") is not None and _has_user("postfix")


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class PostfixInstance:
    root: Path
    smtpd_port: int
    filter_port: int
    reinject_port: int

    @property
    def config(self) -> Path:
        return self.root / "etc"

    @property
    def maildir(self) -> Path:
        return self.root / "mail" / "sink"

    def write_config(self) -> None:
        for sub in ("etc", "queue", "data", "mail"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        postfix = pwd.getpwnam("postfix")
        shutil.chown(self.root / "data", "postfix", grp.getgrgid(postfix.pw_gid).gr_name)
        shutil.chown(self.root / "mail", "postfix", grp.getgrgid(postfix.pw_gid).gr_name)
        (self.config / "virtual_domains").write_text("/.*/ OK\n")
        (self.config / "virtual_mailboxes").write_text("/.*/ sink/\n")
        (self.config / "main.cf").write_text(
            f"""\
compatibility_level = 3.6
queue_directory = {self.root / "queue"}
data_directory = {self.root / "data"}
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.city.example.lg.jp
mydomain = city.example.lg.jp
myorigin = $mydomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
mynetworks = 127.0.0.0/8
relayhost =
smtpd_relay_restrictions = permit_mynetworks, reject
smtp_dns_support_level = disabled
smtputf8_enable = yes
virtual_mailbox_domains = regexp:{self.config / "virtual_domains"}
virtual_mailbox_maps = regexp:{self.config / "virtual_mailboxes"}
virtual_mailbox_base = {self.root / "mail"}
virtual_uid_maps = static:{postfix.pw_uid}
virtual_gid_maps = static:{postfix.pw_gid}
virtual_minimum_uid = 1
content_filter = sekisho:[127.0.0.1]:{self.filter_port}
maillog_file = {self.root / "maillog"}
maillog_file_prefixes = {self.root}
biff = no
append_dot_mydomain = no
message_size_limit = 104857600
virtual_mailbox_limit = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
transport_retry_time = 2s
maximal_queue_lifetime = 1h
delay_warning_time = 0
smtp_connect_timeout = 5s
sekisho_destination_concurrency_limit = 4
"""
        )
        (self.config / "master.cf").write_text(
            f"""\
127.0.0.1:{self.smtpd_port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
sekisho   unix  -       -       n       -       4       smtp
  -o smtp_send_xforward_command=yes
  -o disable_mime_output_conversion=yes
  -o smtp_data_done_timeout=600s
127.0.0.1:{self.reinject_port} inet n - n - 10 smtpd
  -o content_filter=
  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters
  -o smtpd_helo_restrictions=
  -o smtpd_client_restrictions=
  -o smtpd_sender_restrictions=
  -o smtpd_recipient_restrictions=permit_mynetworks,reject
  -o smtpd_relay_restrictions=permit_mynetworks,reject
  -o mynetworks=127.0.0.0/8
  -o smtpd_authorized_xforward_hosts=127.0.0.0/8
"""
        )

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [POSTFIX, "-c", str(self.config), *args], capture_output=True, text=True, timeout=60
        )

    def start(self) -> None:
        self.write_config()
        check = self._run("check")
        if check.returncode:
            raise RuntimeError(f"postfix check failed: {check.stderr}")
        started = self._run("start")
        if started.returncode:
            raise RuntimeError(f"postfix start failed: {started.stderr}")

    def stop(self) -> None:
        self._run("stop")
        time.sleep(0.5)
        self._run("abort")

    def flush(self) -> None:
        subprocess.run(["postqueue", "-c", str(self.config), "-f"], capture_output=True, timeout=30)

    def queue_size(self) -> int:
        out = subprocess.run(
            ["postqueue", "-c", str(self.config), "-j"], capture_output=True, text=True, timeout=30
        ).stdout
        return sum(1 for line in out.splitlines() if line.strip())

    def delivered(self) -> list[bytes]:
        new = self.maildir / "new"
        return [p.read_bytes() for p in sorted(new.iterdir())] if new.exists() else []

    def log(self) -> str:
        path = self.root / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""
