"""A logged-in browser context as data, and back.

Playwright's ``storage_state()`` holds cookies and localStorage but not
sessionStorage, which single-page portals often use for their bearer token. So the
snapshot also reads sessionStorage of every open page by script, and restoring installs
an init script that puts it back into a fresh context before any page script runs.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page

__all__ = ["StorageSnapshot", "capture", "install", "restore"]

# about:blank, data: and sandboxed documents deny storage access (SecurityError): such
# a page holds no session, so it answers "nothing" instead of failing the capture.
_READ_SESSION_STORAGE = """() => {
  const out = {};
  try {
    for (let i = 0; i < sessionStorage.length; i++) {
      const k = sessionStorage.key(i);
      out[k] = sessionStorage.getItem(k);
    }
  } catch (e) { return [null, {}]; }
  return [location.origin, out];
}"""

_WRITE_SESSION_STORAGE = """(() => {
  const byOrigin = %s;
  const items = byOrigin[location.origin];
  if (!items) return;
  try {
    if (sessionStorage.length > 0) return;
    for (const [k, v] of Object.entries(items)) sessionStorage.setItem(k, v);
  } catch (e) { /* opaque origins have no storage */ }
})();"""


@dataclass
class StorageSnapshot:
    """Cookies + localStorage (Playwright's shape) and sessionStorage per origin."""

    storage_state: dict[str, Any]
    session_storage: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"storage_state": self.storage_state, "session_storage": self.session_storage}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StorageSnapshot:
        return cls(
            storage_state=dict(data.get("storage_state") or {"cookies": [], "origins": []}),
            session_storage={
                str(k): dict(v) for k, v in (data.get("session_storage") or {}).items()
            },
        )

    @property
    def cookie_count(self) -> int:
        return len(self.storage_state.get("cookies", []))


async def _page_session_storage(page: Page) -> tuple[str | None, dict[str, Any]]:
    """The page's origin and sessionStorage. A page in the middle of a navigation loses
    its document under the script; read the new one once it has loaded. A page that
    closes meanwhile holds nothing."""
    from playwright.async_api import Error as PlaywrightError  # the CLI's vault needs none

    for _ in range(2):
        try:
            origin, items = await page.evaluate(_READ_SESSION_STORAGE)
            return (str(origin) if origin else None), dict(items or {})
        except PlaywrightError:
            if page.is_closed():
                break
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("load")
    return None, {}


async def capture(context: BrowserContext) -> StorageSnapshot:
    """Snapshot ``context``: storage state plus the sessionStorage of its open pages."""
    state = cast(dict[str, Any], await context.storage_state())
    session_storage: dict[str, dict[str, str]] = {}
    for page in context.pages:
        if page.is_closed():
            continue
        origin, items = await _page_session_storage(page)
        if origin and origin != "null" and items:
            session_storage[origin] = {str(k): str(v) for k, v in items.items()}
    return StorageSnapshot(storage_state=state, session_storage=session_storage)


async def restore(
    browser: Browser, snapshot: StorageSnapshot, **context_options: Any
) -> BrowserContext:
    """A new context carrying the snapshot's cookies, localStorage and sessionStorage."""
    context = await browser.new_context(
        storage_state=cast(Any, snapshot.storage_state), **context_options
    )
    await _install_session_storage(context, snapshot.session_storage)
    return context


async def _install_session_storage(
    context: BrowserContext, by_origin: dict[str, dict[str, str]], store: str = "sessionStorage"
) -> None:
    if by_origin:
        script = _WRITE_SESSION_STORAGE.replace("sessionStorage", store) % json.dumps(by_origin)
        await context.add_init_script(script=script)


async def install(context: BrowserContext, snapshot: StorageSnapshot) -> None:
    """Load a snapshot into an existing context (cookies now, sessionStorage on navigation).

    localStorage cannot be written into an existing context without visiting each
    origin, so it goes through the same init script as sessionStorage.
    """
    cookies = snapshot.storage_state.get("cookies") or []
    if cookies:
        await context.add_cookies(cookies)
    await _install_session_storage(context, snapshot.session_storage)
    local = {
        o["origin"]: {i["name"]: i["value"] for i in o.get("localStorage", [])}
        for o in snapshot.storage_state.get("origins", [])
        if o.get("localStorage")
    }
    await _install_session_storage(context, local, "localStorage")
