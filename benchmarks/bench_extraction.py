"""Extraction speed: every article of the gensim dump, against the bare mwparserfromhell parse.

Run ``python benchmarks/bench_extraction.py [SHARED_DATA]``. For each article the extraction and
a bare ``mwparserfromhell.parse`` of the same wikitext are timed in the same run (best of 3 each);
prints median and p95 milliseconds per page and the median and p95 of the per-page ratio. Also
times loading the compiled ontology and mappings from their cache (issue target: <= 200 ms).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import mwparserfromhell

from dbod.compiled import compile_pages, load_compiled, pages_from_exports
from dbod.sources.dump import DumpSource
from extractors.extract import extract_page

ROOT = Path(__file__).resolve().parent.parent


def best_of(runs: int, function, *args) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch)
        ontology_pages, mapping_pages = pages_from_exports(
            shared / "dbpedia", "en", cache / "dumps"
        )
        start = time.perf_counter()
        compiled = compile_pages(ontology_pages, mapping_pages, "en", cache)
        print(f"compile ontology + mappings: {time.perf_counter() - start:.2f} s")
        [pickled] = (cache / "compiled").glob("*.pickle")
        loads = [best_of(1, load_compiled, pickled) for _ in range(5)]
        print(
            f"load compiled form: median {statistics.median(loads) * 1000:.1f} ms (target 200 ms)"
        )

        dump = next((shared / "wikipedia" / "gensim").glob("enwiki-latest-pages-articles1*.bz2"))
        with DumpSource(dump, cache / "dumps") as source:
            pages = [source.get(title, follow_redirects=False) for title in source.titles(0)]
        articles = [page for page in pages if page is not None and not page.redirect]
        extract_ms, parse_ms, ratios = [], [], []
        for page in articles:
            extract = best_of(3, extract_page, page, compiled.ontology, compiled.mappings)
            bare = best_of(3, mwparserfromhell.parse, page.wikitext)
            extract_ms.append(extract * 1000)
            parse_ms.append(bare * 1000)
            ratios.append(extract / bare)
        print(f"articles: {len(articles)}")
        print(
            f"extraction ms/page: median {statistics.median(extract_ms):.2f}, "
            f"p95 {percentile(extract_ms, 0.95):.2f}"
        )
        print(
            f"bare parse ms/page: median {statistics.median(parse_ms):.2f}, "
            f"p95 {percentile(parse_ms, 0.95):.2f}"
        )
        print(
            f"ratio extraction / bare parse: median {statistics.median(ratios):.2f}, "
            f"p95 {percentile(ratios, 0.95):.2f} (target: median <= 1.5)"
        )


if __name__ == "__main__":
    main()
