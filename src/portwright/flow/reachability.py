"""Which steps and logical names of a flow a given selector-map version can reach.

Two UI versions of a portal can reach the same data by different paths, and which path a
version offers is a fact about that version's selector map. A flow says so with
``if`` + ``map_offers: [names]``: the ``then`` branch runs where the detected map defines
every listed name, ``else`` where it does not. This module is the ONE rule for that
question, shared by the runner (which branch to take), ``portwright validate`` and the
standard adapter suite (which names a map version must define): a name inside a branch a
version cannot take is not required of that version; every other name is.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator

from portwright.flow.model import Flow
from portwright.flow.steps.base import StepBase

__all__ = ["map_offers", "reachable_names", "reachable_steps"]


def map_offers(defined: Container[str], names: Iterable[str]) -> bool:
    """True when a map defining the names in ``defined`` offers every one of ``names``."""
    return all(name in defined for name in names)


def reachable_steps(flow: Flow, defined: Container[str]) -> Iterator[StepBase]:
    """Every step a run could reach when the detected map defines ``defined``.

    Depth first, in file order; branches the map rules out (see ``StepBase.branches``)
    are skipped with everything nested in them.
    """

    def offered(names: Iterable[str]) -> bool:
        return map_offers(defined, names)

    stack: list[StepBase] = list(reversed(flow.steps))
    while stack:
        step = stack.pop()
        yield step
        nested = [s for _, steps in step.branches(offered) for s in steps]
        stack.extend(reversed(nested))


def reachable_names(flow: Flow, defined: Container[str]) -> set[str]:
    """Logical names a map defining ``defined`` must define for ``flow`` to run on it."""
    return {name for step in reachable_steps(flow, defined) for name in step.selector_names()}
