"""The repository layout keeps its promises: data folders stay data, names don't shadow."""

from __future__ import annotations

import importlib
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_data_folders_hold_no_python() -> None:
    for folder in ("flows", "selectors", "recordings"):
        py = list((ROOT / folder).rglob("*.py"))
        assert py == [], f"{folder}/ must stay data-only, found {py}"


def test_import_selectors_is_the_standard_library() -> None:
    # Run from the repository root, where a `selectors/` folder sits on sys.path[0].
    out = subprocess.run(
        [sys.executable, "-c", "import selectors, asyncio; print(selectors.__file__);"
         "asyncio.run(asyncio.sleep(0))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert Path(out).resolve().parent == stdlib


def test_packages_import_under_their_distribution_names() -> None:
    for name in ("portwright", "portwright_valant", "portwright_monitor"):
        assert importlib.import_module(name).__name__ == name


def test_public_surface_is_sorted_and_complete() -> None:
    """Exactly ``__all__`` is public, and every name in it resolves (the names load lazily:
    ``import portwright`` must not pay for the engine)."""
    import portwright

    assert len(set(portwright.__all__)) == len(portwright.__all__)  # ruff RUF022 keeps it sorted
    for name in portwright.__all__:
        assert getattr(portwright, name) is not None, name
    names = [n for n in vars(portwright) if not n.startswith("_") or n == "__version__"]
    public = [n for n in names if n != "annotations"]  # the __future__ feature object
    # Only what __all__ names may be public; submodule attributes are implementation.
    modules = {n for n in public if type(getattr(portwright, n)).__name__ == "module"}
    assert set(portwright.__all__) == set(public) - modules
    assert set(portwright.__all__) <= set(dir(portwright))
