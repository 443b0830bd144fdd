"""A long-lived engine swaps a session's page for a new one every ``page_recycle_runs``
runs (Chromium's renderer otherwise grows with every document the page showed), in the
same context: the login stays, the old page is closed, and nothing the session hung on
the old page follows it or piles up on the new one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from portwright.engine import Engine
from portwright.runner.session import Session
from portwright.settings import load_settings
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

pytestmark = pytest.mark.browser

COOKIE = "sid=clinic-7"
HOME = """<html><head><meta name="app-version" content="4.2"></head><body>
<table><tbody>{rows}</tbody></table></body></html>"""
ROWS = '<tr data-id="1"><td class="n">Ann</td></tr><tr data-id="2"><td class="n">Bo</td></tr>'

MAP = """portal: clinic
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
pages:
  home: {path: /home}
selectors:
  home.table: [{css: "table"}, {css: "body > table"}]
  home.row: {strategies: [{css: "tbody tr"}], all: true}
  home.row.name: {strategies: [{css: "td.n"}], scope: home.row}
"""

#: signs in only when the session's cookie is not accepted, as a portal login flow does
FLOW = """flow: clinic.names
outputs:
  names: {value: "rows | map(attribute='name') | list"}
steps:
  - {action: request, url: "{{ portal.base_url }}/api/me", expect_status: [200, 401],
     into: me}
  - action: if
    condition: "me.status != 200"
    then:
      - {action: request, method: POST, url: "{{ portal.base_url }}/login",
         form: {user: clinician}, mutates: false}
  - {action: goto, url: "{{ portal.base_url }}/home"}
  - {action: wait_for, target: home.table}
  - {action: extract, into: rows, rows: home.row, fields: {name: home.row.name}}
"""


def signed_in(req: PageRequest) -> bool:
    return req.cookies.get("sid") == COOKIE.split("=", 1)[1]


def home(req: PageRequest) -> Reply:
    return Reply(HOME.format(rows=ROWS if signed_in(req) else ""))


def me(req: PageRequest) -> Reply:
    return Reply.json({}, 200 if signed_in(req) else 401)


def login(req: PageRequest) -> Reply:
    return Reply("{}", content_type="application/json",
                 headers={"Set-Cookie": f"{COOKIE}; Path=/"})


@pytest.fixture
def clinic() -> Iterator[PagesServer]:
    with PagesServer({"/home": home, "/api/me": me, "/login": login}) as server:
        yield server


def workspace(root: Path, settings: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "portwright.toml").write_text('artifacts = "out/artifacts"\n' + settings)
    (root / "selectors" / "clinic").mkdir(parents=True)
    (root / "selectors" / "clinic" / "4.0.yaml").write_text(MAP)
    (root / "flows" / "clinic").mkdir(parents=True)
    (root / "flows" / "clinic" / "names.yaml").write_text(FLOW)
    return root


def listening(page: Page, event: str) -> int:
    """How many handlers the engine put on ``page`` for ``event`` (Playwright keeps
    them on the page's implementation object)."""
    return len(page._impl_obj.listeners(event))


def logins(server: PagesServer) -> int:
    return sum(1 for r in server.requests if r.method == "POST" and r.path == "/login")


async def pages_seen(engine: Engine, runs: int) -> list[Page]:
    """The session's page after each of ``runs`` runs (each must read the signed-in
    home page)."""
    seen = []
    for _ in range(runs):
        result = await engine.run("clinic.names")
        assert result.outputs["names"] == ["Ann", "Bo"]
        seen.append((await engine.session("clinic")).page)
    return seen


async def test_after_the_set_runs_the_page_is_new_and_the_login_is_kept(
        browser: Browser, tmp_path: Path, clinic: PagesServer) -> None:
    ws = workspace(tmp_path, "page_recycle_runs = 3\n")
    async with Engine(load_settings(ws), browser=browser,
                      portal_urls={"clinic": clinic.url}) as engine:
        seen = await pages_seen(engine, 7)
        session = await engine.session("clinic")
        # runs 1-3 on the first page, 4-6 on a second, 7 on a third
        assert [seen.index(p) for p in seen] == [0, 0, 0, 3, 3, 3, 6]
        assert seen[0].is_closed() and seen[3].is_closed()
        assert session.context.pages == [seen[6]]
        assert logins(clinic) == 1    # the context's cookie signed every later run in


async def test_zero_keeps_one_page_for_every_run(
        browser: Browser, tmp_path: Path, clinic: PagesServer) -> None:
    ws = workspace(tmp_path, "page_recycle_runs = 0\n")
    async with Engine(load_settings(ws), browser=browser,
                      portal_urls={"clinic": clinic.url}) as engine:
        seen = await pages_seen(engine, 5)
        assert all(p is seen[0] for p in seen)
        assert not seen[0].is_closed()


async def test_listeners_follow_the_page_instead_of_piling_up(
        browser: Browser, tmp_path: Path, clinic: PagesServer) -> None:
    """What the session watches on its page (documents for resolution memory; with
    tracing, the method of each document's request) is on the current page only, once."""
    ws = workspace(tmp_path, "page_recycle_runs = 2\n")
    async with Engine(load_settings(ws), browser=browser, trace="on",
                      portal_urls={"clinic": clinic.url}) as engine:
        seen = await pages_seen(engine, 2)
        first = {event: listening(seen[0], event)
                 for event in ("framenavigated", "request")}
        assert first == {"framenavigated": 1, "request": 1}
        seen += await pages_seen(engine, 5)
        current = seen[-1]
        assert current is not seen[0]
        assert {event: listening(current, event)
                for event in ("framenavigated", "request")} == first
        assert all(not listening(p, "framenavigated") for p in seen if p is not current)


async def test_resolution_memory_does_not_take_the_new_page_for_an_old_document(
        browser: Browser, tmp_path: Path, clinic: PagesServer) -> None:
    """Answers learnt on the old page's document are not "from the current document" on
    the new page, even once it made as many navigations as the old one had."""
    ws = workspace(tmp_path, "page_recycle_runs = 1\n")
    async with Engine(load_settings(ws), browser=browser,
                      portal_urls={"clinic": clinic.url}) as engine:
        await pages_seen(engine, 1)
        session: Session = await engine.session("clinic")
        learnt = list(session.memory._known)
        assert learnt and all(session.memory.recall(k)[1] for k in learnt)  # type: ignore[index]
        await pages_seen(engine, 1)    # a new page, as many navigations as the first
        assert (await engine.session("clinic")).page is not None
        same = [session.memory.recall(k) for k in learnt]
        assert all(found is not None and not found[1] for found in same)


def test_the_setting_defaults_to_100_and_takes_the_environment_over_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTWRIGHT_PAGE_RECYCLE_RUNS", raising=False)
    assert load_settings(workspace(tmp_path / "a")).page_recycle_runs == 100
    ws = workspace(tmp_path / "b", "page_recycle_runs = 0\n")
    assert load_settings(ws).page_recycle_runs == 0
    monkeypatch.setenv("PORTWRIGHT_PAGE_RECYCLE_RUNS", "25")
    assert load_settings(ws).page_recycle_runs == 25
