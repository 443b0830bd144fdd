"""Which browser portwright drives, and how it is launched. The one place for both.

Discovery order (the first that exists wins, and the reason is kept for ``doctor``):

1. the ``browser`` setting (``PORTWRIGHT_BROWSER``, the workspace file or the command
   line): an explicit executable, which must be an executable file;
2. ``/usr/bin/chromium``: Debian's package, the only browser on machines where
   ``playwright install`` cannot download;
3. Playwright's own managed Chromium (``executable_path=None``), for users elsewhere.

The engine, ``doctor``, ``replay`` and the pytest plugin's ``browser`` fixture all pass
the setting here, so they agree on the browser; an error names where the value was set,
since that is where a person fixes it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from portwright.exceptions import ConfigError, PortwrightError

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

__all__ = ["LAUNCH_ARGS", "PLAYWRIGHT_DISABLED_FEATURES", "SYSTEM_CHROMIUM", "UNUSED_UI_FEATURES",
           "BrowserChoice", "discover_browser", "launch"]

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
ENV_VARIABLE = "PORTWRIGHT_BROWSER"

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


def _origin_of(value: str) -> str:
    """Where the browser ``value`` was set, when the caller did not say: the variable, or
    the settings of the workspace in effect when they hold that value."""
    if os.environ.get(ENV_VARIABLE) == value:
        return f"from {ENV_VARIABLE}"
    from portwright.settings import load_settings

    try:
        settings = load_settings()
    except PortwrightError:
        return "the browser setting"
    return settings.origin("browser") if settings.browser == value else "the browser setting"


def _unusable(path: Path) -> str | None:
    """Why ``path`` cannot be launched, or None: checked here so that a wrong path is one
    line naming it, not Playwright's spawn error and call log."""
    if not path.exists():
        return "does not exist"
    if path.is_dir():
        return "is a folder, not an executable"
    if not os.access(path, os.X_OK):
        return "is not executable"
    return None


def discover_browser(override: str | None = None, *, origin: str | None = None
                     ) -> BrowserChoice:
    """Pick the browser executable.

    ``override`` is the ``browser`` setting (``Settings.browser``, which
    ``PORTWRIGHT_BROWSER`` already overrides; without one, the variable is read here) and
    ``origin`` where it was set (``Settings.origin("browser")``), worked out when not
    given. An override that is not an executable file is ``ConfigError`` naming both.
    """
    explicit = override or os.environ.get(ENV_VARIABLE)
    if explicit:
        path = Path(explicit).expanduser()
        where = origin or _origin_of(explicit)
        problem = _unusable(path)
        if problem is not None:
            raise ConfigError(
                f"the browser {path} ({where}) {problem}",
                hint="point the setting at a Chromium executable, or remove it to use "
                     f"{SYSTEM_CHROMIUM} or Playwright's own Chromium",
            )
        return BrowserChoice(path, f"the browser setting ({where})")
    if SYSTEM_CHROMIUM.exists():
        return BrowserChoice(SYSTEM_CHROMIUM, "system Chromium (Debian package)")
    managed = _managed_chromium()
    if managed is not None:
        return BrowserChoice(None, f"Playwright's managed Chromium ({managed})")
    return BrowserChoice(
        SYSTEM_CHROMIUM,
        "no browser found: install Debian's chromium or run `playwright install chromium`",
    )


async def launch(playwright: Playwright, *, headless: bool = True, override: str | None = None,
                 origin: str | None = None) -> Browser:
    """Launch the discovered Chromium with portwright's standard flags.

    A browser that fails to start (not Chromium, a missing library, a crash) is
    ``ConfigError`` naming it and Playwright's first line, not the launch's call log.
    """
    from playwright.async_api import Error as PlaywrightError

    choice = discover_browser(override, origin=origin)
    if not choice.found:
        raise ConfigError(choice.reason, hint="sudo apt-get install -y chromium")
    try:
        return await playwright.chromium.launch(
            executable_path=str(choice.executable) if choice.executable else None,
            args=list(LAUNCH_ARGS),
            headless=headless,
        )
    except PlaywrightError as exc:
        shown = choice.executable or "Playwright's managed Chromium"
        headed = "" if headless else " headed (headless is false: that needs a display)"
        raise ConfigError(
            f"the browser {shown} ({choice.reason}) could not be launched{headed}: "
            f"{_launch_failure(str(exc))}",
            hint="check that it is a Chromium that runs on this machine (portwright doctor); "
                 "for Playwright's own: playwright install chromium",
        ) from exc


def _launch_failure(text: str) -> str:
    """Playwright's first line, and the browser's own first error when it logged one
    (``Missing X server or $DISPLAY``), out of a call log of some 50 lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else "no reason given"
    for line in lines:
        logged = re.search(r"\[err\] \[[^\]]*ERROR:[^\]]*\] (.+)", line)
        if logged:
            return f"{first} ({logged.group(1)})"
    return first
