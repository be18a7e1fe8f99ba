"""Errors that say what went wrong and where."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RecordRejected", "SchemaVersionError", "SourceUnavailable", "StoreError"]


@dataclass(frozen=True, slots=True)
class RecordRejected:
    """One bad record: quarantined with its reason, the rest goes on."""

    source: str
    record_id: str
    field: str
    reason: str
    location: str = ""  # file and line/record number, when known

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.source} record {self.record_id!r}{where}: field {self.field!r}: {self.reason}"

    def as_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "record_id": self.record_id,
            "field": self.field,
            "reason": self.reason,
            "location": self.location,
        }


class StoreError(Exception):
    """The store cannot be opened or used."""


class SchemaVersionError(StoreError):
    """The store was written by a newer rsgraph; we refuse to touch it."""


class SourceUnavailable(Exception):
    """A whole source failed; what was committed before stays."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"source {source!r} unavailable: {reason}")
        self.source = source
        self.reason = reason
