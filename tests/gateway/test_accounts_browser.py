"""Issue 16's browser test on ``sekisho run`` (gateway and web as the user starts them) and
Debian's chromium: the first admin signs in with the one-time password ``run`` printed,
is made to change it, enrols the second factor from the QR code (read back here), and
approves a held roster with it; a sender given a one-time password reaches no page
before changing it."""

from __future__ import annotations

import io
import re
import signal
import smtplib
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pyotp
import pytest
import zxingcpp
from PIL import Image

from sekisho.store import Database
from tests.cli.test_run import _listening
from tests.conftest import require
from tests.extract.builders import eml_bytes
from tests.factories import csv_bytes, roster_rows
from tests.gateway.conftest import free_port
from tests.gateway.test_workers import wait_until
from tests.web.test_browser import _playwright_available

pytestmark = pytest.mark.integration

ADMIN = "admin@city.example.lg.jp"
CLERK = "clerk@city.example.lg.jp"
NEW = "quiet river under the old bridge"


def test_first_admin_changes_the_password_enrols_and_approves_with_a_code(
    tmp_path: Path,
    page,  # type: ignore[no-untyped-def]
) -> None:
    require(_playwright_available(), "chromium (apt-get install chromium) and playwright")
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        resources.files("sekisho.policy").joinpath("default.yaml").read_text(encoding="utf-8")
        + "second_factor: [approver, admin]\n",
        encoding="utf-8",
    )
    smtp, http, public = free_port(), free_port(), free_port()
    out = (tmp_path / "run.out").open("w+")
    sekisho = Path(sys.executable).with_name("sekisho")
    process = subprocess.Popen(
        [str(sekisho), "run", "--home", str(tmp_path / "var"), "--smtp", f"127.0.0.1:{smtp}",
         "--http", f"127.0.0.1:{http}", "--public", f"127.0.0.1:{public}", "--processes", "1",
         "--policy", str(policy)],
        stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path,
    )  # fmt: skip
    try:
        wait_until(lambda: _listening(smtp) and _listening(http), 60)
        out.flush()
        printed = (tmp_path / "run.out").read_text()
        one_time = re.search(r"one-time password: (\S+)", printed).group(1)  # type: ignore[union-attr]
        rows = [[name, phone] for name, _number, phone in roster_rows(150)]
        roster = eml_bytes("名簿です", {"名簿.csv": csv_bytes(rows, "cp932")})
        with smtplib.SMTP("127.0.0.1", smtp, timeout=30) as client:
            client.sendmail(CLERK, ["centre@care.example.jp"], roster.replace(b"\n", b"\r\n"))
        database = Database(f"sqlite:///{tmp_path / 'var' / 'sekisho.db'}")
        wait_until(lambda: len(database.messages("held")) == 1, 60)
        (held,) = database.messages("held")
        web = f"http://127.0.0.1:{http}"

        page.goto(f"{web}/login")
        page.fill("input[name=username]", ADMIN)
        page.fill("input[name=password]", one_time)
        page.click("button[type=submit]")
        assert page.url.endswith("/password") and page.is_visible("#must-change")
        page.goto(f"{web}/queue")
        assert page.url.endswith("/password")  # nothing else until it is changed
        page.fill("input[name=current]", one_time)
        page.fill("input[name=new]", NEW)
        page.fill("input[name=repeat]", NEW)
        page.click("#change-password")
        assert page.is_visible("#done")

        page.goto(f"{web}/queue")
        assert page.url.endswith("/totp")  # the policy asks admins for a second factor
        png = page.request.get(f"{web}/totp/qr.png").body()
        (uri,) = {b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))}
        secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)  # type: ignore[union-attr]
        page.fill("#code", pyotp.TOTP(secret).now())
        page.click("#confirm-totp")
        assert len(page.query_selector_all("#recovery-codes li")) == 10

        page.goto(f"{web}/messages/{held.sekisho_id}")
        page.fill("textarea[name=comment]", "委託先への送付を確認しました")
        page.click("button:has-text('承認する')")
        wait_until(lambda: database.get(held.sekisho_id).state != "held", 30)  # type: ignore[union-attr]
        assert database.get(held.sekisho_id).decided_by == ADMIN  # type: ignore[union-attr]

        # A later session of the admin is asked for the code before the queue.
        page.context.clear_cookies()
        page.goto(f"{web}/login")
        page.fill("input[name=username]", ADMIN)
        page.fill("input[name=password]", NEW)
        page.click("button[type=submit]")
        assert page.url.endswith("/login/code")
        page.fill("#code", pyotp.TOTP(secret).now())
        page.click("#send-code")
        assert page.url.endswith("/queue")

        # A sender with a one-time password from the command line: no page before the change.
        added = subprocess.run(
            [str(sekisho), "user", "add", CLERK, "--role", "sender",
             "--db", f"sqlite:///{tmp_path / 'var' / 'sekisho.db'}"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        clerk_password = re.search(r"one-time password: (\S+)", added.stdout).group(1)  # type: ignore[union-attr]
        page.context.clear_cookies()
        page.goto(f"{web}/login")
        page.fill("input[name=username]", CLERK)
        page.fill("input[name=password]", clerk_password)
        page.click("button[type=submit]")
        for path in ("/mine", "/sessions", f"/messages/{held.sekisho_id}", "/audit"):
            page.goto(f"{web}{path}")
            assert page.url.endswith("/password"), path
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        out.flush()
        assert "Traceback" not in (tmp_path / "run.out").read_text()
