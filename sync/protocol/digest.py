"""The size and SHA-256 of a file, read in pieces (snapshot builder and platform alike)."""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["file_digest"]


def file_digest(path: Path, chunk: int = 1 << 20) -> tuple[int, str]:
    """``(size in bytes, SHA-256 as 64 lowercase hex digits)`` of the file at ``path``."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()
