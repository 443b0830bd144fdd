"""Two columns of words that swapped places, on a toy portal served over real HTTP, read
by real Chromium, against a baseline recorded by ``portwright record`` (so its names and
cities are the pseudonyms the adapter's scrub policy makes of them); and on the Valant
sandbox, against the repository's committed recording.

Every selector still finds a cell, every field holds words as it did, the run succeeds:
the canary reported a portal whose first names came back as last names healthy. It now
finds where each field's values went, names both fields and the selectors that read
them, and proposes exchanging their strategies; and it stays quiet when the portal only
shows other rows, or other people altogether."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portwright.cli.app import app as portwright_app
from portwright.testing.pages_server import PagesServer
from portwright_monitor.cli import app
from portwright_valant.testing import SandboxHandle

pytestmark = pytest.mark.browser

#: the toy adapter's scrub policy: names and cities are PHI, the state is not
POLICY = """version: 1
fields:
  first_name: name
  last_name: name
  city: city
"""

PEOPLE = [("101", "Maren", "Okafor", "Tacoma", "WA"),
          ("102", "Theo", "Lindqvist", "Spokane", "WA"),
          ("103", "Priya", "Castellano", "Portland", "OR"),
          ("104", "Jonah", "Whitfield", "Boise", "ID"),
          ("105", "Amara", "Nakagawa", "Eugene", "OR"),
          ("106", "Silas", "Brennan", "Yakima", "WA")]
#: another practice's people: other ids, though their surnames are the first names of
#: :data:`PEOPLE` and some cities and states recur
OTHERS = [("201", "Odile", "Maren", "Salem", "OR"),
          ("202", "Bram", "Theo", "Tacoma", "WA"),
          ("203", "Linnea", "Priya", "Olympia", "WA"),
          ("204", "Caspian", "Jonah", "Helena", "MT"),
          ("205", "Wren", "Amara", "Reno", "NV"),
          ("206", "Ines", "Silas", "Bend", "OR")]
FIELDS = ("first_name", "last_name", "city", "state")

MAP = """portal: toy
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
pages:
  home: {path: /, public: true}
selectors:
  home.row: {strategies: [{css: "tbody tr"}], all: true}
  home.row.first: [{css: "td:nth-child(1)"}]
  home.row.last: [{css: "td:nth-child(2)"}]
  home.row.city: [{css: "td:nth-child(3)"}]
  home.row.state: [{css: "td:nth-child(4)"}]
"""
FLOW = """flow: toy.list
mutates: false
outputs:
  rows: {value: rows}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: extract, id: read-rows, into: rows, rows: home.row,
     fields: {id: {attr: data-id}, first_name: home.row.first, last_name: home.row.last,
              city: home.row.city, state: home.row.state}}
"""


def portal(people: list[tuple[str, str, str, str, str]],
           columns: tuple[str, ...] = FIELDS) -> str:
    """The portal's page: a table of ``people``, its cells in the order of ``columns``."""
    at = {field: i + 1 for i, field in enumerate(FIELDS)}
    rows = "".join(f'<tr data-id="{p[0]}">' + "".join(f"<td>{p[at[c]]}</td>" for c in columns)
                   + "</tr>" for p in people)
    return ('<html><head><meta name="app-version" content="4.2"></head><body>'
            f"<table><tbody>{rows}</tbody></table></body></html>")


def records(people: list[tuple[str, str, str, str, str]]) -> list[dict[str, str]]:
    """What the flow should read from a page of ``people``."""
    return [dict(zip(("id", *FIELDS), p, strict=True)) for p in people]


@pytest.fixture
def toy_adapter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The adapter ``toy`` with its scrub policy, installed for this test only (found by
    ``importlib.metadata`` on a site folder, as pip would install it)."""
    package = f"pw_toy_{tmp_path.name.replace('-', '_')}"
    site = tmp_path / "site"
    (site / package).mkdir(parents=True)
    (site / package / "__init__.py").write_text(
        "from portwright.adapter import Adapter\n\n\n"
        "class ToyAdapter(Adapter):\n    name = 'toy'\n")
    (site / package / "scrub_policy.yaml").write_text(POLICY)
    info = site / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[portwright.adapters]\ntoy = {package}:ToyAdapter\n")
    monkeypatch.syspath_prepend(str(site))
    yield
    sys.modules.pop(package, None)


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toy_adapter: None) -> Path:
    """The toy workspace, its baseline recorded by ``portwright record`` from the portal
    as the map knows it, showing :data:`PEOPLE`."""
    root = tmp_path / "ws"
    (root / "selectors" / "toy").mkdir(parents=True)
    (root / "selectors" / "toy" / "4.0.yaml").write_text(MAP)
    (root / "flows" / "toy").mkdir(parents=True)
    (root / "flows" / "toy" / "list.yaml").write_text(FLOW)
    (root / "portwright.toml").write_text('artifacts = "out"\n')
    monkeypatch.chdir(root)
    monkeypatch.setenv("PORTWRIGHT_STATE", str(tmp_path / "state"))
    with PagesServer({"/": portal(PEOPLE)}) as site:
        result = CliRunner().invoke(portwright_app, [
            "record", "toy.list", "--portal-url", site.url, "--record-mode", "all"])
    assert result.exit_code == 0, result.output
    [golden] = root.glob("recordings/toy/list/4.0/*/golden.json")
    recorded = json.loads(golden.read_text())["outputs"]["rows"]
    # the baseline holds pseudonyms of the names and cities, the states as they are
    assert [r["id"] for r in recorded] == [p[0] for p in PEOPLE]
    assert not {r["first_name"] for r in recorded} & {p[1] for p in PEOPLE}
    assert not {r["city"] for r in recorded} & {p[3] for p in PEOPLE}
    assert [r["state"] for r in recorded] == [p[4] for p in PEOPLE]
    return root


def canary(page: str, *extra: str) -> tuple[int, str, list[dict[str, Any]]]:
    """``portwright-monitor canary`` against a portal serving ``page``: exit code, what it
    printed, the report's findings."""
    with PagesServer({"/": page}) as site:
        result = CliRunner().invoke(app, [
            "canary", "toy", "--portal-url", site.url, "--flow", "toy.list",
            "--report", "drift.json", *extra], env={"COLUMNS": "250"})
    report = json.loads(Path("drift.json").read_text())
    return result.exit_code, result.output, report["flows"][0]["findings"]


def test_two_swapped_text_columns_are_named_and_the_proposed_exchange_ends_the_drift(
        ws: Path) -> None:
    """First and last name swapped places, and so did city and state: the run succeeded,
    every field held words, and the canary said ok."""
    swapped = portal(PEOPLE, columns=("last_name", "first_name", "state", "city"))
    code, output, findings = canary(swapped, "--propose", "fix.yaml")
    assert code == 1, output
    moved = {f["subject"]: f for f in findings if f["kind"] == "field_values_moved"}
    assert {(s, f["now_holds"], f["reads"], f["severity"], f["map_version"])
            for s, f in moved.items()} == {
        ("rows.first_name", "rows.last_name", "home.row.first", "drift", "4.0"),
        ("rows.last_name", "rows.first_name", "home.row.last", "drift", "4.0"),
        ("rows.city", "rows.state", "home.row.city", "drift", "4.0"),
        ("rows.state", "rows.city", "home.row.state", "drift", "4.0")}
    first = moved["rows.first_name"]["detail"]
    assert first.startswith("holds what rows.last_name held in the baseline")
    assert "in 6 of the 6 live records matched to baseline records it has rows.last_name's " \
        "value, in 0 its own; home.row.first (map 4.0) now finds what home.row.last " \
        "found" in first
    # names, counts and ratios only: neither the real values nor their pseudonyms
    recorded = json.loads(next(ws.glob("recordings/toy/list/4.0/*/golden.json")).read_text())
    shown = (ws / "drift.json").read_text() + output
    for value in {v for p in PEOPLE for v in p[1:4]} | {
            r[f] for r in recorded["outputs"]["rows"] for f in ("first_name", "city")}:
        assert value not in shown
    assert "proposed: home.row.first: css=td:nth-child(2) first" in output
    assert "proposed: home.row.state: css=td:nth-child(3) first" in output

    (ws / "fix.yaml").replace(ws / "selectors" / "toy" / "4.0.yaml")
    code, output, findings = canary(swapped)
    assert (code, findings) == (0, []), output
    with PagesServer({"/": swapped}) as site:
        result = CliRunner().invoke(portwright_app, [
            "run", "toy.list", "--portal-url", site.url, "--out", "rows.json"])
    assert result.exit_code == 0, result.output
    assert json.loads((ws / "rows.json").read_text())["outputs"]["rows"] == records(PEOPLE)


def test_other_rows_of_the_same_portal_are_no_drift(ws: Path) -> None:
    """Two people left the list and two joined; the columns are where they were."""
    code, output, findings = canary(portal([*PEOPLE[2:], *OTHERS[:2]]))
    assert (code, findings) == (0, []), output


def test_other_people_altogether_are_no_drift(ws: Path) -> None:
    """Another practice's list: every last name is a first name the baseline holds, so
    the live last names are, value for value, the baseline's first names; but no record
    is one of the baseline's, so nothing is judged."""
    code, output, findings = canary(portal(OTHERS))
    assert (code, findings) == (0, []), output


def test_swapped_names_on_the_sandbox_are_found_against_its_committed_recording(
        sandbox_2026: SandboxHandle, valant_workspace: Callable[..., Path]) -> None:
    """The repository's own baseline, recorded from the sandbox under Valant's scrub policy
    (its names are pseudonyms): the 2026.1 map reading each provider's given name through
    the family name's test id and the other way round is drift, and the proposal ends it."""
    ws = valant_workspace(flows=("valant.providers.list",), ui_versions=("2026.1",))
    map_file = ws / "selectors" / "valant" / "2026.1.yaml"
    given = "  providers.row.first_name: [{test_id: clinician-given-name}]\n"
    family = "  providers.row.last_name: [{test_id: clinician-family-name}]\n"
    text = map_file.read_text()
    assert given in text and family in text
    map_file.write_text(text.replace(given, given.replace("given", "family")).replace(
        family, family.replace("family", "given")))

    def canary(*extra: str) -> tuple[int, str, list[dict[str, Any]]]:
        result = CliRunner().invoke(app, [
            "canary", "valant", "--portal-url", sandbox_2026.url, "--flow",
            "valant.providers.list", "--report", "drift.json", *extra],
            env={"COLUMNS": "250"})
        return (result.exit_code, result.output,
                json.loads(Path("drift.json").read_text())["flows"][0]["findings"])

    code, output, findings = canary("--propose", "fix.yaml")
    assert code == 1, output
    assert {(f["kind"], f["subject"], f["now_holds"], f["reads"]) for f in findings} == {
        ("field_values_moved", "Provider.firstName", "Provider.lastName",
         "providers.row.first_name"),
        ("field_values_moved", "Provider.lastName", "Provider.firstName",
         "providers.row.last_name")}
    (ws / "fix.yaml").replace(map_file)
    code, output, findings = canary()
    assert (code, findings) == (0, []), output
