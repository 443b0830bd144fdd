"""The table of every real value found in one recording and what replaces it.

Scrubbing is two passes: first *learn* every secret and PHI value (from policy-named
fields, headers, cookies, text patterns and the golden output), then *apply* the table to
every string of the HAR, cassette and golden output. Because one table serves them all,
a value is replaced identically everywhere, whatever part of the traffic it appeared in.

Each learned value is expanded into the notations it may take (a date as ISO and as
``MM/DD/YYYY``; a full name as "First Last" and "Last, First"; URL-, HTML- and
JSON-escaped forms), each mapped to the same notation of its replacement.

Short single words (a first name such as "May") are replaced only where they stand alone
in a value (``>May<``, ``"May"``, ``=May&``), never inside running text ("May 12"); longer
and multi-word values are replaced wherever they appear between word boundaries. Both
kinds are matched in one pass over the text, and every string is scrubbed once: a
pseudonym may equal another learned value (a birth date shifted by a few months is often
another patient's), and replacing it again would make the traffic disagree with the
golden output.

The table holds real values, so it only ever lives in memory.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from urllib.parse import quote, quote_plus

from portwright.recording.scrub.kinds import PLACEHOLDERS, Kind, PhiKind, SecretKind
from portwright.recording.scrub.pseudonymizer import (
    _DATE_FORMATS,
    Pseudonymizer,
    parse_date,
    render_date,
)

__all__ = ["ValueTable"]

_MIN_ANYWHERE = 6  # shorter single-word values are replaced only where they stand alone
_PHONE_FORMATS = ("({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "{a}{b}{c}", "+1{a}{b}{c}",
                  "+1 {a}-{b}-{c}", "1{a}{b}{c}", "+1 ({a}) {b}-{c}", "({a}) {b} {c}")
_ISOLATED_PRE = r"(?:^|[>\"'=])\s*"
_ISOLATED_POST = r"(?=\s*(?:[<\"'&]|$))"


class ValueTable:
    """Real value → replacement, with the notations each may appear in."""

    def __init__(self, pseudonymizer: Pseudonymizer | None = None) -> None:
        self.pseudonymizer = pseudonymizer or Pseudonymizer()
        self._anywhere: dict[str, str] = {}
        self._isolated: dict[str, str] = {}
        self._compiled: re.Pattern[str] | None = None
        self.kinds: dict[str, Kind] = {}

    def __len__(self) -> int:
        return len(self._anywhere) + len(self._isolated)

    # -- learning ------------------------------------------------------------------------
    def add(self, kind: Kind, value: str) -> str:
        """Learn ``value`` of ``kind``; returns its replacement."""
        value = value.strip()
        if not value:
            return value
        if isinstance(kind, SecretKind):
            fake = PLACEHOLDERS[kind]
            if value != fake:
                self._put(value, fake, isolated=len(value) < _MIN_ANYWHERE)
                self.kinds[value] = kind
            return fake
        # Every value learned is real (the recorder learns from the raw traffic only), even
        # one that equals another value's pseudonym: a date of birth shifted by a few
        # months is often some other patient's real one. Learning it like any other keeps
        # it from surviving in that patient's record, and one table applied in one pass
        # keeps the two apart (X -> F and F -> G, never X -> F -> G).
        known = self.kinds.get(value)
        if isinstance(known, PhiKind):  # one value, one pseudonym: the kind that saw it first
            return self.pseudonymizer.pseudonym(known, value)
        fake = self.pseudonymizer.pseudonym(kind, value)
        self.kinds[value] = kind
        _VARIANTS[kind](self, value, fake)
        return fake

    def add_name_pair(self, first: str, last: str) -> None:
        """A (first, last) name pair: both tokens and the joined notations."""
        first, last = first.strip(), last.strip()
        if not first or not last:
            return
        fake_first = self.add(PhiKind.NAME, first)
        fake_last = self.add(PhiKind.NAME, last)
        for real, fake in ((f"{first} {last}", f"{fake_first} {fake_last}"),
                           (f"{last}, {first}", f"{fake_last}, {fake_first}"),
                           (f"{last},{first}", f"{fake_last},{fake_first}")):
            self._put(real, fake, isolated=False)
            self._put(real.upper(), fake.upper(), isolated=False)

    def _put(self, real: str, fake: str, *, isolated: bool) -> None:
        if not real or real == fake:
            return
        target = self._isolated if isolated and " " not in real else self._anywhere
        for enc_real, enc_fake in _encodings(real, fake):
            if enc_real not in target:  # a value seen again keeps the compiled pattern
                target[enc_real] = enc_fake
                self._compiled = None

    # -- applying ------------------------------------------------------------------------
    def whole(self, value: str) -> str | None:
        """The replacement of ``value`` when it is, as a whole, a learned value (in any
        notation, short ones included); ``None`` otherwise. For formats that delimit
        their values themselves (X12 elements)."""
        stripped = value.strip()
        fake = self._anywhere.get(stripped, self._isolated.get(stripped))
        if fake is None or stripped == value:
            return fake
        return value.replace(stripped, fake)

    def apply(self, text: str) -> str:
        """``text`` with every learned value replaced, in one pass: a replacement is never
        looked at again, since a pseudonym may equal another learned value."""
        if not text or not (self._anywhere or self._isolated):
            return text
        return self._pattern().sub(self._replacement, text)

    def apply_between(self, text: str, start: int, end: int) -> str:
        """``text[start:end]`` with every learned value replaced, as :meth:`apply` would
        in the whole ``text``: for the text around a token that is scrubbed on its own.
        What stands before ``start`` still borders a value; ``end`` counts as an end of
        text (a token starts there: at worst a value standing right before it is
        replaced where the whole text would not have it replaced)."""
        if start >= end:
            return ""
        if not (self._anywhere or self._isolated):
            return text[start:end]
        pieces, last = [], start
        for match in self._pattern().finditer(text, start, end):
            pieces += [text[last:match.start()], self._replacement(match)]
            last = match.end()
        pieces.append(text[last:end])
        return "".join(pieces)

    def _replacement(self, match: re.Match[str]) -> str:
        found = match.groupdict()
        if found.get("v") is not None:
            return found["pre"] + self._isolated[found["v"]]
        return self._anywhere[found["a"]]

    def _pattern(self) -> re.Pattern[str]:
        """Short values standing alone, or any value between word boundaries."""
        if self._compiled is None:
            either = []
            if self._isolated:
                either.append(rf"(?P<pre>{_ISOLATED_PRE})"
                              rf"(?P<v>{_alternatives(self._isolated)}){_ISOLATED_POST}")
            if self._anywhere:
                either.append(
                    rf"(?<![A-Za-z0-9])(?P<a>{_alternatives(self._anywhere)})(?![A-Za-z0-9])")
            self._compiled = re.compile("|".join(either))
        return self._compiled


def _alternatives(values: dict[str, str]) -> str:
    return "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))


def _url_plus(text: str) -> str:
    return quote_plus(text, safe="")


def _url(text: str) -> str:
    return quote(text, safe="")


def _html(text: str) -> str:
    return html.escape(text, quote=True)


def _html_decimal(text: str) -> str:
    """Jinja and most template engines write ``'`` as ``&#39;``, not ``&#x27;``."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def _json(text: str) -> str:
    return json.dumps(text)[1:-1]


_ENCODERS: tuple[Callable[[str], str], ...] = (_url_plus, _url, _html, _html_decimal, _json)


def _encodings(real: str, fake: str) -> list[tuple[str, str]]:
    pairs = [(real, fake)]
    for encode in _ENCODERS:
        enc = encode(real)
        if enc != real:
            pairs.append((enc, encode(fake)))
    return pairs


# -- notations per kind ------------------------------------------------------------------
def _plain(table: ValueTable, real: str, fake: str) -> None:
    single_word = not re.search(r"\s", real)
    table._put(real, fake, isolated=single_word and len(real) < _MIN_ANYWHERE)


def _anywhere(table: ValueTable, real: str, fake: str) -> None:
    """Digit codes (ZIP) appear inside running text ("Kent, WA 98032"): replace anywhere;
    the digit boundaries keep 98032 from matching inside 980321."""
    table._put(real, fake, isolated=False)


def _name(table: ValueTable, real: str, fake: str) -> None:
    # short name tokens ("May", "Will") are replaced only where they stand alone
    short = len(real) < _MIN_ANYWHERE
    table._put(real, fake, isolated=short)
    table._put(real.upper(), fake.upper(), isolated=short)


def _full_name(table: ValueTable, real: str, fake: str) -> None:
    table._put(real, fake, isolated=False)
    table._put(real.upper(), fake.upper(), isolated=False)
    if "," in real:
        last, _, first = real.partition(",")
        table.add_name_pair(first, last)
    else:
        tokens = real.split()
        if len(tokens) >= 2:
            table.add_name_pair(" ".join(tokens[:-1]), tokens[-1])
    for token in re.findall(r"[A-Za-z][A-Za-z'\-]+", real):
        table.add(PhiKind.NAME, token)


def _date(table: ValueTable, real: str, fake: str) -> None:
    parsed = parse_date(real)
    if parsed is None:
        _plain(table, real, fake)
        return
    day, _ = parsed
    fake_parsed = parse_date(fake)
    if fake_parsed is None:  # pragma: no cover - the pseudonymizer always keeps dates dates
        _plain(table, real, fake)
        return
    fake_day, _ = fake_parsed
    table._put(real, fake, isolated=False)
    for fmt in _DATE_FORMATS:
        padded = day.strftime(fmt)
        table._put(padded, fake_day.strftime(fmt), isolated=False)
        unpadded_like = padded.replace("/0", "/").lstrip("0") if "/" in fmt else padded
        if "%m" in fmt and "/" in fmt:
            table._put(render_date(day, fmt, unpadded_like),
                       render_date(fake_day, fmt, unpadded_like), isolated=False)


def _phone(table: ValueTable, real: str, fake: str) -> None:
    table._put(real, fake, isolated=False)
    digits = re.sub(r"\D", "", real)[-10:]
    fake_digits = re.sub(r"\D", "", fake)[-10:]
    if len(digits) != 10 or len(fake_digits) != 10:
        return
    for fmt in _PHONE_FORMATS:
        table._put(fmt.format(a=digits[:3], b=digits[3:6], c=digits[6:]),
                   fmt.format(a=fake_digits[:3], b=fake_digits[3:6], c=fake_digits[6:]),
                   isolated=False)


def _email(table: ValueTable, real: str, fake: str) -> None:
    table._put(real, fake, isolated=False)
    table._put(real.lower(), fake, isolated=False)


_VARIANTS = {
    PhiKind.NAME: _name,
    PhiKind.FULL_NAME: _full_name,
    PhiKind.DATE: _date,
    PhiKind.PHONE: _phone,
    PhiKind.EMAIL: _email,
    PhiKind.ADDRESS: _plain,
    PhiKind.CITY: _name,
    PhiKind.ZIP: _anywhere,
    PhiKind.MRN: _plain,
    PhiKind.MEMBER_ID: _plain,
    PhiKind.SSN: _plain,
    PhiKind.IDENTIFIER: _plain,
}
