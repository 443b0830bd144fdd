"""Pick the selector-map version matching the live page, in as few round trips as it can.

Meta contents and element presence are read through locators, all at once: locators run
in Playwright's utility world, which the flow's first action needs anyway, whereas the
first ``page.evaluate`` on a new document pays ~8 ms to set up the page's main world.
Only JS-global rules need that evaluate. Regexes are applied in Python. A map matches
when all its rules match; among matches, the one with most rules wins, then the newest.
Every rule of every map is judged, not only up to a map's first failing one: the values
are all read already, and when no map matches, :class:`UnknownUIVersion` carries each
rule's verdict (a canary names the one rule that failed, an element rule included).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from portwright.exceptions import DetectRuleVerdict, UnknownUIVersion
from portwright.selector_map.loader import ResolvedMap, version_key
from portwright.selector_map.model import DetectRule, ElementRule, JsRule, MetaRule, UrlRule
from portwright.shown_url import shown_url

__all__ = ["Detection", "detect_version"]

_JS_PROBE = """(paths) => {
  const out = {};
  for (const path of paths) {
    let v = window;
    for (const part of path.split('.')) { v = (v == null) ? undefined : v[part]; }
    out[path] = (v === undefined || v === null) ? null : String(v);
  }
  return out;
}"""


_PRESENT_WITHIN_MS = 50


def _meta_selector(name: str) -> str:
    return 'meta[name="' + name.replace("\\", "\\\\").replace('"', '\\"') + '"]'


async def _meta_content(page: Page, name: str) -> str | None:
    """One round trip when the tag is there (the usual case); a short wait, then a count,
    when it is not: a slow machine missing the short deadline is caught by the count."""
    meta = page.locator(_meta_selector(name)).first
    try:
        return await meta.get_attribute("content", timeout=_PRESENT_WITHIN_MS)
    except PlaywrightTimeoutError:
        if not await meta.count():
            return None
        return await meta.get_attribute("content")


async def _element_present(page: Page, css: str) -> bool:
    try:
        return await page.locator(css).count() > 0
    except Exception:  # an invalid selector in a rule simply does not match
        return False


class _Seen(TypedDict):
    meta: dict[str, str | None]
    js: dict[str, str | None]
    element: dict[str, bool]


async def _probe(page: Page, probe: dict[str, list[str]]) -> _Seen:
    """Every meta, JS-global and element rule, read concurrently."""
    metas = dict.fromkeys(probe["meta"])
    elements = dict.fromkeys(probe["element"])
    meta_values, element_values, js_values = await asyncio.gather(
        asyncio.gather(*(_meta_content(page, name) for name in metas)),
        asyncio.gather(*(_element_present(page, css) for css in elements)),
        _js_values(page, probe["js"]),
    )
    return {"meta": dict(zip(metas, meta_values, strict=True)),
            "js": js_values,
            "element": dict(zip(elements, element_values, strict=True))}


async def _js_values(page: Page, paths: list[str]) -> dict[str, str | None]:
    if not paths:
        return {}
    values: dict[str, str | None] = await page.evaluate(_JS_PROBE, paths)
    return values


def _verdict(version: str, rule: DetectRule, seen: _Seen, url: str) -> DetectRuleVerdict:
    """``rule`` of map ``version`` judged on what the probe read (no browser call). The
    URL rule matches the whole address; what it shows is the address without its query."""
    if isinstance(rule, MetaRule | JsRule):
        key, value = (f"meta {rule.meta}", seen["meta"].get(rule.meta)) \
            if isinstance(rule, MetaRule) else (f"js {rule.js}", seen["js"].get(rule.js))
        return DetectRuleVerdict(
            version, f"{key} ~ {rule.matches}", value,
            value is not None and re.search(rule.matches, value) is not None)
    if isinstance(rule, UrlRule):
        return DetectRuleVerdict(version, f"url ~ {rule.url}", shown_url(url),
                                 re.search(rule.url, url) is not None)
    return DetectRuleVerdict(version, f"element {rule.element}", None,
                             bool(seen["element"].get(rule.element)))


@dataclass(frozen=True)
class Detection:
    """The chosen version and the observed values that decided it."""

    version: str
    observed: dict[str, str | None]
    pinned: bool = False


async def detect_version(page: Page, maps: Iterable[ResolvedMap],
                         pin_option: str = "--selectors-version") -> Detection:
    """Match the page against every map's ``detect`` rules. ``pin_option`` is the option
    of the calling command that pins a version, for the hint when no map matches."""
    maps = list(maps)
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
    seen = await _probe(page, probe)
    url = page.url
    # what the error and drift reports show: the page's address without its query,
    # which may hold PHI (?mrn=...); the rules still match the whole URL
    observed: dict[str, str | None] = {"url": shown_url(url)}
    observed.update({f"meta {k}": v for k, v in seen["meta"].items()})
    observed.update({f"js {k}": v for k, v in seen["js"].items()})
    matches: list[tuple[int, ResolvedMap]] = []
    tried: list[DetectRuleVerdict] = []
    for m in candidates:
        verdicts = [_verdict(m.version, rule, seen, url) for rule in m.detect]
        tried.extend(verdicts)
        if all(v.matched for v in verdicts):
            matches.append((len(m.detect), m))
    if not matches:
        shown = ", ".join(f"{k}={v!r}" for k, v in observed.items())
        portal = maps[0].portal if maps else "?"
        raise UnknownUIVersion(
            f"no selector map of '{portal}' matches the page ({shown})",
            portal=portal, observed=observed, tried=tried,
            file=Path(maps[0].file).parent if maps else None,
            expected="a map version whose 'detect' rules match this page",
            hint=f"add or fix 'detect' rules, or pin a version ({pin_option})",
        )
    matches.sort(key=lambda t: (t[0], version_key(t[1].version)), reverse=True)
    return Detection(matches[0][1].version, observed)
