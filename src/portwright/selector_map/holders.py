"""Which names a logical name is looked for within: its ``scope`` and its ``frame``.

A name with ``scope`` is searched inside another name's element, one with ``frame`` in
the document of another name's <iframe>, and those names may have holders of their own.
The resolver walks this chain to say which frame each resolution was made in (a drift
report can then tell an element moved into a frame), to put the error of a missing frame
or scope before those of the names inside it, and to find the frame a name was looked for
in when an action there fails. Only the map is read here; nothing touches the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from portwright.exceptions import SelectorError
from portwright.selector_map.check import implicit_row
from portwright.selector_map.loader import ResolvedMap

__all__ = ["frame_of", "frames_entered", "holders", "holders_first"]

E = TypeVar("E", bound=SelectorError)


def holders(smap: ResolvedMap, name: str) -> list[str]:
    """The names ``name`` is resolved within (scope or frame), innermost first."""
    out: list[str] = []
    entry = smap.entries.get(name)
    while entry is not None:
        holder = entry.scope or entry.frame_name(name)
        if holder is None or holder in out or holder == name:
            break
        out.append(holder)
        name, entry = holder, smap.entries.get(holder)
    return out


def frame_of(smap: ResolvedMap, name: str, *, in_row: bool = False) -> str | None:
    """The logical name of the <iframe> ``name`` is found in: its own ``frame`` or that of
    its scope (``in_row``: a field read inside the rows of a list it is named after,
    ``patients.row.mrn``, is in the list's frame); None for the page itself."""
    chain = [name, *holders(smap, name)]
    if in_row and len(chain) == 1:
        rows = implicit_row(smap, name)
        chain += [] if rows is None else [rows, *holders(smap, rows)]
    for current in chain:
        entry = smap.entries.get(current)
        frame = None if entry is None else entry.frame_name(current)
        if frame is not None:
            return frame
    return None


def frames_entered(smap: ResolvedMap, name: str) -> list[tuple[str, str]]:
    """(frame name, the name looked for in its document) for every frame the browser
    enters to find ``name`` (the frames of its scopes too), outermost first: the order
    it enters them in."""
    entered: list[tuple[str, str]] = []
    for current in [name, *holders(smap, name)]:
        entry = smap.entries.get(current)
        frame = None if entry is None else entry.frame_name(current)
        if frame is not None:
            entered.append((frame, current))
    return entered[::-1]


def holders_first(smap: ResolvedMap, errors: Sequence[E]) -> list[E]:
    """Errors of frames and scopes before those of the names inside them: when the
    <iframe> is gone, that is the news, not that nothing inside it was found."""
    held = {holder for e in errors for holder in holders(smap, e.name)}
    return sorted(errors, key=lambda e: e.name not in held)
