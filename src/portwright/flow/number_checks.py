"""Numbers and booleans a flow writes where it means text: ``value: 0123`` fills ``123``.

YAML reads an unquoted ``0123`` as the number 123, ``1.10`` as 1.1, ``1_000`` as 1000 and
``true`` as a boolean; a field that takes text and numbers alike (a fill's value, an
assertion's expected value) or a string input's default and choices would silently get
``123``, ``1.1``, ``1`` or ``False``, not what was written. (``no``, ``on`` and ``12:30``
are text in YAML 1.2, which the loader reads, unless a file asks for ``%YAML 1.1``.)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from portwright.exceptions import FlowDefinitionError
from portwright.flow.definition_errors import field_path, model_at, takes_text
from portwright.flow.model import Flow
from portwright.flow.yaml_source import YamlDocument

__all__ = ["written_number_problems"]


def written_number_problems(doc: YamlDocument, root: type[BaseModel] = Flow
                            ) -> list[FlowDefinitionError]:
    """One error per number written otherwise than read, in a field that takes text."""
    out: list[FlowDefinitionError] = []
    for loc, written in doc.written_numbers.items():
        if not _takes_text(doc, root, loc):
            continue
        line, col, _ = doc.position(loc)
        value = doc.at(loc)
        if isinstance(value, bool):
            message = f"{written} is read by YAML as a boolean, not as the text {written!r}"
            expected = f'the text in quotes, "{written}"'
        else:
            message = (f"{written} is read by YAML as the number {value}, so the text "
                       f"{written!r} is lost")
            expected = f'the text in quotes, "{written}" (or the number written as {value})'
        out.append(FlowDefinitionError(message, file=doc.file, line=line, column=col,
                                       field=field_path(loc, doc), expected=expected))
    return out


def _takes_text(doc: YamlDocument, root: type[BaseModel], loc: tuple[str | int, ...]) -> bool:
    """Whether the field at ``loc`` takes text: a string input's default and choices, or
    a model field whose type admits ``str``."""
    if len(loc) >= 3 and loc[0] == "inputs" and loc[2] in ("default", "choices"):
        spec: Any = doc.at(loc[:2])
        return isinstance(spec, dict) and spec.get("type", "string") == "string"
    name = loc[-1]
    if not isinstance(name, str):
        return False
    model = model_at(root, loc[:-1], doc.data)
    return model is not None and takes_text(model, name)
