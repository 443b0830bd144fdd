"""Cutting the browser's own exceptions out of a step error's chain.

A step error says what failed in words portwright chose: the element by its tag, the URL
as the flow wrote it, never the page's text (``playwright_errors``). Python keeps the
exception it was raised from (``raise ... from exc``) or while handling
(``__context__``), and a service logging a failed run with ``log.exception(...)`` prints
that chain whole: Playwright's own message, with the matched elements' markup, an
expectation's aria snapshot, the value typed. So the chain of an error leaving a step
keeps portwright's errors and ends at the first exception of anyone else's; what the
cut exception said that a reader needs is in the step error's own message already.
"""

from __future__ import annotations

from portwright.exceptions import PortwrightError

__all__ = ["cut_foreign_causes"]


def cut_foreign_causes(error: BaseException) -> BaseException:
    """``error``, its chain ending before the first exception that is no
    :class:`PortwrightError` (each link's ``__cause__`` and ``__context__``); returned
    for ``raise cut_foreign_causes(err)``."""
    link: BaseException | None = error
    seen: set[int] = set()
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        following = link.__cause__ if link.__cause__ is not None else (
            None if link.__suppress_context__ else link.__context__)
        if following is not None and not isinstance(following, PortwrightError):
            link.__cause__ = None
            link.__context__ = None
            link.__suppress_context__ = True
            break
        if following is None:
            link.__context__ = None  # a hidden context is still an attribute anyone reads
        link = following
    return error
