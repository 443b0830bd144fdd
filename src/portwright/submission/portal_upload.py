"""Submit claim files through a portal's own claims upload page, driven by flows.

The channel knows no portal: it runs two flows named in its settings, with a small
contract any adapter can meet:

- the *upload* flow takes ``file`` (a path) and outputs ``upload_id``;
- the *list* flow outputs ``uploads``: rows with ``upload_id``, ``filename`` and ``size``,
  and ``control`` (the interchange control number, ISA13) when the portal shows it.

Before uploading, the list is read: a file of the same name, size and ISA13 already there
is an earlier delivery whose confirmation was lost, so it is not uploaded again. A file of
the same name that differs in size or ISA13 is someone else's file (another ledger used
the same reference id): taking it for ours would mark claims delivered that were never
sent, and uploading beside it would put two files of one name on the portal, so that is
refused. With the ``SubmissionLedger`` (``submit_claims_async``) a claim file goes up once
per reference id.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portwright.exceptions import PortalValidationError, PortwrightError, SubmissionError
from portwright.runner.engine import Engine
from portwright.submission.channel import Delivery
from portwright.x12.delimiters import ISA_LENGTH

__all__ = ["PortalUploadChannel", "PortalUploadSettings"]


@dataclass(frozen=True)
class PortalUploadSettings:
    """Which flows to run, as which account (``None``: the default account)."""

    upload_flow: str = "valant.claims.upload"
    list_flow: str = "valant.claims.uploads"
    account: str | None = None


class PortalUploadChannel:
    """An ``AsyncSubmissionChannel`` over an :class:`Engine`."""

    name = "portal_upload"

    def __init__(self, engine: Engine, settings: PortalUploadSettings | None = None,
                 *, workdir: Path | None = None) -> None:
        self.engine = engine
        self.settings = settings or PortalUploadSettings()
        self.workdir = workdir

    async def already_delivered(self, filename: str, content: bytes) -> Delivery | None:
        try:
            result = await self.engine.run(self.settings.list_flow,
                                           account=self.settings.account)
        except PortwrightError as exc:
            raise SubmissionError(f"cannot read the portal's uploads: {exc}; nothing was "
                                  "sent") from exc
        rows: list[dict[str, Any]] = list(result.outputs.get("uploads") or [])
        same_name = [row for row in rows if str(row.get("filename", "")).strip() == filename]
        for row in same_name:
            if _same_file(row, content):
                return Delivery(self.name, str(row.get("upload_id", "")), len(content))
        if same_name:
            ids = ", ".join(str(row.get("upload_id", "?")) for row in same_name)
            raise SubmissionError(
                f"{filename} is already on the portal ({ids}) with different content; "
                "nothing was uploaded",
                hint="use a new reference id for a different file")
        return None

    async def deliver(self, filename: str, content: bytes) -> Delivery:
        if "/" in filename or filename.startswith("."):
            raise SubmissionError(f"unsafe file name {filename!r}")
        try:
            folder_context = tempfile.TemporaryDirectory(dir=self.workdir, prefix="upload-")
        except OSError as exc:
            raise SubmissionError(f"cannot make a folder for the file to upload in "
                                  f"{self.workdir or tempfile.gettempdir()}: "
                                  f"{exc.strerror or exc}; nothing was uploaded") from exc
        with folder_context as folder:
            path = Path(folder) / filename  # the portal records the name it receives
            try:
                path.write_bytes(content)  # removed with its folder, also when cut short
            except OSError as exc:
                raise SubmissionError(f"cannot write {filename} for upload in {folder}: "
                                      f"{exc.strerror or exc}; nothing was uploaded") from exc
            try:
                result = await self.engine.run(self.settings.upload_flow, {"file": str(path)},
                                               account=self.settings.account)
            except PortalValidationError as exc:
                raise SubmissionError(f"the portal refused {filename}: "
                                      f"{'; '.join(exc.messages) or exc.message}") from exc
            except PortwrightError as exc:
                raise SubmissionError(f"upload of {filename} through the portal failed: "
                                      f"{exc}") from exc
        upload_id = str(result.outputs.get("upload_id") or "")
        if not upload_id:
            raise SubmissionError(f"the portal accepted {filename} but showed no upload id")
        return Delivery(self.name, upload_id, len(content))


def _same_file(row: dict[str, Any], content: bytes) -> bool:
    """The listed upload is ``content``: same size, and same ISA13 where both have one."""
    if _size(row) != len(content):
        return False
    shown = str(row.get("control") or "").strip().lstrip("0")
    ours = _interchange_control(content)
    return not shown or ours is None or shown == ours.lstrip("0")


def _interchange_control(content: bytes) -> str | None:
    """ISA13 of an X12 file (``None`` for anything else), read by its fixed position."""
    head = content[:ISA_LENGTH].decode("ascii", errors="replace")
    if not head.startswith("ISA") or len(head) < ISA_LENGTH:
        return None
    fields = head.split(head[3])
    return fields[13].strip() if len(fields) == 17 else None


def _size(row: dict[str, Any]) -> int:
    try:
        return int(str(row.get("size", "")).strip())
    except ValueError:
        return -1
