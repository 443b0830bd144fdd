"""What a canary run found: one ``Finding`` per fact a person should act on or know.

Severities say what to do: ``failed`` (a flow no longer runs, or the map holds a selector
the browser cannot parse: ``invalid``, the map's fault, not the portal's; or the page
matches no map version at all: ``ui_version_unknown``, a UI release no map describes,
which every flow of the portal fails on until a map is added), ``drift`` (it
runs, but the portal changed under it: a name found only by a fallback, a field that came
back empty everywhere, a field whose values are now of another kind, a number where an
email was, a field that holds the values another field held: a column that moved),
``info`` (worth knowing, nothing broken: the portal
moved to another UI version the maps support; a detail page's one record is not the
baseline's, so its fields were not compared). The report is JSON for a job to keep and
a few lines for a person; neither carries page data, only names, strategies and counts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CanaryReport", "DetectRuleTried", "Finding", "FlowCheck", "Severity"]

Severity = Literal["failed", "drift", "info"]


class DetectRuleTried(BaseModel):
    """One ``detect`` rule of one map version, and what the page showed it: how a
    ``ui_version_unknown`` says why no map matched (the rule's own text, the version
    marker's value; never page text)."""

    model_config = ConfigDict(frozen=True)

    version: str
    #: the rule as a person reads it: ``meta app-version ~ ^4\.``, ``element .app-v5``
    rule: str
    #: what the page held for it: a meta tag's or global's value (None: absent), the
    #: page's address without its query; None for an ``element`` rule (its element's
    #: text is page data: ``matched`` says whether it was there)
    found: str | None = None
    #: whether the rule matched (the engine judges every rule, an element's presence
    #: included); None only in a report written before it did
    matched: bool | None = None


class Finding(BaseModel):
    """One thing the canary saw, and where."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    kind: Literal["run_failed", "fallback", "missing", "ambiguous", "invalid",
                  "field_emptied", "field_kind_changed", "field_values_moved",
                  "ui_version_changed", "ui_version_unknown", "record_unmatched",
                  "not_run"]
    flow: str
    #: the logical name or output field concerned, when there is one
    subject: str | None = None
    detail: str
    #: for a ``fallback``: which strategy (0-based) found it, and in which map version;
    #: for an ``invalid``: which strategy the browser cannot parse; for a ``run_failed``
    #: on a name: the strategies tried, each with what it found (``css=#x → 0``); for a
    #: ``field_values_moved``: the strategy of ``reads`` that found the element read
    strategy: str | None = None
    strategy_index: int | None = None
    #: for a ``ui_version_unknown``: the map version the baseline was recorded with
    map_version: str | None = None
    #: for a field finding (``field_emptied``, ``field_kind_changed``,
    #: ``field_values_moved``, and a ``run_failed`` on a record that is no valid entity,
    #: whose ``subject`` is ``Entity.field``): the logical name the field is read
    #: through, when the flow reads it through one
    reads: str | None = None
    #: for a ``field_values_moved``: the field (``output.field``) whose baseline values
    #: the field now holds
    now_holds: str | None = None
    #: for a ``ui_version_unknown``: every map version's ``detect`` rules, each with what
    #: the page showed it
    rules_tried: list[DetectRuleTried] = Field(default_factory=list)


class FlowCheck(BaseModel):
    """One canary flow's live run, against its baseline recording."""

    flow: str
    account: str | None = None
    ran: bool
    ms: float | None = None
    ui_version: str | None = None
    selector_map_version: str | None = None
    baseline: str | None = Field(default=None, description="The recording compared with.")
    baseline_missing: str | None = Field(
        default=None, description="Why no recording is compared with: none of the flow, or "
        "none with these inputs (the recordings there are named, never an input's value).")
    records: dict[str, int] = Field(default_factory=dict,
                                    description="Entity output → how many came back.")
    artifacts: list[str] = Field(default_factory=list,
                                 description="A failed run's screenshot and step log.")
    findings: list[Finding] = Field(default_factory=list)


class CanaryReport(BaseModel):
    """Every canary flow of one portal, checked once."""

    portal: str
    checked_at: str
    flows: list[FlowCheck]

    @property
    def findings(self) -> list[Finding]:
        return [f for check in self.flows for f in check.findings]

    @property
    def healthy(self) -> bool:
        """No flow failed or drifted (``info`` findings do not count)."""
        return all(f.severity == "info" for f in self.findings)

    def summary(self) -> list[str]:
        """A few lines for a person: one per flow, then one per finding."""
        lines = []
        for check in self.flows:
            state = "not run" if not check.ran else \
                "failed" if any(f.severity == "failed" for f in check.findings) else \
                "drift" if any(f.severity == "drift" for f in check.findings) else "ok"
            counts = ", ".join(f"{n} {name}" for name, n in check.records.items())
            took = f", {check.ms:.0f} ms" if check.ms is not None else ""
            against = f"; baseline {check.baseline}" if check.baseline else \
                "; no baseline" + (f": {check.baseline_missing}" if check.baseline_missing
                                   else "")
            lines.append(f"{state:8} {check.flow} (UI {check.ui_version or '?'}{took}"
                         + (f"; {counts}" if counts else "")
                         + (against if check.ran else "") + ")")
            for f in check.findings:
                about = f" {f.subject}:" if f.subject else ""
                lines.append(f"  {f.severity}: {f.kind}:{about} {f.detail}")
            if check.artifacts:
                lines.append(f"  artifacts: {', '.join(check.artifacts)}")
        return lines
