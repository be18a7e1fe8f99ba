"""Give memory a large load freed back to the operating system."""

from __future__ import annotations

import ctypes
import ctypes.util

__all__ = ["release_freed_memory"]


def release_freed_memory() -> None:
    """Hand memory that a large load freed back to the system (glibc keeps it otherwise); no-op elsewhere."""
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)
