"""The ``sekisho`` command line. Exit status of ``scan``: 0 nothing found, 1 personal data
found, 3 something unscannable, 2 usage error (2 > 3 > 1 > 0 when several apply)."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import ClassVar

import click
import orjson
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sekisho import __version__
from sekisho.cli.render import render_file, render_summary
from sekisho.errors import ScanInputError
from sekisho.scan import Scanner, ScanReport, count_files

_JSON_OPTIONS = orjson.OPT_INDENT_2

# Options the gateway, the web UI and the admin commands share: they must point at the
# same database and spool to see the same messages.
DB_OPTION = click.option(
    "--db",
    "database_url",
    default="sqlite:///var/sekisho.db",
    show_default=True,
    help="SQLAlchemy database URL (shared by the gateway and the web UI).",
)
SPOOL_OPTION = click.option(
    "--spool",
    "spool_dir",
    default="var/spool",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Quarantine directory (shared by the gateway and the web UI).",
)

FORWARDED_OPTION = click.option(
    "--forwarded-allow-ips",
    envvar="SEKISHO_FORWARDED_ALLOW_IPS",
    default="",
    help="Reverse proxies (comma-separated addresses) whose X-Forwarded-For/-Proto are "
    "believed; default none: the client is whoever connects.",
)


BLOBS_OPTION = click.option(
    "--blobs",
    "blob_dir",
    default="var/blobs",
    show_default=True,
    help="Directory of the sealed files of download links (shared by the gateway and the "
    "public listener), or db: those and the quarantine in the database (several hosts "
    "then share nothing but PostgreSQL).",
)


def policy_option(help_text: str):  # type: ignore[no-untyped-def]
    """``--policy FILE``, with what the command uses it for; linted before the command
    starts, so that a wrong policy is one message with its line numbers (exit 2)."""
    return click.option(
        "--policy",
        "policy_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        callback=_linted_policy,
        help=help_text,
    )


def _linted_policy(_ctx: click.Context, _param: click.Parameter, path: Path | None) -> Path | None:
    if path is None:
        return None
    from sekisho.policy import PolicyError, parse_policy

    try:
        parse_policy(path.read_text(encoding="utf-8"))
    except PolicyError as exc:
        found = "; ".join(str(error) for error in exc.errors)
        raise click.BadParameter(f"ポリシーの誤り / policy errors: {found}") from exc
    except UnicodeDecodeError as exc:
        raise click.BadParameter("UTF-8 ではありません / not UTF-8") from exc
    return path


class LazyGroup(click.Group):
    """A group whose larger subcommand groups are imported only when named.

    ``sekisho scan`` is run cold by scripts; importing the policy engine and YAML for
    ``sekisho policy`` on every start cost it ~30 ms (``bench/speed.py``).
    """

    lazy: ClassVar[dict[str, str]] = {
        "policy": "sekisho.cli.policy_commands:policy_group",
        "message": "sekisho.cli.message_commands:message_group",
        "incident": "sekisho.cli.incident_commands:incident_group",
        "minimise": "sekisho.cli.minimise_command:minimise_command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            import importlib

            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sekisho")
def cli() -> None:
    """Sekisho (関所): finds personal data in files and outgoing mail."""


@cli.command()
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help="human: a summary per file; json: the contract of docs/architecture.md.",
)
@click.option("--explain", is_flag=True, help="Show why each finding was reported.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
def scan(paths: tuple[Path, ...], fmt: str, explain: bool, progress: bool | None) -> None:
    """Scan files and directories (recursively) for personal data."""
    gc.freeze()  # modules and dictionaries live as long as the process: collect them never
    scanner = Scanner()
    err = Console(stderr=True)
    show_progress = err.is_terminal if progress is None else progress
    try:
        report = _scan_with_progress(scanner, list(paths), err, show_progress)
    except ScanInputError as exc:
        raise click.UsageError(str(exc)) from exc
    if fmt == "json":
        # One write of bytes made in C: a roster's report is tens of thousands of findings,
        # and json.dump's many small writes to stdout cost three times the scan itself.
        # The entries are plain dicts (no cycles): the cyclic collector, walking every cell
        # still held by the report each time, only made them 35% slower to build.
        gc.disable()
        try:
            payload = orjson.dumps(report.to_dict(explain=explain), option=_JSON_OPTIONS)
        finally:
            gc.enable()
        sys.stdout.flush()
        sys.stdout.buffer.write(payload + b"\n")
        sys.stdout.buffer.flush()
    else:
        out = Console(highlight=False, soft_wrap=True)
        for file_report in report.files:
            render_file(out, file_report, explain=explain)
        render_summary(out, report)
    sys.exit(int(report.status))


def _scan_with_progress(
    scanner: Scanner, paths: list[Path], err: Console, show: bool
) -> ScanReport:
    if not show or not any(p.is_dir() for p in paths):
        return scanner.scan_paths(paths)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("スキャン中 scanning", total=count_files(paths))
        report = scanner.scan_paths(paths, on_done=lambda _r: bar.advance(task))
    return report


@cli.command()
@click.option(
    "--listen",
    default="127.0.0.1:10025",
    show_default=True,
    help="Where Postfix's content_filter connects.",
)
@click.option(
    "--upstream",
    default="127.0.0.1:10026",
    show_default=True,
    help="Postfix's re-injection smtpd (HOST:PORT).",
)
@click.option(
    "--deliver-to",
    "deliver_to",
    default=None,
    help="maildir:DIR instead of an upstream MTA (demos, tests).",
)
@DB_OPTION
@SPOOL_OPTION
@policy_option("Policy file (default: the embedded default).")
@click.option(
    "--interval", default=5.0, show_default=True, help="Seconds between scheduler passes."
)
@click.option(
    "--relay-timeout",
    default=60.0,
    show_default=True,
    help="Seconds for each reply of the next hop; a whole transfer may take this plus "
    "one second per MiB.",
)
@click.option(
    "--web-url", default=None, help="The web UI's address, for cancel links in delay notices."
)
@click.option(
    "--secret", envvar="SEKISHO_SECRET", default=None, help="The web UI's secret (signs the links)."
)
@click.option(
    "--public-url",
    default=None,
    help="Base URL of the public listener: with --secret, action link sends download links.",
)
@BLOBS_OPTION
@click.option(
    "--metrics-port",
    type=int,
    default=None,
    help="Serve Prometheus metrics (verdicts, scan latency) on this port.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes accepting on the same port, each scanning on its own core "
    "(default: one per core).",
)
@click.option(
    "--scan-processes",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Child processes of each worker that scan big messages, so that SMTP never "
    "waits for a scan (0: scan in threads of the worker).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every message's verdict.")
def gateway(
    listen: str,
    upstream: str,
    deliver_to: str | None,
    database_url: str,
    spool_dir: Path,
    policy_path: Path | None,
    interval: float,
    relay_timeout: float,
    web_url: str | None,
    secret: str | None,
    public_url: str | None,
    blob_dir: str,
    metrics_port: int | None,
    processes: int | None,
    scan_processes: int,
    verbose: bool,
) -> None:
    """Run the SMTP content filter (Postfix after-queue) and its scheduler."""
    from sekisho.gateway.workers import default_processes

    processes = processes or default_processes()
    if metrics_port is not None:
        _serve_metrics(metrics_port, processes)
    import asyncio
    import logging

    from sekisho.gateway.server import GatewayConfig, serve
    from sekisho.policy import PolicyError, load_policy

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        policy = load_policy(policy_path)
    except PolicyError as exc:
        raise click.UsageError(f"policy: {exc}") from exc
    host, _, port = listen.rpartition(":")
    config = GatewayConfig(
        listen_host=host or "127.0.0.1",
        listen_port=int(port),
        upstream=deliver_to or f"smtp:{upstream}",
        database_url=database_url,
        spool_dir=spool_dir,
        scheduler_interval=interval,
        relay_timeout=relay_timeout,
        web_url=web_url,
        secret=secret,
        public_url=public_url,
        blob_dir=blob_dir,
        scan_processes=scan_processes,
    )
    click.echo(
        f"sekisho gateway: listening on {config.listen_host}:{config.listen_port}, "
        f"delivering to {config.upstream}, {processes} process(es)",
        err=True,
    )
    from sekisho.gateway.workers import ensure_can_listen, supervise

    ensure_can_listen(config.listen_host, config.listen_port)
    if processes == 1:
        asyncio.run(serve(config, policy))
    else:
        supervise(config, policy, processes)
    click.echo("sekisho gateway: stopped", err=True)


def _serve_metrics(port: int, processes: int) -> None:
    """Prometheus metrics on ``port``; with several workers, summed over them through
    prometheus_client's multiprocess mode (each worker writes its own files)."""
    if processes == 1:
        from prometheus_client import start_http_server

        start_http_server(port, addr="127.0.0.1")
        return
    import os
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sekisho-metrics-")
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    start_http_server(port, addr="127.0.0.1", registry=registry)


@cli.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@DB_OPTION
def audit_verify(database_url: str) -> None:
    """Check the audit log's hash chain: a changed or deleted event is reported."""
    from sekisho.store import Database
    from sekisho.store.audit import verify

    problems = verify(Database(database_url))
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)}件の問題 / {len(problems)} problem(s)")
        sys.exit(1)
    click.echo("監査ログは改ざんされていません / the audit log is intact")


@cli.command()
@click.option(
    "--listen", default="127.0.0.1:8025", show_default=True, help="Where the web UI listens."
)
@DB_OPTION
@SPOOL_OPTION
@policy_option("Policy file (for recipient classes).")
@click.option(
    "--secret",
    envvar="SEKISHO_SECRET",
    default=None,
    help="Key for session cookies (default: random; sessions end at restart).",
)
@click.option(
    "--public-listen",
    default=None,
    help="HOST:PORT of the public listener (download links, deletion confirmations).",
)
@click.option(
    "--public-url",
    envvar="SEKISHO_PUBLIC_URL",
    default=None,
    help="The public listener's address as recipients reach it (behind a reverse proxy); "
    "default http://PUBLIC-LISTEN. With --secret, the message page can ask to delete.",
)
@click.option(
    "--web-url",
    envvar="SEKISHO_WEB_URL",
    default=None,
    help="This UI's address as staff reach it, for links in notices (default http://LISTEN).",
)
@BLOBS_OPTION
@FORWARDED_OPTION
@click.option(
    "--ldap-url",
    envvar="SEKISHO_LDAP_URL",
    default="",
    help="Directory sign-in (ldap://host:389, ldaps://…); the policy's directory section "
    "says how people and groups are found. Local accounts keep working.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes for each listener (sessions, CSRF and the login throttle hold "
    "across them).",
)
def web(
    listen: str,
    database_url: str,
    spool_dir: Path,
    policy_path: Path | None,
    secret: str | None,
    public_listen: str | None,
    public_url: str | None,
    web_url: str | None,
    blob_dir: str,
    forwarded_allow_ips: str,
    ldap_url: str,
    workers: int,
) -> None:
    """Run the web UI: approval queue, senders' mail, audit log; with --public-listen, the
    recipients' download pages on a second port meant to face outside."""
    import secrets as _secrets

    if public_url is None and public_listen is not None:
        public_url = f"http://{public_listen}"
    web_url = web_url or f"http://{listen}"
    os.environ["SEKISHO_FORWARDED_ALLOW_IPS"] = forwarded_allow_ips  # for every worker too
    os.environ["SEKISHO_WEB_LDAP_URL"] = ldap_url
    if not secret:
        public_url = None  # deletion requests are signed with the secret the listener checks
    if workers > 1:
        _web_workers(
            workers, listen, database_url, spool_dir, policy_path, secret, public_listen,
            public_url, blob_dir, web_url,
        )  # fmt: skip
        return

    from sekisho.gateway.server import return_big_buffers_to_the_system
    from sekisho.policy import load_policy
    from sekisho.store import Database
    from sekisho.store.blobs import held_files
    from sekisho.web.app import create_app

    return_big_buffers_to_the_system()  # each download's 1 MiB chunks go back when sent
    database = Database(database_url)
    app = create_app(
        database,
        held_files(database, spool_dir, blob_dir),
        secret or _secrets.token_urlsafe(32),
        load_policy(policy_path),
        links=link_store(database, blob_dir, secret or ""),
        public_url=public_url,
        journal=_journal(database, blob_dir),
        web_url=web_url,
        ldap_url=ldap_url,
    )
    host, _, port = listen.rpartition(":")
    click.echo(f"sekisho web: http://{host or '127.0.0.1'}:{port}/", err=True)
    if public_listen is None:
        import asyncio

        # Our own signal handling (uvicorn's re-raises SIGTERM once it has stopped: the
        # process then dies of the signal instead of exiting 0).
        asyncio.run(_serve_until_signal([_server(app, listen)]))
        click.echo("sekisho web: stopped", err=True)
        return
    if not secret:
        raise click.UsageError("--public-listen needs --secret (the gateway's, for the links)")
    import asyncio

    click.echo(f"sekisho web: public links http://{public_listen}/d/…", err=True)
    servers = [
        _server(app, listen),
        _public_server(database, blob_dir, secret, public_listen),
    ]
    asyncio.run(_serve_until_signal(servers))
    click.echo("sekisho web: stopped", err=True)


def _web_workers(  # type: ignore[no-untyped-def]
    workers: int,
    listen: str,
    database_url: str,
    spool_dir: Path,
    policy_path: Path | None,
    secret: str | None,
    public_listen: str | None,
    public_url: str | None,
    blob_dir: str,
    web_url: str,
) -> None:
    """``sekisho web --workers N``: uvicorn's own worker processes for each listener, the
    settings handed over in the environment (see ``web.served``)."""
    import multiprocessing
    import os
    import secrets as _secrets

    from sekisho.store import Database
    from sekisho.web.served import settings_env

    if public_listen is not None and not secret:
        raise click.UsageError("--public-listen needs --secret (the gateway's, for the links)")
    Database(database_url).engine.dispose()  # the schema, once, before any worker
    os.environ.update(
        settings_env(
            db=database_url,
            spool=str(spool_dir),
            policy=str(policy_path) if policy_path else None,
            # One secret for every worker, or a session made by one is refused by the next.
            secret=secret or _secrets.token_urlsafe(32),
            blobs=blob_dir,
            public_url=public_url,
            web_url=web_url,
        )
    )
    public = None
    if public_listen is not None:
        public = multiprocessing.get_context("spawn").Process(
            target=_serve_public_workers, args=(public_listen, workers)
        )
        public.start()
        click.echo(
            f"sekisho web: public links http://{public_listen}/d/… ({workers} workers)", err=True
        )
    click.echo(f"sekisho web: http://{listen}/ ({workers} workers)", err=True)
    try:
        _serve_workers("sekisho.web.served:staff_app", listen, workers)
    finally:
        if public is not None:
            public.terminate()
            public.join(15)


def _serve_public_workers(listen: str, workers: int) -> None:
    # A multiprocessing child's stdin is a descriptor its own children cannot reopen, and
    # uvicorn hands stdin on to its workers unless there is none.
    sys.stdin = None  # type: ignore[assignment]
    _serve_workers("sekisho.web.served:public_app", listen, workers)


def _serve_workers(factory: str, listen: str, workers: int) -> None:
    import uvicorn

    host, _, port = listen.rpartition(":")
    uvicorn.run(
        factory,
        factory=True,
        host=host or "127.0.0.1",
        port=int(port),
        workers=workers,
        log_level="warning",
        **_proxy_options(),
    )


@cli.group()
def user() -> None:
    """Accounts of the web UI."""


@user.command("add")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(["sender", "approver", "auditor", "admin"]), required=True
)
@DB_OPTION
@click.option("--password", default=None, help="Default: a generated one, printed once.")
@click.option(
    "--department",
    "departments",
    multiple=True,
    help="Approver limited to this policy sender group; repeatable.",
)
def user_add(
    username: str, role: str, database_url: str, password: str | None, departments: tuple[str, ...]
) -> None:
    """Add an account (its user name is the person's mail address)."""
    from sekisho.store import Database
    from sekisho.web.passwords import problems
    from sekisho.web.security import hash_password, new_password

    database = Database(database_url)
    if database.user(username) is not None:
        raise click.UsageError(f"{username} already exists")
    if password is not None and (found := problems(password, username)):
        raise click.UsageError("このパスワードは使えません / not accepted: " + "; ".join(found))
    secret = password or new_password()
    database.add_user(
        username, hash_password(secret), role, list(departments), one_time=password is None
    )
    click.echo(
        f"{username} ({role}) added"
        + (
            ""
            if password
            else f"; one-time password: {secret} (初回ログインで変更 / changed at first login)"
        )
    )


@cli.command("run")
@click.option(
    "--home",
    default="var",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Database, spool, Maildir and secret live here.",
)
@click.option(
    "--smtp", default="127.0.0.1:10025", show_default=True, help="Where the gateway listens."
)
@click.option(
    "--http", default="127.0.0.1:8025", show_default=True, help="Where the web UI listens."
)
@click.option(
    "--public",
    "public_listen",
    default="127.0.0.1:8026",
    show_default=True,
    help="Where the public listener (recipients' download links) listens.",
)
@click.option(
    "--upstream",
    default=None,
    help="HOST:PORT of the MTA's re-injection port (default: a Maildir under --home).",
)
@policy_option("Policy file (default: the embedded default; an admin can upload newer ones).")
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Gateway worker processes (default: one per core); the web UI runs beside them.",
)
@FORWARDED_OPTION
@click.option(
    "--ldap-url",
    envvar="SEKISHO_LDAP_URL",
    default="",
    help="Directory sign-in (with the policy's directory section); local accounts stay.",
)
def run_all(
    home: Path,
    smtp: str,
    http: str,
    public_listen: str,
    upstream: str | None,
    policy_path: Path | None,
    processes: int | None,
    forwarded_allow_ips: str,
    ldap_url: str,
) -> None:
    """The gateway and the web UI together on embedded defaults (what ``make run`` starts)."""
    os.environ["SEKISHO_FORWARDED_ALLOW_IPS"] = forwarded_allow_ips
    import asyncio
    import logging
    import secrets as _secrets

    from sekisho.gateway.server import GatewayConfig, serve
    from sekisho.gateway.workers import (
        default_processes,
        ensure_can_listen,
        supervisor_process,
    )
    from sekisho.policy import load_policy
    from sekisho.store import Database, Spool
    from sekisho.web.app import create_app
    from sekisho.web.security import hash_password, new_password

    logging.basicConfig(level=logging.WARNING)
    home.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{home / 'sekisho.db'}"
    database = Database(database_url)
    secret_file = home / "secret"
    if not secret_file.exists():
        secret_file.write_text(_secrets.token_urlsafe(32))
        secret_file.chmod(0o600)
    admin = "admin@city.example.lg.jp"
    if database.user(admin) is None:
        password = new_password()
        database.add_user(admin, hash_password(password), "admin", one_time=True)
        click.echo(f"管理者 admin: {admin}  一時パスワード one-time password: {password}")
    policy = load_policy(policy_path)
    smtp_host, _, smtp_port = smtp.rpartition(":")
    http_host, _, http_port = http.rpartition(":")
    config = GatewayConfig(
        listen_host=smtp_host or "127.0.0.1",
        listen_port=int(smtp_port),
        upstream=f"smtp:{upstream}" if upstream else f"maildir:{home / 'maildir'}",
        database_url=database_url,
        spool_dir=home / "spool",
        scheduler_interval=2.0,
        web_url=f"http://{http_host or '127.0.0.1'}:{http_port}",
        secret=secret_file.read_text().strip(),
        public_url=f"http://{public_listen}",
        blob_dir=home / "blobs",
    )
    app = create_app(
        database,
        Spool(home / "spool"),
        config.secret or "",
        policy,
        links=link_store(database, home / "blobs", config.secret or ""),
        public_url=config.public_url,
        journal=_journal(database, home / "blobs"),
        web_url=config.web_url or "",
        ldap_url=ldap_url,
    )
    for where in (smtp, http, public_listen):  # each in use: one line, exit 2
        host, _, port = where.rpartition(":")
        ensure_can_listen(host or "127.0.0.1", int(port))
    web_server = _server(app, http)
    processes = processes or default_processes()
    click.echo(
        f"Gateway  SMTP  {config.listen_host}:{config.listen_port} → {config.upstream}  "
        f"({processes} process{'es' if processes > 1 else ''})"
    )
    public_server = _public_server(database, home / "blobs", config.secret or "", public_listen)
    click.echo(f"Web UI   http://{http_host or '127.0.0.1'}:{http_port}/")
    click.echo(f"Links    http://{public_listen}/d/…  (the public listener)")
    click.echo("Try: .venv/bin/sekisho demo send")

    # One process: the gateway in this loop. Several: a supervisor process with its
    # workers (``sekisho gateway --processes``), watched from this loop.
    supervisor = supervisor_process(config, policy, processes) if processes > 1 else None

    async def watch() -> None:
        assert supervisor is not None
        while supervisor.is_alive():
            await asyncio.sleep(0.5)

    gateway_task = serve(config, policy) if supervisor is None else watch()
    try:
        asyncio.run(_serve_until_signal([web_server, public_server], gateway_task))
    finally:
        if supervisor is not None:
            supervisor.terminate()  # SIGTERM: the workers drain, then the supervisor ends
            supervisor.join(config.shutdown_grace + 10)
    click.echo("sekisho run: stopped")


def _server(app, listen: str):  # type: ignore[no-untyped-def]
    """A uvicorn server for ``app`` on ``HOST:PORT`` (quiet: Sekisho logs its own), that
    leaves signals to ``_serve_until_signal``."""
    import contextlib

    import uvicorn

    class Server(uvicorn.Server):
        # uvicorn's own handlers re-raise the signal once the server has stopped: the
        # process then dies of it before the rest (a second listener, the gateway's
        # workers) has shut down.
        @contextlib.contextmanager
        def capture_signals(self):  # type: ignore[no-untyped-def]
            yield

    host, _, port = listen.rpartition(":")
    return Server(
        uvicorn.Config(
            app,
            host=host or "127.0.0.1",
            port=int(port),
            log_level="warning",
            **_proxy_options(),
        )
    )


def _proxy_options() -> dict:  # type: ignore[type-arg]
    """Whose X-Forwarded-For and -Proto uvicorn believes: the reverse proxies named with
    ``--forwarded-allow-ips`` (in the environment, so worker processes read it too), else
    nobody — the client is the TCP peer, for the login throttle and the audit log alike."""
    import os

    allowed = os.environ.get("SEKISHO_FORWARDED_ALLOW_IPS", "").strip()
    return {"proxy_headers": bool(allowed), "forwarded_allow_ips": allowed or None}


async def _serve_until_signal(servers: list, other=None) -> None:  # type: ignore[no-untyped-def,type-arg]
    """Run uvicorn ``servers`` (and the coroutine ``other``) until SIGINT, SIGTERM or any
    of them ends; then each server is asked to exit and ``other`` is cancelled, and all
    are awaited: a clean exit, no traceback."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    if other is not None:
        tasks.append(asyncio.create_task(other))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait([*tasks, stopping], return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    for server in servers:
        server.should_exit = True
    if other is not None:
        tasks[-1].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def link_store(database, blobs: str | Path, secret: str):  # type: ignore[no-untyped-def]
    """The links of ``database`` with their sealed files where ``--blobs`` says."""
    from sekisho.store.blobs import link_files
    from sekisho.store.links import LinkStore
    from sekisho.store.sealed import BlobStore

    return LinkStore(database, BlobStore(link_files(database, blobs)), secret)


def _journal(database, blobs: str | Path):  # type: ignore[no-untyped-def]
    from sekisho.store.blobs import journal_files
    from sekisho.store.journal import Journal

    return Journal(database, journal_files(database, blobs))


def _public_server(database, blobs: str | Path, secret: str, listen: str):  # type: ignore[no-untyped-def]
    """The public listener (download links, deletion confirmations) on ``listen``."""
    from sekisho.web.public import create_public_app

    return _server(create_public_app(link_store(database, blobs, secret), secret), listen)


@cli.group()
def demo() -> None:
    """Demo mails."""


@demo.command("send")
@click.option("--smtp", default="127.0.0.1:10025", show_default=True)
def demo_send(smtp: str) -> None:
    """Push the incident's mail, the aggregate answer, a My Number mail and a memo through the gateway."""
    from sekisho.cli.demo import send

    host, _, port = smtp.rpartition(":")
    for title, code, reply in send(host or "127.0.0.1", int(port)):
        click.echo(f"{title}: {code} {reply}")


def main() -> None:
    """Entry point of the ``sekisho`` script; click turns usage errors into exit 2, and a
    setting that cannot work (a port in use, a database out of reach) is one line and
    exit 2 as well, not a traceback."""
    import errno

    from sqlalchemy.exc import OperationalError

    try:
        cli()
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        click.echo(f"Error: 待ち受けできません / cannot listen: {exc.strerror}", err=True)
        sys.exit(2)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        click.echo(
            f"Error: データベースに接続できません / cannot reach the database: {reason}", err=True
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
