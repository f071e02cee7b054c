"""The cache interface and its diskcache backend, on a real diskcache in a temporary directory."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import diskcache
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cache import DiskCache, make_key, split_key

FORK = multiprocessing.get_context("fork")
parts_lists = st.lists(st.text(), min_size=1, max_size=6)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[DiskCache]:
    with DiskCache(tmp_path / "cache", 10**8) as opened:
        yield opened


def _stored(directory: Path, key: str) -> tuple[bytes | None, str | None]:
    """The raw value column and value file name of ``key``'s row in diskcache's database."""
    with sqlite3.connect(directory / "cache.db") as connection:
        return connection.execute(
            "SELECT value, filename FROM Cache WHERE key = ?", (key,)
        ).fetchone()


def _flip_byte(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


# --- keys ---


@given(parts_lists)
def test_make_key_split_key_round_trip(parts: list[str]) -> None:
    key = make_key(*parts)
    assert split_key(key) == tuple(parts)
    for length in range(1, len(parts)):
        assert key.startswith(make_key(*parts[:length]) + "/")


@given(parts_lists, parts_lists)
def test_make_key_is_injective(first: list[str], second: list[str]) -> None:
    assert (make_key(*first) == make_key(*second)) == (first == second)


def test_make_key_escapes_slash_and_percent() -> None:
    key = make_key("page", "enwiki", "AC/DC", "100%", "Zürich")
    assert key == "page/enwiki/AC%2FDC/100%25/Zürich"
    assert split_key(key) == ("page", "enwiki", "AC/DC", "100%", "Zürich")
    with pytest.raises(ValueError, match="at least one part"):
        make_key()
    for bad in ("page/50%", "page/%2f", "%41"):
        with pytest.raises(ValueError, match="stray"):
            split_key(bad)


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=parts_lists, value=st.binary(max_size=64))
def test_any_parts_store_and_load(cache: DiskCache, parts: list[str], value: bytes) -> None:
    key = make_key(*parts)
    cache.set(key, value)
    assert cache.get(key) == value
    assert key in cache.keys(key)


def test_keys_by_prefix(cache: DiskCache) -> None:
    keys = [
        make_key("page", "enwiki", "Berlin", "1"),
        make_key("page", "enwiki", "AC/DC", "7"),
        make_key("page", "dewiki", "Köln", "3"),
        make_key("graph", "enwiki", "Berlin", "1", "v2"),
        make_key("page", "enwiki", "東京", "5"),
    ]
    for key in keys:
        cache.set(key, b"x")
    assert list(cache.keys()) == sorted(keys)
    assert list(cache.keys(make_key("page", "enwiki") + "/")) == [
        "page/enwiki/AC%2FDC/7",
        "page/enwiki/Berlin/1",
        "page/enwiki/東京/5",
    ]
    assert list(cache.keys(make_key("page", "enwiki", "AC") + "/")) == []
    assert list(cache.keys("graph/")) == [keys[3]]
    assert list(cache.keys("zzz")) == []


# --- values ---


def test_round_trip(cache: DiskCache) -> None:
    large = os.urandom(100_000)  # stored in a file, not in SQLite
    cache.set("small", b"graph bytes")
    cache.set("empty", b"")
    cache.set("large", large)
    assert cache.get("small") == b"graph bytes"
    assert cache.get("empty") == b""
    assert cache.get("large") == large
    assert cache.get("absent") is None
    cache.set("small", b"replaced")
    assert cache.get("small") == b"replaced"
    assert cache.delete("small") is True
    assert cache.delete("small") is False
    assert cache.get("small") is None


def test_persists_across_reopen(tmp_path: Path) -> None:
    with DiskCache(tmp_path, 10**8) as first:
        first.set("page/enwiki/Berlin/1", b"wikitext")
        assert first.get("page/enwiki/Berlin/1") == b"wikitext"
    with DiskCache(tmp_path, 10**8) as second:
        assert second.get("page/enwiki/Berlin/1") == b"wikitext"
        stats = second.stats()
    assert (stats.entries, stats.hits, stats.misses) == (1, 2, 0)


def test_expiry(cache: DiskCache) -> None:
    cache.set("short", b"v", expire=0.2)
    cache.set("forever", b"v")
    assert cache.get("short") == b"v"
    time.sleep(0.3)
    assert cache.get("short") is None
    assert cache.get("forever") == b"v"


def test_eviction_keeps_recently_used(tmp_path: Path) -> None:
    limit = 400_000
    with DiskCache(tmp_path, limit) as small:
        for number in range(60):
            small.set(f"k{number:02}", os.urandom(20_000))
            if number % 10 == 0:
                assert small.get("k00") is not None
        stats = small.stats()
        kept = list(small.keys())
    assert stats.size_bytes <= limit
    assert stats.evictions == 60 - stats.entries > 0
    assert kept[0] == "k00"  # read every ten writes: recently used, never evicted
    assert kept[1:] == [f"k{number:02}" for number in range(60 - len(kept) + 1, 60)]


def test_clear(cache: DiskCache) -> None:
    for title in ("A", "B", "C"):
        cache.set(make_key("graph", title), b"g")
    cache.set("page/A", b"p")
    assert cache.clear() == 4
    assert list(cache.keys()) == []
    assert cache.get("page/A") is None


# --- corruption ---


def test_corrupt_value_in_sqlite_is_deleted_not_served(cache: DiskCache, tmp_path: Path) -> None:
    cache.set("page/A", b"small wikitext")
    cache.set("page/B", b"intact")
    value, filename = _stored(tmp_path / "cache", "page/A")
    assert value is not None and filename is None
    with sqlite3.connect(tmp_path / "cache" / "cache.db") as connection:
        connection.execute(
            "UPDATE Cache SET value = ? WHERE key = ?", (_flip_byte(value, -1), "page/A")
        )
    assert cache.get("page/A") is None
    assert _stored(tmp_path / "cache", "page/A") is None
    assert list(cache.keys()) == ["page/B"]
    assert cache.get("page/B") == b"intact"
    stats = cache.stats()
    assert (stats.corrupt, stats.hits, stats.misses, stats.entries) == (1, 1, 1, 1)


def test_corrupt_value_file_is_deleted_not_served(cache: DiskCache, tmp_path: Path) -> None:
    cache.set("page/Large", os.urandom(100_000))
    value, filename = _stored(tmp_path / "cache", "page/Large")
    assert value is None and filename is not None
    path = tmp_path / "cache" / filename
    path.write_bytes(_flip_byte(path.read_bytes(), 50_000))
    assert cache.get("page/Large") is None
    assert not path.exists()
    assert list(cache.keys()) == []
    assert cache.stats().corrupt == 1


def test_truncated_misfiled_and_foreign_values_are_corrupt(cache: DiskCache) -> None:
    cache.set("page/A", b"a value")
    raw = diskcache.Cache(cache.stats().location)
    raw.set("page/B", raw.get("page/A"))  # a sealed value under another key
    raw.set("page/C", raw.get("page/A")[:3])  # shorter than the header
    raw.set("page/D", "not bytes")
    assert [cache.get(key) for key in ("page/B", "page/C", "page/D")] == [None, None, None]
    assert cache.get("page/A") == b"a value"
    assert list(cache.keys()) == ["page/A"]
    assert cache.stats().corrupt == 3


# --- stats and threads ---


def test_stats_numbers(tmp_path: Path) -> None:
    with DiskCache(tmp_path, 5_000_000) as fresh:
        empty = fresh.stats()
        for key in ("a", "b", "c"):
            fresh.set(key, b"x" * 1000)
        fresh.set("big", b"y" * 50_000)
        fresh.get("a")
        fresh.get("b")
        fresh.get("missing")
        stats = fresh.stats()
    assert empty.entries == empty.hits == empty.misses == empty.corrupt == empty.evictions == 0
    assert stats.location == str(tmp_path)
    assert stats.size_limit_bytes == 5_000_000
    assert (stats.entries, stats.hits, stats.misses, stats.corrupt, stats.evictions) == (
        4,
        2,
        1,
        0,
        0,
    )
    assert stats.size_bytes >= empty.size_bytes + 50_000


def test_threads_share_one_cache(cache: DiskCache) -> None:
    def work(thread: int) -> bool:
        for number in range(50):
            cache.set(f"t{thread}/{number}", f"{thread}:{number}".encode())
        return all(cache.get(f"t{thread}/{n}") == f"{thread}:{n}".encode() for n in range(50))

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(work, range(8)))
    assert cache.stats().entries == 400
