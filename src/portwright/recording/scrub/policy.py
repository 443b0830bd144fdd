"""The scrub policy: which parts of a portal's traffic are secret or PHI.

Each adapter ships one (a YAML file in its package, e.g.
``portwright_valant/scrub_policy.yaml``) on top of the built-in baseline below, which
covers what every web portal has (auth headers, cookies, passwords, CSRF tokens, OAuth
codes, cache-busting parameters). Policies are data: adding a portal never edits the
engine.

Field names are matched *normalized* (lower case, without ``_``/``-``), so one entry
``first_name`` covers ``first_name``, ``firstName`` and ``FirstName`` wherever a keyed
value appears: form fields, URL query parameters, JSON objects, golden outputs, and
``<input name=... value=...>`` in HTML. ``request_fields`` entries are matched only in
what a request carries (query strings, form bodies, form inputs), for generic names.

A policy may also carry the dates no date pseudonym may be (:meth:`ScrubPolicy.avoiding_dates`):
the birth dates the adapter's sandbox plants, which the audit searches for. They are not
data of the policy file but a source read when the first date is pseudonymized, since
listing them may build a sandbox database, and a policy is also loaded to replay, scrub a
trace or compare goldens, none of which pseudonymizes anything. The same goes for the
names no name pseudonym may spell (:meth:`ScrubPolicy.avoiding_names`): the seeded
patients' names, which the audit searches for as ``First Last``, ``Last, First`` and an
835's ``LAST*FIRST``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from portwright.exceptions import RecordingError
from portwright.recording.scrub.kinds import Kind, PhiKind, SecretKind

__all__ = ["BASELINE_POLICY", "Pattern", "ScrubPolicy", "load_policy", "normalize_field"]


def normalize_field(name: str) -> str:
    """How field names are compared: ``First_Name`` == ``firstName`` == ``first-name``."""
    return re.sub(r"[_\-\s]", "", name).lower()


class Pattern(BaseModel):
    """A regular expression whose ``value`` group (or whole match) is secret or PHI.

    The kind is ``kind``; or, when the pattern has a ``field`` group instead, the kind the
    policy's ``fields`` give that name (``data-testid="field-(?P<field>[a-z-]+)"``), so
    one pattern covers every labelled value of a page.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    kind: Kind | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
        return value

    def finditer(self, text: str) -> list[str]:
        """Values of a pattern with a fixed ``kind``."""
        return [value for kind, value in self.matches(text, None) if kind is not None]

    def matches(self, text: str, policy: ScrubPolicy | None) -> list[tuple[Kind | None, str]]:
        """(kind, value) of every match; the kind from the ``field`` group if there is one."""
        found: list[tuple[Kind | None, str]] = []
        for match in re.finditer(self.pattern, text):
            value = match.group("value") if "value" in match.re.groupindex else match.group(0)
            kind = self.kind
            if "field" in match.re.groupindex and policy is not None:
                kind = policy.field_kind(match.group("field") or "")
            if value and kind is not None:
                found.append((kind, value.strip()))
        return found


class ScrubPolicy(BaseModel):
    """What to scrub, by name; see the module docstring for how names are matched."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    #: header name (any case) → kind; ``cookie``/``set-cookie`` are parsed per cookie
    headers: dict[str, Kind] = Field(default_factory=dict)
    #: cookie name → kind; ``"*"`` is every other cookie
    cookies: dict[str, Kind] = Field(default_factory=dict)
    #: keyed value name → kind, in forms, query strings, JSON, HTML inputs and goldens
    fields: dict[str, Kind] = Field(default_factory=dict)
    #: keyed value name → kind, only where a request carries the value: query strings,
    #: form bodies and the ``<input>``/``<textarea>`` that fill a form. For names too
    #: common to scrub everywhere: OIDC's ``state`` is also an address's state and a
    #: widget's ``data-state="loading"``, whose values must not become secrets that are
    #: then replaced in every page and script of the recording.
    request_fields: dict[str, Kind] = Field(default_factory=dict)
    #: (first, last) field pairs whose joined forms ("First Last", "Last, First") appear
    name_pairs: list[tuple[str, str]] = Field(default_factory=list)
    #: patterns over HTML and other text bodies (the ``value`` group is what to scrub)
    text_patterns: list[Pattern] = Field(default_factory=list)
    #: patterns over URL paths (e.g. an account id as a path segment)
    path_patterns: list[Pattern] = Field(default_factory=list)
    #: query parameters ignored when replay matches a request (cache busting)
    volatile_params: list[str] = Field(default_factory=list)
    #: form/JSON fields normalized before replay matching (timestamps, nonces)
    volatile_fields: list[str] = Field(default_factory=list)
    #: email domains that are not PHI (e.g. the portal's own support address)
    allowed_email_domains: list[str] = Field(default_factory=list)
    #: what gives the dates no date pseudonym may be (see the module docstring)
    _avoided_dates: Callable[[], Iterable[date]] | None = PrivateAttr(default=None)
    #: what gives the real names no name pseudonym may spell (see the module docstring)
    _avoided_names: Callable[[], Iterable[str]] | None = PrivateAttr(default=None)

    @field_validator("headers", "cookies")
    @classmethod
    def _lower_keys(cls, value: dict[str, Kind]) -> dict[str, Kind]:
        return {k.lower() if k != "*" else k: v for k, v in value.items()}

    @field_validator("fields", "request_fields")
    @classmethod
    def _normalize_keys(cls, value: dict[str, Kind]) -> dict[str, Kind]:
        return {normalize_field(k): v for k, v in value.items()}

    def avoiding_dates(self, source: Callable[[], Iterable[date]]) -> ScrubPolicy:
        """A copy of this policy whose date pseudonyms are never one of the dates
        ``source`` gives; it is called once, when a scrubber first pseudonymizes a date."""
        copy = self.model_copy()
        copy._avoided_dates = source
        return copy

    def avoided_dates(self) -> frozenset[date]:
        """The dates no date pseudonym may be (none unless :meth:`avoiding_dates` said)."""
        return frozenset(self._avoided_dates()) if self._avoided_dates is not None \
            else frozenset()

    def avoiding_names(self, source: Callable[[], Iterable[str]]) -> ScrubPolicy:
        """A copy of this policy whose name pseudonyms never have a word of one of the
        values ``source`` gives (the planted names: the pseudonym of one patient is never
        a seeded patient's real name); it is called once, when a scrubber first
        pseudonymizes a name."""
        copy = self.model_copy()
        copy._avoided_names = source
        return copy

    def avoided_names(self) -> frozenset[str]:
        """The real values no name pseudonym may have a word of (none unless
        :meth:`avoiding_names` said)."""
        return frozenset(self._avoided_names()) if self._avoided_names is not None \
            else frozenset()

    def merged(self, other: ScrubPolicy) -> ScrubPolicy:
        """This policy extended (and overridden) by ``other``; the avoided dates and
        names of ``other`` if it has any, else this policy's."""
        merged = ScrubPolicy(
            version=max(self.version, other.version),
            headers={**self.headers, **other.headers},
            cookies={**self.cookies, **other.cookies},
            fields={**self.fields, **other.fields},
            request_fields={**self.request_fields, **other.request_fields},
            name_pairs=[*self.name_pairs, *other.name_pairs],
            text_patterns=[*self.text_patterns, *other.text_patterns],
            path_patterns=[*self.path_patterns, *other.path_patterns],
            volatile_params=[*self.volatile_params, *other.volatile_params],
            volatile_fields=[*self.volatile_fields, *other.volatile_fields],
            allowed_email_domains=[*self.allowed_email_domains, *other.allowed_email_domains],
        )
        merged._avoided_dates = other._avoided_dates or self._avoided_dates
        merged._avoided_names = other._avoided_names or self._avoided_names
        return merged

    # -- lookups -------------------------------------------------------------------------
    def field_kind(self, name: str) -> Kind | None:
        """The kind of a keyed value wherever it appears (JSON, data attributes, labels)."""
        return self.fields.get(normalize_field(name))

    def request_field_kind(self, name: str) -> Kind | None:
        """The kind of a value a request carries by this name (query, form, form input)."""
        key = normalize_field(name)
        return self.fields.get(key) or self.request_fields.get(key)

    def cookie_kind(self, name: str) -> Kind | None:
        return self.cookies.get(name.lower(), self.cookies.get("*"))

    def header_kind(self, name: str) -> Kind | None:
        return self.headers.get(name.lower())

    def is_volatile_param(self, name: str) -> bool:
        return name in self.volatile_params

    def is_matching_noise(self, field: str) -> bool:
        """Fields whose value replay ignores: secrets (placeholders) and volatile fields."""
        kind = self.request_field_kind(field)
        volatile = {normalize_field(f) for f in self.volatile_fields}
        return isinstance(kind, SecretKind) or normalize_field(field) in volatile

    def name_pair_keys(self) -> list[tuple[str, str]]:
        return [(normalize_field(a), normalize_field(b)) for a, b in self.name_pairs]


_S = SecretKind
_P = PhiKind

#: what every portal has; adapters extend it
BASELINE_POLICY = ScrubPolicy(
    headers={
        "authorization": _S.TOKEN,
        "proxy-authorization": _S.TOKEN,
        "cookie": _S.SESSION_COOKIE,
        "set-cookie": _S.SESSION_COOKIE,
        "x-csrf-token": _S.CSRF,
        "x-xsrf-token": _S.CSRF,
        "x-api-key": _S.TOKEN,
    },
    cookies={"*": _S.SESSION_COOKIE},
    fields={
        "password": _S.PASSWORD,
        "passwd": _S.PASSWORD,
        "new_password": _S.PASSWORD,
        "otp": _S.MFA_CODE,
        "mfa_code": _S.MFA_CODE,
        "totp": _S.MFA_CODE,
        "csrf_token": _S.CSRF,
        "csrfmiddlewaretoken": _S.CSRF,
        "_csrf": _S.CSRF,
        "authenticity_token": _S.CSRF,
        "access_token": _S.TOKEN,
        "refresh_token": _S.TOKEN,
        "id_token": _S.TOKEN,
        "client_secret": _S.TOKEN,
        "auth_token": _S.TOKEN,
        "secret": _S.SECRET,
        "totp_secret": _S.SECRET,
        "ssn": _P.SSN,
    },
    text_patterns=[
        Pattern(pattern=r"otpauth://[^\s\"'<>]+", kind=_S.SECRET),
        Pattern(pattern=r"(?i)<meta[^>]+name=[\"']csrf[-_]token[\"'][^>]+content=[\"']"
                r"(?P<value>[^\"']+)", kind=_S.CSRF),
        Pattern(pattern=r"(?i)\bBearer\s+(?P<value>[A-Za-z0-9._~+/=-]{8,})", kind=_S.TOKEN),
    ],
    volatile_params=["_", "cb", "cachebust", "cache_bust", "nocache", "_ts", "ts"],
    volatile_fields=["timestamp", "ts", "nonce", "client_time"],
)


def load_policy(path: Path) -> ScrubPolicy:
    """An adapter's policy file merged over the baseline; errors name the file."""
    try:
        data: Any = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError) as exc:
        raise RecordingError(f"{path}: cannot read scrub policy: {exc}") from None
    try:
        adapter_policy = ScrubPolicy.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise RecordingError(
            f"{path}: invalid scrub policy: {problems}",
            hint="see docs/recording.md for the policy format",
        ) from None
    return BASELINE_POLICY.merged(adapter_policy)
