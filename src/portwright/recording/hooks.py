"""What an adapter tells the recording machinery, found without the engine importing it.

An adapter package may ship, next to its adapter class:

* ``scrub_policy.yaml``: its scrub policy (merged over the baseline);
* a ``recording_hooks`` module with ``planted_values() -> Iterable[PlantedValue]``: values
  its sandbox plants (seeded patient names, account passwords, TOTP seeds) that must
  never appear in a recording; the audit searches for each of them verbatim.

An adapter class may also point elsewhere with a ``recording_hooks`` attribute (a module
or object offering the same functions). Missing pieces fall back to the baseline policy
and no planted values, so a new portal works before it has any of this.
"""

from __future__ import annotations

import importlib
import importlib.resources
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from portwright.adapter import Adapter, load_adapter
from portwright.exceptions import AdapterLoadError
from portwright.recording.scrub.policy import BASELINE_POLICY, ScrubPolicy, load_policy

__all__ = ["AdapterHooks", "PlantedValue", "hooks_for"]

POLICY_FILE = "scrub_policy.yaml"


@dataclass(frozen=True)
class PlantedValue:
    """A value known to be real (or secret) in a sandbox; ``label`` says what it is."""

    label: str
    value: str


@dataclass(frozen=True)
class AdapterHooks:
    """The recording hooks of one adapter."""

    portal: str
    package: str
    hooks: Any

    def scrub_policy(self) -> ScrubPolicy:
        custom = getattr(self.hooks, "scrub_policy", None)
        if callable(custom):
            policy = custom()
            if isinstance(policy, ScrubPolicy):
                return policy
        path = self.policy_path()
        return load_policy(path) if path is not None else BASELINE_POLICY

    def policy_path(self) -> Path | None:
        try:
            resource = importlib.resources.files(self.package) / POLICY_FILE
        except ModuleNotFoundError:
            return None
        path = Path(str(resource))
        return path if path.is_file() else None

    def planted_values(self) -> list[PlantedValue]:
        produce = getattr(self.hooks, "planted_values", None)
        if not callable(produce):
            return []
        values: Iterable[PlantedValue] = produce()
        return [v for v in values if v.value and len(v.value) >= 4]


def _package_of(adapter: Adapter) -> str:
    return type(adapter).__module__.split(".", 1)[0]


def _broken_hooks(portal: str, module: str, exc: Exception) -> AdapterLoadError:
    """The adapter is installed but its recording hooks cannot be read: recording or
    auditing without its scrub rules and planted values would be unsafe, so this stops
    the command (a missing ``recording_hooks`` module is fine; a broken one is not)."""
    return AdapterLoadError(
        f"adapter '{portal}': {module} failed to load: {type(exc).__name__}: {exc}",
        adapter=portal, entry_point=module,
        hint="install what it imports, or fix the module and reinstall the adapter")


def hooks_for(portal: str, adapter: Adapter | None = None) -> AdapterHooks:
    """The hooks of the adapter registered as ``portal``."""
    adapter = adapter or load_adapter(portal)
    package = _package_of(adapter)
    hooks: Any = getattr(adapter, "recording_hooks", None)
    if hooks is None:
        module = f"{package}.recording_hooks"
        try:
            hooks = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise _broken_hooks(portal, module, exc) from exc
            hooks = ModuleType("no_hooks")
        except Exception as exc:  # any error importing the adapter's own module
            raise _broken_hooks(portal, module, exc) from exc
    return AdapterHooks(portal, package, hooks)
