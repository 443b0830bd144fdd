"""``--help`` with the metavars every Click-based tool prints: ``TEXT``, ``INTEGER``,
``PATH``, choices as ``[a|b]``, and nothing after a flag.

Typer 0.29 (which carries its own copy of Click) prints each parameter's Python type
instead, ``<str>``, ``<int>``, ``<list[str]>``, and puts ``<bool>`` after every flag, the
``--help`` option included: help that reads as if ``--headed`` took a value. The type
column comes from one method of its parameter classes (``display_type_rich``, used by both
its Rich and its plain help); this module answers it the conventional way and is the only
place that knows of it. Every command and group of the CLI is made by
:class:`PortwrightTyper`, whose commands and groups give their parameters, the help
option included, that answer. A metavar given on an option (``metavar=``) still wins.

Its usage line names an argument ``{flow}`` when required and ``[flow]`` when not; Click
tools write ``FLOW`` and ``[FLOW]`` (a metavar in upper case is a placeholder, braces
read as literal text or a set of choices), and so does the error that names a missing
one: ``Missing argument 'FLOW'.`` under the usage line that shows it. The help table
keeps the argument's own name (``flow TEXT``).

A command given wrongly is reported as Click reports it, ``Error: ...`` on one line under
the usage line, not in Typer's Rich panel: the panel folds its text at the terminal's width
inside box-drawing borders, so a path named in the error (``--out``, a folder) came out cut
in pieces between ``│`` characters, which a person cannot copy and a script cannot grep,
and CI logs and ``TERM=dumb`` got the box drawing too.

A command's help is its docstring, wrapped in the source at some 90 columns. Typer's Rich
help keeps the line breaks of every paragraph after the first, so at a terminal of 80
columns (any pipe or CI log) each source line overflowed into a ragged extra line of one
or two words; the paragraphs are joined into lines here (blank lines still part them,
and a paragraph marked ``\\b`` keeps its lines), so Rich wraps them at the real width.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import Enum
from pathlib import PurePath
from typing import Any, TypeVar, get_args
from uuid import UUID

import typer
from typer._click import Context, Parameter
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption, _main

__all__ = ["ConventionalCommand", "ConventionalGroup", "PortwrightTyper", "metavar_of",
           "reflowed"]

#: Click's names for the plain types (its ``ParamType.name``, upper-cased in help)
_NAMES: dict[Any, str] = {str: "TEXT", int: "INTEGER", float: "FLOAT", bool: "BOOLEAN",
                          UUID: "UUID", bytes: "TEXT"}
#: the formats Click's DateTime accepts when none are given
_DATETIME_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def _choice(value: Any) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _plain(annotation: Any, param: TyperArgument | TyperOption) -> str:
    """The metavar of one value of type ``annotation``."""
    desc = param.type_descriptor
    info = desc.parameter_info
    if (isinstance(annotation, type) and issubclass(annotation, PurePath)) or desc.is_path:
        if info.file_okay and not info.dir_okay:
            return "FILE"
        if info.dir_okay and not info.file_okay:
            return "DIRECTORY"
        return "PATH"
    if annotation is datetime:
        return "[" + "|".join(info.formats or _DATETIME_FORMATS) + "]"
    name = _NAMES.get(annotation)
    if name is None:
        name = annotation.__name__.upper() if isinstance(annotation, type) else "TEXT"
    return f"{name} RANGE" if desc.is_ranged else name


def metavar_of(param: TyperArgument | TyperOption) -> str:
    """What Click would print for ``param``'s value: ``TEXT``, ``INTEGER``, ``FILE``,
    ``[json|jsonl]``... (without the ``...`` of a parameter taking several values)."""
    desc = param.type_descriptor
    if desc.is_choice and desc.choices is not None:
        return "[" + "|".join(_choice(c) for c in desc.choices) + "]"
    if desc.is_file:
        return "FILENAME"
    annotation = desc.annotation
    if desc.is_tuple:
        return " ".join(_plain(a, param) for a in get_args(annotation))
    if desc.is_list:
        annotation = get_args(annotation)[0]
    return _plain(annotation, param)


class _ConventionalOption(TyperOption):
    def display_type_rich(self, ctx: Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag or self.count:
            return None  # takes no value
        return metavar_of(self) + ("..." if self.nargs != 1 else "")


class _ConventionalArgument(TyperArgument):
    def display_type_rich(self, ctx: Context) -> str | None:
        return metavar_of(self) + ("..." if self.nargs != 1 else "")

    def _placeholder(self) -> str:
        """``FLOW``: the argument as a placeholder (its ``metavar=`` as given)."""
        return self.metavar if self.metavar is not None else (self.name or "").upper()

    def _usage_display_name(self) -> str:
        """``FLOW``, ``[FLOW]``, ``FILES...``: Click's usage-line form of an argument."""
        if self.metavar is not None:
            return self.metavar
        name = self._placeholder() if self.required else f"[{self._placeholder()}]"
        return name + ("..." if self.nargs != 1 else "")

    def get_error_hint(self, ctx: Context | None = None) -> str:
        """``'FLOW'``, as the usage line above the error names it."""
        return f"'{self._placeholder()}'"


def _conventional(params: list[Parameter]) -> list[Parameter]:
    """``params``, those of Typer's own classes now answering the conventional way (in
    place: Click tells the help option apart by identity)."""
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _ConventionalOption
        elif type(param) is TyperArgument:
            param.__class__ = _ConventionalArgument
    return params


def reflowed(help_text: str | None) -> str | None:
    """``help_text`` with each paragraph on one line (see the module docstring); what
    follows a ``\\f`` (hidden from help) is kept as written."""
    if not help_text:
        return help_text
    shown, cut, hidden = inspect.cleandoc(help_text).partition("\f")
    paragraphs = [para if para.startswith("\b") else " ".join(para.split("\n"))
                  for para in shown.split("\n\n")]
    return "\n\n".join(paragraphs) + cut + hidden


class ConventionalCommand(TyperCommand):
    """A command whose help prints conventional metavars."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = reflowed(self.help)

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _conventional(super().get_params(ctx))


class _HelpAlreadyShown(UsageError):
    """A group called without a command: Typer's Rich help has printed itself (on
    standard output, as ``--help``), so the error shows nothing more; Click's plain
    ``NoArgsIsHelpError`` would add an empty line on standard error. Exit 2."""

    def show(self, file: Any = None) -> None:
        return None


class ConventionalGroup(TyperGroup):
    """A group whose help prints conventional metavars (its commands are made by the
    same :class:`PortwrightTyper`, so they print them too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = reflowed(self.help)

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _conventional(super().get_params(ctx))

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        """Typer's entry point with Click's plain usage errors (see the module docstring);
        ``--help`` keeps its Rich layout (``format_help`` reads the group's own mode)."""
        return _main(self, args=args, prog_name=prog_name, complete_var=complete_var,
                     standalone_mode=standalone_mode, windows_expand_args=windows_expand_args,
                     rich_markup_mode=None, **extra)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except NoArgsIsHelpError:
            raise _HelpAlreadyShown("", ctx=ctx) from None


_Function = TypeVar("_Function", bound=Callable[..., Any])


class PortwrightTyper(typer.Typer):
    """``typer.Typer`` whose groups and commands print conventional metavars in
    ``--help``; every command group of the CLI is one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", ConventionalGroup)
        super().__init__(**kwargs)

    def command(self, name: str | None = None, **kwargs: Any
                ) -> Callable[[_Function], _Function]:
        kwargs.setdefault("cls", ConventionalCommand)
        return super().command(name, **kwargs)
