"""Reference ids (the idempotency keys of submissions) and the file names made from them.

A reference id *is* the file's name, on the channel (``<id>.837``) and in the ledger's
kept files (``<id>.x12``). Replacing unsafe characters instead (``jan/batch`` →
``jan_batch``) let two different submissions share one name: the second was then taken
for the first, never sent, or overwrote its kept file. So an id outside a small safe
alphabet is refused before anything is built, numbered, recorded or sent, and the
mapping from id to name is the identity: distinct ids can never share a file.

Ledgers written before that rule hold ids it refuses (``jan/batch``), some still
pending. Those stay retryable under the names they were given then
(``legacy_file_stem``): a retry must send the kept bytes under the same name, or a file
that already landed would be sent again. Only an id already recorded is mapped that way;
a new id always meets the rule.
"""

from __future__ import annotations

import re

from portwright.exceptions import SubmissionError

__all__ = [
    "MAX_REFERENCE_ID_LENGTH",
    "REFERENCE_ID_PATTERN",
    "checked_reference_id",
    "legacy_file_stem",
]

#: At most this many characters: the name must fit every SFTP server and portal form.
MAX_REFERENCE_ID_LENGTH = 100

#: A letter or digit, then letters, digits, ``.``, ``_`` or ``-``. No ``/`` (a folder on
#: the server), no leading ``.`` (a hidden file, and the form of our own ``.part`` names).
REFERENCE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

#: The characters the earlier versions replaced by ``_`` in a kept file's name.
_LEGACY_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")

_HINT = ("use letters, digits, '.', '_' and '-', starting with a letter or digit "
         f"(at most {MAX_REFERENCE_ID_LENGTH} characters), e.g. billing-batch-jan25")


def checked_reference_id(reference_id: str) -> str:
    """``reference_id`` unchanged, or ``SubmissionError`` saying why it cannot name a file."""
    if not reference_id.strip():
        raise SubmissionError("a submission needs a reference id (the idempotency key); "
                              "nothing was sent", hint=_HINT)
    if len(reference_id) > MAX_REFERENCE_ID_LENGTH:
        raise SubmissionError(
            f"reference id {reference_id[:40]!r}... is {len(reference_id)} characters, more "
            f"than {MAX_REFERENCE_ID_LENGTH}; nothing was sent", hint=_HINT)
    if REFERENCE_ID_PATTERN.fullmatch(reference_id) is None:
        raise SubmissionError(
            f"reference id {reference_id!r} cannot be used as a file name as it is (it names "
            "the file on the server and in the ledger, and is never rewritten, so two ids "
            "cannot share a file); nothing was sent", hint=_HINT)
    return reference_id


def legacy_file_stem(reference_id: str) -> str:
    """The kept file's stem the earlier versions made of ``reference_id`` (every
    character outside the alphabet became ``_``); for an id that meets the rule it is
    the id itself. Only for ids already recorded in a ledger."""
    return _LEGACY_UNSAFE.sub("_", reference_id)
