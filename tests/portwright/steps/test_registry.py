"""Every step model has a handler; a step kind can be added from outside the engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from portwright.flow import catalog
from portwright.steps import registry

PLUGIN_SCRIPT = Path(__file__).with_name("plugin_flow_script.txt")


def test_every_step_model_has_a_handler() -> None:
    handlers = registry.all_handlers()
    missing = [m.__name__ for m in catalog.step_models() if m not in handlers]
    assert missing == []


def test_every_builtin_handler_is_in_its_own_module() -> None:
    modules = {h.__module__ for h in registry.HANDLERS.values()}
    assert len(modules) == len(registry.HANDLERS)


def test_adapter_step_kinds_join_the_catalog() -> None:
    # the Valant adapter lists its own kinds in its class; the engine was not edited
    from portwright.adapter import load_adapter

    adapter_kinds = getattr(type(load_adapter("valant")), "step_kinds", ())
    assert {k.model for k in adapter_kinds} <= set(catalog.step_models())


@pytest.mark.browser
def test_a_plugin_step_kind_parses_validates_and_runs(tmp_path: Path) -> None:
    # A fresh interpreter: the step union is fixed once built in a process.
    out = subprocess.run([sys.executable, str(PLUGIN_SCRIPT), str(tmp_path)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert answer["outputs"] == {"loud": "HELLO ADA"}
    assert answer["has_handler"] is True
    assert "unknown field 'txt'" in answer["bad"]
