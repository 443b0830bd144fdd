"""Reading fields from the page: one element, or every row of a list.

Rows are read by a single ``evaluate_all`` round trip per page with each field's primary
strategy (CSS, XPath or test id), which also tells how many rows and field elements were
found: no separate counting. Only when a field's primary finds nothing in any row are
its fallbacks counted on the first row. Fields whose primary strategy needs Playwright's
engine (role, label, text) are read with per-row locators.
"""

from __future__ import annotations

import time
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator

from portwright.exceptions import SelectorNotFound
from portwright.flow.steps.extract import ExtractStep, FieldSpec
from portwright.runner.context import RunContext
from portwright.runner.transforms import apply_transforms
from portwright.selector_map.model import CssStrategy, TestIdStrategy, XpathStrategy
from portwright.selector_map.resolver import Resolver
from portwright.selector_map.strategies import describe, locator_for

__all__ = ["dom_query", "field_value", "finish_row", "read_one", "read_rows"]

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


def dom_query(strategy: Any) -> dict[str, str] | None:
    """The strategy as a plain DOM query (CSS or XPath); None when only Playwright's
    engine can evaluate it (role, label, placeholder, text)."""
    if isinstance(strategy, CssStrategy):
        return {"css": strategy.css}
    if isinstance(strategy, XpathStrategy):
        return {"xpath": strategy.xpath}
    if isinstance(strategy, TestIdStrategy):
        escaped = strategy.test_id.replace("\\", "\\\\").replace('"', '\\"')
        return {"css": f'[data-testid="{escaped}"]'}
    return None


async def _choose(resolver: Resolver, run: RunContext, name: str, first_row: Locator,
                  optional: bool) -> Any:
    """The strategy of ``name`` that matches inside the first row (logged)."""
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


async def _evaluate(rows: Locator, specs: dict[str, FieldSpec], chosen: dict[str, Any]
                    ) -> list[dict[str, Any]]:
    fields = [{"key": k, "attr": specs[k].attr,
               **((dom_query(chosen[k]) or {}) if chosen[k] is not None else {})}
              for k in specs]
    result: list[dict[str, Any]] = await rows.evaluate_all(_READ_ROWS, fields)
    return result


async def read_rows(run: RunContext, step: ExtractStep, rows: Locator, offset: int
                    ) -> tuple[list[dict[str, Any]], int]:
    """Rows from ``offset`` on (transformed field values) and the total row count."""
    resolver = await run.resolver()
    specs = step.field_specs()
    cache_key = f"fields:{id(step)}"
    cached: dict[str, Any] | None = run.state.extras.get(cache_key)
    chosen: dict[str, Any] = dict(cached) if cached else {
        k: (resolver.entry(s.target).strategies[0] if s.target else None)
        for k, s in specs.items()}
    if all(v is None or dom_query(v) is not None for v in chosen.values()):
        started = time.perf_counter()
        raw = await _evaluate(rows, specs, chosen)
        total = len(raw)
        raw = raw[offset:]
        if raw and cached is None:
            retry = False
            for key, spec in specs.items():
                if spec.target is None:
                    continue
                found = sum(1 for r in raw if r.get(key) is not None)
                entry = resolver.entry(spec.target)
                if found == 0 and len(entry.strategies) > 1:
                    chosen[key] = await _choose(resolver, run, spec.target, rows.nth(offset),
                                                spec.optional)
                    retry = retry or dom_query(chosen[key]) is not None
                else:
                    resolver.record(spec.target, 0 if found else None, found, started,
                                    outcome=None if found or not spec.optional else "absent")
            run.state.extras[cache_key] = chosen
            if retry and all(v is None or dom_query(v) is not None for v in chosen.values()):
                raw = (await _evaluate(rows, specs, chosen))[offset:]
            elif retry or not all(v is None or dom_query(v) is not None
                                  for v in chosen.values()):
                return await _read_per_row(run, step, rows, offset, specs, chosen)
        return [finish_row(r, specs, run, step) for r in raw], total
    return await _read_per_row(run, step, rows, offset, specs, chosen)


async def _read_per_row(run: RunContext, step: ExtractStep, rows: Locator, offset: int,
                        specs: dict[str, FieldSpec], chosen: dict[str, Any]
                        ) -> tuple[list[dict[str, Any]], int]:
    """Slow path for strategies only Playwright can evaluate (role, label, text)."""
    resolver = await run.resolver()
    total = await rows.count()
    if total <= offset:
        return [], total
    cache_key = f"fields:{id(step)}:checked"
    if not run.state.extras.get(cache_key):
        for key, spec in specs.items():
            if spec.target is not None:
                chosen[key] = await _choose(resolver, run, spec.target, rows.nth(offset),
                                            spec.optional)
        run.state.extras[cache_key] = True
        run.state.extras[f"fields:{id(step)}"] = chosen
    raw: list[dict[str, Any]] = []
    for i in range(offset, total):
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
    return [finish_row(r, specs, run, step) for r in raw], total


def _clean(value: Any, spec: FieldSpec) -> Any:
    names = spec.transforms()
    if not names and isinstance(value, str):
        value = value.strip()
    return apply_transforms(value, names)


def field_value(value: Any, key: str, spec: FieldSpec, run: RunContext,
                 step: ExtractStep, whole: str) -> Any:
    """``value`` through the field's transforms; a value they refuse fails the step
    (``whole``: what a field without a target reads, named in the message)."""
    try:
        return _clean(value, spec)
    except ValueError as exc:  # a transform refused what the page showed
        raise run.fail(step, f"field '{key}' ({spec.target or whole}): {exc}",
                       hint=f"transforms {spec.transforms()}: the portal may show this "
                       "field in another format now") from None


def finish_row(raw: dict[str, Any], specs: dict[str, FieldSpec], run: RunContext,
            step: ExtractStep) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, spec in specs.items():
        value = raw.get(key)
        if value is None and not spec.optional:
            hint = "mark the field 'optional: true' if rows may lack it"
            resolver = run.state.resolver
            if spec.target is not None and resolver is not None:
                # a selector problem, named as one: drift reports and retries can tell
                tried = [describe(s) for s in resolver.entry(spec.target).strategies]
                raise SelectorNotFound(f"field '{key}' is missing in a row: no strategy found "
                                       "it inside the row", name=spec.target, strategies=tried,
                                       url=run.page.url, map_version=resolver.map.version,
                                       hint=hint)
            raise run.fail(step, f"field '{key}' (the row) is missing in a row", hint=hint)
        out[key] = field_value(value, key, spec, run, step, "the row")
    return out


async def read_one(run: RunContext, step: ExtractStep) -> dict[str, Any]:
    """Fields of one element (``target``) or of the page."""
    resolver = await run.resolver()
    within = await run.one(step.target, step, navigates=False) if step.target else None
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
            loc = await resolver.one(spec.target, within=within, timeout_ms=run.timeout(step),
                                     navigates=False)
        if loc is None:
            out[key] = _clean(None, spec)
            continue
        timeout = run.timeout(step)  # not the context's default: the step's own bound
        try:
            value = await (loc.get_attribute(spec.attr, timeout=timeout) if spec.attr
                           else loc.inner_text(timeout=timeout))
        except PlaywrightError as exc:
            if within is None or spec.target is None or step.target is None:
                raise
            raise await _missing_inside(run, step, step.target, within, spec.target,
                                        exc) from None
        out[key] = field_value(value, key, spec, run, step, step.target or "the page")
    return out


async def _missing_inside(run: RunContext, step: ExtractStep, target: str, within: Locator,
                          name: str, cause: PlaywrightError) -> BaseException:
    """Why the field ``name`` of an extract with ``target`` could not be read. Its
    strategies were counted inside the target only; when the target is there and the
    field is not, that is said, with a hint to match: "update the map" misleads when
    the map is right and the field merely lies outside the target. Otherwise the
    resolver's own explanation (the target missing, an ambiguity), else the browser's
    error."""
    resolver = await run.resolver()
    error = await resolver.settle(succeeded=False, timeout_ms=run.timeout(step), cause=cause)
    if not isinstance(error, SelectorNotFound) or error.name != name:
        return error or cause
    try:
        target_found = await within.count() > 0
    except PlaywrightError:
        target_found = False
    if not target_found:
        return error
    return SelectorNotFound(
        f"no strategy matched inside '{target}' within {run.timeout(step):g} ms", name=name,
        strategies=error.strategies, url=run.page.url, map_version=error.map_version,
        hint=f"is it inside '{target}'? fields of a targeted extract are looked up within "
             f"it: read one found elsewhere on the page in an extract without 'target' "
             f"(if it is inside and the page changed, update '{name}')")
