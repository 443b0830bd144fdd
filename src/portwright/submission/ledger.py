"""The submission ledger: one entry per reference id, persisted under the state dir.

Submitting is "record intent, deliver, record success". The generated file is kept
next to the ledger until it is delivered, so a retry after any failure sends the *same
bytes* under the *same name* (the channel then recognizes a file that already landed),
and a retry after success sends nothing. Once delivered, only the file's digest stays:
claim files hold PHI, and the state folder is no archive. A file lock serializes submitters, so two
processes retrying at once cannot both upload.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from filelock import AsyncFileLock, FileLock
from pydantic import ValidationError

from portwright.entities.base import EntityModel
from portwright.exceptions import SubmissionError
from portwright.private_file import make_private_dir, write_private_file
from portwright.submission.reference import checked_reference_id, legacy_file_stem

__all__ = ["LedgerEntry", "SubmissionLedger"]


class LedgerEntry(EntityModel):
    """What happened to one reference id."""

    reference_id: str
    status: Literal["pending", "delivered"]
    channel: str
    filename: str
    payload_digest: str
    #: Digest of the submitter and envelope settings the file was built with (``None``
    #: for ready files, and for entries recorded before it was kept): a retry with other
    #: settings would otherwise send the old file as if nothing had changed.
    settings_digest: str | None = None
    file_digest: str
    size: int
    location: str | None = None
    created_at: datetime
    delivered_at: datetime | None = None
    attempts: int = 0


class SubmissionLedger:
    """A JSON ledger in ``directory`` (typically ``settings.state / "submissions"``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "ledger.json"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the ledger for a whole check-deliver-record sequence."""
        lock = FileLock(str(self.path) + ".lock")
        with self._unusable_folder():
            make_private_dir(self.directory)
            lock.acquire()
        try:
            yield
        finally:
            lock.release()

    @asynccontextmanager
    async def locked_async(self) -> AsyncIterator[None]:
        """``locked`` for coroutines: waiting for the lock does not block the event loop."""
        lock = AsyncFileLock(str(self.path) + ".lock")
        with self._unusable_folder():
            make_private_dir(self.directory)
            await lock.acquire()
        try:
            yield
        finally:
            await lock.release()

    @contextmanager
    def _unusable_folder(self) -> Iterator[None]:
        """A folder that cannot be made or locked (read-only, full, a file in the way) is
        a ``SubmissionError`` naming it, raised before anything is built or sent."""
        try:
            yield
        except OSError as exc:
            raise SubmissionError(
                f"cannot use the submission ledger folder {self.directory}: "
                f"{exc.strerror or exc}; nothing was sent",
                hint="free space or fix the folder's permissions, then run the same "
                "submission again") from exc

    def _load(self) -> dict[str, LedgerEntry]:
        """The entries; a damaged ledger is a ``SubmissionError`` naming the file (a
        traceback said nothing, and sending without the ledger could send twice)."""
        if not self.path.exists():
            return {}
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise SubmissionError(f"cannot read the submission ledger {self.path}: "
                                  f"{exc.strerror or exc}; nothing was sent") from exc
        try:
            raw = json.loads(data.decode("utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object of entries")
        except (ValueError, UnicodeDecodeError) as exc:
            raise self._damaged(str(exc).splitlines()[0]) from exc
        entries: dict[str, LedgerEntry] = {}
        for key, value in raw.items():
            try:
                entries[key] = LedgerEntry.model_validate(value)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "entry"
                raise self._damaged(f"entry '{key}', {where}: {first['msg']}") from exc
        return entries

    def _damaged(self, why: str) -> SubmissionError:
        return SubmissionError(
            f"the submission ledger {self.path} is damaged ({why}); nothing was sent",
            hint="restore it from a backup: without it, delivered submissions "
            "cannot be told from new ones")

    def _save(self, entries: dict[str, LedgerEntry]) -> None:
        # whole or not at all, and the owner's only: it names every submission's file
        write_private_file(self.path, json.dumps(
            {k: v.to_json_dict() for k, v in entries.items()}, indent=2).encode("utf-8"))

    def get(self, reference_id: str) -> LedgerEntry | None:
        return self._load().get(reference_id)

    def entries(self) -> list[LedgerEntry]:
        return list(self._load().values())

    def put(self, entry: LedgerEntry) -> None:
        entries = self._load()
        entries[entry.reference_id] = entry
        self._save(entries)

    def file_path(self, reference_id: str) -> Path:
        """Where the exact bytes of a submission are kept until it is delivered (named by
        the id itself, so two ids never share a kept file).

        An id recorded by an earlier version that the rule now refuses (``jan/batch``)
        keeps the name that version gave its file (``jan_batch.x12``), so its pending
        submission can still be retried; a new id must meet the rule."""
        try:
            stem = checked_reference_id(reference_id)
        except SubmissionError:
            if self.get(reference_id) is None:
                raise
            stem = legacy_file_stem(reference_id)
        return self.directory / "files" / (stem + ".x12")

    def sharing_a_name(self, reference_id: str, filename: str) -> LedgerEntry | None:
        """Another entry whose id, file name or kept file name differs from these only in
        letter case.

        Some file systems (a Windows SFTP server, a Mac's state folder) do not tell
        ``Jan.837`` from ``jan.837``, so such ids would still share a file there. An
        entry of an earlier version is compared by the names it was given then
        (``jan/batch`` kept ``jan_batch.x12`` and sent ``jan_batch.837``)."""
        kept = (reference_id + ".x12").lower()
        for entry in self._load().values():
            if entry.reference_id == reference_id:
                continue
            if (entry.reference_id.lower() == reference_id.lower()
                    or entry.filename.lower() == filename.lower()
                    or (legacy_file_stem(entry.reference_id) + ".x12").lower() == kept):
                return entry
        return None

    def keep_file(self, reference_id: str, content: bytes) -> Path:
        # a claims file is PHI (names, birth dates, diagnoses): the owner's only (0600 in
        # a 0700 folder), and never half-written, since it is what a retry sends
        path = self.file_path(reference_id)
        write_private_file(path, content)
        return path

    @staticmethod
    def digest(content: bytes) -> str:
        return "sha256:" + hashlib.sha256(content).hexdigest()

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)
