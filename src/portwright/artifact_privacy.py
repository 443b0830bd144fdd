"""How much of a portal page a run's screenshots and failure traces may show.

A portal page is a patient's record: a screenshot taken when a step fails is PHI, and
failure artifacts travel (attached to a CI job, a ticket, a drift report). So the default,
``masked``, keeps what one needs to see why a step failed, the layout, and hides every
glyph, form value and image (:mod:`portwright.runner.screenshots`); a failure then saves
no DOM trace either, since the page's markup holds its text. ``full`` keeps the page as it
is, for a sandbox or a test portal with no real patients.

A trace the caller asked for (``trace="on"`` or ``"retain-on-failure"``, ``run --trace``)
is recorded whatever this says: whoever asks for one takes on keeping it safe.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ArtifactPrivacy"]


class ArtifactPrivacy(StrEnum):
    """The ``artifact_privacy`` setting: ``masked`` (default) or ``full``."""

    MASKED = "masked"
    FULL = "full"
