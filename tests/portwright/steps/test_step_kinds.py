"""Each built-in step kind, run by the engine against the toy portal in real Chromium."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from portwright.exceptions import (
    FlowAssertionFailed,
    SelectorAmbiguous,
    SelectorNotFound,
    StepError,
    StepTimeout,
)

pytestmark = pytest.mark.browser

GO_HOME = '  - {action: goto, url: "{{ portal.base_url }}/"}\n'


async def test_submitted_values_reach_the_server(run_flow: Any, toy_server: Any) -> None:
    before = len(toy_server.requests)
    await run_flow(GO_HOME + """
  - {action: fill, target: form.name, value: "Ada"}
  - {action: select, target: form.color, value: r}
  - {action: check, target: form.agree, checked: "{{ 1 == 1 }}"}
  - {action: click, target: form.save}
  - {action: wait_for, target: echo}
""")
    posts = [r for r in toy_server.requests[before:] if r.method == "POST"]
    assert [p.form() for p in posts] == [{"name": "Ada", "color": "r", "agree": "yes"}]


async def test_extract_one_element_with_attribute_and_transforms(run_flow: Any) -> None:
    result = await run_flow(GO_HOME + """
  - action: extract
    into: card
    target: card
    fields:
      card_id: {attr: data-id}
      name: {target: card.who, transform: upper}
      born: {target: card.born, transform: date}
      visits: {target: card.visits, transform: int}
      nickname: {target: card.nickname, optional: true}
""", header="outputs:\n  card: {value: card}\n")
    assert result.outputs["card"] == {"card_id": "c-17", "name": "ADA LOVELACE",
                                      "born": "1815-12-10", "visits": 1204, "nickname": None}


ROWS_FIELDS = """    fields:
      id: {attr: data-id, transform: int}
      name: people.row.name
      score: {target: people.row.score, transform: int}
"""


async def test_extract_rows_across_pages_by_next_link(run_flow: Any) -> None:
    result = await run_flow("""  - {action: goto, url: "{{ portal.base_url }}/list"}
  - action: extract
    into: rows
    rows: people.row
""" + ROWS_FIELDS + """    paginate: {next: people.next, max_pages: 10}
""", header="outputs:\n  rows: {value: rows}\n")
    rows = result.outputs["rows"]
    assert [r["id"] for r in rows] == list(range(1, 26))
    assert rows[4] == {"id": 5, "name": "Person 05", "score": 15}


async def test_a_list_that_empties_before_its_next_page_shows_is_read_whole(
        run_flow: Any) -> None:
    """Clicking "Next" first empties the table; the next page arrives a moment later.
    An empty table is no end of the list while the page is still filling it: the walk
    used to read it as the end, and returned the first page alone without an error."""
    result = await run_flow("""  - {action: goto, url: "{{ portal.base_url }}/jslist"}
  - action: extract
    into: rows
    rows: people.row
""" + ROWS_FIELDS + """    paginate: {next: people.next, max_pages: 10}
""", header="outputs:\n  rows: {value: rows}\n")
    assert [r["id"] for r in result.outputs["rows"]] == list(range(1, 26))


async def test_a_next_control_that_no_longer_moves_the_list_is_an_error_not_the_end(
        run_flow: Any) -> None:
    """A "Next" that stays enabled but changes nothing: the rows read so far may be a
    short list, so the walk says so instead of returning them as the whole list."""
    with pytest.raises(StepTimeout, match=r"page 4 of 'people\.row' did not show") as info:
        await run_flow("""  - {action: goto, url: "{{ portal.base_url }}/jslist?stuck"}
  - action: extract
    into: rows
    rows: people.row
    timeout_ms: 1500
""" + ROWS_FIELDS + """    paginate: {next: people.next, max_pages: 10}
""", header="outputs:\n  rows: {value: rows}\n")
    assert "25 row(s) read so far" in str(info.value)
    assert "stop_when" in (info.value.hint or "")


async def test_extract_rows_by_numbered_pages_with_max_pages(run_flow: Any) -> None:
    result = await run_flow("""  - {action: goto, url: "{{ portal.base_url }}/list"}
  - action: extract
    into: rows
    rows: people.row
""" + ROWS_FIELDS + """    paginate: {numbered: people.pager, max_pages: 2}
""", header="outputs:\n  rows: {value: rows}\n")
    assert [r["id"] for r in result.outputs["rows"]] == list(range(1, 21))


async def test_extract_stops_when_the_stop_condition_holds(run_flow: Any) -> None:
    result = await run_flow("""  - {action: goto, url: "{{ portal.base_url }}/list"}
  - action: extract
    into: rows
    rows: people.row
""" + ROWS_FIELDS + """    paginate:
      next: people.next
      stop_when: "rows | selectattr('score', 'ge', 30) | list | length > 0"
""", header="outputs:\n  rows: {value: rows}\n")
    assert len(result.outputs["rows"]) == 10  # page 1 already reaches score 30


async def test_extract_load_more_reads_each_row_once(run_flow: Any) -> None:
    result = await run_flow("""  - {action: goto, url: "{{ portal.base_url }}/spa"}
  - {action: wait_for, target: items.more}
  - action: extract
    into: rows
    rows: items.row
    fields: {id: {attr: data-id, transform: int}, name: {}}
    paginate: {load_more: items.more}
""", header="outputs:\n  rows: {value: rows}\n")
    assert [r["id"] for r in result.outputs["rows"]] == list(range(1, 26))


async def test_extract_infinite_scroll(run_flow: Any) -> None:
    result = await run_flow("""  - {action: goto, url: "{{ portal.base_url }}/scroll"}
  - action: extract
    into: rows
    rows: posts.row
    fields: {text: {}}
    paginate: {scroll: true, settle_ms: 1500}
""", header="outputs:\n  rows: {value: rows}\n")
    assert [r["text"] for r in result.outputs["rows"]] == [f"Post {n}" for n in range(1, 26)]


async def test_capture_collects_json_across_load_more(run_flow: Any) -> None:
    result = await run_flow("""  - action: capture
    response: "**/api/items?*"
    items: items
    into: raw
    trigger:
      - {action: goto, url: "{{ portal.base_url }}/spa"}
    paginate: {next: items.more, max_pages: 10}
""", header="outputs:\n  raw: {value: raw}\n")
    assert result.outputs["raw"] == [
        {"id": r["id"], "name": r["name"], "score": r["score"]} for r in
        [{"id": i, "name": f"Person {i:02d}", "score": i * 3} for i in range(1, 26)]]


async def test_request_carries_the_session_cookie_and_json(run_flow: Any) -> None:
    result = await run_flow(GO_HOME + """
  - {action: request, url: "{{ portal.base_url }}/api/me", into: me}
  - action: request
    method: POST
    url: "{{ portal.base_url }}/api/echo"
    json: {n: "{{ 40 + 2 }}", tags: [a, b]}
    expect_status: [201]
    into: echo
""", header="outputs:\n  me: {value: me.json}\n  echo: {value: echo.json}\n")
    assert result.outputs["me"] == {"sid": "toy-session-1"}
    assert result.outputs["echo"] == {"method": "POST", "body": {"n": 42, "tags": ["a", "b"]}}


async def test_request_with_unexpected_status_fails(run_flow: Any) -> None:
    with pytest.raises(StepError, match="answered 201"):
        await run_flow("""  - {action: request, method: POST, url: "{{ portal.base_url }}/api/echo",
     json: {}, expect_status: [200]}
""")


async def test_press_and_upload(run_flow: Any, tmp_path: Path) -> None:
    doc = tmp_path / "intake.pdf"
    doc.write_bytes(b"%PDF-1.4 tiny")
    result = await run_flow(GO_HOME + """
  - {action: press, target: form.keys, key: Enter}
  - {action: extract, into: after_key, fields: {out: home.out}}
  - {action: upload, target: form.doc, files: ["{{ inputs.doc }}"]}
  - {action: extract, into: after_upload, fields: {out: home.out}}
""", {"doc": str(doc)}, header="inputs:\n  doc: {type: string}\noutputs:\n"
       "  a: {value: after_key.out}\n  b: {value: after_upload.out}\n")
    assert result.outputs == {"a": "key:Enter", "b": "file:intake.pdf:13"}


async def test_wait_for_element_response_url_and_idle(run_flow: Any) -> None:
    result = await run_flow(GO_HOME + """
  - {action: click, target: home.later}
  - {action: wait_for, target: home.done, state: visible}
  - action: wait_for
    response: "**/api/ping"
    status: 200
    trigger:
      - {action: click, target: home.ping}
  - {action: assert, check: text, target: home.out, equals: "pong:yes"}
  - {action: goto, url: "{{ portal.base_url }}/list?page=2"}
  - {action: wait_for, url: "re:page=2$"}
  - {action: wait_for, idle: load}
  - {action: wait_for, target: home.out, state: detached}
""")
    actions = [s.action for s in result.steps]
    assert actions[2:5] == ["wait_for", "wait_for", "click"]  # the trigger runs inside
    assert [s.status for s in result.steps] == ["ok"] * 10


async def test_assert_kinds_pass_and_fail_with_their_message(run_flow: Any) -> None:
    await run_flow(GO_HOME + """
  - {action: assert, check: visible, target: home.title}
  - {action: assert, check: hidden, target: home.done}
  - {action: assert, check: text, target: home.title, contains: Toy}
  - {action: assert, check: text, target: home.title, matches: "^Toy p"}
  - {action: assert, check: url, contains: "127.0.0.1"}
  - {action: assert, check: count, target: home.twin, equals: 2}
  - {action: assert, check: count, target: home.twin, min: 1, max: 2}
""")
    with pytest.raises(FlowAssertionFailed, match="title is not what we sell") as info:
        await run_flow(GO_HOME + """
  - {action: assert, check: text, target: home.title, equals: "Shop", timeout_ms: 300,
     message: "title is not what we sell"}
""")
    assert info.value.step is not None
    with pytest.raises(FlowAssertionFailed, match=r"number of .home\.twin."):
        await run_flow(GO_HOME + """
  - {action: assert, check: count, target: home.twin, max: 1}
""")


async def test_if_else_foreach_set_and_call_free_logic(run_flow: Any) -> None:
    result = await run_flow(GO_HOME + """
  - action: set
    values: {names: [a, b, c], seen: []}
  - action: foreach
    items: names
    as: n
    steps:
      - action: if
        condition: "n != 'b'"
        then:
          - {action: set, values: {seen: "{{ seen + [n ~ loop.index] }}"}}
        else:
          - {action: set, values: {skipped: "{{ n }}"}}
  - action: if
    visible: home.done
    then:
      - {action: set, values: {done_seen: true}}
    else:
      - {action: set, values: {done_seen: false}}
""", header="outputs:\n  seen: {value: seen}\n  skipped: {value: skipped}\n"
       "  done_seen: {value: done_seen}\n")
    assert result.outputs == {"seen": ["a1", "c3"], "skipped": "b", "done_seen": False}
    assert [r.outcome for r in result.resolutions if r.name == "home.done"] == ["absent"]


async def test_if_map_offers_branches_on_the_detected_maps_names(run_flow: Any) -> None:
    # the toy map (version 1.0) defines home.title but not home.sidebar
    result = await run_flow(GO_HOME + """
  - action: if
    map_offers: [home.title]
    then: [{action: set, values: {defined: then}}]
    else: [{action: set, values: {defined: else}}]
  - action: if
    map_offers: [home.title, home.sidebar]
    then: [{action: set, values: {undefined: then}}]
    else: [{action: set, values: {undefined: else}}]
  - action: if
    map_offers: [home.title]
    condition: "inputs.path != 'dom'"
    then: [{action: set, values: {both: then}}]
    else: [{action: set, values: {both: else}}]
""", {"path": "dom"}, header="inputs:\n  path: {type: string}\noutputs:\n"
       "  defined: {value: defined}\n  undefined: {value: undefined}\n"
       "  both: {value: both}\n")
    assert result.outputs == {"defined": "then", "undefined": "else", "both": "else"}


async def test_retry_repeats_a_read_until_it_works(run_flow: Any) -> None:
    result = await run_flow("""  - action: retry
    attempts: 3
    steps:
      - {action: goto, url: "{{ portal.base_url }}/flaky?key=retry-read"}
      - {action: assert, check: visible, target: flaky.ok, timeout_ms: 300}
""")
    # the first answer is a 503 page: its goto fails (an error page is no page to read)
    retry, goto1, goto2, assert2 = result.steps
    assert (retry.status, goto1.status, goto2.status, assert2.status) == (
        "ok", "failed", "ok", "ok")


async def test_screenshot_and_download_land_in_artifacts(run_flow: Any) -> None:
    result = await run_flow(GO_HOME + """
  - {action: screenshot, name: home, into: shot}
  - {action: download, target: home.export, into: file}
""", header="outputs:\n  shot: {value: shot}\n  file: {value: file}\n")
    shot = Path(result.outputs["shot"])
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.outputs["file"]["filename"] == "export.csv"
    assert Path(result.outputs["file"]["path"]).read_text() == "a,b\n1,2\n"
    assert shot in result.artifacts


async def test_missing_selector_lists_every_strategy_and_the_url(run_flow: Any) -> None:
    with pytest.raises(SelectorNotFound) as info:
        await run_flow(GO_HOME + "  - {action: click, target: home.missing, timeout_ms: 300}\n")
    text = str(info.value)
    assert "css=#nope → 0" in text and 'text="Not here at all" → 0' in text
    assert info.value.url is not None and info.value.url.startswith("http://127.0.0.1")
    assert info.value.map_version == "1.0"
    assert any(p.name == "failure.png" for p in info.value.artifacts)  # type: ignore[attr-defined]


async def test_ambiguous_selector_is_an_error_not_a_guess(run_flow: Any) -> None:
    with pytest.raises(SelectorAmbiguous, match="matched 2 elements") as info:
        await run_flow(GO_HOME + "  - {action: click, target: home.twin}\n")
    assert "css=li.twin → 2" in str(info.value)


async def test_step_timeout_is_reported_as_such(run_flow: Any) -> None:
    with pytest.raises(StepTimeout):
        await run_flow(GO_HOME + """
  - {action: wait_for, url: "**/never", timeout_ms: 200}
""")


async def test_failed_run_writes_trace_screenshot_and_step_log(run_flow: Any) -> None:
    with pytest.raises(SelectorNotFound) as info:
        await run_flow(GO_HOME + """
  - {action: fill, target: form.name, value: "Ada"}
  - {action: click, target: home.missing, timeout_ms: 200}
""")
    paths = {p.name: p for p in info.value.artifacts}  # type: ignore[attr-defined]
    assert set(paths) >= {"failure.png", "trace.zip", "steps.jsonl"}
    for p in paths.values():
        assert str(p) in str(info.value)
    assert zipfile.is_zipfile(paths["trace.zip"])
    log = [json.loads(line) for line in paths["steps.jsonl"].read_text().splitlines()]
    assert [(e["action"], e["status"]) for e in log] == [
        ("goto", "ok"), ("fill", "ok"), ("click", "failed")]


async def test_step_retries_repeat_a_failed_read_only_step(run_flow: Any) -> None:
    result = await run_flow("""  - action: request
    url: "{{ portal.base_url }}/flaky?key=step-retries"
    retries: 1
    into: answer
""", header="outputs:\n  status: {value: answer.status}\n")
    assert result.outputs == {"status": 200}
    assert result.steps[0].attempts == 2
