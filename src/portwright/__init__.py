"""portwright: turn portal-only web applications into stable, typed APIs.

The public surface is this module's ``__all__``; everything else is an implementation
detail that may move.

The names are loaded on first use (PEP 562), not at import: ``import portwright`` (and
so every ``portwright.<submodule>`` import, the CLI's included) would otherwise pay for
the engine, Playwright and the HTTP clients before doing anything. ``portwright --help``
or ``portwright flows validate`` should not start like a browser run.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from portwright.adapter import Adapter, available_adapters, load_adapter
    from portwright.browser import BrowserChoice, discover_browser
    from portwright.engine import Engine, RunResult
    from portwright.exceptions import PortwrightError
    from portwright.settings import Settings, load_settings

__version__ = "0.1.0"

# Public name -> the module that defines it.
_LAZY: dict[str, str] = {
    "Adapter": "portwright.adapter",
    "available_adapters": "portwright.adapter",
    "load_adapter": "portwright.adapter",
    "BrowserChoice": "portwright.browser",
    "discover_browser": "portwright.browser",
    "Engine": "portwright.engine",
    "RunResult": "portwright.engine",
    "PortwrightError": "portwright.exceptions",
    "Settings": "portwright.settings",
    "load_settings": "portwright.settings",
}

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


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'portwright' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
