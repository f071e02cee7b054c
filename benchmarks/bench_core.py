"""The core against a real MediaWiki with injected latency: batched get_many vs single gets.

``python benchmarks/bench_core.py [--api URL] [--delay 0.1]``: with no --api (and no
$DBOD_TESTBED_API) a MediaWiki testbed is started with the shared pages and stopped at the end.
Every request goes through a loopback proxy that waits ``delay`` seconds and counts it. Prints,
for 100 titles: upstream requests and wall time of one ``get_many`` and of 100 sequential
``get`` calls (each with a cold cache), their ratio, and the latency of a warm (cached) get.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from live_wiki import SHARED, compiled_mappings, proxied_wiki

from cache import DiskCache
from dbod.core import Core
from dbod.sources.dump import DumpSource
from dbod.sources.mediawiki import AsyncMediaWikiSource


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", default=os.environ.get("DBOD_TESTBED_API"))
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        api, proxy = proxied_wiki(stack, args.api, args.delay)
        compiled = compiled_mappings(work)
        dump = DumpSource(next((SHARED / "wikipedia" / "gensim").glob("enwiki-latest*")), work)
        titles = list(dump.titles(0, redirects=False))[:100]

        def core(name: str) -> Core:
            cache = stack.enter_context(DiskCache(work / name, 1 << 30))
            return Core(AsyncMediaWikiSource(api, maxlag=None), cache, compiled, wiki=api)

        async def batched() -> None:
            await core("batched").get_many(titles)

        async def singles() -> None:
            single = core("singles")
            for title in titles:
                await single.get(title)

        results = {}
        for name, run in (("get_many", batched), ("100 x get", singles)):
            proxy.reset()
            start = time.perf_counter()
            asyncio.run(run())
            results[name] = (len(proxy.requests), time.perf_counter() - start)
            print(f"{name:>10}: {results[name][0]:4d} upstream requests, {results[name][1]:.2f} s")
        ratio = results["100 x get"][1] / results["get_many"][1]
        print(
            f"wall time ratio (singles / get_many): {ratio:.1f}x (delay {args.delay * 1000:.0f} ms)"
        )

        warm = core("batched")
        asyncio.run(warm.get_many(titles))
        proxy.reset()

        async def warm_latencies() -> list[float]:
            out = []
            for title in titles:
                start = time.perf_counter()
                await warm.get(title)
                out.append(time.perf_counter() - start)
            return out

        latencies = asyncio.run(warm_latencies())
        print(
            f"warm get: median {statistics.median(latencies) * 1000:.2f} ms, "
            f"max {max(latencies) * 1000:.2f} ms, upstream requests {len(proxy.requests)}"
        )


if __name__ == "__main__":
    main()
