"""The CLI starts without loading the browser, recorder or HTTP stacks.

Every ``portwright`` invocation (``--help`` included) imports ``portwright.cli`` and
builds the command tree; command modules import what a command needs inside the command
(see ``portwright.cli.app``). These tests run in a fresh interpreter, since this one has
long since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("playwright", "vcr", "aiohttp", "portwright.runner.engine",
         "portwright.recording.recorder")

PROBE = """
import json, sys
import portwright.cli
imported = sorted(sys.modules)
import typer.main
typer.main.get_command(portwright.cli.app)  # what --help does: every command's parameters
print(json.dumps({"import": imported, "command_tree": sorted(sys.modules)}))
"""


def _modules_after_startup() -> dict[str, list[str]]:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True)
    loaded: dict[str, list[str]] = json.loads(out.stdout)
    return loaded


def test_importing_the_cli_and_building_its_commands_loads_no_heavy_module() -> None:
    loaded = _modules_after_startup()
    for stage in ("import", "command_tree"):
        heavy = [name for name in HEAVY if name in loaded[stage]]
        assert heavy == [], f"after {stage}, portwright.cli loaded {heavy}"


def test_defaults_written_out_in_command_signatures_match_their_sources() -> None:
    """Signatures spell out defaults whose home modules are too heavy to import at start."""
    from portwright.auth.portal_auth import DEFAULT_ACCOUNT
    from portwright.cli import record, sessions
    from portwright.recording.layout import DEFAULT_SCENARIO

    assert record.DEFAULT_SCENARIO == DEFAULT_SCENARIO
    assert sessions.DEFAULT_ACCOUNT == DEFAULT_ACCOUNT
