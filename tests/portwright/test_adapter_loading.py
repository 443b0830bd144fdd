"""``load_adapter`` tells a missing adapter from a broken one by type: an unknown name is
``AdapterNotFound`` listing what is installed; an installed adapter whose module raises
``ImportError`` is ``AdapterLoadError`` naming it, with the import error as its cause.

The broken adapter is a real throwaway distribution (a ``dist-info`` folder with its
``entry_points.txt``) on ``sys.path``, found by ``importlib.metadata`` as pip would
install it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from portwright.adapter import load_adapter
from portwright.exceptions import AdapterLoadError, AdapterNotFound
from portwright.recording.hooks import hooks_for


def _install_broken(site: Path, package: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A distribution registering the adapter ``acme`` whose module fails to import."""
    (site / package).mkdir(parents=True)
    (site / package / "__init__.py").write_text("")
    (site / package / "adapter.py").write_text(
        "import nonexistent_dependency_xyz\n"
        "from portwright.adapter import Adapter\n\n\n"
        "class AcmeAdapter(Adapter):\n    name = 'acme'\n")
    info = site / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n")
    target = f"{package}.adapter:AcmeAdapter"
    (info / "entry_points.txt").write_text(f"[portwright.adapters]\nacme = {target}\n")
    monkeypatch.syspath_prepend(str(site))
    return target


@pytest.fixture
def broken_acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # a package name of its own per test: imports are cached by name
    return _install_broken(tmp_path / "site", f"pw_acme_{tmp_path.name.replace('-', '_')}",
                           monkeypatch)


def test_an_adapter_whose_module_fails_to_import_is_a_load_error_with_its_cause(
        broken_acme: str) -> None:
    with pytest.raises(AdapterLoadError) as caught:
        load_adapter("acme")
    error = caught.value
    assert (error.adapter, error.entry_point) == ("acme", broken_acme)
    assert isinstance(error.__cause__, ImportError)
    assert error.message == (f"adapter 'acme' ({broken_acme}) failed to load: "
                             "ModuleNotFoundError: No module named 'nonexistent_dependency_xyz'")
    # callers that only ask whether the adapter can be used still catch it
    assert isinstance(error, AdapterNotFound)


def test_an_unknown_name_is_not_found_listing_the_installed_adapters(
        broken_acme: str) -> None:
    with pytest.raises(AdapterNotFound) as caught:
        load_adapter("nowhere")
    error = caught.value
    assert not isinstance(error, AdapterLoadError)
    assert error.message == "no adapter named 'nowhere'"
    assert error.hint is not None and error.hint.startswith("installed adapters: ")
    listed = error.hint.removeprefix("installed adapters: ").split(";")[0].split(", ")
    assert {"acme", "valant"} <= set(listed)


def test_an_adapter_whose_recording_hooks_fail_to_import_is_a_load_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the adapter loads; its recording_hooks module (scrub rules' planted values) does not
    package = f"pw_hooks_{tmp_path.name.replace('-', '_')}"
    site = tmp_path / "site"
    (site / package).mkdir(parents=True)
    (site / package / "__init__.py").write_text("")
    (site / package / "adapter.py").write_text(
        "from portwright.adapter import Adapter\n\n\n"
        "class HooksAdapter(Adapter):\n    name = 'hooksy'\n")
    (site / package / "recording_hooks.py").write_text("import missing_hooks_dependency\n")
    monkeypatch.syspath_prepend(str(site))
    adapter = importlib.import_module(f"{package}.adapter").HooksAdapter()

    with pytest.raises(AdapterLoadError) as caught:
        hooks_for("hooksy", adapter)
    error = caught.value
    assert error.entry_point == f"{package}.recording_hooks"
    assert "No module named 'missing_hooks_dependency'" in error.message
    assert isinstance(error.__cause__, ModuleNotFoundError)
