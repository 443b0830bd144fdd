"""The portal's base URL of a run: checked when given, and a clear error when a flow
needs it and none was given.

Without this, ``--portal-url portal.example`` (no scheme) or no URL at all reached the
browser as a relative address and failed deep inside a step with Playwright's "Invalid
URL", naming neither the option nor the fix.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from portwright.exceptions import ConfigError

__all__ = ["PortalInfo", "checked_portal_url"]

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
        raise ConfigError(f"the URL of portal '{portal}' ({url!r}) is not an absolute "
                          "http(s) URL with a host", hint=f"pass the portal's base URL, "
                          f"{_example(option)}")
    return url


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
            portal = self["name"]
            raise ConfigError(
                f"the flow needs portal.{key}, but no URL was given for portal '{portal}'",
                hint=f"{_EXAMPLE}, or `portwright secrets set {portal} base_url`")
        raise KeyError(key)
