"""TOTP: fresh windows and never the same time step twice per account, across processes.

The clock is injected: waiting for the next window advances a fake clock instead of
sleeping, so these tests take milliseconds and are exact.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyotp
import pytest

from portwright.auth.mfa import TotpCodeSource, TotpLedger
from portwright.exceptions import MfaTimeout

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class FakeClock:
    """Wall time that only moves when someone sleeps on it."""

    def __init__(self, now: float) -> None:
        self.t = now
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


def _source(tmp_path: Path, clock: FakeClock, account: str = "admin") -> TotpCodeSource:
    return TotpCodeSource(
        SECRET, portal="valant", account=account, ledger=TotpLedger(tmp_path), clock=clock
    )


async def test_code_matches_an_independent_authenticator(tmp_path: Path) -> None:
    clock = FakeClock(1_800_000_010.0)  # 10 s into a window: plenty left
    code = await _source(tmp_path, clock).next_code(timeout_s=60)
    assert code == pyotp.TOTP(SECRET).at(1_800_000_010)
    assert clock.slept == []


async def test_waits_for_a_fresh_window_when_few_seconds_remain(tmp_path: Path) -> None:
    clock = FakeClock(1_800_000_027.5)  # 2.5 s left in the window starting at ...010
    code = await _source(tmp_path, clock).next_code(timeout_s=60)
    assert clock.t >= 1_800_000_030  # moved into the next window
    assert code == pyotp.TOTP(SECRET).at(1_800_000_030)
    assert code != pyotp.TOTP(SECRET).at(1_800_000_027)


async def test_second_code_in_same_window_waits_for_the_next_step(tmp_path: Path) -> None:
    clock = FakeClock(1_800_000_011.0)
    source = _source(tmp_path, clock)
    first = await source.next_code(timeout_s=60)
    second = await source.next_code(timeout_s=60)
    assert first != second
    assert second == pyotp.TOTP(SECRET).at(1_800_000_040)


async def test_steps_are_per_account(tmp_path: Path) -> None:
    clock = FakeClock(1_800_000_011.0)
    await _source(tmp_path, clock, "admin").next_code(timeout_s=60)
    other = await _source(tmp_path, clock, "scheduler").next_code(timeout_s=60)
    assert other == pyotp.TOTP(SECRET).at(1_800_000_011)
    assert clock.slept == []


async def test_used_step_is_remembered_by_another_process(tmp_path: Path) -> None:
    # Another process (a real one) claims the current step for the account ...
    script = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from portwright.auth.mfa import TotpCodeSource, TotpLedger\n"
        "class C:\n"
        "    def now(self): return 1_800_000_011.0\n"
        "    async def sleep(self, s): raise SystemExit('must not wait')\n"
        f"s = TotpCodeSource({SECRET!r}, portal='valant', account='admin',"
        " ledger=TotpLedger(Path(sys.argv[1])), clock=C())\n"
        "print(asyncio.run(s.next_code(60)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == pyotp.TOTP(SECRET).at(1_800_000_011)
    # ... so this process, in the same window, must wait for the next one.
    clock = FakeClock(1_800_000_012.0)
    code = await _source(tmp_path, clock).next_code(timeout_s=60)
    assert code == pyotp.TOTP(SECRET).at(1_800_000_040)


async def test_no_fresh_window_within_timeout(tmp_path: Path) -> None:
    clock = FakeClock(1_800_000_011.0)
    source = _source(tmp_path, clock)
    await source.next_code(timeout_s=60)
    with pytest.raises(MfaTimeout, match="no fresh TOTP window"):
        await source.next_code(timeout_s=3)
