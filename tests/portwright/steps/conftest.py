"""A toy portal (real HTTP on loopback) and an engine on the session's browser, shared by
the step-kind tests. Pages are small and purpose-built: each exercises one mechanism."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from portwright.engine import Engine, RunResult
from portwright.flow.loader import load_flow_text
from portwright.settings import load_settings
from portwright.templating import EnvSecretResolver
from portwright.testing.pages_server import PageRequest, PagesServer, Reply

HEAD = '<html><head><meta name="app-version" content="1.0.3"></head><body>'

HOME = HEAD + """
<h1 id="title">Toy portal</h1>
<form id="f" action="/submit" method="post">
  <label>Name <input name="name" id="name"></label>
  <label>Color <select name="color" id="color"><option value="r">Red</option>
    <option value="g">Green</option></select></label>
  <label><input type="checkbox" name="agree" id="agree" value="yes"> Agree</label>
  <button type="submit">Save</button>
</form>
<label>Document <input type="file" id="doc"
  onchange="document.getElementById('out').textContent =
    'file:' + this.files[0].name + ':' + this.files[0].size"></label>
<input id="keys" aria-label="Keys"
  onkeydown="document.getElementById('out').textContent = 'key:' + event.key">
<a id="dl" href="/file.csv">Export CSV</a>
<button id="later" onclick="setTimeout(() => {
  document.getElementById('out').innerHTML = '<span id=done>done</span>'}, 30)">Later</button>
<button id="fetch" onclick="fetch('/api/ping').then(r => r.json())
  .then(j => { document.getElementById('out').textContent = 'pong:' + j.pong })">Ping</button>
<div id="out"></div>
<ul id="pair"><li class="twin">one</li><li class="twin">two</li></ul>
<div id="card" data-id="c-17"><span class="who">Ada Lovelace</span>
  <span class="born">12/10/1815</span><span class="visits">1,204</span></div>
</body></html>"""

ROWS = [{"id": i, "name": f"Person {i:02d}", "score": i * 3} for i in range(1, 26)]
PER_PAGE = 10


def list_page(req: PageRequest) -> Reply:
    """Server-rendered pages: next link and numbered pager."""
    page = int(req.query.get("page", "1"))
    rows = ROWS[(page - 1) * PER_PAGE: page * PER_PAGE]
    last = (len(ROWS) + PER_PAGE - 1) // PER_PAGE
    body = "".join(
        f'<tr data-id="{r["id"]}"><td class="name">{r["name"]}</td>'
        f'<td class="score">{r["score"]}</td></tr>' for r in rows)
    nxt = (f'<a id="next" href="/list?page={page + 1}">Next</a>' if page < last
           else '<span id="next" class="disabled" aria-disabled="true">Next</span>')
    pager = "".join(f'<a href="/list?page={n}">{n}</a> ' for n in range(1, last + 1)
                    if n != page)
    return Reply(HEAD + f'<table id="people"><tbody>{body}</tbody></table>{nxt}'
                 f'<nav id="pager">{pager}</nav></body></html>')


def api_items(req: PageRequest) -> Reply:
    page = int(req.query.get("page", "1"))
    rows = ROWS[(page - 1) * PER_PAGE: page * PER_PAGE]
    more = page * PER_PAGE < len(ROWS)
    return Reply.json({"items": rows, "page": page, "more": more})


SPA = HEAD + """
<ul id="items"></ul><button id="more">Load more</button>
<script>
let page = 0;
async function load() {
  page += 1;
  const body = await (await fetch('/api/items?page=' + page)).json();
  for (const r of body.items) {
    const li = document.createElement('li');
    li.className = 'item'; li.dataset.id = r.id; li.textContent = r.name;
    document.getElementById('items').appendChild(li);
  }
  if (!body.more) document.getElementById('more').remove();
}
document.getElementById('more').onclick = load;
load();
</script></body></html>"""

SCROLL = HEAD + """
<div id="feed"></div><div id="sentinel" style="height:10px"></div>
<script>
let n = 0;
function add() {
  const feed = document.getElementById('feed');
  for (let i = 0; i < 10 && n < 25; i++) {
    n += 1; const d = document.createElement('div');
    d.className = 'post'; d.style.height = '120px'; d.textContent = 'Post ' + n;
    feed.appendChild(d);
  }
}
add();
new IntersectionObserver(es => { if (es.some(e => e.isIntersecting)) add(); })
  .observe(document.getElementById('sentinel'));
</script></body></html>"""


def submit(req: PageRequest) -> Reply:
    return Reply(HEAD + f'<pre id="echo">{json.dumps(req.form(), sort_keys=True)}</pre>'
                 "</body></html>")


def home(req: PageRequest) -> Reply:
    return Reply(HOME, headers={"Set-Cookie": "sid=toy-session-1; Path=/"})


_FLAKY_SEEN: set[str] = set()


def flaky(req: PageRequest) -> Reply:
    """Fails the first request for each ``key``, then works (a transient outage)."""
    key = req.query.get("key", "")
    if key not in _FLAKY_SEEN:
        _FLAKY_SEEN.add(key)
        return Reply(HEAD + "<p id='oops'>try again</p></body></html>", 503)
    return Reply(HEAD + "<p id='ok'>fine</p></body></html>")


#: a list that empties itself when "Next" is clicked and shows the next page a moment
#: later (the page's own timer, as a portal waiting for its API); on the last page, "Next"
#: stays enabled and does nothing, when the page is opened with ?stuck
JS_LIST = HEAD + """<table id="people"><tbody></tbody></table><button id="next">Next</button>
<script>
const rows = ROWS_JSON, perPage = PER_PAGE, body = document.querySelector('#people tbody'),
  next = document.getElementById('next'), stuck = location.search.includes('stuck');
let page = 1;
function render() {
  body.innerHTML = rows.slice((page - 1) * perPage, page * perPage).map(r =>
    `<tr data-id="${r.id}"><td class="name">${r.name}</td><td class="score">${r.score}</td></tr>`
  ).join('');
  if (page * perPage >= rows.length && !stuck) next.disabled = true;
}
next.onclick = () => {
  if (page * perPage >= rows.length) return;
  body.innerHTML = '';
  setTimeout(() => { page += 1; render(); }, 400);
};
render();
</script></body></html>""".replace("ROWS_JSON", json.dumps(ROWS)).replace(
    "PER_PAGE", str(PER_PAGE))

ROUTES: dict[str, Any] = {
    "/": home,
    "/submit": submit,
    "/list": list_page,
    "/jslist": Reply(JS_LIST),
    "/spa": SPA,
    "/scroll": SCROLL,
    "/flaky": flaky,
    "/api/items": api_items,
    "/api/ping": Reply.json({"pong": "yes"}),
    "/api/me": lambda req: Reply.json({"sid": req.cookies.get("sid")}),
    "/api/echo": lambda req: Reply.json({"method": req.method, "body": req.json()}, 201),
    "/file.csv": Reply("a,b\n1,2\n", 200, "text/csv",
                       {"Content-Disposition": 'attachment; filename="export.csv"'}),
}

MAP = """
portal: toy
version: "1.0"
detect:
  - {meta: app-version, matches: "^1\\\\."}
selectors:
  home.title: [{css: "h1#title"}]
  form.name: [{label: "Name"}, {css: "#name"}]
  form.color: [{label: "Color"}]
  form.agree: [{label: "Agree"}]
  form.save: [{role: button, name: "Save"}]
  form.doc: [{label: "Document"}]
  form.keys: [{label: "Keys"}]
  home.export: [{role: link, name: "Export CSV"}]
  home.later: [{role: button, name: "Later"}]
  home.ping: [{role: button, name: "Ping"}]
  home.out: [{css: "#out"}]
  home.done: [{css: "#done"}]
  home.twin: [{css: "li.twin"}]
  home.missing: [{css: "#nope"}, {text: "Not here at all"}]
  card: [{css: "#card"}]
  card.who: [{css: ".who"}]
  card.born: [{css: ".born"}]
  card.visits: [{css: ".visits"}]
  card.nickname: [{css: ".nickname"}]
  echo: [{css: "#echo"}]
  people.row: {strategies: [{css: "#people tbody tr"}], all: true}
  people.row.name: [{css: "td.name"}]
  people.row.score: [{css: "td.score"}]
  people.next: [{css: "#next"}]
  people.pager: [{css: "#pager"}]
  items.row: {strategies: [{css: "li.item"}], all: true}
  items.more: [{role: button, name: "Load more"}]
  posts.row: {strategies: [{css: ".post"}], all: true}
  flaky.ok: [{css: "#ok"}]
"""


@pytest.fixture(scope="session")
def toy_server() -> Iterator[PagesServer]:
    with PagesServer(ROUTES) as server:
        yield server


@pytest.fixture(scope="session")
def toy_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("toyws")
    (root / "portwright.toml").write_text('flows = "flows"\n')
    (root / "selectors" / "toy").mkdir(parents=True)
    (root / "selectors" / "toy" / "1.0.yaml").write_text(MAP)
    (root / "flows" / "toy").mkdir(parents=True)
    return root


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def toy_engine(browser: Browser, toy_workspace: Path, toy_server: PagesServer
                     ) -> AsyncIterator[Engine]:
    # a toy portal with no patients: failures keep the readable page and its DOM trace
    settings = load_settings(toy_workspace, step_timeout_ms=4000, artifact_privacy="full")
    engine = Engine(settings, browser=browser, portal_urls={"toy": toy_server.url},
                    secrets=EnvSecretResolver({"PORTWRIGHT_SECRET_TOY_TOKEN": "s3cr3t-t0ken"}))
    yield engine
    await engine.close()


async def run_yaml(engine: Engine, steps: str, inputs: dict[str, Any] | None = None,
                   header: str = "") -> RunResult:
    """Run a flow made of ``steps`` (YAML list items, indented by 2)."""
    text = f"flow: toy.case\n{header}steps:\n{steps}"
    return await engine.run(load_flow_text(text, "case.yaml"), inputs)


@pytest.fixture
def run_flow(toy_engine: Engine) -> Any:
    """``await run_flow(steps_yaml, inputs, header=...)`` on the toy engine."""

    async def go(steps: str, inputs: dict[str, Any] | None = None, header: str = ""
                 ) -> RunResult:
        return await run_yaml(toy_engine, steps, inputs, header)

    return go
