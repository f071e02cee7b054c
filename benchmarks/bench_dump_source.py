"""Benchmark DumpSource: index build, indexed lookups, and a naive full-scan lookup as baseline.

Usage (from the project root)::

    python benchmarks/bench_dump_source.py [path/to/dump.xml[.bz2]]

The default dump is the larger gensim test dump in ../shared/data. The index is built in a fresh
temporary directory, so the build time includes decompressing a ``.bz2`` into its sidecar copy.
Each title is looked up once after a warm-up pass over all titles (page cache warm); the
baseline streams the dump from its start with ElementTree.iterparse until it meets the title,
which is what finding one page costs without an index, both over the dump as given and over the
decompressed XML the index points into; medians are compared with medians.
"""

from __future__ import annotations

import argparse
import bz2
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from dbod.sources.dump import DumpSource  # noqa: E402

DEFAULT_DUMP = (
    PROJECT_ROOT.parent
    / "shared/data/wikipedia/gensim"
    / "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
)


def naive_lookup(dump: Path, title: str) -> int | None:
    """Page id of ``title`` by streaming the dump from the start: no index."""
    opener = bz2.open if dump.suffix == ".bz2" else open
    with opener(dump, "rb") as stream:
        for _, element in ET.iterparse(stream, events=("end",)):
            if element.tag.rpartition("}")[2] != "page":
                continue
            found = {child.tag.rpartition("}")[2]: child.text for child in element}
            if found.get("title") == title:
                return int(found["id"] or 0)
            element.clear()
    return None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dump", nargs="?", type=Path, default=DEFAULT_DUMP)
    parser.add_argument("--baseline-titles", type=int, default=3, help="titles scanned naively")
    args = parser.parse_args()
    dump: Path = args.dump.resolve()
    print(f"dump: {dump} ({dump.stat().st_size:,} bytes)")

    with tempfile.TemporaryDirectory(prefix="bench-dump-") as tmp:
        started = time.perf_counter()
        source = DumpSource(dump, Path(tmp))
        build = time.perf_counter() - started
        assert source.built
        print(
            f"index build: {build:.3f} s for {len(source):,} pages"
            f" ({source.redirect_count:,} redirects; XML {source.data_path.stat().st_size:,} bytes,"
            f" index {source.index_path.stat().st_size:,} bytes)"
        )
        source.close()

        started = time.perf_counter()
        source = DumpSource(dump, Path(tmp))
        reopen = time.perf_counter() - started
        assert not source.built
        print(f"reopen (index reused): {reopen * 1e3:.2f} ms")

        titles = list(source.titles())
        for title in titles:  # warm-up
            source.get(title, follow_redirects=False)
        timings = []
        for title in titles:
            started = time.perf_counter()
            record = source.get(title, follow_redirects=False)
            timings.append(time.perf_counter() - started)
            assert record is not None and record.title == title
        median, p95 = statistics.median(timings), percentile(timings, 0.95)
        print(
            f"indexed get() over all {len(titles):,} titles: median {median * 1e3:.3f} ms,"
            f" p95 {p95 * 1e3:.3f} ms, max {max(timings) * 1e3:.3f} ms"
        )
        resolve_timings = []
        for title in titles:
            started = time.perf_counter()
            source.resolve(title)
            resolve_timings.append(time.perf_counter() - started)
        print(f"resolve() (index only): median {statistics.median(resolve_timings) * 1e6:.1f} µs")

        count = max(1, min(args.baseline_titles, len(titles)))
        picks = [titles[round(i * (len(titles) - 1) / max(1, count - 1))] for i in range(count)]
        # the same scan over the dump as given and over the decompressed XML the index points
        # into, so that the ratio is not just the cost of decompression
        for label, path in (("the dump", dump), ("the decompressed XML", source.data_path)):
            naive = []
            for title in picks:
                started = time.perf_counter()
                page_id = naive_lookup(path, title)
                naive.append(time.perf_counter() - started)
                record = source.get(title, follow_redirects=False)
                assert record is not None and page_id == record.page_id, title
            naive_median = statistics.median(naive)
            print(
                f"naive full-scan lookup in {label}: median {naive_median * 1e3:.1f} ms over"
                f" {count} titles (first, middle, last in dump order);"
                f" ratio to the indexed median {naive_median / median:,.0f}x"
            )
        source.close()


if __name__ == "__main__":
    main()
