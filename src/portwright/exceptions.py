"""One exception tree for everything portwright raises.

Every error carries what a person needs to fix the cause: the ``hint`` says what to do,
and the structured attributes (file, line, selector name, strategies tried, artifact
paths, portal messages...) let a program react without parsing text. Secret values are
never part of an error; callers pass names, not values.

    PortwrightError
    ├── ConfigError ............................ workspace file / settings problems
    ├── EngineClosed ........................... a run on (or cut off by) a closed engine
    ├── AdapterNotFound ........................ no usable adapter under that name
    │   └── AdapterLoadError ................... installed, but it fails to import or start
    ├── FlowInputError ......................... inputs given to a flow are missing or mistyped
    ├── DefinitionError ........................ a flow or selector-map file is malformed
    │   ├── FlowDefinitionError
    │   └── SelectorMapError
    │       └── UnknownUIVersion ............... no map version's detect rules match the page
    ├── SelectorError .......................... a logical name did not resolve on the page
    │   ├── SelectorNotFound
    │   ├── SelectorAmbiguous
    │   └── SelectorInvalid .................... a strategy is no selector the browser can parse
    ├── StepError .............................. a step failed while running
    │   ├── StepTimeout
    │   ├── EntityInvalid ...................... an ``emit`` step's record is no valid entity
    │   ├── CallInputError ..................... a ``call`` passes inputs its flow refuses
    │   │   └── CallRequireError ............... ... that a ``require`` step of that flow refuses
    │   ├── FlowAssertionFailed
    │   └── UnsafeRetry ........................ a mutating step may not be retried blindly
    ├── AuthError
    │   ├── CredentialError .................... a secret is missing or its store is unsafe
    │   ├── LoginFailed
    │   ├── MfaError
    │   │   ├── MfaTimeout
    │   │   └── MfaCodeRejected
    │   └── SessionExpired
    ├── PortalError ............................ the portal itself answered with a problem
    │   ├── PortalValidationError .............. the portal rejected a form; carries its messages
    │   └── PortalUnavailable .................. maintenance, 5xx, rate limited
    ├── RecordingError
    │   ├── RecordModeError
    │   ├── ReplayMismatch
    │   └── AuditFailed
    ├── EntityValidationError .................. data does not conform to an entity schema
    │   └── ClaimValidationError ............... a claim cannot become an 837P
    ├── UnknownEntityError ..................... no entity has that name (also a LookupError)
    ├── UnknownInstrumentError ................. no scoring rules for that name (also a LookupError)
    ├── X12Error ............................... an X12 file cannot be parsed
    └── SubmissionError ........................ a file could not be delivered to its channel
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from portwright.shown_url import shown_url

__all__ = [
    "AdapterLoadError",
    "AdapterNotFound",
    "AuditFailed",
    "AuthError",
    "CallInputError",
    "CallRequireError",
    "ClaimValidationError",
    "ConfigError",
    "CredentialError",
    "DefinitionError",
    "DetectRuleVerdict",
    "EngineClosed",
    "EntityInvalid",
    "EntityValidationError",
    "FieldProblem",
    "FlowAssertionFailed",
    "FlowDefinitionError",
    "FlowInputError",
    "LoginFailed",
    "MfaCodeRejected",
    "MfaError",
    "MfaTimeout",
    "PortalError",
    "PortalUnavailable",
    "PortalValidationError",
    "PortwrightError",
    "RecordModeError",
    "RecordingError",
    "ReplayMismatch",
    "SelectorAmbiguous",
    "SelectorError",
    "SelectorInvalid",
    "SelectorMapError",
    "SelectorNotFound",
    "SessionExpired",
    "StepError",
    "StepTimeout",
    "SubmissionError",
    "UnknownEntityError",
    "UnknownInstrumentError",
    "UnknownUIVersion",
    "UnsafeRetry",
    "X12Error",
]


class PortwrightError(Exception):
    """Root of every error portwright raises on purpose.

    ``hint`` is a one-line fix for a person; it is appended to ``str(err)``.
    """

    #: the flow or its inputs are wrong: no retry and no fresh sign-in can mend it, so
    #: the engine's retries and a portal's recovery let it through at once
    flow_mistake: ClassVar[bool] = False

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class ConfigError(PortwrightError):
    """The workspace file or a setting is missing, misspelled or of the wrong type."""


class EngineClosed(PortwrightError):
    """A run asked of an engine after ``close()``, or cut off by it while in flight (its
    page was closed under it). Not the portal's fault and not the flow's: await or cancel
    an engine's runs before closing it; ``start()`` or ``async with`` opens it again."""


class AdapterNotFound(PortwrightError):
    """No usable adapter under the requested portal name: none is installed (the hint
    lists those that are), or it lacks what was asked of it (a sandbox, a normalizer).
    An installed one that does not load is the subclass :class:`AdapterLoadError`."""


class AdapterLoadError(AdapterNotFound):
    """An adapter is installed (its entry point is registered) but cannot be used: its
    module fails to import, the entry point names no ``Adapter`` subclass, or it fails to
    start. The import error is the ``__cause__``.

    A subclass of :class:`AdapterNotFound`, so code that only asks whether the adapter can
    be used keeps working; code that must tell a broken install from a missing one (the
    recordings audit: a missing adapter means patterns only, a broken one fails the
    audit) catches this first. ``adapter`` is the portal name, ``entry_point`` the
    ``module:attr`` it is registered as.
    """

    def __init__(self, message: str, *, adapter: str, entry_point: str,
                 hint: str | None = None) -> None:
        self.adapter = adapter
        self.entry_point = entry_point
        super().__init__(message, hint=hint)


class FlowInputError(PortwrightError):
    """An input given to a flow is unknown, missing or not of its declared type.

    Raised for the inputs a person gives the flow they run (a usage error: ``portwright
    run`` exits 2), by their declaration or by a ``require`` step; the same refusal of the
    inputs a ``call`` step passes is the calling flow's bug and becomes
    :class:`CallInputError` (:class:`CallRequireError` for a ``require`` step). ``reason``
    is what is wrong with the input, without the flow and input names.
    """

    flow_mistake = True

    def __init__(self, message: str, *, flow: str, field: str, hint: str | None = None) -> None:
        self.flow = flow
        self.field = field
        self.reason = message
        super().__init__(f"{flow}: input '{field}': {message}", hint=hint)


def _located(message: str, file: Path | None, line: int | None, column: int | None,
             field: str | None) -> str:
    """``file:line:column: message (field 'path')``: how every error found in a file reads."""
    where = str(file) if file is not None else "<string>"
    if line is not None:
        where += f":{line}" + (f":{column}" if column is not None else "")
    return f"{where}: {message}" + (f" (field '{field}')" if field else "")


class DefinitionError(PortwrightError):
    """A flow or selector-map file is malformed.

    Points at the exact place: ``file:line:column``, the field path, what was found
    and what was expected.
    """

    flow_mistake = True

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = Path(file) if file is not None else None
        self.line = line
        self.column = column
        self.field = field
        self.expected = expected
        text = _located(message, self.file, line, column, field)
        if expected:
            text += f"; expected {expected}"
        super().__init__(text, hint=hint)


class FlowDefinitionError(DefinitionError):
    """A flow file is malformed."""


class SelectorMapError(DefinitionError):
    """A selector-map file is malformed (or its ``extends`` chain is broken)."""


@dataclass(frozen=True)
class DetectRuleVerdict:
    """One ``detect`` rule of one map version, and what the page showed it.

    ``rule`` reads as a person writes it (``meta app-version ~ ^4\\.``, ``js APP.v ~ .+``,
    ``url ~ /v5/``, ``element main.app-v4``). ``seen`` is the meta tag's or global's value
    (None: absent), or the page's address without its query (PHI); None for an element
    rule, whose element's text is page data: ``matched`` says whether it was there.
    """

    version: str
    rule: str
    seen: str | None
    matched: bool


class UnknownUIVersion(SelectorMapError):
    """No selector-map version's ``detect`` rules match the page: a UI release no map
    describes (or a known one whose marker changed).

    A program (the canary monitor) reacts to it without parsing its text: ``portal``,
    ``observed`` (what the page showed each meta tag and global the rules read, and its
    ``url`` without the query) and ``tried``: every rule of every map version that has
    detect rules, each with its verdict (:class:`DetectRuleVerdict`), so the one rule that
    failed is known even where others of its version matched.
    """

    def __init__(
        self,
        message: str,
        *,
        portal: str,
        observed: dict[str, str | None],
        tried: Sequence[DetectRuleVerdict],
        file: Path | str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.portal = portal
        self.observed = dict(observed)
        self.tried = list(tried)
        super().__init__(message, file=file, expected=expected, hint=hint)


class SelectorError(PortwrightError):
    """A logical selector name did not resolve to exactly what was expected."""

    def __init__(
        self,
        message: str,
        *,
        name: str,
        strategies: Sequence[str] = (),
        url: str | None = None,
        map_version: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.name = name
        self.strategies = list(strategies)
        self.url = shown_url(url) if url else url  # the query may hold PHI
        self.map_version = map_version
        super().__init__(self._text(message), hint=hint)

    def _text(self, message: str) -> str:
        tried = "; ".join(self.strategies) if self.strategies else "none"
        return (f"{message}: '{self.name}' (map {self.map_version or '?'}) on "
                f"{self.url or '?'}; tried: {tried}")


class SelectorNotFound(SelectorError):
    """No strategy of a logical name matched anything on the page."""


class SelectorAmbiguous(SelectorError):
    """A logical name matched more than one element where exactly one was expected."""


class SelectorInvalid(SelectorError):
    """A strategy of a logical name is not a selector the browser can parse (CSS or XPath
    syntax, e.g. ``[data-id=2]`` with its value unquoted). The map is wrong whatever the
    page shows, so this is never "not found", and retrying cannot help.

    ``strategy`` is the strategy as described in logs, ``index`` its place (0-based) in the
    entry, ``reason`` the browser's own first line, ``file`` the map file that defines it.
    """

    def __init__(
        self,
        reason: str,
        *,
        name: str,
        strategy: str,
        index: int,
        file: str,
        url: str | None = None,
        map_version: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.strategy = strategy
        self.index = index
        self.reason = reason
        self.file = file
        super().__init__(reason, name=name, strategies=[f"{strategy} → invalid"], url=url,
                         map_version=map_version,
                         hint=hint or f"fix it in {file}: the browser cannot parse this "
                         "strategy, so it can never match (quote attribute values in CSS; "
                         "check brackets and quotes in XPath)")

    def _text(self, message: str) -> str:
        return (f"strategy {self.index + 1} of '{self.name}', {self.strategy}, is not a valid "
                f"selector: {message} (map {self.map_version or '?'}) on {self.url or '?'}")


class StepError(PortwrightError):
    """A flow step failed at run time; names the step and the artifacts written for it."""

    def __init__(
        self,
        message: str,
        *,
        flow: str | None = None,
        step: str | None = None,
        artifacts: Sequence[Path] = (),
        hint: str | None = None,
    ) -> None:
        self.flow = flow
        self.step = step
        self.artifacts = list(artifacts)
        text = message
        if flow or step:
            text = f"{flow or '?'} step {step or '?'}: {message}"
        if self.artifacts:
            text += "\n  artifacts: " + ", ".join(str(p) for p in self.artifacts)
        super().__init__(text, hint=hint)


class StepTimeout(StepError):
    """A step did not complete within its timeout."""


class CallInputError(StepError):
    """A ``call`` step passes inputs its called flow refuses (unknown, missing, not of the
    declared type or choices): the calling flow computed or forgot them, so the call step
    fails (``portwright run`` exits 1) rather than the command being given wrongly.

    ``flow`` and ``step`` name the calling flow and its call step, ``called_flow`` and
    ``field`` the refused input, ``reason`` what is wrong with it. A flow mistake: no
    retry or fresh sign-in can mend it.
    """

    flow_mistake = True

    def __init__(self, message: str, *, flow: str, step: str, called_flow: str, field: str,
                 reason: str, hint: str | None = None) -> None:
        self.called_flow = called_flow
        self.field = field
        self.reason = reason
        super().__init__(message, flow=flow, step=step, hint=hint)


class EntityInvalid(StepError):
    """A record an ``emit`` step turned into an entity failed its validation: usually a
    selector that now reads another element (a date field reading the MRN), or a portal
    showing a value the entity does not allow.

    ``entity`` is the entity's name and ``fields`` the JSON paths of the fields that
    failed (``dob``, ``contact.email``), never their values (page data): a drift report
    names the logical name each is read through without parsing the message.
    """

    def __init__(self, message: str, *, flow: str | None = None, step: str | None = None,
                 entity: str, fields: Sequence[str] = (), hint: str | None = None) -> None:
        self.entity = entity
        self.fields = tuple(fields)
        super().__init__(message, flow=flow, step=step, hint=hint)


class CallRequireError(CallInputError):
    """A ``require`` step of a called flow refuses the values a ``call`` step passed.

    The person running the top-level flow gave that flow's inputs; the values a called
    flow gets are the calling flow's doing (computed, or passed on unchecked), so the
    call step fails (``portwright run`` exits 1), as for any input the called flow
    refuses. ``field`` is the input the requirement is about, ``reason`` its message. A
    ``require`` step of the flow a person runs stays a :class:`FlowInputError` (exit 2).
    """


class FlowAssertionFailed(StepError):
    """An ``assert`` step found the page not in the expected state."""


class UnsafeRetry(StepError):
    """A retry was requested around a mutating step that has no idempotency check.

    Found when a flow is loaded, so given a ``file`` it reads like a definition error,
    ``file:line:column: <message> (field '<path>')``, the message naming the step once;
    ``flow`` and ``step`` are kept as attributes.
    """

    def __init__(
        self,
        message: str,
        *,
        flow: str | None = None,
        step: str | None = None,
        file: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = Path(file) if file is not None else None
        self.line = line
        self.column = column
        self.field = field
        if self.file is None:
            super().__init__(message, flow=flow, step=step, hint=hint)
            return
        super().__init__(_located(message, self.file, line, column, field), hint=hint)
        self.flow = flow
        self.step = step


class AuthError(PortwrightError):
    """Logging in, MFA, credentials or sessions."""


class CredentialError(AuthError):
    """A secret is missing, or the store holding it is unreadable or unsafe."""


class LoginFailed(AuthError):
    """The portal refused the username/password (or the account is locked)."""


class MfaError(AuthError):
    """A second factor could not be obtained or was not accepted."""


class MfaTimeout(MfaError):
    """No code arrived on the channel (mailbox, SMS number) in time."""


class MfaCodeRejected(MfaError):
    """The portal rejected the code that was submitted."""


class SessionExpired(AuthError):
    """The portal session ended (idle timeout, logged out elsewhere).

    When a run noticed it (the portal showed its sign-in page unasked), the details say
    where, so a caller can tell whether the step did anything before: ``flow``, ``step``
    (its title), ``name`` (the logical name expected), ``url`` (shown without its query)
    and ``acted`` (False: the step acted on nothing, a write may be made again; None:
    not known). All optional: a plain ``SessionExpired(message)`` carries none."""

    def __init__(self, message: str, *, hint: str | None = None, flow: str | None = None,
                 step: str | None = None, name: str | None = None, url: str | None = None,
                 acted: bool | None = None) -> None:
        super().__init__(message, hint=hint)
        self.flow = flow
        self.step = step
        self.name = name
        self.url = url
        self.acted = acted


class PortalError(PortwrightError):
    """The portal answered with a problem of its own."""


class PortalValidationError(PortalError):
    """The portal rejected submitted data; ``messages`` holds its own words."""

    def __init__(
        self, message: str, *, messages: Sequence[str] = (), hint: str | None = None
    ) -> None:
        self.messages = list(messages)
        text = message + ("".join(f"\n  - {m}" for m in self.messages) if self.messages else "")
        super().__init__(text, hint=hint)


class PortalUnavailable(PortalError):
    """Maintenance page, 5xx, or rate limiting (``retry_after`` seconds when known)."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, hint: str | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, hint=hint)


class RecordingError(PortwrightError):
    """Recording, replaying or auditing fixtures."""


class RecordModeError(RecordingError, ValueError):
    """An unknown record mode was given (a typo must fail loudly)."""


class ReplayMismatch(RecordingError):
    """Replay asked for something the recording does not hold, or output differs."""


class AuditFailed(RecordingError):
    """A recording holds a secret or PHI."""


@dataclass(frozen=True)
class FieldProblem:
    """One field-level problem: dotted path, what is wrong, and the offending value's kind."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class EntityValidationError(PortwrightError):
    """Data does not conform to an entity schema; ``problems`` lists each field."""

    def __init__(
        self,
        message: str,
        *,
        problems: Sequence[FieldProblem] = (),
        hint: str | None = None,
    ) -> None:
        self.problems = list(problems)
        text = message + "".join(f"\n  - {p}" for p in self.problems)
        super().__init__(text, hint=hint)


class ClaimValidationError(EntityValidationError):
    """A claim cannot be turned into an 837P; nothing was written."""


class UnknownEntityError(PortwrightError, LookupError):
    """A flow or request names an entity that does not exist (``known`` lists the names).

    Also a :class:`LookupError`, so code that treats it as a failed lookup keeps working.
    """

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(f"unknown entity {name!r}; known entities: {', '.join(self.known)}")


class UnknownInstrumentError(PortwrightError, LookupError):
    """No scoring rules exist for this instrument name (``known`` lists the names)."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(
            f"no scoring rules for instrument {name!r}; known: {', '.join(self.known)}"
        )


class X12Error(PortwrightError):
    """An X12 interchange cannot be parsed (segment position in ``segment_index``)."""

    def __init__(
        self, message: str, *, segment_index: int | None = None, hint: str | None = None
    ) -> None:
        self.segment_index = segment_index
        text = message if segment_index is None else f"segment {segment_index}: {message}"
        super().__init__(text, hint=hint)


class SubmissionError(PortwrightError):
    """A file could not be delivered to its channel (SFTP, portal upload)."""
