"""Record Valant's emailed-code login (``valant.login``, scenario ``email``) in both UI versions.

Emailed codes need a real mailbox: this script runs a throwaway Dovecot (IMAP + LMTP) in a
temporary folder, starts one sandbox per UI version (default seed 7, 200 patients, like
every committed recording) that delivers its codes to that Dovecot over LMTP, and records
the login of the ``scheduler`` account, whose second factor is an emailed code read over
IMAP. The recording is scrubbed and audited by the recorder before it lands in
``recordings/valant/login/<ui>/email/``; replay never touches IMAP.

    .venv/bin/python scripts/record_valant_email.py [--ui-version 2026.1] [--record-mode all]

Why a script and not a one-liner: the IMAP host and port are only known once Dovecot is up,
and Dovecot and both sandboxes must be stopped however the recording ends.

Secrets go to the recorder as ``PORTWRIGHT_SECRET_VALANT_*`` variables of this process only;
any other ``PORTWRIGHT_SECRET_VALANT_*`` is hidden while recording (a TOTP seed in the
environment would make ``method: auto`` pick TOTP instead of email). The credential store
is read from an empty temporary state folder, so the workspace's stored secrets cannot
interfere either.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from portwright.exceptions import PortwrightError
from portwright.recording.record_mode import validate_record_mode
from portwright.recording.recorder import record_flow
from portwright.settings import load_settings
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.sandbox.auth.accounts import MAILBOX_PASSWORD, account, mailboxes
from portwright_valant.sandbox.config import UI_VERSIONS, SandboxConfig
from portwright_valant.sandbox.server import SandboxServer

FLOW = "valant.login"
SCENARIO = "email"
ACCOUNT = "scheduler"  # the seeded account whose second factor is an emailed code
SECRET_PREFIX = "PORTWRIGHT_SECRET_VALANT_"
REPO = Path(__file__).resolve().parent.parent


def scheduler_secrets(mail: DovecotServer, config: SandboxConfig) -> dict[str, str]:
    """What a user would export for the scheduler: password login + IMAP mailbox."""
    scheduler = account(ACCOUNT)
    return {
        "USERNAME": scheduler.username,
        "PASSWORD": scheduler.password or "",
        "IMAP_HOST": mail.host,
        "IMAP_PORT": str(mail.imap_port),
        "IMAP_TLS": "false",
        "IMAP_USER": scheduler.email(config.mail_domain),
        "IMAP_PASSWORD": MAILBOX_PASSWORD,
    }


@contextlib.contextmanager
def only_these_secrets(secrets: Mapping[str, str]) -> Iterator[None]:
    """Set ``PORTWRIGHT_SECRET_VALANT_<NAME>`` for the block, hiding every other one."""
    saved = {k: v for k, v in os.environ.items() if k.startswith(SECRET_PREFIX)}
    for key in saved:
        del os.environ[key]
    os.environ.update({SECRET_PREFIX + name: value for name, value in secrets.items()})
    try:
        yield
    finally:
        for name in secrets:
            os.environ.pop(SECRET_PREFIX + name, None)
        os.environ.update(saved)


async def record_one(ui_version: str, mail: DovecotServer, record_mode: str,
                     state: Path) -> Path:
    """Start a sandbox in ``ui_version`` wired to ``mail``, record, stop the sandbox."""
    config = SandboxConfig(ui_version=ui_version, lmtp_host=mail.host, lmtp_port=mail.lmtp_port)
    with SandboxServer(config) as sandbox:
        settings = load_settings(REPO, state=state)
        with only_these_secrets(scheduler_secrets(mail, config)):
            outcome = await record_flow(FLOW, portal_url=sandbox.url, scenario=SCENARIO,
                                        mode=record_mode, settings=settings)
    if outcome.paths.ui_version != ui_version:
        raise SystemExit(f"a {ui_version} sandbox was detected as {outcome.paths.ui_version}")
    verb = "recorded" if outcome.recorded else "kept existing recording (mode once)"
    print(f"{verb}: {outcome.paths.folder.relative_to(REPO)}")
    return outcome.paths.folder


async def record_all(ui_versions: list[str], record_mode: str) -> None:
    with tempfile.TemporaryDirectory(prefix="record-valant-email-") as work, \
            DovecotServer(mailboxes(SandboxConfig())) as mail:
        for ui_version in ui_versions:
            await record_one(ui_version, mail, record_mode, Path(work) / ui_version / "state")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ui-version", action="append", choices=UI_VERSIONS,
                        help="record only this UI version (repeatable; default: all)")
    parser.add_argument("--record-mode", default="all",
                        help="once | new_episodes | all (default: all)")
    args = parser.parse_args(argv)
    try:
        mode = validate_record_mode(args.record_mode).value  # before anything is started
        asyncio.run(record_all(args.ui_version or list(UI_VERSIONS), mode))
    except PortwrightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
