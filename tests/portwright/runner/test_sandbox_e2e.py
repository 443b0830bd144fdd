"""Done-when for the engine: flows written only in YAML log into the sandbox portal,
extract and submit, in BOTH UI versions with the same flow files — only the selector map
differs. Results are compared with the sandbox's own database."""

from __future__ import annotations

import zipfile
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import FlowAssertionFailed
from portwright.settings import load_settings
from portwright.templating import EnvSecretResolver
from portwright_valant.testing import DEV_ACCOUNT

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
USER, PASSWORD = DEV_ACCOUNT
WRONG_PASSWORD = "Planted-Wrong-Pass-93417"


def secrets(password: str) -> EnvSecretResolver:
    return EnvSecretResolver({"PORTWRIGHT_SECRET_VALANT_USERNAME": USER,
                              "PORTWRIGHT_SECRET_VALANT_PASSWORD": password})


@pytest.fixture(params=["2025.4", "2026.1"])
def portal(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(f"sandbox_{request.param[:4]}")


@pytest_asyncio.fixture(loop_scope="session")
async def engine(browser: Browser, portal: Any, tmp_path: Path) -> AsyncIterator[Engine]:
    settings = load_settings(ROOT, artifacts=tmp_path / "artifacts")
    eng = Engine(settings, browser=browser, secrets=secrets(PASSWORD),
                 portal_urls={"valant": portal.url})
    yield eng
    await eng.close()


async def test_list_tasks_matches_the_database(engine: Engine, portal: Any) -> None:
    result = await engine.run("valant.demo.tasks")
    truth = [{"task_id": r["id"], "title": r["title"]}
             for r in portal.query("SELECT id, title FROM tasks ORDER BY due_date, id")]
    assert result.outputs["tasks"] == truth
    version = portal.config.ui_version
    assert (result.portal_version, result.selector_map_version) == (version, version)
    assert result.selector_map_chain[-1] == "2025.4"
    assert result.flow_version == 1
    assert {r.outcome for r in result.resolutions} <= {"primary", "absent"}


async def test_add_task_submits_once_and_reads_back_its_id(engine: Engine, portal: Any
                                                          ) -> None:
    title = f"Call back about intake ({portal.config.ui_version})"
    result = await engine.run("valant.demo.add_task", {
        "title": title, "due": "2031-01-15", "priority": "high"})
    rows = portal.query("SELECT id, due_date, priority, status, assignee_id FROM tasks "
                        "WHERE title = ?", title)
    assert len(rows) == 1
    row = rows[0]
    assert (row["due_date"], row["priority"], row["status"], row["assignee_id"]) == \
        (date(2031, 1, 15).isoformat(), "high", "open", None)
    assert result.outputs == {"task_id": row["id"]}


async def test_the_session_is_reused_between_runs(engine: Engine) -> None:
    await engine.run("valant.demo.tasks", {"status": "open"})
    session = await engine.session("valant")
    again = await engine.run("valant.demo.tasks", {"status": "open"})
    assert await engine.session("valant") is session
    assert "fill" not in [s.action for s in again.steps]   # no second login


async def test_refused_login_names_artifacts_that_hold_no_password(
        browser: Browser, portal: Any, tmp_path: Path) -> None:
    # full artifacts (the DOM trace too): even those must hold no password
    settings = load_settings(ROOT, artifacts=tmp_path / "artifacts", step_timeout_ms=5000,
                             artifact_privacy="full")
    async with Engine(settings, browser=browser, secrets=secrets(WRONG_PASSWORD),
                      portal_urls={"valant": portal.url}) as eng:
        with pytest.raises(FlowAssertionFailed, match="refused the username or password") \
                as info:
            await eng.run("valant.login_password")
    err = info.value
    names = {p.name for p in err.artifacts}
    assert {"failure.png", "steps.jsonl"} <= names
    assert any(n.startswith("trace") for n in names)
    assert WRONG_PASSWORD not in str(err)
    for path in err.artifacts:
        assert str(path) in str(err)
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                for member in z.namelist():
                    assert WRONG_PASSWORD.encode() not in z.read(member), member
        else:
            assert WRONG_PASSWORD.encode() not in path.read_bytes()


async def test_a_kept_trace_of_a_good_login_holds_no_password(
        browser: Browser, portal: Any, tmp_path: Path) -> None:
    settings = load_settings(ROOT, artifacts=tmp_path / "artifacts")
    async with Engine(settings, browser=browser, secrets=secrets(PASSWORD), trace="on",
                      portal_urls={"valant": portal.url}) as eng:
        result = await eng.run("valant.demo.tasks", {"status": "done"})
    zips = [p for p in result.artifacts if p.suffix == ".zip"]
    assert zips
    for path in zips:
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                data = z.read(member)
                assert PASSWORD.encode() not in data and quote(PASSWORD).encode() not in data
