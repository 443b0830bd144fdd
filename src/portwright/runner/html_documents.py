"""``extract`` with ``html``: fields read from an HTML document the session fetched.

Reading a chart tab by navigating to it costs a navigation and the first layout of the
page; fetching it (``request``) and reading the fields from its HTML costs a fraction.
The document is parsed in the page with ``DOMParser``: an inert document, so none of its
scripts run and nothing it links (images, styles, frames) is loaded, and the page itself
does not move. Everything is read in one round trip.

Only strategies the DOM answers by itself apply there: CSS, XPath and test id. Role,
label, placeholder and text strategies need Playwright's engine on a rendered page, so a
name that has one is refused (``SelectorMapError`` naming the field, the name and the
strategy) before anything is read, rather than silently skipped.

Text is what the page-based ``extract`` reads with ``innerText``, as far as it follows
from the markup alone (an inert document has no layout): whitespace runs inside text
collapse to one space, ``<br>`` and block elements (paragraphs, list items, rows, ...)
break lines, cells of a row are separated by a tab, every line is trimmed and blank lines
are dropped; ``script``, ``style`` and ``template`` content is not text. A single-line
field therefore reads exactly as on the page; a multi-line one keeps its lines but not
the blank line ``innerText`` puts between paragraphs, and text hidden by a style sheet
is read (nothing is styled).

Resolutions are logged as on the page (which strategy found each name, how many), so
drift reports keep working; values are never logged. They, and the selector errors, name
where the names were looked for: the fetched document's URL (the ``url`` of the
``request`` result whose ``text`` ``html`` reads, its query cut as
:func:`~portwright.shown_url.shown_url` does), not the page's, which the canary and
``selectors`` reports would otherwise credit with names it may not even show. HTML that
comes from no request result (built by a template) is credited to the page it was read in.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError

from portwright.auth.sign_in_page import fetched_sign_in_page
from portwright.exceptions import (
    SelectorAmbiguous,
    SelectorInvalid,
    SelectorMapError,
    SelectorNotFound,
)
from portwright.flow.steps.extract import ExtractStep, FieldSpec
from portwright.runner.context import RunContext
from portwright.runner.extraction import dom_query, field_value, finish_row
from portwright.runner.rendered_counts import rendered_count
from portwright.selector_map.loader import ResolvedMap
from portwright.selector_map.model import SelectorEntry
from portwright.selector_map.resolver import Outcome, Resolver
from portwright.selector_map.strategies import describe
from portwright.shown_url import shown_url

__all__ = ["read_html", "unreadable_in_html"]

_READ = """([html, plan]) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'HEAD']);
  const BLOCK = new Set(['ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION',
    'DD', 'DETAILS', 'DIALOG', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE',
    'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN',
    'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TFOOT', 'THEAD',
    'TR', 'UL']);
  const text = (el) => {
    const parts = [];
    const walk = (node) => {
      if (node.nodeType === 3) { parts.push(node.data.replace(/[ \\t\\n\\r\\f]+/g, ' ')); return; }
      if (node.nodeType !== 1 || SKIP.has(node.tagName)) return;
      if (node.tagName === 'BR') { parts.push('\\n'); return; }
      const block = BLOCK.has(node.tagName);
      if (block) parts.push('\\n');
      for (const child of node.childNodes) walk(child);
      if (block) parts.push('\\n');
      if (node.tagName === 'TD' || node.tagName === 'TH') parts.push('\\t');
    };
    for (const child of el.childNodes) walk(child);
    return parts.join('').split('\\n').map(l => l.replace(/^[ \\t]+|[ \\t]+$/g, ''))
      .filter(l => l !== '').join('\\n');
  };
  const find = (base, q) => {
    if (q.css !== undefined) return Array.from(base.querySelectorAll(q.css));
    // as Playwright does: an XPath starting with '/' is relative to the scope element
    const xpath = q.xpath.startsWith('/') && base !== doc ? '.' + q.xpath : q.xpath;
    const found = doc.evaluate(xpath, base, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    const out = [];
    for (let i = 0; i < found.snapshotLength; i++) {
      const node = found.snapshotItem(i);
      if (node.nodeType === 1) out.push(node);
    }
    return out;
  };
  const log = [];
  // the elements of a lookup within base (its scope first unless within was given)
  const resolve = (base, lookup, scoped) => {
    if (lookup.scope && !scoped) {
      const outer = resolve(base, lookup.scope, false);
      if (outer === null || outer.length === 0) return outer;
      base = outer[0];
    }
    for (let i = 0; i < lookup.queries.length; i++) {
      let els;
      try { els = find(base, lookup.queries[i]); } catch (e) {
        log.push({name: lookup.name, index: i, count: 0, invalid: String(e.message || e)});
        return null;
      }
      if (els.length === 0) continue;
      log.push({name: lookup.name, index: i, count: els.length});
      if (lookup.nth !== null) return els.length > lookup.nth ? [els[lookup.nth]] : [];
      return els;
    }
    log.push({name: lookup.name, index: null, count: 0});
    return [];
  };
  const read = (el, attr) => attr ? el.getAttribute(attr) : text(el);
  if (plan.rows === null) {
    let within = doc.body || doc.documentElement;
    if (plan.target !== null) {
      const els = resolve(doc, plan.target, false);
      if (els === null || els.length === 0) return {log, values: null};
      within = els[0];
    }
    const values = {};
    for (const f of plan.fields) {
      if (f.lookup === null) { values[f.key] = read(within, f.attr); continue; }
      const els = resolve(plan.target === null ? doc : within, f.lookup, plan.target !== null);
      if (els === null) return {log, values: null};
      values[f.key] = els.length ? read(els[0], f.attr) : null;
    }
    return {log, values};
  }
  let rows = resolve(doc, plan.rows, false);
  if (rows === null) return {log, values: null};
  if (rows.length === 0) return {log, values: []};
  if (plan.limit !== null) rows = rows.slice(0, plan.limit);
  const values = rows.map(() => ({}));
  for (const f of plan.fields) {
    if (f.lookup === null) {
      rows.forEach((row, r) => { values[r][f.key] = read(row, f.attr); });
      continue;
    }
    // the first strategy that finds the field in some row reads it in every row
    let chosen = null, found = 0;
    for (let i = 0; i < f.lookup.queries.length && chosen === null; i++) {
      let els;
      try { els = rows.map(row => find(row, f.lookup.queries[i])[0] || null); } catch (e) {
        log.push({name: f.lookup.name, index: i, count: 0, invalid: String(e.message || e)});
        return {log, values: null};
      }
      found = els.filter(el => el !== null).length;
      if (!found) continue;
      chosen = i;
      rows.forEach((_, r) => { values[r][f.key] = els[r] ? read(els[r], f.attr) : null; });
    }
    log.push({name: f.lookup.name, index: chosen, count: found, field: true});
    if (chosen === null) rows.forEach((_, r) => { values[r][f.key] = null; });
  }
  return {log, values};
}"""


@dataclass(frozen=True)
class Unreadable:
    """A strategy that cannot be evaluated on fetched HTML: which field, name, strategy."""

    field: str
    name: str
    strategy: str

    def __str__(self) -> str:
        return (f"field '{self.field}' uses logical name '{self.name}', whose strategy "
                f"{self.strategy} needs a rendered page and cannot read fetched HTML")


def _names(step: ExtractStep, entries: Mapping[str, SelectorEntry]
           ) -> Iterator[tuple[str, str]]:
    """(field, logical name) of every name the step reads, scopes included."""
    named: list[tuple[str, str | None]] = [("target", step.target), ("rows", step.rows)]
    named += [(key, spec.target) for key, spec in step.field_specs().items()]
    for field, name in named:
        seen: set[str] = set()
        while name is not None and name not in seen:
            seen.add(name)
            yield field, name
            entry = entries.get(name)
            # a field read inside the target or a row ignores its own scope
            name = entry.scope if entry is not None and (
                field in ("target", "rows") or (step.target is None and step.rows is None)
            ) else None


def unreadable_in_html(step: ExtractStep, entries: Mapping[str, SelectorEntry]
                       ) -> list[Unreadable]:
    """The strategies ``step`` would need on a rendered page (``entries``: a map's
    entries by name); empty when every name it reads applies to fetched HTML. A name the
    map lacks is not this check's concern (it is reported as missing)."""
    found = []
    for field, name in _names(step, entries):
        entry = entries.get(name)
        if entry is not None and entry.frame is not None:  # fetched HTML loads no frames
            found.append(Unreadable(field, name, f"frame={entry.frame_name(name)}"))
            continue
        for strategy in entry.strategies if entry is not None else []:
            if dom_query(strategy) is None:
                found.append(Unreadable(field, name, describe(strategy)))
    return found


def _lookup(smap: ResolvedMap, name: str, scoped: bool) -> dict[str, Any]:
    entry = smap.entries[name]
    return {"name": name, "queries": [dom_query(s) for s in entry.strategies],
            "nth": entry.nth,
            "scope": None if scoped or entry.scope is None else _lookup(smap, entry.scope,
                                                                          False)}


def _refuse(step: ExtractStep, smap: ResolvedMap, run: RunContext) -> None:
    unreadable = unreadable_in_html(step, smap.entries)
    if unreadable:
        first = unreadable[0]
        raise SelectorMapError(
            f"extract with 'html' in flow '{run.flow.flow}' (step {step.title}): {first}",
            file=smap.origin.get(first.name, smap.file),
            expected="CSS, XPath or test-id strategies for names read from fetched HTML "
                     "(or read this field from the page, without 'html')")


#: ``{{ tab.text }}`` or ``{{ tab['text'] }}``: the text of the fetched document ``tab``
_FETCHED_TEXT = re.compile(
    r"^\s*\{\{\s*(?P<document>[^{}]+?)\s*(?:\.\s*text|\[\s*(?P<q>['\"])text(?P=q)\s*\])"
    r"\s*\}\}\s*$")


def _fetched_url(value: Any) -> str | None:
    """The URL of ``value`` when it is a ``request`` step's result."""
    if isinstance(value, Mapping) and isinstance(value.get("url"), str) \
            and isinstance(value.get("text"), str):
        return str(value["url"])
    return None


def _results_holding(value: Any, html: str, depth: int = 0) -> Iterator[str]:
    """URLs of the request results in ``value`` (vars, lists, dicts) whose text is ``html``."""
    url = _fetched_url(value)
    if url is not None:
        if value["text"] == html:
            yield url
        return
    if depth >= 4:  # request results sit in a var, or a list or dict of them
        return
    children = value.values() if isinstance(value, Mapping) else \
        value if isinstance(value, list | tuple) else ()
    for child in children:
        yield from _results_holding(child, html, depth + 1)


def _fetched_from(run: RunContext, step: ExtractStep, html: str) -> str | None:
    """Where the document ``html`` (``step.html`` rendered) was fetched from: the result
    its template names (``{{ tab.text }}``), else the one request result holding exactly
    this text; None when neither tells."""
    assert step.html is not None
    named = _FETCHED_TEXT.match(step.html)
    if named is not None:
        try:
            url = _fetched_url(run.evaluate(named["document"]))
        except TemplateError:
            url = None
        if url is not None:
            return url
    holding = set(_results_holding(run.vars, html))
    return holding.pop() if len(holding) == 1 else None


def _record(resolver: Resolver, url: str, name: str, index: int | None, count: int,
            started: float, outcome: Outcome | None = None) -> None:
    """``resolver.record`` of a name looked for in the document at ``url``."""
    resolver.record(name, index, count, started, outcome=outcome, url=url)


def _log(resolver: Resolver, step: ExtractStep, smap: ResolvedMap, log: list[dict[str, Any]],
         started: float, url: str) -> None:
    """Record what the document at ``url`` showed; raise the selector error it explains."""
    optional = {s.target for s in step.field_specs().values() if s.optional}
    for item in log:
        name, index, count = item["name"], item["index"], item["count"]
        entry = smap.entries[name]
        if "invalid" in item:
            _record(resolver, url, name, index, 0, started, outcome="invalid")
            raise SelectorInvalid(
                item["invalid"], name=name, strategy=describe(entry.strategies[index]),
                index=index, file=str(smap.origin.get(name, smap.file)), url=url,
                map_version=smap.version)
        tried = [describe(s) for s in entry.strategies]
        if index is None:
            absent = name in optional and name not in (step.target, step.rows)
            outcome: Outcome = ("empty" if name == step.rows else "absent" if absent
                                else "missing")
            _record(resolver, url, name, None, 0, started, outcome=outcome)
            if outcome == "missing" and not item.get("field"):
                raise SelectorNotFound("no strategy matched in the fetched HTML", name=name,
                                       strategies=tried, url=url,
                                       map_version=smap.version)
            continue
        single = not item.get("field") and not entry.all and entry.nth is None
        if single and count > 1 and name not in optional:
            _record(resolver, url, name, index, count, started, outcome="ambiguous")
            raise SelectorAmbiguous(
                f"matched {count} elements in the fetched HTML where one was expected",
                name=name, strategies=tried, url=url, map_version=smap.version,
                hint="make the strategy more specific, add 'scope', or set 'nth'")
        _record(resolver, url, name, index, count, started)


def _looked_up(step: ExtractStep) -> list[str]:
    """The names the step reads, outermost first."""
    names = (step.target, step.rows, *(s.target for s in step.field_specs().values()))
    return [n for n in names if n is not None]


async def read_html(run: RunContext, step: ExtractStep) -> dict[str, Any] | list[Any]:
    """The step's fields read from its ``html`` document: one dict, or one per row."""
    assert step.html is not None
    resolver = await run.resolver()
    smap = resolver.map
    specs = step.field_specs()
    for name in (step.target, step.rows, *(s.target for s in specs.values())):
        if name is not None:
            resolver.entry(name)  # a name the map lacks: SelectorNotFound, as on the page
    _refuse(step, smap, run)
    html = run.text(step.html)
    limit = (None if step.limit is None
             else rendered_count(run, step.limit, field="limit", step=step))
    fetched = _fetched_from(run, step, html)
    if fetched is not None:
        # the portal answered the fetch with its sign-in page: the session ended, and
        # "selector not found" would send the user to fix a map that is fine
        signed_out = fetched_sign_in_page(run, step, _looked_up(step), fetched)
        if signed_out is not None:
            raise signed_out
    within = step.target is not None or step.rows is not None
    plan = {
        "target": None if step.target is None else _lookup(smap, step.target, False),
        "rows": None if step.rows is None else _lookup(smap, step.rows, False),
        "limit": limit,
        "fields": [{"key": key, "attr": spec.attr,
                    "lookup": None if spec.target is None
                    else _lookup(smap, spec.target, within)} for key, spec in specs.items()],
    }
    started = time.perf_counter()
    answer: dict[str, Any] = await run.page.evaluate(_READ, [html, plan])
    _log(resolver, step, smap, answer["log"], started,
         shown_url(run.page.url if fetched is None else fetched))
    values = answer["values"]
    if step.rows is not None:
        run.note(step, rows=len(values))
        return [finish_row(row, specs, run, step) for row in values]
    return {key: _one(values.get(key), key, spec, run, step) for key, spec in specs.items()}


def _one(value: Any, key: str, spec: FieldSpec, run: RunContext, step: ExtractStep) -> Any:
    """A field of one element: a missing element was already raised (or is optional)."""
    return field_value(value, key, spec, run, step, step.target or "the document")
