"""Every ``portwright ...`` command the README and the guides show exists, with every
option they give it: a renamed command or option fails here, not in a reader's terminal."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import typer

from portwright.cli.app import app
from portwright_monitor.cli import app as monitor_app

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: each program, and a command as the docs write it (up to a comment, a pipe or the end of
#: a code span; a trailing backslash continues it on the next line)
PROGRAMS = {"portwright": app, "portwright-monitor": monitor_app}


def _commands(program: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(program)} ([a-z][a-z0-9_-]*[^`\n#|&;]*)")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line's number, line) with shell continuations (a trailing backslash) joined."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if pending is not None:
            number, line = pending[0], pending[1] + " " + line.strip()
        if line.endswith("\\"):
            pending = (number, line[:-1])
            continue
        pending = None
        out.append((number, line))
    return out


def _problems(text: str, where: str, program: str = "portwright") -> tuple[int, list[str]]:
    """(commands checked, what is wrong with them) in ``text``."""
    root: Any = typer.main.get_command(PROGRAMS[program])
    checked, problems = 0, []
    for number, line in _logical_lines(text):
        for found in _commands(program).finditer(line):
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
    checked, problems = _problems("portwright-monitor canary valant --portal-url U \\\n"
                                  "    --flow f --reprot x.json\n", "m.md",
                                  "portwright-monitor")
    assert (checked, problems) == (1, ["m.md:1: 'canary' has no option '--reprot'"])


def test_every_documented_command_and_option_exists() -> None:
    totals, found = dict.fromkeys(PROGRAMS, 0), []
    for document in DOCUMENTS:
        for program in PROGRAMS:
            checked, problems = _problems(document.read_text(encoding="utf-8"),
                                          str(document.relative_to(ROOT)), program)
            totals[program] += checked
            found += problems
    assert found == []
    assert totals["portwright"] >= 50 and totals["portwright-monitor"] >= 2


def test_the_readme_names_only_run_result_attributes_that_exist() -> None:
    """The Python example's comment lists what a ``RunResult`` holds; a reader who types
    any of them after ``result.`` must not get an ``AttributeError``."""
    from pydantic import BaseModel

    from portwright.runner.result import RunResult, StepRecord

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("from portwright import Engine")
    example = readme[start:readme.index("```", start)]
    listed = next(line.split("# RunResult:", 1)[1] for line in example.splitlines()
                  if "# RunResult:" in line)
    models: dict[str, type[BaseModel]] = {"steps": StepRecord}
    for item in (part.strip() for part in listed.split(",")):
        head, _, rest = item.partition(".")
        name = re.sub(r"\[\w*\]$", "", head)
        assert name in RunResult.model_fields, f"README lists RunResult.{item}"
        if rest:
            assert rest in models[name].model_fields, f"README lists RunResult.{item}"
