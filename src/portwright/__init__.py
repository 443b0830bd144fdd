"""portwright: turn portal-only web applications into stable, typed APIs.

The public surface is this module's ``__all__``; everything else is an implementation
detail that may move.
"""

from __future__ import annotations

from portwright.adapter import Adapter, available_adapters, load_adapter
from portwright.browser import BrowserChoice, discover_browser
from portwright.engine import Engine, RunResult
from portwright.exceptions import PortwrightError
from portwright.settings import Settings, load_settings

__version__ = "0.1.0"

__all__ = [
    "Adapter",
    "BrowserChoice",
    "Engine",
    "PortwrightError",
    "RunResult",
    "Settings",
    "__version__",
    "available_adapters",
    "discover_browser",
    "load_adapter",
    "load_settings",
]
