"""What queries need to know about lists of concern, and the default when none is given.

The lists table (``lists.toml``) is loaded by the caller (the CLI loads
``ingest.lists_config.load_lists_config``) and passed in: ``queries`` never
imports ``ingest``. Any object with ``lists`` and ``get(key)`` as below will do.
Without one, every list met in the store counts, with weight 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["AllListsCount", "ListInfo", "ListsView", "list_weight"]


class ListInfo(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def legal_effect(self) -> str: ...
    @property
    def of_concern(self) -> bool: ...
    @property
    def weight(self) -> float: ...
    @property
    def authority(self) -> str: ...
    @property
    def source_url(self) -> str: ...
    @property
    def configured(self) -> bool: ...


class ListsView(Protocol):
    @property
    def lists(self) -> Mapping[str, ListInfo]: ...

    def get(self, key: str) -> ListInfo: ...


@dataclass(frozen=True, slots=True)
class _Counted:
    key: str
    name: str = ""
    legal_effect: str = ""
    of_concern: bool = True
    weight: float = 1.0
    authority: str = ""
    source_url: str = ""
    configured: bool = False


@dataclass(frozen=True, slots=True)
class AllListsCount:
    """No lists table: every list found in the store is of concern, weight 1."""

    lists: Mapping[str, ListInfo] = field(default_factory=dict)

    def get(self, key: str) -> ListInfo:
        return _Counted(key=key, name=key)


def list_weight(config: ListsView, key: str) -> float:
    """Weight of a designation on list ``key`` (0 when the list is not of concern)."""
    info = config.get(key)
    return float(info.weight) if info.of_concern else 0.0
