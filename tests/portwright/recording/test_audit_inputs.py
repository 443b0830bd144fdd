"""What ``recordings audit`` checks a portal against: an installed adapter's broken scrub
policy is an error, and never costs the audit the adapter's planted values."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from portwright.exceptions import AdapterLoadError, AdapterNotFound
from portwright.recording.audit import audit_tree
from portwright.recording.audit_inputs import audit_inputs
from portwright.recording.hooks import AdapterHooks, PlantedValue

SECRET = "Zqx-Planted-77"


def _hooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: str) -> AdapterHooks:
    """A real package on disk holding ``scrub_policy.yaml``, as an adapter ships it."""
    name = f"acme_ehr_{tmp_path.name.replace('-', '_')}"   # unique: imports are cached
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "scrub_policy.yaml").write_text(policy)
    monkeypatch.syspath_prepend(str(tmp_path))
    hooks = ModuleType("recording_hooks")
    hooks.planted_values = lambda: [PlantedValue("api key", SECRET)]  # type: ignore[attr-defined]
    return AdapterHooks("acme_ehr", name, hooks)


@pytest.mark.parametrize("policy", ["feilds: {username: secret}\n", "fields: [\n"])
def test_a_broken_policy_is_a_problem_and_the_planted_values_still_count(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: str) -> None:
    hooks = _hooks(tmp_path, monkeypatch, policy)
    inputs = audit_inputs("acme_ehr", load=lambda _: hooks)
    assert inputs.patterns_only is None
    [problem] = inputs.problems
    assert "acme_ehr: its scrub policy cannot be loaded" in problem
    assert "scrub_policy.yaml" in problem
    # the planted value is still searched for
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    (recordings / "golden.json").write_text(f'{{"note": "{SECRET}"}}\n')
    findings, _ = audit_tree(recordings, inputs.planted, inputs.policy)
    assert [f.rule for f in findings] == ["planted value (api key)"]


def test_a_good_policy_loads_with_no_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = _hooks(tmp_path, monkeypatch, "version: 1\nfields: {api_key: secret}\n")
    inputs = audit_inputs("acme_ehr", load=lambda _: hooks)
    assert inputs.problems == [] and inputs.policy is not None
    assert [p.value for p in inputs.planted] == [SECRET]


def test_only_a_portal_without_an_adapter_falls_back_to_patterns() -> None:
    def missing(portal: str) -> AdapterHooks:
        raise AdapterNotFound(f"no adapter named '{portal}' is installed")

    inputs = audit_inputs("nowhere", load=missing)
    assert inputs.patterns_only == "no adapter named 'nowhere' is installed"
    assert inputs.problems == [] and inputs.planted == []


def test_an_installed_adapter_that_does_not_load_is_a_problem_not_a_fallback() -> None:
    def broken(portal: str) -> AdapterHooks:
        raise AdapterLoadError(f"adapter '{portal}' (pkg:Cls) failed to load: ImportError",
                               adapter=portal, entry_point="pkg:Cls")

    # told apart by the error's type alone: no entry point of that name is installed
    inputs = audit_inputs("acme_ehr", load=broken)
    assert inputs.patterns_only is None
    assert inputs.problems == [
        "acme_ehr: adapter 'acme_ehr' (pkg:Cls) failed to load: ImportError"]
