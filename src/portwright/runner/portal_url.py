"""The portal's base URL of a run: checked when given, and a clear error when a flow
needs it and none was given.

Without this, ``--portal-url portal.example`` (no scheme) or no URL at all reached the
browser as a relative address and failed deep inside a step with Playwright's "Invalid
URL", naming neither the option nor the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from portwright.exceptions import ConfigError, PortwrightError
from portwright.shown_url import shown_url

if TYPE_CHECKING:
    from portwright.flow.model import Flow
    from portwright.flow.repository import FlowRepository

__all__ = ["PortalInfo", "checked_portal_url", "flow_reading_portal_url", "no_portal_url"]

#: ``portal.base_url``, ``portal.url`` or ``portal['base_url']`` in a template
_READS_URL = re.compile(
    r"\bportal\s*(?:\.\s*(?:base_url|url)\b|\[\s*[\"'](?:base_url|url)[\"']\s*\])")


def _example(option: str) -> str:
    return f"e.g. {option} https://portal.example or http://127.0.0.1:8765"


_EXAMPLE = _example("--portal-url")


def checked_portal_url(url: str | None, portal: str, option: str = "--portal-url"
                       ) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host; None stays None. ``option``
    is how the calling command takes the URL, for the hint."""
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        # shown without its query: a pasted address may carry a patient (?mrn=...)
        raise ConfigError(f"the URL of portal '{portal}' ({shown_url(url)!r}) is not an absolute "
                          "http(s) URL with a host", hint=f"pass the portal's base URL, "
                          f"{_example(option)}")
    return url


def no_portal_url(portal: str, needed_by: str) -> ConfigError:
    """The error for a run that has no URL for ``portal`` where ``needed_by`` (a flow, or
    ``portal.base_url``) needs one: it names both ways to give it."""
    return ConfigError(
        f"{needed_by}, but no URL was given for portal '{portal}'",
        hint=f"{_EXAMPLE}, or `portwright secrets set {portal} base_url`")


def _texts(value: Any) -> Iterable[str]:
    """Every string inside a dumped flow (keys and values, however nested)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _reads_portal_url(flow: Flow) -> bool:
    """Whether a step or an output of ``flow`` (not its description) reads the URL."""
    templated = flow.model_dump(mode="json", include={"steps", "outputs"})
    return any(_READS_URL.search(text) for text in _texts(templated))


def _called(flow: Flow) -> list[str]:
    from portwright.flow.steps.call import CallStep

    return [step.flow for step in flow.walk() if isinstance(step, CallStep)]


def flow_reading_portal_url(flows: FlowRepository, names: Iterable[str]) -> str | None:
    """The first of the flows ``names``, or of the flows they call however deep, whose
    templates read the portal's URL; None when none does.

    Asked before a run that has no URL, so that a configuration mistake is named before
    a browser opens, not by a failure screenshot of a blank page once the login flow has
    started. A flow that does not load is passed over: the run reports it where it is met.
    """
    pending, seen = list(names), set()
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        try:
            flow = flows.get(name)
        except PortwrightError:
            continue
        if _reads_portal_url(flow):
            return name
        pending.extend(_called(flow))
    return None


class PortalInfo(dict[str, Any]):
    """``portal`` in flow templates; reading ``base_url`` or ``url`` when the run has no
    portal URL raises a :class:`ConfigError` that says how to give one."""

    def __init__(self, portal: str, url: str | None, account: str | None) -> None:
        super().__init__(name=portal, account=account)
        if url is not None:
            self["base_url"] = url.rstrip("/")
            self["url"] = url

    def __missing__(self, key: str) -> Any:
        if key in ("base_url", "url"):
            raise no_portal_url(self["name"], f"the flow needs portal.{key}")
        raise KeyError(key)
