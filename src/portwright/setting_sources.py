"""Where a setting's value came from, and how messages show a setting.

Kept apart from :mod:`portwright.settings` (which builds the settings) so that what is
reported about a value (its precedence level, the file and line, the variable, the
command line) has one wording for ``origin()``, errors and ``effective()``.
"""

from __future__ import annotations

import json
from enum import Enum, IntEnum
from pathlib import Path
from typing import Any, NamedTuple

from pydantic.fields import FieldInfo

from portwright.workspace import WorkspaceFile

__all__ = ["CMDLINE", "DEFAULT", "PYTHON", "EffectiveSetting", "Precedence", "SettingSource",
           "expected_of", "from_variable", "from_workspace", "shown_value"]


class Precedence(IntEnum):
    """Named precedence levels: a higher level overrides a lower one."""

    DEFAULT = 0
    WORKSPACE = 10
    ENVIRONMENT = 20
    CMDLINE = 30


class SettingSource(NamedTuple):
    """Where the value of one setting came from: its precedence level, and the place a
    person changes it (``place``: ``<file>:<line>``, ``PORTWRIGHT_<NAME>``, ``the command
    line``, ``Python code`` or ``default``); ``origin`` says the same in a sentence."""

    level: Precedence
    place: str
    origin: str


class EffectiveSetting(NamedTuple):
    """One setting as it is in effect: its name, value and :class:`SettingSource`."""

    name: str
    value: Any
    source: SettingSource


DEFAULT = SettingSource(Precedence.DEFAULT, "default", "the default")
CMDLINE = SettingSource(Precedence.CMDLINE, "the command line", "from the command line")
#: a value given to ``Settings(...)`` or ``model_copy(update=...)`` by Python code: the
#: same level as the command line (it overrides everything), but not said to come from it
PYTHON = SettingSource(Precedence.CMDLINE, "Python code", "given in Python")


def shown_value(value: Any) -> str:
    """A value as the workspace file writes it (strings quoted), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, str) else repr(value)


def from_workspace(workspace: WorkspaceFile, key: str) -> SettingSource:
    """The source of ``key`` as written in the workspace file."""
    return SettingSource(Precedence.WORKSPACE, workspace.where(key),
                         f"{key} = {shown_value(workspace.table[key])} in {workspace.path}")


def from_variable(variable: str) -> SettingSource:
    """The source of a value read from the environment variable ``variable``."""
    return SettingSource(Precedence.ENVIRONMENT, variable, f"from {variable}")


_WORDS: dict[object, str] = {
    bool: "true or false", int: "a whole number", float: "a number",
    Path: "a folder path (text), relative to the workspace root or absolute",
}


def expected_of(field: FieldInfo) -> str:
    """What a setting accepts, in words (``a whole number greater than 0``), for the
    "expected" part of an error."""
    annotation = field.annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(str(member.value) for member in annotation)
    text = _WORDS.get(annotation, "text")
    for limit in field.metadata:  # annotated-types' Gt / Ge, as Field(gt=..., ge=...) makes
        if getattr(limit, "gt", None) is not None:
            text += f" greater than {limit.gt}"
        elif getattr(limit, "ge", None) is not None:
            text += f", {limit.ge} or more"
    return text
