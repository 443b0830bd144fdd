"""``paginate.max_pages`` as a template: the caller says how many pages to read.

Run by the engine in real Chromium against the toy portal (25 people, 10 a page, a
"Next" link and a "load more" API list; see ``conftest``). A template that renders to
no page count fails the step before a page is read, naming the flow, where the step is
written, what the template gave and what it should give.
"""

from __future__ import annotations

from typing import Any

import pytest

from portwright.exceptions import FlowDefinitionError, StepError
from portwright.flow.loader import load_flow_text
from portwright.testing.pages_server import PagesServer

pytestmark = pytest.mark.browser

HEADER = ("inputs:\n  max_pages: {type: int}\n  pages_text: {type: string, required: false}\n"
          "outputs:\n  rows: {value: rows}\n")

EXTRACT = """  - {action: goto, url: "{{ portal.base_url }}/list"}
  - action: extract
    into: rows
    rows: people.row
    fields: {id: {attr: data-id, transform: int}}
    paginate: {next: people.next, max_pages: "MAX_PAGES"}
"""


def _extract(max_pages: str) -> str:
    return EXTRACT.replace("MAX_PAGES", max_pages)


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("pages", "ids"), [(1, range(1, 11)), (2, range(1, 21)),
                                            (7, range(1, 26))])
async def test_extract_reads_as_many_pages_as_the_input_says(
        run_flow: Any, pages: int, ids: range) -> None:
    result = await run_flow(_extract("{{ inputs.max_pages }}"), {"max_pages": pages},
                            header=HEADER)
    assert [r["id"] for r in result.outputs["rows"]] == list(ids)


async def test_capture_reads_as_many_responses_as_the_input_says(run_flow: Any) -> None:
    result = await run_flow("""  - action: capture
    response: "**/api/items?*"
    items: items
    into: rows
    trigger:
      - {action: goto, url: "{{ portal.base_url }}/spa"}
    paginate: {next: items.more, max_pages: "{{ inputs.max_pages }}"}
""", {"max_pages": 2}, header=HEADER)
    assert [r["id"] for r in result.outputs["rows"]] == list(range(1, 21))


@pytest.mark.parametrize(("inputs", "rendered"), [
    ({"max_pages": 0}, "'0'"),
    ({"max_pages": 1, "pages_text": "ten"}, "'ten'"),
    ({"max_pages": 1, "pages_text": "2.5"}, "'2.5'"),
])
async def test_a_template_rendering_no_page_count_fails_the_step_before_reading(
        run_flow: Any, toy_server: PagesServer, inputs: dict[str, Any],
        rendered: str) -> None:
    written = "{{ inputs.pages_text }}" if "pages_text" in inputs else "{{ inputs.max_pages }}"
    steps = _extract(written)
    before = len(toy_server.requests)
    with pytest.raises(StepError) as info:
        await run_flow(steps, inputs, header=HEADER)
    message = str(info.value)
    text = "flow: toy.case\n" + HEADER + "steps:\n" + steps  # as run_flow writes it
    assert info.value.flow == "toy.case"
    assert f"case.yaml:{_line_of(text, '- action: extract')}:" in message
    assert f"{written!r} rendered to {rendered}" in message
    assert "greater than or equal to 1" in message
    # failed before the walk: the list page was opened, no second page asked for
    lists = [r.query for r in toy_server.requests[before:] if r.path == "/list"]
    assert lists == [{}]


@pytest.mark.parametrize("value", ['"lots"', "0", "true"])
def test_a_max_pages_that_is_neither_a_count_nor_a_template_is_a_definition_error(
        value: str) -> None:
    text = "flow: toy.case\nsteps:\n" + _extract("X").replace('"X"', value)
    with pytest.raises(FlowDefinitionError) as info:
        load_flow_text(text, "case.yaml")
    assert info.value.field == "steps[1].paginate.max_pages"
    assert info.value.line == _line_of(text, "max_pages")
    assert "template" in (info.value.expected or "")


async def test_capture_with_a_template_rendering_no_page_count_fails_before_its_trigger(
        run_flow: Any, toy_server: PagesServer) -> None:
    steps = """  - action: capture
    response: "**/api/items?*"
    items: items
    into: rows
    trigger:
      - {action: goto, url: "{{ portal.base_url }}/spa"}
    paginate: {next: items.more, max_pages: "{{ inputs.pages_text }}"}
"""
    before = len(toy_server.requests)
    with pytest.raises(StepError) as info:
        await run_flow(steps, {"max_pages": 1, "pages_text": "all"}, header=HEADER)
    text = "flow: toy.case\n" + HEADER + "steps:\n" + steps
    assert f"case.yaml:{_line_of(text, '- action: capture')}:" in str(info.value)
    assert "'{{ inputs.pages_text }}' rendered to 'all'" in str(info.value)
    assert not [r for r in toy_server.requests[before:] if r.path in ("/spa", "/api/items")]


@pytest.mark.parametrize("rendered", ["ten", "0"])
async def test_a_limit_rendering_no_count_names_the_field_and_the_step(
        run_flow: Any, rendered: str) -> None:
    """``limit`` follows the same rule as ``max_pages``: "ten" used to fail with
    Python's "invalid literal for int()", naming neither the field nor the step."""
    steps = """  - {action: goto, url: "{{ portal.base_url }}/list"}
  - action: extract
    into: rows
    rows: people.row
    fields: {id: {attr: data-id, transform: int}}
    limit: "{{ inputs.pages_text }}"
"""
    with pytest.raises(StepError) as info:
        await run_flow(steps, {"max_pages": 1, "pages_text": rendered}, header=HEADER)
    text = "flow: toy.case\n" + HEADER + "steps:\n" + steps
    message = str(info.value)
    assert f"limit at case.yaml:{_line_of(text, '- action: extract')}:" in message
    assert f"'{{{{ inputs.pages_text }}}}' rendered to '{rendered}'" in message
    assert "greater than or equal to 1" in message
    assert "invalid literal" not in message


async def test_a_templated_limit_caps_the_rows(run_flow: Any) -> None:
    steps = """  - {action: goto, url: "{{ portal.base_url }}/list"}
  - action: extract
    into: rows
    rows: people.row
    fields: {id: {attr: data-id, transform: int}}
    limit: "{{ inputs.max_pages }}"
"""
    result = await run_flow(steps, {"max_pages": 3}, header=HEADER)
    assert [r["id"] for r in result.outputs["rows"]] == [1, 2, 3]
