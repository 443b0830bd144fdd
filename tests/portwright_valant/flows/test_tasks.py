"""Tasks (2026.1: to-dos): the filtered list and the idempotent create, in both UI
versions, checked against the sandbox database with plain SQL."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.async_api import Browser

from portwright.engine import Engine
from portwright.exceptions import PortalValidationError
from portwright.settings import load_settings
from portwright_valant.testing import dev_secrets

if TYPE_CHECKING:
    from conftest import Portal

pytestmark = pytest.mark.browser

DUE = date(2027, 3, 15)


def expected(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "taskId": row["id"], "title": row["title"], "description": None,
        "patientId": row["patient_id"], "assigneeId": row["assignee_id"],
        "dueDate": row["due_date"], "priority": row["priority"], "status": row["status"],
        "createdAt": row["created_at"], "completedAt": None}


async def test_open_tasks_of_one_assignee_with_every_field(portal: Portal) -> None:
    assignee = portal.query(
        "SELECT assignee_id FROM tasks WHERE status = 'open' GROUP BY assignee_id "
        "ORDER BY count(*) DESC, assignee_id LIMIT 1")[0][0]
    rows = portal.query("SELECT * FROM tasks WHERE status = 'open' AND assignee_id = ?",
                        assignee)
    assert len(rows) > 1
    result = await portal.run("valant.tasks.list", {"assignee_id": assignee})
    got = {t.task_id: t.to_json_dict() for t in result.outputs["Task"]}
    assert got == {r["id"]: expected(r) for r in rows}


async def test_every_task_about_one_patient_by_mrn(portal: Portal) -> None:
    patient, mrn = portal.query(
        "SELECT t.patient_id, p.mrn FROM tasks t JOIN patients p ON p.id = t.patient_id "
        "GROUP BY t.patient_id ORDER BY count(DISTINCT t.status) DESC, count(*) DESC, "
        "t.patient_id LIMIT 1")[0]
    rows = portal.query("SELECT * FROM tasks WHERE patient_id = ?", patient)
    result = await portal.run("valant.tasks.list", {"status": "all", "patient": mrn})
    got = {t.task_id: t.to_json_dict() for t in result.outputs["Task"]}
    assert got == {r["id"]: expected(r) for r in rows}


def new_task(portal: Portal, title: str) -> dict[str, Any]:
    mrn = portal.query("SELECT mrn FROM patients ORDER BY id LIMIT 1 OFFSET 3")[0][0]
    assignee = portal.query("SELECT id FROM providers ORDER BY id LIMIT 1")[0][0]
    return {"title": f"{title} ({portal.version})", "patient": mrn, "assignee_id": assignee,
            "due_date": DUE, "priority": "high"}


def stored(portal: Portal, inputs: dict[str, Any]) -> list[sqlite3.Row]:
    return portal.query("SELECT * FROM tasks WHERE title = ?", inputs["title"])


async def test_create_twice_adds_one_task(portal: Portal) -> None:
    inputs = new_task(portal, "Call back re: prior authorization")
    first = await portal.run("valant.tasks.create", inputs)
    again = await portal.run("valant.tasks.create", inputs)
    [row] = stored(portal, inputs)
    patient = portal.query("SELECT id FROM patients WHERE mrn = ?", inputs["patient"])[0][0]
    assert (row["patient_id"], row["assignee_id"], row["due_date"], row["priority"],
            row["status"]) == (patient, inputs["assignee_id"], "2027-03-15", "high", "open")
    assert (first.outputs["created"], again.outputs["created"]) == (True, False)
    for result in (first, again):
        assert [t.to_json_dict() for t in result.outputs["Task"]] == [expected(row)]


async def test_create_survives_a_response_lost_after_the_write(portal: Portal) -> None:
    inputs = new_task(portal, "Fax records release (lost response)")
    result, seen = await portal.run_losing_first_post("valant.tasks.create", inputs, "**/tasks")
    assert seen == ["after"]  # the portal wrote, then the client saw an error
    [row] = stored(portal, inputs)
    assert [t.to_json_dict() for t in result.outputs["Task"]] == [expected(row)]
    assert result.outputs["created"] is True   # this call added it, though it saw an error


@pytest.mark.parametrize("spacing", ["  {}", "{} ", "Call  back: {}"])
async def test_a_title_the_portal_tidies_is_still_found_on_the_second_run(
        portal: Portal, spacing: str) -> None:
    inputs = new_task(portal, spacing.format("spacing"))
    inputs["title"] = spacing.format(f"spacing {len(spacing)} ({portal.version})")
    first = await portal.run("valant.tasks.create", inputs)
    again = await portal.run("valant.tasks.create", inputs)
    tidy = " ".join(inputs["title"].split())   # a page shows runs of spaces as one
    assert [" ".join(row["title"].split()) for row in portal.query("SELECT title FROM tasks")
            ].count(tidy) == 1
    assert (first.outputs["created"], again.outputs["created"]) == (True, False)


async def test_a_refused_task_carries_the_portals_messages(portal: Portal) -> None:
    inputs = new_task(portal, "") | {"title": "", "patient": "MRN-NOPE-0"}
    before = portal.query("SELECT count(*) FROM tasks")[0][0]
    with pytest.raises(PortalValidationError) as caught:
        await portal.run("valant.tasks.create", inputs)
    assert sorted(caught.value.messages) == [
        "patient: Patient not found (enter an MRN or patient id)",
        "title: Title is required"]
    assert portal.query("SELECT count(*) FROM tasks")[0][0] == before


#: the task form refused (no title, an unknown patient, no due date), then filled in again
#: while the refusal's messages are shown; nothing is saved
REFUSED_THEN_FILLED = """flow: valant.test_task_form_errors
mutates: true
inputs:
  assignee_id: {type: string}
steps:
  - {action: call, flow: valant.login}
  - {action: goto, url: "{{ portal.base_url }}/tasks"}
  - {action: fill, target: tasks.form.patient, value: "MRN-NOPE-0"}
  - {action: click, target: tasks.form.save}
  - {action: wait_for, idle: load}
  - {action: assert, check: count, target: form.field_error, equals: 3}
  - {action: fill, target: tasks.form.title, value: "Call back"}
  - {action: fill, target: tasks.form.patient, value: ""}
  - {action: select, target: tasks.form.assignee, value: "{{ inputs.assignee_id }}"}
  - {action: fill, target: tasks.form.due, value: "2027-03-15"}
  - {action: select, target: tasks.form.priority, value: "high"}
"""


async def test_every_form_field_is_found_by_its_primary_while_errors_are_shown(
        portal: Portal, browser: Browser, tmp_path: Path) -> None:
    """In 2026.1 each field sits inside its <label> with its inline error, so the error's
    text becomes part of the label's: a strategy matching the label's whole text stops
    matching once the portal refuses the form, and a drift monitor would report drift."""
    root = Path(__file__).resolve().parents[3]
    shutil.copytree(root / "flows", tmp_path / "flows")
    (tmp_path / "flows" / "valant" / "test_task_form_errors.yaml").write_text(
        REFUSED_THEN_FILLED)
    (tmp_path / "portwright.toml").write_text(
        f'selectors = "{root / "selectors"}"\nartifacts = "{tmp_path / "artifacts"}"\n')
    # every resolution counted afresh, as the canary does: none is a remembered answer
    settings = load_settings(tmp_path).model_copy(update={"resolution_reuse_s": 0.0})
    before = portal.query("SELECT count(*) FROM tasks")[0][0]
    assignee = portal.query("SELECT id FROM providers ORDER BY id LIMIT 1")[0][0]
    async with Engine(settings, browser=browser, trace="off",
                      portal_urls={"valant": portal.url}, secrets=dev_secrets()) as engine:
        result = await engine.run("valant.test_task_form_errors", {"assignee_id": assignee})
    assert result.selector_map_version == portal.version
    fields = [r for r in result.resolutions if r.name.startswith("tasks.form.")
              and r.name != "tasks.form.save"]
    assert {r.name for r in fields} == {f"tasks.form.{n}" for n in (
        "title", "patient", "assignee", "due", "priority")}
    assert not any(r.reused for r in fields)
    assert [(r.name, r.outcome, r.strategy) for r in fields if r.outcome != "primary"] == []
    assert portal.query("SELECT count(*) FROM tasks")[0][0] == before
