"""Reading fields from the page: one element, or every row of a list.

For rows, each field's strategy is chosen once (on the first row) and logged; when all
chosen strategies are CSS, XPath or test id, every row of a page is read by a single
``evaluate_all`` round trip. Other strategies fall back to per-row locators.
"""

from __future__ import annotations

import time
from typing import Any

from playwright.async_api import Locator

from portwright.exceptions import SelectorNotFound
from portwright.flow.steps.extract import ExtractStep, FieldSpec
from portwright.runner.context import RunContext
from portwright.runner.transforms import apply_transforms
from portwright.selector_map.model import CssStrategy, TestIdStrategy, XpathStrategy
from portwright.selector_map.strategies import describe, locator_for

__all__ = ["read_one", "read_rows"]

_READ_ROWS = """(rows, fields) => rows.map(row => {
  const out = {};
  for (const f of fields) {
    let el = row;
    if (f.css) { el = row.querySelector(f.css); }
    else if (f.xpath) {
      el = document.evaluate(f.xpath, row, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null)
        .singleNodeValue;
    }
    if (!el) { out[f.key] = null; continue; }
    out[f.key] = f.attr ? el.getAttribute(f.attr) : (el.innerText ?? el.textContent);
  }
  return out;
})"""


def _dom_query(strategy: Any) -> dict[str, str] | None:
    if isinstance(strategy, CssStrategy):
        return {"css": strategy.css}
    if isinstance(strategy, XpathStrategy):
        return {"xpath": strategy.xpath}
    if isinstance(strategy, TestIdStrategy):
        escaped = strategy.test_id.replace("\\", "\\\\").replace('"', '\\"')
        return {"css": f'[data-testid="{escaped}"]'}
    return None


async def _choose(run: RunContext, name: str, first_row: Locator, optional: bool) -> Any:
    """The strategy of ``name`` that matches inside the first row (logged once)."""
    resolver = await run.resolver()
    entry = resolver.entry(name)
    started = time.perf_counter()
    tried: list[str] = []
    for index, strategy in enumerate(entry.strategies):
        n = await locator_for(first_row, strategy).count()
        tried.append(f"{describe(strategy)} → {n}")
        if n:
            resolver.record(name, index, n, started)
            return strategy
    resolver.record(name, None, 0, started, outcome="missing")
    if optional:
        return entry.strategies[0]
    raise SelectorNotFound("no strategy matched inside the first row", name=name,
                           strategies=tried, url=run.page.url,
                           map_version=resolver.map.version)


async def read_rows(run: RunContext, step: ExtractStep, rows: Locator, offset: int
                    ) -> list[dict[str, Any]]:
    """Every row from ``offset`` on, as dicts of transformed field values."""
    count = await rows.count()
    if count <= offset:
        return []
    specs = step.field_specs()
    first = rows.nth(offset)
    chosen: dict[str, Any] = {}
    cache: dict[str, Any] = run.state.extras.setdefault(f"fields:{id(step)}", {})
    for key, spec in specs.items():
        if spec.target is None:
            chosen[key] = None
        elif key in cache:
            chosen[key] = cache[key]
        else:
            chosen[key] = cache[key] = await _choose(run, spec.target, first, spec.optional)
    queries = {k: (_dom_query(s) if s is not None else {}) for k, s in chosen.items()}
    raw: list[dict[str, Any]]
    if all(q is not None for q in queries.values()):
        fields = [{"key": k, "attr": specs[k].attr, **(queries[k] or {})} for k in specs]
        raw = await rows.evaluate_all(_READ_ROWS, fields)
        raw = raw[offset:]
    else:
        raw = []
        for i in range(offset, count):
            row = rows.nth(i)
            values: dict[str, Any] = {}
            for key, spec in specs.items():
                strategy = chosen[key]
                loc = row if strategy is None else locator_for(row, strategy).first
                if strategy is not None and spec.optional and await loc.count() == 0:
                    values[key] = None
                    continue
                values[key] = await (loc.get_attribute(spec.attr) if spec.attr
                                     else loc.inner_text())
            raw.append(values)
    return [_finish(r, specs, run, step) for r in raw]


def _clean(value: Any, spec: FieldSpec) -> Any:
    names = spec.transforms()
    if not names and isinstance(value, str):
        value = value.strip()
    return apply_transforms(value, names)


def _finish(raw: dict[str, Any], specs: dict[str, FieldSpec], run: RunContext,
            step: ExtractStep) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, spec in specs.items():
        value = raw.get(key)
        if value is None and not spec.optional:
            raise run.fail(step, f"field '{key}' is missing in a row",
                           hint="mark the field 'optional: true' if rows may lack it")
        out[key] = _clean(value, spec)
    return out


async def read_one(run: RunContext, step: ExtractStep) -> dict[str, Any]:
    """Fields of one element (``target``) or of the page."""
    resolver = await run.resolver()
    within = await run.one(step.target, step) if step.target else None
    out: dict[str, Any] = {}
    for key, spec in step.field_specs().items():
        loc: Locator | None
        if spec.target is None:
            loc = within if within is not None else run.page.locator("body")
        elif spec.optional:
            loc = None
            if within is None:
                loc = await resolver.probe(spec.target)
            else:
                for _, cand in resolver.locators(spec.target, within):
                    if await cand.count():
                        loc = cand.first
                        break
        else:
            loc = await resolver.one(spec.target, within=within, timeout_ms=run.timeout(step))
        if loc is None:
            out[key] = _clean(None, spec)
            continue
        value = await (loc.get_attribute(spec.attr) if spec.attr else loc.inner_text())
        out[key] = _clean(value, spec)
    return out
