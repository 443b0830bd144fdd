"""Encounters (the visit that happened) and their clinical notes, with every version.

Notes are versioned because an amended note must not erase what was signed: each
version is kept, and ``signed`` on the note describes the current (latest) version.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from portwright.entities.base import EntityModel
from portwright.entities.types import EntityId, IsoDate, NonEmptyStr, UtcTimestamp
from portwright.entities.validation import CrossFieldError

__all__ = ["ClinicalNote", "Encounter", "EncounterStatus", "NoteVersion"]

EncounterStatus = Literal["open", "completed", "billed", "void"]


class Encounter(EntityModel):
    """One clinical visit, usually born from an appointment."""

    encounter_id: EntityId
    appointment_id: EntityId | None = None
    patient_id: EntityId
    provider_id: EntityId
    location_id: EntityId | None = None
    encounter_date: IsoDate
    encounter_type: NonEmptyStr
    status: EncounterStatus | None = None


class NoteVersion(EntityModel):
    """One saved version of a note's text and whether that version was signed."""

    version: int = Field(ge=1)
    body: str
    created_at: UtcTimestamp
    signed: bool = False
    signed_at: UtcTimestamp | None = None
    signed_by: EntityId | None = None

    @model_validator(mode="after")
    def _signature(self) -> NoteVersion:
        if self.signed and (self.signed_at is None or self.signed_by is None):
            field = "signedAt" if self.signed_at is None else "signedBy"
            raise CrossFieldError(field, "a signed version needs signedAt and signedBy")
        if not self.signed and (self.signed_at is not None or self.signed_by is not None):
            raise CrossFieldError("signed", "signedAt/signedBy set on an unsigned version")
        if self.signed_at is not None and self.signed_at < self.created_at:
            raise CrossFieldError("signedAt", "signed before the version was created")
        return self


class ClinicalNote(EntityModel):
    """A clinical note (progress note, intake...) with its full version history.

    ``versions`` run 1, 2, 3... in order; ``signed``/``signedAt``/``signedBy`` repeat the
    latest version's signature so consumers need not dig into the history.
    """

    note_id: EntityId
    encounter_id: EntityId
    patient_id: EntityId | None = None
    note_type: NonEmptyStr = "progress"
    versions: list[NoteVersion] = Field(min_length=1)
    signed: bool
    signed_at: UtcTimestamp | None = None
    signed_by: EntityId | None = None

    @model_validator(mode="after")
    def _history(self) -> ClinicalNote:
        for index, version in enumerate(self.versions):
            if version.version != index + 1:
                raise CrossFieldError(
                    f"versions[{index}].version",
                    f"versions must be numbered 1, 2, 3... in order (expected {index + 1})",
                )
        latest = self.versions[-1]
        if (self.signed, self.signed_at, self.signed_by) != (
            latest.signed, latest.signed_at, latest.signed_by
        ):
            raise CrossFieldError(
                "signed", "signed/signedAt/signedBy must match the latest version"
            )
        return self

    @property
    def current(self) -> NoteVersion:
        """The latest version (what the chart shows)."""
        return self.versions[-1]
