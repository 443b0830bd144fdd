"""Checks of the regular expressions and transform names a flow writes, at load.

A misspelled transform or a regex Python cannot compile would otherwise fail only when
the step runs (a bare ``KeyError`` or ``re.error``), after the earlier steps ran. A
pattern that is a template is checked once rendered, at run time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator

from portwright.flow.model import Flow
from portwright.flow.steps.assert_ import AssertStep
from portwright.flow.steps.capture import CaptureStep
from portwright.flow.steps.extract import ExtractStep, FieldSpec
from portwright.flow.steps.wait_for import WaitForStep
from portwright.templating import Templates

__all__ = ["PatternProblem", "pattern_problems"]

#: (location in the document, message, field path, expected, hint)
PatternProblem = tuple[tuple[str | int, ...], str, str, str, str | None]


def _regex_error(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


def _patterns(flow: Flow) -> Iterator[tuple[tuple[str | int, ...], str, str, bool]]:
    """(location, field path, text, whether the text is a regex itself rather than a
    glob-or-``re:`` URL pattern) of every pattern of the flow's steps."""
    for step in flow.walk():
        if isinstance(step, WaitForStep):
            for key in ("url", "response"):
                value = getattr(step, key)
                if value is not None:
                    yield (*step.loc, key), f"{step.path}.{key}", value, False
        elif isinstance(step, CaptureStep):
            yield (*step.loc, "response"), f"{step.path}.response", step.response, False
        elif isinstance(step, AssertStep) and step.matches is not None:
            yield (*step.loc, "matches"), f"{step.path}.matches", step.matches, True


def pattern_problems(flow: Flow, templates: Templates,
                     known_transform: Callable[[str], bool],
                     transform_names: list[str]) -> list[PatternProblem]:
    """Every unknown transform and uncompilable regex of ``flow``."""
    problems: list[PatternProblem] = []
    for loc, field, text, is_regex in _patterns(flow):
        if templates.is_template(text) or not (is_regex or text.startswith("re:")):
            continue
        error = _regex_error(text if is_regex else text[3:])
        if error is not None:
            problems.append((loc, f"invalid regular expression {text!r}: {error}", field,
                             "a valid Python regular expression"
                             + ("" if is_regex else " after 're:' (or a glob)"), None))
    for step in flow.walk():
        if not isinstance(step, ExtractStep):
            continue
        for name, spec in step.fields.items():
            if not isinstance(spec, FieldSpec):
                continue
            listed = isinstance(spec.transform, list)
            for i, transform in enumerate(spec.transforms()):
                rel: tuple[str | int, ...] = ("fields", name, "transform", *((i,) if listed
                                                                            else ()))
                loc = (*step.loc, *rel)
                field = f"{step.path}.fields.{name}.transform" + (f"[{i}]" if listed else "")
                if not known_transform(transform):
                    close = difflib.get_close_matches(transform, transform_names, n=1)
                    problems.append((loc, f"unknown transform '{transform}'", field,
                                     "one of " + ", ".join(transform_names)
                                     + " or re:<regex>",
                                     f"did you mean '{close[0]}'?" if close else None))
                elif transform.startswith("re:"):
                    error = _regex_error(transform[3:])
                    if error is not None:
                        problems.append((loc, f"invalid regular expression {transform!r}: "
                                         f"{error}", field, "a valid Python regular "
                                         "expression after 're:'", None))
    return problems
