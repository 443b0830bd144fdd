"""Which browser portwright drives, and how it is launched. The one place for both.

Discovery order (the first that exists wins, and the reason is kept for ``doctor``):

1. ``PORTWRIGHT_BROWSER`` (or the ``browser`` setting): an explicit executable;
2. ``/usr/bin/chromium``: Debian's package, the only browser on machines where
   ``playwright install`` cannot download;
3. Playwright's own managed Chromium (``executable_path=None``), for users elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from portwright.exceptions import ConfigError

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

__all__ = ["LAUNCH_ARGS", "PLAYWRIGHT_DISABLED_FEATURES", "SYSTEM_CHROMIUM", "UNUSED_UI_FEATURES",
           "BrowserChoice", "discover_browser", "launch"]

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")

#: The features Playwright (1.65) turns off with its own ``--disable-features`` switch.
#: Chromium reads only the *last* such switch, so passing ours alone would silently turn
#: these back on (HTTPS upgrades of http:// portals among them); ours repeats them.
#: ``tests/portwright/test_browser.py`` fails when a Playwright upgrade adds one.
PLAYWRIGHT_DISABLED_FEATURES: tuple[str, ...] = (
    "AimEnabled", "AvoidCorsURLLoaderRestartOnRedirect", "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose", "HttpsFirstBalancedModeAutoEnable", "HttpsUpgrades",
    "LensOverlay", "MediaRouter", "NetworkTimeServiceQuerying", "OptimizationHints",
    "PaintHolding", "PreconnectToSearch", "TcpPortRandomizationWin",
    "ThirdPartyStoragePartitioning", "msEdgeUpdateLaunchServicesPreferredVersion",
    "msForceBrowserSignIn",
)

#: Browser UI that headless automation never shows. Chromium 15x preloads the address
#: bar's two WebUI popups into every window, i.e. into every browser context: two more
#: renderers, ~60 ms and ~140 ms of CPU per context on the 2-core machine, a third of the
#: CPU of replaying the whole Valant suite (see docs/recording.md, Performance).
UNUSED_UI_FEATURES: tuple[str, ...] = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")

# Headless flags that keep Chromium quiet on a closed network and fast to start.
LAUNCH_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + UNUSED_UI_FEATURES),
)


@dataclass(frozen=True)
class BrowserChoice:
    """The executable to pass to Playwright (``None``: its managed browser) and why."""

    executable: Path | None
    reason: str

    @property
    def found(self) -> bool:
        return self.executable is None or self.executable.exists()


def _managed_chromium() -> Path | None:
    base = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache/ms-playwright"))
    if not base.is_dir():
        return None
    for candidate in sorted(base.glob("chromium*/chrome-linux*/chrome"), reverse=True):
        if candidate.exists():
            return candidate
    return None


def discover_browser(override: str | None = None) -> BrowserChoice:
    """Pick the browser executable; raises ``ConfigError`` if an override does not exist."""
    explicit = override or os.environ.get("PORTWRIGHT_BROWSER")
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(
                f"PORTWRIGHT_BROWSER points at {path}, which does not exist",
                hint="unset PORTWRIGHT_BROWSER or point it at a Chromium executable",
            )
        return BrowserChoice(path, "PORTWRIGHT_BROWSER override")
    if SYSTEM_CHROMIUM.exists():
        return BrowserChoice(SYSTEM_CHROMIUM, "system Chromium (Debian package)")
    managed = _managed_chromium()
    if managed is not None:
        return BrowserChoice(None, f"Playwright's managed Chromium ({managed})")
    return BrowserChoice(
        SYSTEM_CHROMIUM,
        "no browser found: install Debian's chromium or run `playwright install chromium`",
    )


async def launch(playwright: Playwright, *, headless: bool = True, override: str | None = None
                 ) -> Browser:
    """Launch the discovered Chromium with portwright's standard flags."""
    choice = discover_browser(override)
    if not choice.found:
        raise ConfigError(choice.reason, hint="sudo apt-get install -y chromium")
    return await playwright.chromium.launch(
        executable_path=str(choice.executable) if choice.executable else None,
        args=list(LAUNCH_ARGS),
        headless=headless,
    )
