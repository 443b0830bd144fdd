"""What an adapter tells the recording machinery, found without the engine importing it.

An adapter package may ship, next to its adapter class:

* ``scrub_policy.yaml``: its scrub policy (merged over the baseline);
* a ``recording_hooks`` module with ``planted_values() -> Iterable[PlantedValue]``: values
  its sandbox plants (seeded patient names, account passwords, TOTP seeds) that must
  never appear in a recording; the audit searches for each of them in any notation
  (``planted_match``). A planted date (``is_date``, a seeded date of birth) is searched
  in every notation a date takes, and the scrub policy this module hands out keeps every
  date pseudonym off it: a pseudonym that happened to be some patient's birth date would
  make the audit cry wolf. Name pseudonyms are kept off the words of every other planted
  value but a secret (:meth:`AdapterHooks.planted_names`) for the same reason: no
  pseudonym spells a seeded patient's name. A credential is planted with ``is_secret``:
  an adapter that plants no value of patient data gives the audit nothing but its
  patterns to find PHI by, and the audit says so (:func:`plants_phi`).

An adapter class may also point elsewhere with a ``recording_hooks`` attribute (a module
or object offering the same functions). Missing pieces fall back to the baseline policy
and no planted values, so a new portal works before it has any of this.
"""

from __future__ import annotations

import importlib
import importlib.resources
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from portwright.adapter import Adapter, load_adapter
from portwright.exceptions import AdapterLoadError, RecordingError
from portwright.recording.scrub.policy import BASELINE_POLICY, ScrubPolicy, load_policy

__all__ = ["AdapterHooks", "PlantedValue", "hooks_for", "plants_phi"]

POLICY_FILE = "scrub_policy.yaml"


@dataclass(frozen=True)
class PlantedValue:
    """A value known to be real (or secret) in a sandbox; ``label`` says what it is.

    With ``is_date`` the value is a date in ISO notation (``1984-03-07``), searched in
    every notation a date takes (``03/07/1984``, ``3/7/1984``, X12 ``19840307``...).
    With ``is_secret`` the value is a credential (a password, a token, a TOTP seed), not
    patient data.
    """

    label: str
    value: str
    is_date: bool = False
    is_secret: bool = False

    def day(self) -> date | None:
        """The planted date (``is_date`` only); a value that is no ISO date is the
        adapter's error, never a date quietly left out of the audit."""
        if not self.is_date:
            return None
        try:
            return date.fromisoformat(self.value.strip())
        except ValueError:
            raise RecordingError(
                f"planted value '{self.label}' is marked as a date but is not an ISO date "
                "(YYYY-MM-DD)", hint="fix the adapter's recording_hooks") from None


@dataclass(frozen=True)
class AdapterHooks:
    """The recording hooks of one adapter."""

    portal: str
    package: str
    hooks: Any

    def scrub_policy(self) -> ScrubPolicy:
        """The adapter's policy, its date pseudonyms kept off the planted dates and its
        name pseudonyms off the planted names (each read only when a scrubber first
        pseudonymizes a date or a name)."""
        return (self._policy().avoiding_dates(self.planted_dates)
                .avoiding_names(self.planted_names))

    def _policy(self) -> ScrubPolicy:
        custom = getattr(self.hooks, "scrub_policy", None)
        if callable(custom):
            policy = custom()
            if isinstance(policy, ScrubPolicy):
                return policy
        path = self.policy_path()
        return load_policy(path) if path is not None else BASELINE_POLICY

    def planted_dates(self) -> frozenset[date]:
        """The planted dates (seeded birth dates): what no date pseudonym may be."""
        return frozenset(day for value in self.planted_values()
                         if (day := value.day()) is not None)

    def planted_names(self) -> list[str]:
        """The planted values but dates and credentials (seeded names, and streets and
        emails too): no word of a name pseudonym may be a word of one, so no pseudonym
        spells a seeded patient's name in any notation the audit searches."""
        return [value.value for value in self.planted_values()
                if not value.is_date and not value.is_secret]

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
        kept = [v for v in values if v.value and len(v.value) >= 4]
        for value in kept:
            value.day()  # a "date" that is none is the adapter's error, said here
        return kept


def plants_phi(planted: Iterable[PlantedValue]) -> bool:
    """Whether any planted value is patient data, so the audit can search for real PHI and
    not only for its shapes. A secret is a value planted ``is_secret``, or one that a
    ``PORTWRIGHT_SECRET_*`` variable holds: what an adapter made by an older
    ``portwright new-adapter`` plants, unmarked, from the environment."""
    from portwright.auth.credentials.naming import ENV_PREFIX

    secrets = {value for name, value in os.environ.items() if name.startswith(ENV_PREFIX)}
    return any(not value.is_secret and value.value not in secrets for value in planted)


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
