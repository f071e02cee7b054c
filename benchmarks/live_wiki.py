"""What the benchmarks against a real MediaWiki share: the testbed (a given one, or one started
with the shared gensim pages and the minidump), a delaying loopback proxy in front of it, and the
compiled mappings."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

from dbod.compiled import Compiled, compile_pages, pages_from_exports

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "scripts"))

from loopback_proxy import LoopbackProxy  # noqa: E402
from mediawiki_testbed import MAPPINGS_NAMESPACES, MediaWikiTestbed  # noqa: E402


def proxied_wiki(stack: ExitStack, api: str | None, delay: float) -> tuple[str, LoopbackProxy]:
    """The API URL to use (through a proxy waiting ``delay`` s per request) and the proxy."""
    if api is None:
        testbed = stack.enter_context(MediaWikiTestbed())
        exports = [*sorted((SHARED / "wikipedia" / "gensim").glob("*.bz2"))]
        exports.append(SHARED / "dbpedia" / "minidump_en_wiki.xml.bz2")
        api = testbed.start(exports, MAPPINGS_NAMESPACES)
    host, path = api.rsplit("/", 1)
    proxy = stack.enter_context(LoopbackProxy(host, delay=delay))
    return f"{proxy.url}/{path}", proxy


def compiled_mappings(work: Path) -> Compiled:
    """The ontology and English mappings compiled from the shared exports."""
    return compile_pages(*pages_from_exports(SHARED / "dbpedia", "en", work / "dumps"), "en", work)
