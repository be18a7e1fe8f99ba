"""Cut a stream of records into lists of a fixed size (the unit of one store transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["batches"]

T = TypeVar("T")


def batches(records: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` records in order; the last one may be shorter; none is empty."""
    batch: list[T] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
