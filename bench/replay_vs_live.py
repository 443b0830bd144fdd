"""Replaying a flow from its recording vs running it live against the Valant sandbox.

For each committed recording of a few flows, the same flow runs live against a fresh
sandbox of the recording's UI version (same browser, a fresh context and state per run,
exactly as a replay starts) and then offline from the recording; medians of a few runs
are compared. Then the whole replay suite (every committed recording) is timed.

The sandbox answers on loopback in a few milliseconds, far faster than a real portal; so
the comparison is made twice: against the plain sandbox, and against the sandbox with
the network latency of a hosted portal (``--latency``, default 150 ms ±50 per request,
through the sandbox's own fault injection).

    .venv/bin/python bench/replay_vs_live.py [--runs 3] [--latency 150ms±50] [--scenario sms]

Prints one line per flow and setting (live ms, replay ms, speed-up) and the suite total.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from portwright.browser import launch
from portwright.recording.layout import RecordingPaths, iter_recordings
from portwright.recording.replayer import replay_many, replay_recording
from portwright.runner.engine import Engine
from portwright.settings import load_settings
from portwright.testing.services.dovecot import DovecotServer
from portwright_valant.recorded_scenarios import SCENARIOS
from portwright_valant.sandbox.auth.accounts import mailboxes
from portwright_valant.sandbox.auth.user_secrets import SECRET_PREFIX, user_secrets
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.server import SandboxServer

#: (flow, scenario) of committed recordings; each logs in as its scenario's account
CASES = [("valant.login", "totp"), ("valant.login", "sms"), ("valant.login", "email"),
         ("valant.login", "password"), ("valant.patients.list", "discharged-one-provider"),
         ("valant.appointments.create", "validation-error"),
         ("valant.appointments.list", "one-provider-fortnight"),
         ("valant.remittances.download_835", "one-remittance")]
ACCOUNTS = {(s.flow, s.name): s.account for s in SCENARIOS}


def use_account(username: str, sandbox: SandboxServer, mail: DovecotServer) -> None:
    """Export what a user of ``username`` would (hiding every other account's secrets)."""
    for key in [k for k in os.environ if k.startswith(SECRET_PREFIX)]:
        del os.environ[key]
    secrets = user_secrets(username, sandbox.url, sandbox.config, mail)
    os.environ.update({SECRET_PREFIX + k: v for k, v in secrets.items()})


async def live_ms(browser: Browser, paths: RecordingPaths, url: str, inputs: dict[str, object]
                  ) -> float:
    """One live run on a fresh context and state folder (the login included)."""
    from portwright.exceptions import PortalValidationError

    work = Path(tempfile.mkdtemp(prefix="bench-live-"))
    settings = load_settings().model_copy(update={"state": work / "state",
                                                  "artifacts": work / "artifacts"})
    engine = Engine(settings, browser=browser, trace="off", portal_urls={"valant": url})
    started = time.perf_counter()
    try:
        await engine.run(paths.flow, inputs, portal_url=url)
    except PortalValidationError:
        pass  # the validation-error scenario ends that way live too
    finally:
        elapsed = (time.perf_counter() - started) * 1000
        await engine.close()
        shutil.rmtree(work, ignore_errors=True)
    return elapsed


async def main(runs: int, latency: str, scenarios: set[str]) -> None:
    # a throwaway Dovecot for the emailed codes of live runs, stopped however it ends
    with DovecotServer(mailboxes(SandboxConfig())) as mail:
        await measure(runs, latency, mail, scenarios)


async def measure(runs: int, latency: str, mail: DovecotServer, scenarios: set[str]) -> None:
    settings = load_settings()
    recordings = list(iter_recordings(settings.path("recordings"), "valant"))
    async with async_playwright() as pw:
        browser = await launch(pw)
        ratios: dict[str, list[float]] = {"loopback": [], f"latency {latency}": []}
        settings_list = [("loopback", ""), (f"latency {latency}", f"latency={latency}")]
        for (label, faults), ui in [(s, u) for s in settings_list for u in ("2025.4", "2026.1")]:
            config = SandboxConfig(ui_version=ui, faults=faults, lmtp_host=mail.host,
                                   lmtp_port=mail.lmtp_port)
            with SandboxServer(config) as sandbox:
                for flow, scenario in CASES:
                    if scenarios and scenario not in scenarios:
                        continue
                    if faults and scenario == "totp":
                        continue  # live TOTP is bound by the 30 s code window either way
                    paths = next(p for p in recordings if p.flow == flow
                                 and p.scenario == scenario and p.ui_version == ui)
                    use_account(ACCOUNTS[flow, scenario], sandbox, mail)
                    # the live run uses the real inputs of the scenario (ids are not PHI)
                    inputs = paths.load_meta().inputs
                    await live_ms(browser, paths, sandbox.url, inputs)  # warm-up
                    live = [await live_ms(browser, paths, sandbox.url, inputs)
                            for _ in range(runs)]
                    await replay_recording(paths, settings=settings, browser=browser)
                    replay = []
                    for _ in range(runs):
                        outcome = await replay_recording(paths, settings=settings,
                                                         browser=browser)
                        assert outcome.matches, f"{paths.folder} does not replay to golden"
                        replay.append(outcome.ms)
                    lm, rm = statistics.median(live), statistics.median(replay)
                    ratios[label].append(lm / rm)
                    print(f"{label:18} {flow:27} {ui} {scenario:24} live {lm:7.0f} ms   "
                          f"replay {rm:7.0f} ms   x{lm / rm:4.1f}")
        for label, values in ratios.items():
            print(f"median speed-up of replay over live ({label}): "
                  f"x{statistics.median(values):.1f} (target x5)")
        started = time.perf_counter()
        for paths in recordings:
            outcome = await replay_recording(paths, settings=settings, browser=browser)
            assert outcome.matches, f"{paths.folder} does not replay to golden"
        total = time.perf_counter() - started
        print(f"whole replay suite, one at a time: {len(recordings)} recordings in "
              f"{total:.1f} s ({total / len(recordings) * 1000:.0f} ms each)")
        started = time.perf_counter()
        outcomes = await replay_many(recordings, settings=settings, browser=browser)
        total = time.perf_counter() - started
        assert all(getattr(o, "matches", False) for o in outcomes.values())
        print(f"whole replay suite, 4 at a time (as the standard suite runs it): "
              f"{len(recordings)} recordings in {total:.1f} s")
        await browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", default="150ms±50")
    parser.add_argument("--scenario", action="append", default=[],
                        help="only these scenarios (repeatable; default: all cases)")
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.latency, set(args.scenario)))
