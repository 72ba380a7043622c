"""Errors the engine raises for people's mistakes: each says what, where and why."""

from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Base class: a clear one-line message, safe to show to the user."""

    status = 400


class NotFound(EngineError):
    status = 404


class Forbidden(EngineError):
    status = 403


class Conflict(EngineError):
    status = 409


@dataclass
class FieldError:
    field: str
    code: str
    message: str


class FormInvalid(EngineError):
    status = 422

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))

    def by_field(self) -> dict[str, str]:
        return {e.field: e.message for e in self.errors}


@dataclass
class DiagramIssue:
    message: str
    element_id: str | None = None
    line: int | None = None
    filename: str | None = None

    def __str__(self) -> str:
        where = []
        if self.filename:
            where.append(self.filename + (f":{self.line}" if self.line else ""))
        elif self.line:
            where.append(f"baris {self.line}")
        if self.element_id:
            where.append(f"elemen {self.element_id}")
        # the message names the element by its name; file, line and id follow as detail
        return self.message + (f" ({', '.join(where)})" if where else "")


class DiagramInvalid(EngineError):
    status = 422

    def __init__(self, issues: list[DiagramIssue]):
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues))
