"""Pick the selector-map version matching the live page, in one browser round trip.

Every rule of every candidate map is read by a single ``page.evaluate`` (meta contents,
global values, element presence); regexes are applied in Python. A map matches when
all its rules match; among matches, the one with most rules wins, then the newest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from playwright.async_api import Page

from portwright.exceptions import SelectorMapError
from portwright.selector_map.loader import ResolvedMap, version_key
from portwright.selector_map.model import ElementRule, JsRule, MetaRule, UrlRule

__all__ = ["Detection", "detect_version"]

_PROBE = """(probe) => {
  const out = {meta: {}, js: {}, element: {}};
  for (const name of probe.meta) {
    const el = document.querySelector(`meta[name="${CSS.escape(name)}"]`);
    out.meta[name] = el ? el.getAttribute('content') : null;
  }
  for (const path of probe.js) {
    let v = window;
    for (const part of path.split('.')) { v = (v == null) ? undefined : v[part]; }
    out.js[path] = (v === undefined || v === null) ? null : String(v);
  }
  for (const css of probe.element) {
    let found = false;
    try { found = document.querySelector(css) !== null; } catch (e) { found = false; }
    out.element[css] = found;
  }
  return out;
}"""


@dataclass(frozen=True)
class Detection:
    """The chosen version and the observed values that decided it."""

    version: str
    observed: dict[str, str | None]
    pinned: bool = False


async def detect_version(page: Page, maps: Iterable[ResolvedMap]) -> Detection:
    """Match the page against every map's ``detect`` rules."""
    candidates = [m for m in maps if m.detect]
    probe: dict[str, list[str]] = {"meta": [], "js": [], "element": []}
    for m in candidates:
        for rule in m.detect:
            if isinstance(rule, MetaRule):
                probe["meta"].append(rule.meta)
            elif isinstance(rule, JsRule):
                probe["js"].append(rule.js)
            elif isinstance(rule, ElementRule):
                probe["element"].append(rule.element)
    seen = await page.evaluate(_PROBE, probe) if any(probe.values()) else {
        "meta": {}, "js": {}, "element": {}}
    url = page.url
    observed: dict[str, str | None] = {"url": url}
    observed.update({f"meta {k}": v for k, v in seen["meta"].items()})
    observed.update({f"js {k}": v for k, v in seen["js"].items()})
    matches: list[tuple[int, ResolvedMap]] = []
    for m in candidates:
        ok = True
        for rule in m.detect:
            if isinstance(rule, MetaRule):
                value = seen["meta"].get(rule.meta)
                ok = value is not None and re.search(rule.matches, value) is not None
            elif isinstance(rule, JsRule):
                value = seen["js"].get(rule.js)
                ok = value is not None and re.search(rule.matches, value) is not None
            elif isinstance(rule, UrlRule):
                ok = re.search(rule.url, url) is not None
            elif isinstance(rule, ElementRule):
                ok = bool(seen["element"].get(rule.element))
            if not ok:
                break
        if ok:
            matches.append((len(m.detect), m))
    if not matches:
        shown = ", ".join(f"{k}={v!r}" for k, v in observed.items())
        portal = next(iter(candidates)).portal if candidates else "?"
        raise SelectorMapError(
            f"no selector map of '{portal}' matches the page ({shown})",
            expected="a map version whose 'detect' rules match this page",
            hint="add or fix 'detect' rules, or pin a version (--selectors-version)",
        )
    matches.sort(key=lambda t: (t[0], version_key(t[1].version)), reverse=True)
    return Detection(matches[0][1].version, observed)
