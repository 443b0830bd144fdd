"""Tasks (2026.1: to-dos): the filtered list and the idempotent create, in both UI
versions, checked against the sandbox database with plain SQL."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from portwright.exceptions import PortalValidationError

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


async def test_a_refused_task_carries_the_portals_messages(portal: Portal) -> None:
    inputs = new_task(portal, "") | {"title": "", "patient": "MRN-NOPE-0"}
    before = portal.query("SELECT count(*) FROM tasks")[0][0]
    with pytest.raises(PortalValidationError) as caught:
        await portal.run("valant.tasks.create", inputs)
    assert sorted(caught.value.messages) == [
        "patient: Patient not found (enter an MRN or patient id)",
        "title: Title is required"]
    assert portal.query("SELECT count(*) FROM tasks")[0][0] == before
