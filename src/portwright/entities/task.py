"""Tasks: the practice's to-do items (call back a patient, complete a form)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from portwright.entities.base import EntityModel
from portwright.entities.types import EntityId, IsoDate, NonEmptyStr, UtcTimestamp
from portwright.entities.validation import CrossFieldError

__all__ = ["Task", "TaskPriority", "TaskStatus"]

TaskPriority = Literal["low", "normal", "high"]
TaskStatus = Literal["open", "in_progress", "done", "cancelled"]


class Task(EntityModel):
    """One task, optionally about a patient and assigned to a provider."""

    task_id: EntityId
    title: NonEmptyStr
    description: str | None = None
    patient_id: EntityId | None = None
    assignee_id: EntityId | None = None
    due_date: IsoDate | None = None
    priority: TaskPriority = "normal"
    status: TaskStatus = "open"
    created_at: UtcTimestamp | None = Field(
        default=None, description="When the task was created; null if the portal does "
                                  "not show it."
    )
    completed_at: UtcTimestamp | None = None

    @model_validator(mode="after")
    def _completion(self) -> Task:
        if self.completed_at is not None and self.status != "done":
            raise CrossFieldError("completedAt", "set, but the task is not done")
        if (self.completed_at is not None and self.created_at is not None
                and self.completed_at < self.created_at):
            raise CrossFieldError("completedAt", "completed before it was created")
        return self
