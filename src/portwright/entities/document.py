"""Documents filed to a patient's chart (intake forms, consents, releases)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from portwright.entities.base import EntityModel
from portwright.entities.types import EntityId, NonEmptyStr, UtcTimestamp

__all__ = ["Document", "DocumentType"]

DocumentType = Literal["intake", "consent", "release", "other"]

_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Document(EntityModel):
    """Metadata of one chart document (the bytes travel separately)."""

    document_id: EntityId
    patient_id: EntityId
    document_type: DocumentType
    title: NonEmptyStr
    file_name: NonEmptyStr
    content_type: str = Field(description="Media type, e.g. application/pdf.")
    size_bytes: int = Field(ge=0)
    sha256: str | None = None
    uploaded_by: EntityId | None = None
    uploaded_at: UtcTimestamp

    @field_validator("content_type")
    @classmethod
    def _media_type(cls, value: str) -> str:
        value = value.strip().lower()
        if not _MEDIA_TYPE.match(value):
            raise ValueError("expected a media type such as application/pdf")
        return value

    @field_validator("sha256")
    @classmethod
    def _digest(cls, value: str | None) -> str | None:
        if value is not None and not _SHA256.match(value.lower()):
            raise ValueError("expected 64 hexadecimal characters")
        return None if value is None else value.lower()

    @field_validator("file_name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if "/" in value or "\\" in value or value in {".", ".."}:
            raise ValueError("a file name, not a path")
        return value
