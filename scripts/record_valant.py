"""Record the committed Valant scenarios again, in every UI version, with one command.

For each UI version this starts a sandbox (default seed 7, 200 patients, like every
committed recording) and records each scenario of ``portwright_valant.recorded_scenarios``
as its account, with exactly the secrets a user of that account would export (password;
TOTP seed, Twilio account and number, IMAP mailbox or the identity provider's login).
Emailed codes need a real mailbox, so when an emailed-code scenario is chosen a throwaway
Dovecot (IMAP + LMTP) runs too and the sandboxes deliver their codes to it. Everything
started is stopped however the run ends. Each recording is scrubbed and audited by the
recorder before it lands in the recordings folder.

    .venv/bin/python scripts/record_valant.py [--only valant.login/email] [--ui-version 2026.1]
        [--record-mode new_episodes|once|all] [--recordings DIR]

The default mode, ``new_episodes``, records what is missing or stale (its flow's version
changed, its map version is gone) and keeps every current recording after one look at the
login page: so after a flow change this re-records just what the change made stale.
Exit status 1 if any scenario failed (the others are still recorded).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from portwright.exceptions import PortwrightError
from portwright.recording.record_mode import validate_record_mode
from portwright.recording.recorder import record_flow
from portwright.settings import load_settings
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.recorded_scenarios import SCENARIOS, RecordedScenario
from portwright_valant.sandbox.auth.accounts import account, mailboxes
from portwright_valant.sandbox.auth.user_secrets import exported, user_secrets
from portwright_valant.sandbox.config import UI_VERSIONS, SandboxConfig
from portwright_valant.sandbox.server import SandboxServer

REPO = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def _mailbox(needed: bool) -> Iterator[DovecotServer | None]:
    if not needed:
        yield None
        return
    with DovecotServer(mailboxes(SandboxConfig())) as mail:
        yield mail


async def record_version(ui_version: str, chosen: list[RecordedScenario], mode: str,
                         recordings: Path | None, mail: DovecotServer | None,
                         work: Path) -> int:
    """Record ``chosen`` against a fresh sandbox of ``ui_version``; the number that failed."""
    config = SandboxConfig(ui_version=ui_version, lmtp_host=mail.host if mail else None,
                           lmtp_port=mail.lmtp_port if mail else None)
    failed = 0
    with SandboxServer(config) as sandbox:
        for scenario in chosen:
            # an empty credential store per scenario: only the exported secrets count
            state = work / ui_version / scenario.flow / scenario.name
            settings = load_settings(REPO, state=state, recordings=recordings)  # None: not given
            label = f"{scenario.key} {ui_version}"
            try:
                with exported(user_secrets(scenario.account, sandbox.url, config, mail)):
                    outcome = await record_flow(
                        scenario.flow, portal_url=sandbox.url, scenario=scenario.name,
                        inputs=scenario.inputs(datetime.now(UTC).date()), mode=mode,
                        settings=settings)
            except PortwrightError as exc:
                failed += 1
                print(f"FAIL {label}: {exc}", file=sys.stderr)
                continue
            if outcome.paths.ui_version != ui_version:
                failed += 1
                print(f"FAIL {label}: the sandbox was detected as {outcome.paths.ui_version}",
                      file=sys.stderr)
                continue
            verb = "recorded" if outcome.recorded else "kept    "
            print(f"{verb} {label}: {outcome.paths.folder}")
    return failed


async def record_all(ui_versions: list[str], chosen: list[RecordedScenario], mode: str,
                     recordings: Path | None) -> int:
    needs_mail = any(account(s.account).mfa == "email" for s in chosen)
    with tempfile.TemporaryDirectory(prefix="record-valant-") as work, \
            _mailbox(needs_mail) as mail:
        failed = 0
        for ui_version in ui_versions:
            failed += await record_version(ui_version, chosen, mode, recordings, mail,
                                           Path(work))
        return failed


def choose(only: list[str]) -> list[RecordedScenario]:
    """The scenarios named by ``--only`` (a flow, or flow/scenario); all without it."""
    if not only:
        return list(SCENARIOS)
    chosen = [s for s in SCENARIOS if s.key in only or s.flow in only]
    unknown = [o for o in only if not any(o in (s.key, s.flow) for s in SCENARIOS)]
    if unknown:
        known = ", ".join(s.key for s in SCENARIOS)
        raise SystemExit(f"error: no committed scenario {', '.join(unknown)} (known: {known})")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[],
                        help="a flow or flow/scenario (repeatable; default: all)")
    parser.add_argument("--ui-version", action="append", choices=UI_VERSIONS,
                        help="record only this UI version (repeatable; default: all)")
    parser.add_argument("--record-mode", default="new_episodes",
                        help="once | new_episodes | all (default: new_episodes)")
    parser.add_argument("--recordings", type=Path, default=None,
                        help="the recordings folder (default: the workspace's)")
    args = parser.parse_args(argv)
    try:
        mode = validate_record_mode(args.record_mode).value  # before anything is started
    except PortwrightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if mode == "none":
        print("error: record mode 'none' never records", file=sys.stderr)
        return 1
    chosen = choose(args.only)
    failed = asyncio.run(record_all(args.ui_version or list(UI_VERSIONS), chosen, mode,
                                    args.recordings))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
