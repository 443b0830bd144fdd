"""Deterministic pseudonyms: the same real value and kind always give the same fake value.

Consistency is what makes scrubbed recordings replayable: a patient's name is replaced by
the same fake name in every HTML page, JSON response and form post of the HAR *and* in
the golden output, so a replayed run extracts exactly the scrubbed golden.

Each pseudonym comes from an HMAC of (kind, normalized value) under a key: the default key
keeps recordings reproducible; set ``PORTWRIGHT_PSEUDONYM_KEY`` when recording a real
tenant, so nobody can confirm a guessed value by recomputing its pseudonym.

Formats are kept (a date stays a date in the same notation, a phone keeps its
punctuation, an MRN its letters and length), so parsers and validators downstream still
work. Generated values are recognizably fake: phone numbers use the unassigned area code
555, emails the reserved ``.invalid`` domain, SSNs the never-issued ``000`` area.

A date cannot carry such a mark and stay a date a parser accepts, so a date pseudonym is
instead kept out of a set of *avoided dates*: the dates of birth an adapter's sandbox
plants, which the recordings audit searches for. Without that, a shifted date is often
some other seeded patient's real birthday, and the audit could not search for birthdays
at all without false alarms. The pseudonym re-draws (the next HMAC round of the same date)
until it is not avoided. Why this and not a recognizable mark: any mark inside a date
(a year range, a day of the month) either breaks the format, pushes a birth date out of
the plausible range or leaves real dates inside the marked range; a set of real dates to
avoid is exact. The first round is the old rule, so a date whose pseudonym collided with
nothing keeps the pseudonym it always had, and committed recordings stay valid.

Names get the same treatment. A name pseudonym is made of invented words, but an
invented word can still be a real one: some seeded patient's first or last name. The
audit then refuses a correctly scrubbed recording (the pseudonym of one patient reads as
another's planted name, ``Dakel Mivor`` or an 835's ``MIVOR*DAKEL``), or worse, a
recording shows one patient under another real patient's name. So no word of a name
pseudonym is ever a word of an *avoided name* (the planted names, and whatever else is
planted: a street, an email), compared without case: every notation of a full name the
audit searches for (``First Last``, ``Last, First``, ``LAST*FIRST``) is made of such
words, so none of them can be a pseudonym. A word re-draws the same way as a date, from
the next HMAC round of the same real word, and its first round is the old rule.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import random
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from itertools import count

from portwright.recording.scrub.kinds import PhiKind

__all__ = ["DEFAULT_KEY", "PSEUDONYM_EMAIL_DOMAIN", "AvoidedDates", "AvoidedNames",
           "Pseudonymizer", "parse_date"]

#: dates no date pseudonym may be, or what gives them when first needed (reading them may
#: be costly: a sandbox database is built to list its patients' birth dates)
AvoidedDates = Iterable[date] | Callable[[], Iterable[date]]
#: real values (seeded names, any planted text) none of whose words a name pseudonym may
#: be, or what gives them when first needed (as costly to read as the dates)
AvoidedNames = Iterable[str] | Callable[[], Iterable[str]]
#: HMAC rounds of one date before walking back day by day (never reached in practice)
_DATE_ROUNDS = 64

DEFAULT_KEY = "portwright-pseudonyms-v1"
PSEUDONYM_EMAIL_DOMAIN = "pseudonym.invalid"

_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
           "br", "dr", "kl", "st", "tr", "sh")
_VOWELS = ("a", "e", "i", "o", "u", "ae", "ei", "ou")
_CODAS = ("", "", "", "n", "r", "l", "s", "th", "nd", "x")
_STREET_WORDS = frozenset((
    "st", "street", "ave", "avenue", "rd", "road", "blvd", "boulevard", "dr", "drive", "ln",
    "lane", "ct", "court", "way", "pl", "place", "apt", "suite", "ste", "unit", "n", "s", "e",
    "w", "ne", "nw", "se", "sw", "north", "south", "east", "west", "pkwy", "hwy", "cir",
    "circle", "ter", "terrace",
))
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")

# (strptime format, output renderer) pairs; renderers keep un-padded month/day if seen
_DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%m-%d-%Y", "%b %d, %Y", "%B %d, %Y", "%d %b %Y",
)


def parse_date(text: str) -> tuple[date, str] | None:
    """``(date, format)`` when ``text`` is a date in a common notation, else ``None``."""
    value = text.strip()
    if "T" in value and value[:4].isdigit():
        value = value.split("T", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date(), fmt
        except ValueError:
            continue
    return None


def render_date(day: date, fmt: str, like: str) -> str:
    """``day`` in ``fmt``, without zero padding when ``like`` had none."""
    text = day.strftime(fmt)
    if fmt in ("%m/%d/%Y", "%m-%d-%Y"):
        sep = fmt[2]
        month, dd, _year = like.strip().split("T", 1)[0].split(sep)
        parts = text.split(sep)
        if len(month) == 1:
            parts[0] = str(int(parts[0]))
        if len(dd) == 1:
            parts[1] = str(int(parts[1]))
        text = sep.join(parts)
    elif fmt in ("%b %d, %Y", "%B %d, %Y", "%d %b %Y") and not re.search(r"\b0\d", like):
        text = re.sub(r"\b0(\d)", r"\1", text)
    return text + (like.strip()[10:] if "T" in like and like[:4].isdigit() else "")


def _as_d8(text: str) -> date | None:
    """An X12 ``D8`` date (``CCYYMMDD``, eight digits), which ``parse_date`` does not read."""
    value = text.strip()
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


class Pseudonymizer:
    """Maps (kind, real value) to a stable fake value of the same shape; date pseudonyms
    are never one of ``avoid_dates``, no word of a name pseudonym is a word of one of
    ``avoid_names`` (see the module docstring)."""

    def __init__(self, key: str | None = None, avoid_dates: AvoidedDates = (),
                 avoid_names: AvoidedNames = ()) -> None:
        secret = key or os.environ.get("PORTWRIGHT_PSEUDONYM_KEY") or DEFAULT_KEY
        self._key = secret.encode("utf-8")
        self._cache: dict[tuple[PhiKind, str], str] = {}
        self._avoid_source = avoid_dates
        self._avoided: frozenset[date] | None = None
        self._avoid_names_source = avoid_names
        self._avoided_words: frozenset[str] | None = None

    def avoided_words(self) -> frozenset[str]:
        """The words (lower case) no word of a name pseudonym may be: those of the avoided
        names, split as a name pseudonym splits a name (read once, when first needed)."""
        if self._avoided_words is None:
            source = self._avoid_names_source
            names = source() if callable(source) else source
            self._avoided_words = frozenset(
                word.lower() for name in names for word in _WORD.findall(name))
        return self._avoided_words

    def avoided_dates(self) -> frozenset[date]:
        """The dates no date pseudonym may be (read once, when first needed)."""
        if self._avoided is None:
            source = self._avoid_source
            self._avoided = frozenset(source() if callable(source) else source)
        return self._avoided

    def fake_day(self, day: date) -> date:
        """The pseudonym of ``day``: 30 to 700 days earlier (a date of birth stays in the
        past), by an HMAC of the date; the next round while it is an avoided date. Past
        the last round (every round avoided: a set of a few hundred dates cannot do that
        by chance) the day before the last draw that is free, so the result is always
        deterministic, in the past and outside the avoided set."""
        avoided = self.avoided_dates()
        fake = day
        for draw in range(_DATE_ROUNDS):
            seed = day.isoformat() if draw == 0 else f"{day.isoformat()}#{draw}"
            fake = day - timedelta(days=self.rng("date", seed).randint(30, 700))
            if fake not in avoided:
                return fake
        while fake in avoided:
            fake -= timedelta(days=1)
        return fake

    def is_avoided_date(self, text: str) -> bool:
        """Whether ``text`` reads as an avoided date (any ``parse_date`` notation, D8)."""
        avoided = self.avoided_dates()
        if not avoided:
            return False
        parsed = parse_date(text)
        day = parsed[0] if parsed is not None else _as_d8(text)
        return day is not None and day in avoided

    def pseudonym(self, kind: PhiKind, value: str) -> str:
        """The fake value for ``value`` of ``kind`` (blank values stay as they are)."""
        if not value.strip():
            return value
        cached = self._cache.get((kind, value))
        if cached is None:
            cached = _GENERATORS[kind](self, value)
            self._cache[(kind, value)] = cached
        return cached

    # -- building blocks -------------------------------------------------------------
    def rng(self, kind: str, normalized: str) -> random.Random:
        digest = hmac.new(self._key, f"{kind}\0{normalized}".encode(), hashlib.sha256).digest()
        return random.Random(int.from_bytes(digest, "big"))

    def name_token(self, token: str) -> str:
        """The invented word that replaces the word ``token``, in its case; drawn again
        (the next HMAC round of the same word) while it is an avoided word: each draw is
        one of millions of words, so the loop ends on the first draw but for a collision
        with one of a few thousand avoided words."""
        avoided = self.avoided_words()
        seed = token.lower()
        word = ""
        for draw in count():
            rng = self.rng("name", seed if draw == 0 else f"{seed}#{draw}")
            syllables = rng.choice((2, 2, 3))
            word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                           for _ in range(syllables))
            if word not in avoided:
                break
        if token.isupper() and len(token) > 1:
            return word.upper()
        if token.islower():
            return word
        return word.capitalize()

    def keep_format(self, kind: str, value: str, keep_letters: bool, draw: int = 0) -> str:
        """Change every digit (and letter unless ``keep_letters``), keeping the shape;
        ``draw`` > 0 gives another, equally stable, value for the same input."""
        normalized = value.strip().upper()
        rng = self.rng(kind, normalized if draw == 0 else f"{normalized}#{draw}")
        out = []
        for ch in value:
            if ch.isdigit():
                out.append(str(rng.randrange(10)))
            elif ch.isalpha() and ch.isascii() and not keep_letters:
                letter = chr(ord("A") + rng.randrange(26))
                out.append(letter if ch.isupper() else letter.lower())
            else:
                out.append(ch)
        return "".join(out)


def _name(p: Pseudonymizer, value: str) -> str:
    return _WORD.sub(lambda m: p.name_token(m.group(0)), value)


def _undated(p: Pseudonymizer, value: str) -> str:
    """A date value ``parse_date`` does not read (an X12 D8 ``19840307``, a partial date):
    its digits change, drawn again in the rare case the result reads as an avoided date
    (each draw is independent: the loop ends on the first one in practice)."""
    for draw in count():
        fake = p.keep_format("date", value, keep_letters=True, draw=draw)
        if not p.is_avoided_date(fake):
            return fake
    raise AssertionError("unreachable: count() never ends")  # pragma: no cover


def _date(p: Pseudonymizer, value: str) -> str:
    parsed = parse_date(value)
    if parsed is None:
        return _undated(p, value)
    day, fmt = parsed
    return render_date(p.fake_day(day), fmt, value)


def _phone(p: Pseudonymizer, value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return p.keep_format("phone", value, keep_letters=True)
    rng = p.rng("phone", digits[-10:])
    # area code 555 is never assigned in North America: the mark of a pseudonym
    # and a valid exchange (2-9 first): validators of North American numbers accept it
    fake10 = f"555{rng.randint(2, 9)}{rng.randrange(10**6):06d}"
    fake = (digits[:-10] + fake10) if len(digits) >= 10 else fake10[-len(digits):]
    it = iter(fake)
    return "".join(next(it) if ch.isdigit() else ch for ch in value)


def _email(p: Pseudonymizer, value: str) -> str:
    rng = p.rng("email", value.strip().lower())
    local = p.name_token(f"email-{rng.randrange(10**9)}").lower()
    return f"{local}{rng.randrange(100, 1000)}@{PSEUDONYM_EMAIL_DOMAIN}"


def _address(p: Pseudonymizer, value: str) -> str:
    def word(m: re.Match[str]) -> str:
        token = m.group(0)
        return token if token.lower().rstrip(".") in _STREET_WORDS else p.name_token(token)

    return _WORD.sub(word, p.keep_format("address", value, keep_letters=True))


def _city(p: Pseudonymizer, value: str) -> str:
    return _WORD.sub(lambda m: p.name_token("city-" + m.group(0)).capitalize()
                     if m.group(0)[0].isupper() else m.group(0), value)


def _ssn(p: Pseudonymizer, value: str) -> str:
    fake = p.keep_format("ssn", value, keep_letters=True)
    digits_seen = 0
    out = []
    for ch in fake:
        if ch.isdigit() and digits_seen < 3:
            out.append("0")
            digits_seen += 1
        else:
            out.append(ch)
    return "".join(out)


def _identifier(kind: str, mark_first_digit: bool = False) -> Callable[[Pseudonymizer, str], str]:
    """Format-keeping; with ``mark_first_digit`` the first digit is changed on purpose, so a
    pseudonym never equals a real identifier of a sequentially numbered portal (MRN-10042
    → MRN-9xxxx)."""

    def generate(p: Pseudonymizer, value: str) -> str:
        has_digits = any(ch.isdigit() for ch in value)
        fake = p.keep_format(kind, value, keep_letters=has_digits)
        if mark_first_digit and has_digits:
            at = next(i for i, ch in enumerate(value) if ch.isdigit())
            fake = fake[:at] + ("8" if value[at] == "9" else "9") + fake[at + 1:]
        return fake

    return generate


_GENERATORS: dict[PhiKind, Callable[[Pseudonymizer, str], str]] = {
    PhiKind.NAME: _name,
    PhiKind.FULL_NAME: _name,
    PhiKind.DATE: _date,
    PhiKind.PHONE: _phone,
    PhiKind.EMAIL: _email,
    PhiKind.ADDRESS: _address,
    PhiKind.CITY: _city,
    PhiKind.ZIP: _identifier("zip"),
    PhiKind.MRN: _identifier("mrn", mark_first_digit=True),
    PhiKind.MEMBER_ID: _identifier("member_id", mark_first_digit=True),
    PhiKind.SSN: _ssn,
    PhiKind.IDENTIFIER: _identifier("identifier"),
}
