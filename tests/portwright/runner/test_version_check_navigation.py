"""A version check that reads the page in the middle of a navigation (the new document
committed, its ``<head>`` not arrived yet) waits for the document instead of reporting
"no map matches the page" on a page that, once loaded, is a known version.

The toy portal serves ``/slow`` over real HTTP in two parts: the start of the document,
then (when the test releases it) the rest, with the meta tag the map's detect rule reads."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings

pytestmark = pytest.mark.browser

HEAD = "<html><head><title>Clinic</title>"
REST = ('<meta name="app-version" content="4.2"></head><body><h1>Clinic</h1>'
        '<button id="hello">Hello</button></body></html>')

HOME = """flow: toy.home
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: assert, check: visible, target: home.hello}
"""

# the goto returns once the new document is committed: the check reads it while loading
SLOW = """flow: toy.slow
steps:
  - {action: goto, url: "{{ portal.base_url }}/slow", wait_until: commit}
  - {action: assert, check: visible, target: home.hello}
"""


class SlowPortal:
    """``/`` at once; ``/slow`` sends its first part, then the rest once ``release``d."""

    def __init__(self) -> None:
        self.head_sent = threading.Event()
        self.release = threading.Event()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                slow = self.path.startswith("/slow")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(HEAD.encode())
                self.wfile.flush()
                if slow:
                    portal.head_sent.set()
                    portal.release.wait(30)
                self.wfile.write(REST.encode())
                self.wfile.flush()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_portal() -> Iterator[SlowPortal]:
    portal = SlowPortal()
    yield portal
    portal.close()


async def test_a_check_during_a_navigation_waits_for_the_document(
        browser: Browser, ws: Path, tmp_path: Path, slow_portal: SlowPortal) -> None:
    engine = Engine(load_settings(ws, artifacts=tmp_path / "artifacts"), browser=browser,
                    trace="off")
    try:
        # the session confirms the version: the next run checks it alongside its action
        first = await engine.run(load_flow_text(HOME, "home.yaml"),
                                 portal_url=slow_portal.url)
        assert first.portal_version == "4.0"
        run = asyncio.ensure_future(engine.run(load_flow_text(SLOW, "slow.yaml"),
                                               portal_url=slow_portal.url))
        assert await asyncio.to_thread(slow_portal.head_sent.wait, 30)
        # the page is now half-loaded (no meta tag yet); give the check the chance to
        # read it before the rest arrives. The run must still be going: it cannot
        # conclude anything about a page still loading
        await asyncio.wait({run}, timeout=1.0)
        still_loading = not run.done()
        slow_portal.release.set()
        second = await run
        assert still_loading
        assert second.portal_version == "4.0"
        assert [s.status for s in second.steps] == ["ok", "ok"]
    finally:
        await engine.close()
