"""A cold two-hop SPARQL query on demand, against a real MediaWiki with injected latency.

``python benchmarks/bench_sparql_ondemand.py [--api URL] [--delay 0.1] [--page Aardwolf]``
(without --api or $DBOD_TESTBED_API a testbed is started and stopped). The query follows a
page's links to the linked pages' ids, so it touches 1 + n pages, n of them in the second hop;
prints the page-content requests per hop (target: at most ceil(n/50) for the second), every
request that reached the wiki, and the wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import parse_qs

from live_wiki import compiled_mappings, proxied_wiki

from cache import DiskCache
from dbod.core import Core
from dbod.sources.mediawiki import AsyncMediaWikiSource
from dbod.sparql_dataset import OnDemandDataset
from extractors.titles import wiki_encode
from sparql_lite import Limits, execute


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", default=os.environ.get("DBOD_TESTBED_API"))
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--page", default="Aardwolf")
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        api, proxy = proxied_wiki(stack, args.api, args.delay)
        compiled = compiled_mappings(work)
        cache = stack.enter_context(DiskCache(work / "cache", 1 << 30))
        query = f"""PREFIX dbo: <http://dbpedia.org/ontology/>
            SELECT ?linked ?id WHERE {{
              <http://dbpedia.org/resource/{wiki_encode(args.page)}> dbo:wikiPageWikiLink ?linked .
              ?linked dbo:wikiPageID ?id }}"""

        async def run() -> tuple[int, int]:
            source = AsyncMediaWikiSource(api, maxlag=None)
            core = Core(source, cache, compiled, wiki=api)
            dataset = OnDemandDataset(core, asyncio.get_running_loop(), max_resources=1000)
            result = await asyncio.to_thread(execute, query, dataset, Limits(wall_time=600))
            return len(result.rows), dataset.fetched

        start = time.perf_counter()
        rows, fetched = asyncio.run(run())
        elapsed = time.perf_counter() - start
    content = []
    kinds: dict[str, int] = {}
    for _method, request_path, body in proxy.requests:
        params = parse_qs(request_path.partition("?")[2])
        params.update(parse_qs(body.decode()))
        kind = params.get("prop", params.get("list", ["other"]))[0]
        kinds[kind] = kinds.get(kind, 0) + 1
        if "revisions" in kind:
            content.append(len(params["titles"][0].split("|")))
    second_hop = fetched - 1
    print(f"page: {args.page}; pages loaded: {fetched} (second hop: {second_hop}); rows: {rows}")
    print(f"page-content requests: first hop {content[:1]}, second hop {content[1:]}")
    print(f"second hop: {len(content) - 1} requests (target <= ceil({second_hop}/50) = "
          f"{math.ceil(second_hop / 50)})")  # fmt: skip
    print(f"all requests reaching the wiki: {len(proxy.requests)} {kinds}")
    print(f"wall time: {elapsed:.2f} s with {args.delay * 1000:.0f} ms per request")


if __name__ == "__main__":
    main()
