"""Names a new adapter may not take because something installed already answers to them.

An adapter is installed as the distribution ``portwright-<name>`` with the package
``portwright_<name>``. ``pip install -e adapters/monitor`` would replace portwright's own
canary monitor (``portwright-monitor`` / ``portwright_monitor``), and any other
installed ``portwright-<name>`` distribution or importable ``portwright_<name>`` package
would be shadowed or overwritten the same way, so such names are refused before a file
is written, as a name an installed adapter has already is.
"""

from __future__ import annotations

import importlib.util
from importlib.metadata import PackageNotFoundError, distribution

from portwright.adapter import available_adapters
from portwright.exceptions import ConfigError
from portwright.scaffold.names import AdapterNames

__all__ = ["OWN_DISTRIBUTIONS", "refuse_taken_names"]

#: portwright's own distributions: refused even where one is not installed
OWN_DISTRIBUTIONS = frozenset({"portwright", "portwright-monitor"})


def _installed(dist: str) -> bool:
    try:
        distribution(dist)
    except PackageNotFoundError:
        return False
    return True


def _importable(package: str) -> bool:
    """A module or regular package of that name imports; a bare folder that only
    happens to sit on ``sys.path`` (a namespace package, e.g. a workspace's
    ``tests/portwright_<name>/``) is not an installed package."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return True  # something by that name is there, though it does not import
    return spec is not None and spec.origin not in (None, "namespace")


def refuse_taken_names(names: AdapterNames) -> None:
    """Raise :class:`ConfigError` when the adapter's name, distribution or package is
    already taken by an installed adapter, by portwright itself or by another installed
    distribution or package."""
    installed = available_adapters()
    if names.portal in installed:
        raise ConfigError(
            f"an adapter named '{names.portal}' is already installed "
            f"({installed[names.portal]}); nothing was written",
            hint="choose another name: two adapters under one name would shadow each other",
        )
    if names.distribution in OWN_DISTRIBUTIONS:
        taken = f"portwright's own distribution '{names.distribution}'"
    elif _installed(names.distribution):
        taken = f"the installed distribution '{names.distribution}', which is not an adapter"
    elif _importable(names.package):
        taken = f"the installed package '{names.package}', which is not an adapter"
    else:
        return
    raise ConfigError(
        f"'{names.portal}' cannot name an adapter: its distribution and package "
        f"({names.distribution}, {names.package}) would replace {taken}; nothing was "
        "written",
        hint="choose another name, e.g. one with the portal vendor's name in it",
    )
