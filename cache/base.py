"""The cache interface every backend implements, and the helpers backends share.

Keys
    Strings built by :func:`make_key` from parts (``make_key("page", wiki, title, revision)``):
    ``%`` and ``/`` inside a part are percent-escaped, so any title, with slashes or any
    Unicode, gives exactly one key, :func:`split_key` gives the parts back, and
    ``make_key(*first_parts) + "/"`` is a prefix of every key extending those parts (which is
    what :meth:`Cache.keys` takes).

Values
    Bytes; serialization is the caller's job. A backend stores each value sealed by
    :func:`seal`: a format byte and a CRC-32 of the key and the value. :func:`unseal` returns
    None for anything that does not verify (a flipped bit, a truncated file, a value filed under
    another key), and the backend then deletes the entry and counts it as corrupt, so a corrupt
    entry reads as a miss and is never served. CRC-32 is a checksum against accidental damage,
    not a defence against someone who can write the cache; it runs at several GB/s.
"""

from __future__ import annotations

import re
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Self

_FORMAT = b"\x01"
_HEADER_SIZE = len(_FORMAT) + 4
_ESCAPES = {"%": "%25", "/": "%2F"}
_UNESCAPES = {escaped: char for char, escaped in _ESCAPES.items()}
_ESCAPE = re.compile("[%/]")
_ESCAPED = re.compile("%(?:25|2F)")


@dataclass(frozen=True)
class CacheStats:
    """A backend's size and counters; counters are totals since the cache was created."""

    location: str
    entries: int
    size_bytes: int
    size_limit_bytes: int | None
    hits: int
    misses: int
    corrupt: int
    evictions: int | None


def make_key(*parts: str) -> str:
    """One key for ``parts``, unambiguous whatever the parts contain (see the module doc)."""
    if not parts:
        raise ValueError("a cache key needs at least one part")
    return "/".join(_ESCAPE.sub(lambda match: _ESCAPES[match[0]], part) for part in parts)


def split_key(key: str) -> tuple[str, ...]:
    """The parts :func:`make_key` built ``key`` from; ValueError for a key it cannot build."""
    parts = key.split("/")
    for part in parts:
        if part.count("%") != len(_ESCAPED.findall(part)):
            raise ValueError(f"not a cache key (stray '%'): {key!r}")
    return tuple(_ESCAPED.sub(lambda match: _UNESCAPES[match[0]], part) for part in parts)


def _checksum(key: str, value: bytes | memoryview) -> bytes:
    encoded = key.encode()
    crc = zlib.crc32(len(encoded).to_bytes(4, "big") + encoded)
    return zlib.crc32(value, crc).to_bytes(4, "big")


def seal(key: str, value: bytes) -> bytes:
    """``value`` with the header :func:`unseal` verifies."""
    return _FORMAT + _checksum(key, value) + value


def unseal(key: str, sealed: bytes) -> bytes | None:
    """The value :func:`seal` sealed for ``key``, or None when ``sealed`` does not verify."""
    if len(sealed) < _HEADER_SIZE or sealed[:1] != _FORMAT:
        return None
    value = memoryview(sealed)[_HEADER_SIZE:]
    if _checksum(key, value) != sealed[1:_HEADER_SIZE]:
        return None
    return bytes(value)


class Cache(ABC):
    """A shared, size-bounded store of byte values under string keys; usable as a context manager.

    Every method is safe to call from several threads and processes at once.
    """

    @abstractmethod
    def get(self, key: str) -> bytes | None:
        """The value, or None when absent, expired or corrupt (a corrupt entry is deleted)."""

    @abstractmethod
    def set(self, key: str, value: bytes, *, expire: float | None = None) -> None:
        """Store ``value``, replacing any entry, expiring after ``expire`` seconds (None: never).

        Storing may evict other entries to stay within the size limit.
        """

    @abstractmethod
    def delete(self, key: str) -> bool:
        """Remove the entry; False when there was none."""

    @abstractmethod
    def stats(self) -> CacheStats:
        """Current size and counters."""

    @abstractmethod
    def keys(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with ``prefix``, in sorted order, for maintenance."""

    @abstractmethod
    def clear(self) -> int:
        """Remove every entry (the counters stay); the number removed."""

    @abstractmethod
    def close(self) -> None:
        """Release the backend's connections held by this thread."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
