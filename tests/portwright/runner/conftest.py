"""A small workspace (named flows, a selector map) and toy pages for runner and CLI tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from portwright.testing.pages_server import PageRequest, PagesServer, Reply

PAGE = """<html><head><meta name="app-version" content="4.2"></head><body>
<h1>Clinic</h1><button id="hello">Hello</button><input id="q" aria-label="Search">
<table><tbody>
<tr data-id="1"><td class="n">Ann</td></tr><tr data-id="2"><td class="n">Bo</td></tr>
</tbody></table></body></html>"""

MAP = """portal: toy
version: "4.0"
detect:
  - {meta: app-version, matches: "^4\\\\."}
pages:
  home: {path: /, public: true}
selectors:
  home.hello: [{role: button, name: "Hello"}, {css: "#hello"}]
  home.row: {strategies: [{css: "tbody tr"}], all: true}
  home.row.name: {strategies: [{css: "td.n"}], scope: home.row}
  home.gone: [{css: "#gone"}]
  home.search: [{css: "#q"}]
  home.error: {strategies: [{css: ".error-banner"}], conditional: true}
"""

FLOWS = {
    "names.yaml": """flow: toy.names
version: 2
inputs:
  limit: {type: int, default: 10}
outputs:
  names: {value: "rows | map(attribute='name') | list"}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: extract, into: rows, rows: home.row, limit: "{{ inputs.limit }}",
     fields: {id: {attr: data-id, transform: int}, name: home.row.name}}
""",
    "outer.yaml": """flow: toy.outer
outputs:
  first: {value: "inner.names | first"}
steps:
  - {action: call, flow: toy.names, inputs: {limit: 1}, into: inner}
""",
    "emit.yaml": """flow: toy.emit
outputs:
  Person: {entity: Person}
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: extract, into: rows, rows: home.row,
     fields: {id: {attr: data-id, transform: int}, name: home.row.name}}
  - {action: emit, entity: Person, from: rows}
""",
    "broken.yaml": """flow: toy.broken
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: click, target: home.gone, timeout_ms: 200}
""",
    "secret.yaml": """flow: toy.secret
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: request, url: "{{ portal.base_url }}/api/fail?token={{ secrets.toy.token }}"}
""",
    "search.yaml": """flow: toy.search
inputs:
  patient: {type: string}
steps:
  - {action: goto, url: "{{ portal.base_url }}/?q={{ inputs.patient | urlencode }}"}
  - {action: fill, target: home.search, value: "{{ inputs.patient }}"}
  - {action: click, target: home.gone, timeout_ms: 200}
""",
    "born.yaml": """flow: toy.born
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: extract, id: read-births, into: rows, rows: home.row,
     fields: {born: {target: home.row.name, transform: date}}}
""",
    "greeting_count.yaml": """flow: toy.greeting_count
steps:
  - {action: goto, url: "{{ portal.base_url }}/"}
  - {action: extract, id: read-count, into: count, target: home.hello,
     fields: {count: {transform: int}}}
""",
    "signed_in.yaml": """flow: toy.signed_in
steps:
  - {action: goto, url: "{{ portal.base_url }}/signed-in"}
  - {action: goto, url: "{{ portal.base_url }}/"}
""",
    "portal_down.yaml": """flow: toy.portal_down
inputs:
  down_url: {type: string}
steps:
  - {action: goto, url: "{{ portal.base_url }}/signed-in"}
  - {action: request, id: search, url: "{{ inputs.down_url }}/api/patients?q=Ann%20Smith"}
""",
}

#: the session cookie the toy portal sets on /signed-in (never rendered from ``secrets``)
SESSION_COOKIE = "sess-9f8e7d6c5b4a"


def api_fail(req: PageRequest) -> Reply:
    return Reply.json({"error": "nope"}, 500)


@pytest.fixture(scope="session")
def toy_site() -> Iterator[PagesServer]:
    signed_in = Reply(PAGE, headers={"Set-Cookie": f"sid={SESSION_COOKIE}; Path=/"})
    with PagesServer({"/": PAGE, "/api/fail": api_fail, "/signed-in": signed_in}) as server:
        yield server


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runnerws")
    (root / "portwright.toml").write_text('artifacts = "out/artifacts"\n')
    (root / "selectors" / "toy").mkdir(parents=True)
    (root / "selectors" / "toy" / "4.0.yaml").write_text(MAP)
    (root / "flows" / "toy").mkdir(parents=True)
    for name, text in FLOWS.items():
        (root / "flows" / "toy" / name).write_text(text)
    return root


@pytest.fixture
def ws(workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the runner workspace, as the current directory."""
    copy = tmp_path / "ws"
    shutil.copytree(workspace, copy)
    monkeypatch.chdir(copy)
    return copy
