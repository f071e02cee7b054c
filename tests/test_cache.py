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

from cache import DiskCache, LockTimeout, make_key, split_key

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


def test_touch(cache: DiskCache) -> None:
    cache.set("kept", b"v", expire=0.2)
    cache.set("lapsed", b"v", expire=0.2)
    assert cache.touch("kept") is True  # no expiry from now on
    time.sleep(0.3)
    assert cache.get("kept") == b"v"
    assert cache.touch("lapsed", 10) is False
    assert cache.touch("absent") is False
    assert cache.touch("kept", 0.1) is True
    time.sleep(0.2)
    assert cache.get("kept") is None


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


def test_evict_by_tag_and_clear(cache: DiskCache) -> None:
    for version in ("v1", "v2"):
        for title in ("A", "B", "C"):
            cache.set(make_key("graph", title, version), b"g", tag=f"extractor:{version}")
    cache.set("page/A", b"p")
    assert cache.evict("extractor:v1") == 3
    assert list(cache.keys("graph/")) == ["graph/A/v2", "graph/B/v2", "graph/C/v2"]
    assert cache.clear() == 4
    assert list(cache.keys()) == []


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


# --- locks across processes ---


def _count_under_lock(directory: Path, counter: Path, rounds: int) -> None:
    with DiskCache(directory) as shared:
        for _ in range(rounds):
            with shared.lock("counter", timeout=30):
                with counter.open("a") as log:
                    log.write(f"enter {os.getpid()}\n")
                value = int((counter.parent / "value").read_text())
                time.sleep(0.002)
                (counter.parent / "value").write_text(str(value + 1))
                with counter.open("a") as log:
                    log.write(f"exit {os.getpid()}\n")


def test_lock_excludes_other_processes(tmp_path: Path) -> None:
    (tmp_path / "value").write_text("0")
    log = tmp_path / "log"
    workers = [
        FORK.Process(target=_count_under_lock, args=(tmp_path / "cache", log, 25)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert (tmp_path / "value").read_text() == "50"
    lines = log.read_text().splitlines()
    assert len({line.split()[1] for line in lines}) == 2
    for enter, leave in zip(lines[::2], lines[1::2], strict=True):
        assert (enter.split()[0], leave.split()[0]) == ("enter", "exit")
        assert enter.split()[1] == leave.split()[1]


def _try_lock(directory: Path, timeout: float, results: multiprocessing.Queue) -> None:
    start = time.monotonic()
    try:
        with DiskCache(directory) as shared, shared.lock("page/Berlin", timeout=timeout):
            results.put(("acquired", time.monotonic() - start))
    except LockTimeout:
        results.put(("timeout", time.monotonic() - start))


def test_lock_timeout(cache: DiskCache, tmp_path: Path) -> None:
    results = FORK.Queue()
    with cache.lock("page/Berlin", timeout=1):
        child = FORK.Process(target=_try_lock, args=(tmp_path / "cache", 0.3, results))
        child.start()
        outcome, waited = results.get(timeout=30)
        child.join(30)
        # not reentrant either
        with pytest.raises(LockTimeout, match="page/Berlin"), cache.lock("page/Berlin", timeout=0):
            pass
    assert outcome == "timeout"
    assert 0.3 <= waited < 5
    with cache.lock("page/Berlin", timeout=0):
        pass


def _hold_and_crash(directory: Path) -> None:
    shared = DiskCache(directory)
    held = shared.lock("page/Berlin", timeout=1, lease=1)
    held.__enter__()
    os._exit(0)  # dies holding the lock (held is still referenced: no release on collection)


def test_lock_of_crashed_holder_expires(cache: DiskCache, tmp_path: Path) -> None:
    child = FORK.Process(target=_hold_and_crash, args=(tmp_path / "cache",))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    with pytest.raises(LockTimeout), cache.lock("page/Berlin", timeout=0):
        pass
    with cache.lock("page/Berlin", timeout=10):
        pass


def test_lapsed_holder_does_not_release_the_next_holder(cache: DiskCache, tmp_path: Path) -> None:
    results = FORK.Queue()
    lapsed = cache.lock("page/Berlin", timeout=1, lease=0.2)
    lapsed.__enter__()
    time.sleep(0.3)
    with cache.lock("page/Berlin", timeout=0, lease=30):
        lapsed.__exit__(None, None, None)  # must leave the second holder's lock alone
        child = FORK.Process(target=_try_lock, args=(tmp_path / "cache", 0, results))
        child.start()
        child.join(30)
        assert results.get(timeout=30)[0] == "timeout"


def test_clear_keeps_locks(cache: DiskCache) -> None:
    cache.set("page/A", b"p")
    with cache.lock("page/A", timeout=1):
        assert cache.clear() == 1
        with pytest.raises(LockTimeout), cache.lock("page/A", timeout=0.05):
            pass
