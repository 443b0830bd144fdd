"""Wrong passwords sent at once each count towards the lockout: five concurrent failures
lock the account as five in a row do, so parallel guessing cannot outrun it.

The requests overlap deterministically, without sleeps: the test holds the sandbox's
write lock (through a stand-in that counts who waits for it) until every request has
checked the password and is waiting to record its failure, then lets them all through.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from types import TracebackType

import httpx
import pytest

from portwright_valant.sandbox.auth.accounts import account
from portwright_valant.sandbox.auth.login import LOCK_AFTER
from portwright_valant.testing import SandboxHandle, csrf_of


class CountedLock:
    """A lock that tells how many threads are waiting for it."""

    def __init__(self) -> None:
        self.inner = threading.Lock()
        self._changed = threading.Condition()
        self._waiting = 0

    def __enter__(self) -> None:
        with self._changed:
            self._waiting += 1
            self._changed.notify_all()
        self.inner.acquire()
        with self._changed:
            self._waiting -= 1

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.inner.release()

    def wait_for_waiters(self, count: int, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._waiting >= count, timeout)


@pytest.fixture
def portal(make_sandbox: Callable[..., SandboxHandle]) -> SandboxHandle:
    """A portal of its own: this test locks an account."""
    return make_sandbox(patients=0)


def test_concurrent_wrong_passwords_all_count_towards_the_lockout(
    portal: SandboxHandle,
) -> None:
    biller = account("biller")
    lock = CountedLock()
    portal.server.state.write_lock = lock  # type: ignore[assignment]
    with ExitStack() as stack:
        clients = [stack.enter_context(httpx.Client(base_url=portal.url, timeout=60))
                   for _ in range(LOCK_AFTER)]
        tokens = [csrf_of(c.get("/login").text) for c in clients]

        def guess(client: httpx.Client, token: str) -> httpx.Response:
            return client.post("/login", data={"username": biller.username,
                                               "password": "not-the-password",
                                               "csrf_token": token, "next": "/dashboard"})

        with ThreadPoolExecutor(LOCK_AFTER) as pool:
            with lock.inner:
                answers = [pool.submit(guess, c, t) for c, t in zip(clients, tokens,
                                                                    strict=True)]
                assert lock.wait_for_waiters(LOCK_AFTER, timeout=60), \
                    "the guesses never reached the point of recording their failure"
            statuses = sorted(a.result().status_code for a in answers)

        assert statuses == [401] * LOCK_AFTER
        locked_until = portal.scalar("SELECT locked_until FROM users WHERE username = ?",
                                     biller.username)
        assert locked_until is not None, "five wrong passwords left the account unlocked"
        right = clients[0].post("/login", data={
            "username": biller.username, "password": biller.password, "next": "/dashboard",
            "csrf_token": csrf_of(clients[0].get("/login").text)})
        assert right.status_code == 423
        assert re.search(r"Your account is locked", right.text)
