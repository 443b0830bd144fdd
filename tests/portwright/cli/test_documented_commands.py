"""Every ``portwright ...`` command the README and the guides show exists, with every
option they give it: a renamed command or option fails here, not in a reader's terminal."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import typer

from portwright.cli.app import app

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: a command as the docs write it, up to a comment, a pipe or the end of a code span
COMMAND = re.compile(r"\bportwright ([a-z][a-z0-9_-]*[^`\n#|&;]*)")


def _problems(text: str, where: str) -> tuple[int, list[str]]:
    """(commands checked, what is wrong with them) in ``text``."""
    root: Any = typer.main.get_command(app)
    checked, problems = 0, []
    for number, line in enumerate(text.splitlines(), 1):
        for found in COMMAND.finditer(line):
            try:
                words = shlex.split(found.group(1))
            except ValueError:
                words = found.group(1).split()
            command, path = root, []
            while hasattr(command, "commands") and len(path) < len(words) \
                    and words[len(path)] in command.commands:
                command = command.commands[words[len(path)]]
                path.append(words[len(path)])
            if not path:
                continue  # prose: "portwright turns ..."
            checked += 1
            rest = words[len(path):]
            if hasattr(command, "commands"):
                if rest and not rest[0].startswith(("-", "<", "[", "...")):
                    problems.append(f"{where}:{number}: '{' '.join(path)}' has no "
                                    f"subcommand '{rest[0]}'")
                continue
            options = {o for p in command.params for o in [*p.opts, *p.secondary_opts]}
            for word in (w.strip("[]") for w in rest):
                if word.startswith("--") and word.split("=")[0] not in options:
                    problems.append(f"{where}:{number}: '{' '.join(path)}' has no option "
                                    f"'{word.split('=')[0]}'")
    return checked, problems


def test_the_checker_catches_a_wrong_option_and_subcommand() -> None:
    checked, problems = _problems("run `portwright replay --jobz 3`, then\n"
                                  ".venv/bin/portwright sessions lst\n"
                                  "portwright turns portals into APIs\n", "t.md")
    assert checked == 2
    assert problems == ["t.md:1: 'replay' has no option '--jobz'",
                        "t.md:2: 'sessions' has no subcommand 'lst'"]


def test_every_documented_command_and_option_exists() -> None:
    total, found = 0, []
    for document in DOCUMENTS:
        checked, problems = _problems(document.read_text(encoding="utf-8"),
                                      str(document.relative_to(ROOT)))
        total += checked
        found += problems
    assert found == []
    assert total >= 50   # the guides do show the commands
