"""Turn pydantic validation errors into ``DefinitionError``s a person can act on.

Each error names the file, line and column (from :class:`YamlDocument`), the field as a
path (``steps[2].then[0].target``), what is wrong, and what was expected. Known fields
come from walking the model types along the error's location, so "unknown field" lists
the fields that *are* allowed at that spot.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from portwright.exceptions import DefinitionError
from portwright.flow.yaml_source import YamlDocument

__all__ = ["field_path", "model_at", "takes_text", "to_definition_errors"]


def field_path(loc: Sequence[str | int], doc: YamlDocument | None = None) -> str:
    """``('steps', 2, 'click', 'target')`` → ``steps[2].target``.

    Parts the document does not have are dropped: union member tags pydantic inserts
    (``click``, ``str``, ``CssStrategy``, or a strategy key like ``css`` when more parts
    follow it), and keys and indexes implied by a shorthand (``strategies`` of a plain
    list; ``strategies[0]`` of a single mapping written for a one-item list, so
    ``d: {css: ""}`` is ``selectors.d.css``, as written, not ``selectors.d[0].css.css``).
    """
    out = ""
    node: Any = doc.data if doc is not None else None
    parts = list(loc)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(part, int):
            if part == 0 and isinstance(node, dict) and part not in node:
                continue  # the list's one item, written as itself (a mapping shorthand)
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        if isinstance(node, list):
            continue  # a key implied by a shorthand list
        if isinstance(node, dict) and part in node:
            if not last and not isinstance(node[part], dict | list) and not _is_member_tag(
                parts[i + 1]
            ):
                continue  # a tag that happens to equal a key holding a scalar
            node = node[part]
        elif part[:1].isupper() or part in _MEMBER_TAGS or (
            isinstance(node, dict) and node.get("action") == part
        ):
            continue  # a union member tag pydantic adds; not part of the document
        elif not last and isinstance(node, dict):
            continue  # a tag of a key-discriminated union (e.g. 'css' of a strategy)
        else:
            node = None
        out += f".{part}" if out else part
    return out


_MEMBER_TAGS = frozenset({"str", "int", "float", "bool", "list", "dict", "none", "list[str]"})


def _is_member_tag(part: str | int) -> bool:
    return isinstance(part, str) and (part[:1].isupper() or part in _MEMBER_TAGS)


def _unwrap(tp: Any) -> list[Any]:
    """Members of Optional/Union/Annotated, flattened."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(get_args(tp)[0])
    if origin is Union or origin is types.UnionType:
        return [m for a in get_args(tp) for m in _unwrap(a)]
    return [tp]


def model_at(root: type[BaseModel], loc: Sequence[str | int], data: Any) -> type[BaseModel] | None:
    """The model class validating the node at ``loc`` (None when not a model)."""
    candidates: list[Any] = [root]
    node = data
    owner: type[BaseModel] | None = None  # model whose field the last part named
    for part in loc:
        nxt: list[Any] = []
        owner = None
        for cand in candidates:
            for tp in _unwrap(cand):
                origin = get_origin(tp)
                if isinstance(tp, type) and issubclass(tp, BaseModel):
                    if isinstance(part, str):
                        for name, f in tp.model_fields.items():
                            if part in (name, f.alias):
                                nxt.append(f.annotation)
                                owner = tp
                elif origin is list and isinstance(part, int):
                    nxt.append(get_args(tp)[0])
                elif origin is dict and isinstance(part, str):
                    nxt.append(get_args(tp)[1])
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        elif isinstance(node, dict) and part in node:
            node = node[part]
        if not nxt:
            # a union tag: keep the member it names
            for cand in candidates:
                for tp in _unwrap(cand):
                    if isinstance(tp, type) and issubclass(tp, BaseModel) and (
                        tp.__name__ == part or _action(tp) == part
                        or (isinstance(part, str) and part in tp.model_fields
                            and "action" not in tp.model_fields)
                    ):
                        nxt.append(tp)
            if not nxt:
                nxt = candidates
        candidates = nxt
    if isinstance(node, dict) and "action" in node:
        for cand in candidates:
            for tp in _unwrap(cand):
                if isinstance(tp, type) and issubclass(tp, BaseModel) and _action(tp) == node[
                    "action"
                ]:
                    return tp
    for cand in candidates:
        for tp in _unwrap(cand):
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                return tp
    # the last part was a tag equal to a field name (e.g. 'css' of a strategy)
    return owner


def takes_text(model: type[BaseModel], name: str) -> bool:
    """Whether ``model``'s field ``name`` (or alias) takes text and numbers alike
    (``str | int``), so a number written where text was meant passes unnoticed; a field
    taking only ``str`` refuses the number itself."""
    for field_name, f in model.model_fields.items():
        if name in (field_name, f.alias):
            members = _unwrap(f.annotation)
            return str in members and (int in members or float in members)
    return False


def _action(tp: type[BaseModel]) -> str | None:
    field = tp.model_fields.get("action")
    if field is None:
        return None
    args = get_args(field.annotation)
    return args[0] if len(args) == 1 and isinstance(args[0], str) else None


def _fields_of(model: type[BaseModel]) -> list[str]:
    return sorted(f.alias or name for name, f in model.model_fields.items())


def _expected_from_msg(msg: str) -> str:
    for prefix in ("Input should be ", "Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix):]
    if msg.startswith("String should match pattern"):
        return "a string matching " + msg.split("pattern", 1)[1].strip()
    if " should have " in msg:
        return msg.split(" should have ", 1)[1].split(" after validation")[0]
    return msg[0].lower() + msg[1:] if msg else "a valid value"


def _did_you_mean(written: str, known: Sequence[str]) -> str | None:
    """``did you mean 'click'?`` for a near miss of a known word, so a typo's fix is read
    first rather than found in a list; None when nothing is close."""
    close = difflib.get_close_matches(written, [k for k in known if k], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close and written else None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def to_definition_errors(
    exc: ValidationError,
    doc: YamlDocument,
    root: type[BaseModel],
    error: type[DefinitionError],
) -> list[DefinitionError]:
    """One ``error`` per distinct problem, in document order."""
    merged: dict[tuple[int, int, str], DefinitionError] = {}
    messages: dict[tuple[int, int, str], str] = {}
    alternatives: dict[tuple[int, int, str], list[str]] = {}
    hints: dict[tuple[int, int, str], str | None] = {}
    errors = exc.errors(include_url=False)
    prefixes = {tuple(e["loc"][:-1]) for e in errors}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "string_type" and isinstance(err.get("input"), dict | list) and any(
            p[: len(loc) - 1] == loc[:-1] and len(p) >= len(loc) for p in prefixes
        ):
            continue  # "not a string" next to the real problem inside the mapping
        kind = err["type"]
        msg = err["msg"]
        hint: str | None = None
        ctx = err.get("ctx") or {}
        field = field_path(loc, doc) or "(top level)"
        line, col, found = doc.position(loc)
        if kind == "missing":
            name = str(loc[-1])
            message = f"missing required field '{name}'"
            expected = f"a value for '{name}'"
            field_name = field
        elif kind == "extra_forbidden":
            line, col = doc.key_position(loc)
            model = model_at(root, loc[:-1], doc.data)
            allowed = _fields_of(model) if model else []
            message = f"unknown field '{loc[-1]}'"
            hint = _did_you_mean(str(loc[-1]), allowed)
            expected = "one of the fields " + ", ".join(allowed) if allowed else "no such field"
            field_name = field
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            line, col = doc.key_position((*loc, "action"))
            raw_tags = str(ctx.get("expected_tags", "")).split(",")
            tags = sorted(t.strip().strip("'") for t in raw_tags)
            if kind == "union_tag_invalid":
                message = f"unknown action '{ctx.get('tag')}'"
                hint = _did_you_mean(str(ctx.get("tag", "")), tags)
            else:
                message = "step has no 'action'"
            expected = "action one of: " + ", ".join(t for t in tags if t)
            field_name = f"{field}.action"
        elif kind == "definition":
            message = msg
            expected = str(ctx.get("expected", ""))
            field_name = field
        elif kind == "literal_error":
            message = f"invalid value {_short(err.get('input'))}"
            expected = str(ctx.get("expected", _expected_from_msg(msg)))
            field_name = field
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message = f"invalid value {_short(err.get('input'))}"
            model = model_at(root, loc, doc.data)
            expected = (
                f"a mapping with fields {', '.join(_fields_of(model))}" if model else "a mapping"
            )
            if kind == "dict_type":  # a mapping of names: what each name maps to
                each = model_at(root, (*loc, "\0"), doc.data)
                expected = "a mapping of names, each to " + (
                    f"a mapping with fields {', '.join(_fields_of(each))}" if each
                    else "its value") + " (name: value, one per line)"
            elif model is not None and _action(model) is not None:  # any step, not this one
                expected = ("a step: a mapping whose first line is '- action: <what to do>' "
                            "(click, fill, goto, ...), its fields on the lines below")
            field_name = field
        elif kind == "list_type" and isinstance(err.get("input"), dict):
            message = "a mapping where a list belongs"
            expected = "a list: each item on its own line, starting with '- '"
            field_name = field
        elif kind == "string_type" and isinstance(err.get("input"), int | float) and not (
                isinstance(err.get("input"), bool)) and found:
            written = doc.written_at(line, col) or str(err.get("input"))
            message = f"invalid value {written}: YAML reads it as the number {err['input']}"
            expected = f'text; quote it: "{written}"'
            field_name = field
        else:
            message = f"invalid value {_short(err.get('input'))}"
            expected = _expected_from_msg(msg)
            field_name = field
        del found
        key = (line, col, field_name)
        if key in merged:
            alternatives[key].append(expected)
            continue
        alternatives[key] = [expected]
        messages[key] = message
        hints[key] = hint
        merged[key] = error(message, file=doc.file, line=line, column=col, field=field_name,
                            expected=expected, hint=hint)
    out: list[DefinitionError] = []
    for key, err_obj in merged.items():
        alts = alternatives[key]
        if len(alts) > 1:
            err_obj = error(
                messages[key],
                file=doc.file, line=key[0], column=key[1], field=key[2],
                expected=" or ".join(dict.fromkeys(alts)), hint=hints[key],
            )
        out.append(err_obj)
    out.sort(key=lambda e: (e.line or 0, e.column or 0))
    return out
