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

A launch uses the value it is given and nothing else: settings built in Python (an
``Engine`` given its own ``Settings``) are not overruled by ``PORTWRIGHT_BROWSER``, and
no settings are read from disk to launch (the workspace around the current folder need
not be the caller's; only an error's text looks there, to say where a value was set).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from enum import Enum
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


class _NotGiven(Enum):
    """No ``browser`` setting was passed at all (``None`` is a setting: discover one)."""

    NOT_GIVEN = "not given"


NOT_GIVEN = _NotGiven.NOT_GIVEN


def _variable_origin(value: str) -> str | None:
    """``from PORTWRIGHT_BROWSER`` when the variable holds ``value`` (read, not loaded)."""
    return f"from {ENV_VARIABLE}" if os.environ.get(ENV_VARIABLE) == value else None


def _origin_of(value: str) -> str:
    """Where the browser ``value`` was set, when the caller did not say: the variable, or
    the settings of the workspace in effect when they hold that value. Only for the text
    of an error: it reads the settings from disk, which a launch that works must not."""
    from_variable = _variable_origin(value)
    if from_variable is not None:
        return from_variable
    from portwright.settings import load_settings

    try:
        settings = load_settings()
    except PortwrightError:
        return "the browser setting"
    return settings.origin("browser") if settings.browser == value else "the browser setting"


def _explicit(override: str | _NotGiven | None) -> str | None:
    """The executable the setting names, if any."""
    return os.environ.get(ENV_VARIABLE) if override is NOT_GIVEN else override


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


def discover_browser(override: str | _NotGiven | None = NOT_GIVEN, *,
                     origin: str | None = None) -> BrowserChoice:
    """Pick the browser executable.

    ``override`` is the ``browser`` setting (``Settings.browser``, which
    ``PORTWRIGHT_BROWSER`` already overrides), ``None`` when the settings name none (then
    the browser is discovered: the variable was read when the settings were); only when
    no setting is passed at all is the variable read here. ``origin`` is where the value
    was set (``Settings.origin("browser")``); without it, an error works it out. An
    override that is not an executable file is ``ConfigError`` naming both.
    """
    explicit = _explicit(override)
    if explicit:
        path = Path(explicit).expanduser()
        problem = _unusable(path)
        if problem is not None:
            raise ConfigError(
                f"the browser {path} ({origin or _origin_of(explicit)}) {problem}",
                hint="point the setting at a Chromium executable, or remove it to use "
                     f"{SYSTEM_CHROMIUM} or Playwright's own Chromium",
            )
        where = origin or _variable_origin(explicit)
        return BrowserChoice(path, f"the browser setting ({where})" if where
                             else "the browser setting")
    if SYSTEM_CHROMIUM.exists():
        return BrowserChoice(SYSTEM_CHROMIUM, "system Chromium (Debian package)")
    managed = _managed_chromium()
    if managed is not None:
        return BrowserChoice(None, f"Playwright's managed Chromium ({managed})")
    return BrowserChoice(
        SYSTEM_CHROMIUM,
        "no browser found: install Debian's chromium or run `playwright install chromium`",
    )


async def launch(playwright: Playwright, *, headless: bool = True,
                 override: str | _NotGiven | None = NOT_GIVEN, origin: str | None = None
                 ) -> Browser:
    """Launch the discovered Chromium with portwright's standard flags.

    ``override`` and ``origin`` are as for :func:`discover_browser`: a caller with
    settings passes ``settings.browser`` (``None`` included) and ``settings.headless``.
    A browser that fails to start (not Chromium, a missing library, a crash) is
    ``ConfigError`` naming it and Playwright's first line, not the launch's call log.
    """
    from playwright.async_api import Error as PlaywrightError

    choice = discover_browser(override, origin=origin)
    if not choice.found:
        raise ConfigError(choice.reason, hint="sudo apt-get install -y chromium")
    # Playwright writes a context's live trace (every snapshot, typed passwords included)
    # into this folder until the trace is stopped, then keeps it until the browser
    # closes; left to Playwright it is a shared temp folder with the umask's modes.
    # mkdtemp makes it the owner's only (0700); it goes when the browser does.
    traces = tempfile.mkdtemp(prefix="portwright-traces-")
    try:
        browser = await playwright.chromium.launch(
            executable_path=str(choice.executable) if choice.executable else None,
            args=list(LAUNCH_ARGS),
            headless=headless,
            traces_dir=traces,
        )
    except PlaywrightError as exc:
        shutil.rmtree(traces, ignore_errors=True)
        shown = choice.executable or "Playwright's managed Chromium"
        reason = choice.reason
        explicit = _explicit(override)
        if origin is None and explicit:
            reason = f"the browser setting ({_origin_of(explicit)})"
        headed = "" if headless else " headed (headless is false: that needs a display)"
        raise ConfigError(
            f"the browser {shown} ({reason}) could not be launched{headed}: "
            f"{_launch_failure(str(exc))}",
            hint="check that it is a Chromium that runs on this machine (portwright doctor); "
                 "for Playwright's own: playwright install chromium",
        ) from exc
    except BaseException:  # cancelled or interrupted while Chromium starts: no folder left
        shutil.rmtree(traces, ignore_errors=True)
        raise
    browser.on("disconnected", lambda _: shutil.rmtree(traces, ignore_errors=True))
    return browser


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
