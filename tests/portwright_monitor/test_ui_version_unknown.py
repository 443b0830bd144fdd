"""A portal that shipped a UI release no selector map describes, served over real HTTP and
read by real Chromium: the canary reports it as ``ui_version_unknown``, a finding of its
own (not one flow's ``run_failed``), naming every map version's detect rules with what
the page showed each, the map the baseline was recorded with, and how to add a map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.testing.pages_server import PagesServer
from portwright_monitor.cli import app

pytestmark = pytest.mark.browser

#: two map versions, told apart by the app-version meta tag and, for 4.0, an element
MAPS = {
    "3.0": """portal: toy
version: "3.0"
detect:
  - {meta: app-version, matches: "^3\\\\."}
selectors:
  home.title: [{css: "h1"}]
""",
    "4.0": """portal: toy
version: "4.0"
extends: "3.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
  - {element: "main.app-v4"}
""",
}
#: a patient's page: its URL's query holds the MRN
FLOW = """flow: toy.title
mutates: false
outputs:
  title: {value: title}
steps:
  - {action: goto, url: "{{ portal.base_url }}/chart?mrn=MRN-20417"}
  - {action: extract, id: read-title, into: title, target: home.title, fields: {text: {}}}
"""


def page(version: str) -> str:
    return (f'<html><head><meta name="app-version" content="{version}"></head><body>'
            '<main class="app-v4"><h1>Chart of Ann Smith</h1></main></body></html>')


def workspace(root: Path) -> Path:
    """The toy portal's maps, its flow, and the flow's baseline recorded on UI 4.0."""
    (root / "selectors" / "toy").mkdir(parents=True)
    for version, text in MAPS.items():
        (root / "selectors" / "toy" / f"{version}.yaml").write_text(text)
    (root / "flows" / "toy").mkdir(parents=True)
    (root / "flows" / "toy" / "title.yaml").write_text(FLOW)
    recording = root / "recordings" / "toy" / "title" / "4.0" / "chart"
    recording.mkdir(parents=True)
    (recording / "golden.json").write_text(json.dumps(
        {"outputs": {"title": {"text": "Chart of Stouvei Norpein"}}}))
    (recording / "meta.json").write_text(json.dumps({
        "portal": "toy", "flow": "toy.title", "ui_version": "4.0", "scenario": "chart",
        "selector_map_version": "4.0", "portal_url": "http://127.0.0.1"}))
    (root / "portwright.toml").write_text('artifacts = "out"\n')
    return root


def canary(site: PagesServer, ws: Path) -> tuple[int, str, dict[str, Any]]:
    result = CliRunner().invoke(app, [
        "canary", "toy", "--portal-url", site.url, "--flow", "toy.title",
        "--report", "drift.json"], env={"COLUMNS": "250"})
    return result.exit_code, result.output, json.loads((ws / "drift.json").read_text())


def test_a_ui_release_no_map_describes_is_its_own_finding_naming_the_rules_tried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It was a generic ``run_failed`` whose one line quoted the values seen: no rules,
    no versions, no baseline, no way for a job to tell it from a broken flow."""
    ws = workspace(tmp_path / "ws")
    monkeypatch.chdir(ws)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    with PagesServer({"/chart": page("4.2")}) as site:
        code, output, report = canary(site, ws)   # the UI the maps know: healthy
        assert code == 0, output
        with PagesServer({"/chart": page("5.0")}) as released:
            code, output, report = canary(released, ws)
    assert code == 1, output   # a job alerts on it
    [check] = report["flows"]
    [finding] = check["findings"]
    assert (finding["severity"], finding["kind"], finding["flow"]) == (
        "failed", "ui_version_unknown", "toy.title")
    # every map version's rules, each with what the page showed it; an element rule
    # shows no page text, only whether its element was there
    assert finding["rules_tried"] == [
        {"version": "3.0", "rule": "meta app-version ~ ^3\\.", "found": "5.0",
         "matched": False},
        {"version": "4.0", "rule": "meta app-version ~ ^4\\.", "found": "5.0",
         "matched": False},
        {"version": "4.0", "rule": "element main.app-v4", "found": None, "matched": True}]
    assert finding["map_version"] == "4.0" and check["baseline"] == "4.0/chart"
    detail = finding["detail"]
    assert "meta app-version ~ ^4\\.: found '5.0', no match; element main.app-v4: " \
        "present" in detail
    assert "the baseline (4.0/chart) was recorded on UI 4.0 with map 4.0" in detail
    assert 'add selectors/toy/<version>.yaml with extends: "4.0"' in detail
    assert "portwright selectors check toy --url URL --version <version>" in detail
    assert "failed: ui_version_unknown: the page matches no selector map of 'toy'" in output
    assert "run_failed" not in output
    # no page data: neither the query's MRN nor the page's text
    for text in (json.dumps(report), output):
        assert "MRN-20417" not in text and "Ann Smith" not in text


def test_a_page_without_the_version_marker_says_the_marker_is_absent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspace(tmp_path / "ws")
    monkeypatch.chdir(ws)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    unmarked = page("4.2").replace('<meta name="app-version" content="4.2">', "")
    with PagesServer({"/chart": unmarked}) as site:
        code, output, report = canary(site, ws)
    assert code == 1, output
    [finding] = report["flows"][0]["findings"]
    assert finding["kind"] == "ui_version_unknown"
    assert [(r["rule"], r["found"], r["matched"]) for r in finding["rules_tried"]][:2] == [
        ("meta app-version ~ ^3\\.", None, False), ("meta app-version ~ ^4\\.", None, False)]
    assert "meta app-version ~ ^4\\.: absent" in finding["detail"]


def test_an_element_rule_that_fails_is_named_with_its_verdict(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page still says 4.x, but the element 4.0's detect rules look for is gone: that
    rule, and only it, is why no map matches. It was reported with no verdict
    (``matched: null``, "presence not reported"): the engine's error text did not say."""
    ws = workspace(tmp_path / "ws")
    monkeypatch.chdir(ws)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    moved = page("4.2").replace('<main class="app-v4">', '<main class="app-v5">')
    with PagesServer({"/chart": moved}) as site:
        code, output, report = canary(site, ws)
    assert code == 1, output
    [finding] = report["flows"][0]["findings"]
    assert finding["kind"] == "ui_version_unknown"
    assert finding["rules_tried"] == [
        {"version": "3.0", "rule": "meta app-version ~ ^3\\.", "found": "4.2",
         "matched": False},
        {"version": "4.0", "rule": "meta app-version ~ ^4\\.", "found": "4.2",
         "matched": True},
        {"version": "4.0", "rule": "element main.app-v4", "found": None, "matched": False}]
    assert "4.0 [meta app-version ~ ^4\\.: found '4.2'; element main.app-v4: absent]" \
        in finding["detail"]
    for text in (json.dumps(report), output):
        assert "MRN-20417" not in text and "Ann Smith" not in text
