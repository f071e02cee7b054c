"""MediaWikiSource and AsyncMediaWikiSource: live pages through the MediaWiki Action API.

Against the real MediaWiki testbed (``mediawiki_api``), expected values come from the XML exports
it imported, read by DumpSource and ElementTree, and HTTP requests are counted with an httpx
event hook. Fault cases the testbed cannot produce (429, 5xx, maxlag, malformed replies) use
in-process fakes (httpx.MockTransport) and an injected sleep, so backoff schedules are asserted
without waiting.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from dbod import __version__
from dbod.sources.dump import DumpSource
from dbod.sources.mediawiki import (
    PRODUCT_NAME,
    AsyncMediaWikiSource,
    FetchResult,
    MediaWikiSource,
    RetryPolicy,
    UpstreamError,
    UpstreamUnavailable,
)
from extractors.page import PageRecord
from extractors.titles import InvalidTitle, parse_title

# -- the real testbed ------------------------------------------------------------------------------

UNICODE_TITLES = [
    "? (film)",
    "Ferdinand Piëch",
    'Ren & Stimpy "Adult Party Cartoon"',
    "Ranma ½",
]
#: In the minidump, a redirect to "ʻAbdu'l-Bahá" (with U+02BB), a page no export holds.
BAHA = "`Abdu'l-Bahá"
BAHA_TARGET = "ʻAbdu'l-Bahá"


class Served:
    """What the testbed serves in the main namespace, read from the exports it imported."""

    def __init__(self, dumps: list[DumpSource]) -> None:
        self.pages: dict[str, PageRecord] = {}
        self.redirects: dict[str, str] = {}
        for dump in dumps:
            for title in dump.titles(namespace=0):
                record = dump.get(title, follow_redirects=False)
                assert record is not None
                if record.redirect is not None:
                    self.redirects[title] = record.redirect
                # A title in two exports: MediaWiki serves its newest revision.
                elif title not in self.pages or record.timestamp > self.pages[title].timestamp:
                    self.pages[title] = record

    def final(self, title: str) -> str:
        seen = {title}
        while title in self.redirects and self.redirects[title] not in seen:
            title = self.redirects[title]
            seen.add(title)
        return title


@pytest.fixture(scope="module")
def served(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    exports = [
        *sorted((shared_data / "wikipedia" / "gensim").glob("*.bz2")),
        shared_data / "dbpedia" / "minidump_en_wiki.xml.bz2",
    ]
    index_dir = tmp_path_factory.mktemp("dump-index")
    dumps = [DumpSource(path, index_dir) for path in exports]
    yield Served(dumps)
    for dump in dumps:
        dump.close()


class Counted:
    """A MediaWikiSource on the testbed whose HTTP requests are recorded."""

    def __init__(self, api: str) -> None:
        self.requests: list[httpx.Request] = []
        self.client = httpx.Client(timeout=60, event_hooks={"request": [self.requests.append]})
        self.source = MediaWikiSource(api, client=self.client, contact="tests@example.org")


@pytest.fixture
def counted(mediawiki_api: str) -> Iterator[Counted]:
    counted = Counted(mediawiki_api)
    yield counted
    counted.client.close()


def assert_same_page(got: PageRecord, expected: PageRecord) -> None:
    """Same page content; ids are renumbered by the import, so only their sanity is checked."""
    assert (got.title, got.namespace, got.timestamp) == (
        expected.title,
        expected.namespace,
        expected.timestamp,
    )
    assert got.wikitext == expected.wikitext
    assert got.page_id > 0 and got.revision_id > 0 and got.lang == "en"
    assert got.redirect is None


def export_pages(path: Path, namespace: int) -> dict[str, str]:
    """title -> text of the pages of one namespace of an (uncompressed) export."""
    pages = {}
    for _, elem in ET.iterparse(path):
        if elem.tag.rsplit("}", 1)[-1] == "page":
            if int(elem.findtext("{*}ns") or 0) == namespace:
                pages[elem.findtext("{*}title") or ""] = elem.findtext("{*}revision/{*}text") or ""
            elem.clear()
    return pages


@pytest.mark.mediawiki
def test_100_titles_are_fetched_in_two_requests(counted: Counted, served: Served) -> None:
    titles = sorted(served.pages)[:100]
    result = counted.source.fetch(titles)
    assert len(counted.requests) == 2
    assert [parse_qs(r.url.query.decode())["titles"][0].count("|") for r in counted.requests] == [
        49,
        49,
    ]
    assert result.missing == [] and result.invalid == {} and result.redirects == []
    assert list(result.pages) == titles
    for title in titles:
        assert_same_page(result.pages[title], served.pages[title])


@pytest.mark.mediawiki
def test_every_served_page_equals_its_export(counted: Counted, served: Served) -> None:
    result = counted.source.fetch(served.pages)
    assert len(counted.requests) == -(-len(served.pages) // 50)
    assert set(result.pages) == set(served.pages) and not result.missing
    for title, expected in served.pages.items():
        assert_same_page(result.pages[title], expected)
    assert len({record.page_id for record in result.pages.values()}) == len(served.pages)


@pytest.mark.mediawiki
def test_requests_name_the_client_and_send_maxlag(counted: Counted) -> None:
    counted.source.fetch(["Berlin"])
    (request,) = counted.requests
    params = parse_qs(request.url.query.decode())
    assert params["maxlag"] == ["5"] and params["formatversion"] == ["2"]
    assert params["prop"] == ["revisions|info|pageprops"] and params["rvslots"] == ["main"]
    assert params["redirects"] == ["1"] and params["rvprop"] == ["content|ids|timestamp"]
    agent = request.headers["user-agent"]
    assert agent == f"dbod/{__version__} ({PRODUCT_NAME}; tests@example.org)"


@pytest.mark.mediawiki
def test_normalization(counted: Counted, served: Served) -> None:
    requested = ["berlin", "Berlin", " Berlin ", "Ranma_½", "ranma ½", ":Ranma ½", "? (film)"]
    result = counted.source.fetch(requested)
    assert len(counted.requests) == 1
    assert result.normalized == {
        "berlin": "Berlin",
        " Berlin ": "Berlin",
        "Ranma_½": "Ranma ½",
        "ranma ½": "Ranma ½",
        ":Ranma ½": "Ranma ½",
    }
    assert list(result.pages) == requested
    for title in requested:
        assert_same_page(result.pages[title], served.pages[parse_title(title).text])
    assert result.pages["berlin"] == result.pages["Berlin"]


@pytest.mark.mediawiki
def test_redirects_resolve_to_their_targets(counted: Counted, served: Served) -> None:
    assert served.redirects["AynRand"] == "Ayn Rand"
    assert served.redirects["AcademyAwards"] == "Academy Awards"
    result = counted.source.fetch(["AynRand", "academyAwards"])
    assert_same_page(result.pages["AynRand"], served.pages["Ayn Rand"])
    assert_same_page(result.pages["academyAwards"], served.pages["Academy Awards"])
    assert result.normalized == {"academyAwards": "AcademyAwards"}
    assert result.redirects == [("AynRand", "Ayn Rand"), ("AcademyAwards", "Academy Awards")]


@pytest.mark.mediawiki
def test_every_redirect_of_the_exports(counted: Counted, served: Served) -> None:
    redirects = sorted(served.redirects)
    result = counted.source.fetch(redirects)
    assert len(counted.requests) == -(-len(redirects) // 50)
    dangling = [t for t in redirects if served.final(t) not in served.pages]
    assert sorted(result.missing) == dangling and result.invalid == {}
    assert len(result.pages) == len(redirects) - len(dangling) >= 10
    for title, record in result.pages.items():
        assert_same_page(record, served.pages[served.final(title)])
    # Every hop is recorded, also towards a target that does not exist.
    assert set(result.redirects) == set(served.redirects.items())
    assert "AccessibleComputing" in dangling  # -> "Computer accessibility", not in the exports


@pytest.mark.mediawiki
def test_missing_pages(counted: Counted) -> None:
    titles = ["Nonexistent page xyz", "Category:No such category", "Special:Nothing", "Berlin"]
    result = counted.source.fetch(titles)
    assert result.missing == titles[:3] and list(result.pages) == ["Berlin"]


@pytest.mark.mediawiki
def test_unicode_and_punctuation_titles(counted: Counted, served: Served) -> None:
    result = counted.source.fetch([*UNICODE_TITLES, BAHA])
    for title in UNICODE_TITLES:
        assert_same_page(result.pages[title], served.pages[title])
    assert served.redirects[BAHA] == BAHA_TARGET and BAHA_TARGET not in served.pages
    assert result.missing == [BAHA] and result.redirects == [(BAHA, BAHA_TARGET)]


@pytest.mark.mediawiki
def test_long_batches_go_as_post(counted: Counted, served: Served) -> None:
    long_titles = [f"{'Ferdinand Piëch & Ranma ½ ' * 8}{n}" for n in range(49)]
    result = counted.source.fetch([*long_titles, "Ferdinand Piëch"])
    assert [request.method for request in counted.requests] == ["POST"]
    assert result.missing == long_titles
    assert_same_page(result.pages["Ferdinand Piëch"], served.pages["Ferdinand Piëch"])


@pytest.mark.mediawiki
def test_invalid_titles(counted: Counted) -> None:
    local = ["a|b", "Talk:", "", "x" * 256, "Foo%20bar", "[[Berlin]]", "Main Page#History"]
    result = counted.source.fetch(local)
    assert counted.requests == []  # never sent upstream
    assert list(result.invalid) == local and not result.pages and not result.missing
    for title in local:
        with pytest.raises(InvalidTitle):
            parse_title(title)
    # Valid by the shared title rules, invalid as the wiki says:
    upstream = ["~~~~", "../Foo", "Talk:Special:X"]
    result = counted.source.fetch([*upstream, "Berlin"])
    assert list(result.invalid) == upstream and list(result.pages) == ["Berlin"]
    assert "tilde" in result.invalid["~~~~"] and "relative" in result.invalid["../Foo"]


@pytest.mark.mediawiki
def test_backlinks_are_paged(counted: Counted, served: Served, mediawiki_api: str) -> None:
    # Latin (not an imported page) has 18 backlinks; pages of 5 need 4 requests.
    paged = counted.source.backlinks("Latin", page_size=5)
    assert len(counted.requests) == 4
    assert [parse_qs(r.url.query.decode()).get("blcontinue") is None for r in counted.requests] == [
        True,
        False,
        False,
        False,
    ]
    params = {"action": "query", "list": "backlinks", "bltitle": "Latin", "bllimit": "max"}
    raw = httpx.get(mediawiki_api, params={**params, "format": "json", "formatversion": "2"})
    assert paged == [entry["title"] for entry in raw.json()["query"]["backlinks"]]
    assert len(paged) == len(set(paged)) == 18
    link = re.compile(r"\[\[\s*Latin\s*[|\]]")
    assert set(paged) <= {t for t, p in served.pages.items() if link.search(p.wikitext)}
    assert "Berlin" in paged and "Angela Merkel" in paged

    counted.requests.clear()
    assert counted.source.backlinks("Latin", limit=7, page_size=5) == paged[:7]
    assert len(counted.requests) == 2
    assert counted.source.backlinks("Aristotle", page_size=3)[:1] == ["Aristotle"]  # self-link
    assert counted.source.backlinks("No page links here") == []
    assert counted.source.backlinks("Latin", namespace=14) == []
    with pytest.raises(InvalidTitle):
        counted.source.backlinks("a|b")


@pytest.mark.mediawiki
def test_last_revisions(counted: Counted, served: Served) -> None:
    titles = sorted(served.pages)[:60]
    fetched = counted.source.fetch([*titles, "AynRand"])
    counted.requests.clear()
    revisions = counted.source.last_revisions(
        [*titles, "AynRand", "Nonexistent page", "~~~", "a|b"]
    )
    assert len(counted.requests) == 2
    assert all(parse_qs(r.url.query.decode())["prop"] == ["info"] for r in counted.requests)
    assert revisions == {
        **{title: fetched.pages[title].revision_id for title in titles},
        "AynRand": fetched.pages["AynRand"].revision_id,
        "Nonexistent page": None,
        "~~~": None,
        "a|b": None,
    }


@pytest.mark.mediawiki
def test_pages_in_namespace_204_are_the_mapping_pages(counted: Counted, shared_data: Path) -> None:
    exported = export_pages(shared_data / "dbpedia" / "Mapping_en.xml", 204)
    assert len(exported) == 764
    pages = list(counted.source.pages_in_namespace(204))
    assert len(pages) == len(exported)
    assert dict(pages) == exported
    assert len(counted.requests) == -(-764 // 50)
    # Batches beyond the API's 50 contents per reply continue with rvcontinue, then move on.
    counted.requests.clear()
    assert list(counted.source.pages_in_namespace(204, batch_size=120)) == pages
    continued = [r for r in counted.requests if "rvcontinue" in r.url.query.decode()]
    assert len(counted.requests) > 7 and continued


@pytest.mark.mediawiki
def test_siteinfo_is_adopted(counted: Counted) -> None:
    source = counted.source
    assert source.namespaces.id_of("Mapping en") is None
    info = source.siteinfo()
    assert (info.lang, info.sitename, info.case) == ("en", "TestWiki", "first-letter")
    assert info.namespaces.names[204] == "Mapping en" and info.namespaces.names[14] == "Category"
    assert source.namespaces.id_of("Mapping_en") == 204 and source.lang == "en"
    assert parse_title("mapping_en:Infobox settlement", source.namespaces).namespace == 204


@pytest.mark.mediawiki
def test_template_redirects_on_a_wiki_without_templates(counted: Counted) -> None:
    assert counted.source.template_redirects(["Infobox person", "Template:Cite web"]) == {}
    assert len(counted.requests) == 1


@pytest.mark.mediawiki
def test_async_source_gives_identical_results(mediawiki_api: str, served: Served) -> None:
    titles = [*sorted(served.pages)[:70], *UNICODE_TITLES, BAHA, "berlin", "AynRand", "~~~~"]
    with MediaWikiSource(mediawiki_api) as sync:
        expected = (
            sync.fetch(titles),
            sync.last_revisions(titles),
            sync.backlinks("Latin", page_size=5),
            list(sync.pages_in_namespace(204)),
            sync.template_redirects(["Infobox person"]),
            sync.siteinfo(),
        )

    async def run() -> tuple[Any, ...]:
        requests: list[httpx.Request] = []

        async def hook(request: httpx.Request) -> None:
            requests.append(request)

        async with (
            httpx.AsyncClient(timeout=60, event_hooks={"request": [hook]}) as client,
            AsyncMediaWikiSource(mediawiki_api, client=client) as source,
        ):
            fetched = await source.fetch(titles)
            assert len(requests) == 2
            return (
                fetched,
                await source.last_revisions(titles),
                await source.backlinks("Latin", page_size=5),
                [page async for page in source.pages_in_namespace(204)],
                await source.template_redirects(["Infobox person"]),
                await source.siteinfo(),
            )

    assert asyncio.run(run()) == expected
    assert set(expected[0].pages) == set(titles) - {BAHA, "~~~~"}


@pytest.mark.mediawiki
def test_concurrent_async_fetches(mediawiki_api: str, served: Served) -> None:
    batches = [sorted(served.pages)[n : n + 20] for n in range(0, 100, 20)]

    async def run() -> list[FetchResult]:
        async with AsyncMediaWikiSource(mediawiki_api) as source:
            return await asyncio.gather(*(source.fetch(batch) for batch in batches))

    for batch, result in zip(batches, asyncio.run(run()), strict=True):
        assert list(result.pages) == batch
        for title in batch:
            assert_same_page(result.pages[title], served.pages[title])


# -- in-process fakes for faults -------------------------------------------------------------------

ENDPOINT = "https://wiki.example/w/api.php"
NO_JITTER = RetryPolicy(max_retries=5, base=0.5, cap=30.0, deadline=600.0, jitter=0.0)

Step = httpx.Response | Exception | Callable[[], httpx.Response]


class FakeWiki:
    """An api.php answering with scripted steps, the last one repeated: a response (a fresh copy
    each time), a transport error to raise, or a function making the response."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return httpx.Response(step.status_code, headers=step.headers, content=step.read())
        return step()

    def params(self, index: int) -> dict[str, str]:
        request = self.requests[index]
        query = request.content.decode() if request.method == "POST" else request.url.query.decode()
        return {key: values[0] for key, values in parse_qs(query).items()}


def reply(data: object, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(data).encode(), headers=headers)


def page(title: str, revid: int = 7, text: str = "text", **extra: object) -> dict[str, Any]:
    revision = {"revid": revid, "timestamp": "2024-01-02T03:04:05Z"}
    revision["slots"] = {"main": {"contentmodel": "wikitext", "content": text}}
    return {"pageid": revid + 100, "ns": 0, "title": title, "revisions": [revision], **extra}


OK = reply({"batchcomplete": True, "query": {"pages": [page("Berlin")]}})


def fake_source(
    wiki: FakeWiki, sleeps: list[float], **options: Any
) -> tuple[MediaWikiSource, httpx.Client]:
    client = httpx.Client(transport=httpx.MockTransport(wiki))
    options.setdefault("retry", NO_JITTER)
    return MediaWikiSource(ENDPOINT, client=client, sleep=sleeps.append, **options), client


@pytest.fixture
def sleeps() -> list[float]:
    return []


def fetch_berlin(wiki: FakeWiki, sleeps: list[float], **options: Any) -> FetchResult:
    source, client = fake_source(wiki, sleeps, **options)
    with client:
        return source.fetch(["Berlin"])


def test_contact_from_the_environment(monkeypatch: pytest.MonkeyPatch, sleeps: list[float]) -> None:
    monkeypatch.setenv("DBOD_CONTACT", "ops@example.org")
    wiki = FakeWiki(OK)
    fetch_berlin(wiki, sleeps, maxlag=None)
    agent = wiki.requests[0].headers["user-agent"]
    assert agent == f"dbod/{__version__} ({PRODUCT_NAME}; ops@example.org)"
    assert "maxlag" not in wiki.params(0)
    monkeypatch.delenv("DBOD_CONTACT")
    fetch_berlin(wiki, sleeps)
    assert wiki.requests[1].headers["user-agent"] == f"dbod/{__version__} ({PRODUCT_NAME})"


def test_429_waits_as_retry_after_says(sleeps: list[float]) -> None:
    wiki = FakeWiki(reply({}, 429, **{"Retry-After": "7"}), OK)
    result = fetch_berlin(wiki, sleeps, retry=RetryPolicy(base=0.5, cap=2.0, jitter=0.0))
    assert sleeps == [7.0]  # beyond the cap: the server's word wins
    assert result.pages["Berlin"].wikitext == "text" and len(wiki.requests) == 2


def test_retry_after_as_an_http_date(sleeps: list[float]) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    wiki = FakeWiki(reply({}, 503, **{"Retry-After": when}), OK)
    fetch_berlin(wiki, sleeps)
    assert len(sleeps) == 1 and 27 <= sleeps[0] <= 30


def test_5xx_then_success_backs_off_exponentially(sleeps: list[float]) -> None:
    wiki = FakeWiki(reply({}, 503), reply({}, 502), httpx.Response(500, text="<html>"), OK)
    assert "Berlin" in fetch_berlin(wiki, sleeps).pages
    assert sleeps == [0.5, 1.0, 2.0] and len(wiki.requests) == 4


def test_timeouts_and_connection_errors_are_retried(sleeps: list[float]) -> None:
    wiki = FakeWiki(httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), OK)
    assert "Berlin" in fetch_berlin(wiki, sleeps).pages
    assert sleeps == [0.5, 1.0]


def test_maxlag_error_waits_and_retries(sleeps: list[float]) -> None:
    lagged = {
        "error": {
            "code": "maxlag",
            "info": "Waiting for 10.64.16.8: 7 seconds lagged.",
            "host": "10.64.16.8",
            "lag": 7,
        }
    }
    wiki = FakeWiki(reply(lagged, **{"Retry-After": "5", "X-Database-Lag": "7"}), OK)
    assert "Berlin" in fetch_berlin(wiki, sleeps).pages
    assert sleeps == [5.0]
    assert wiki.params(0)["maxlag"] == wiki.params(1)["maxlag"] == "5"


def test_backoff_is_capped(sleeps: list[float]) -> None:
    wiki = FakeWiki(reply({}, 503))
    policy = RetryPolicy(max_retries=5, base=1.0, cap=3.0, jitter=0.0)
    with pytest.raises(UpstreamUnavailable) as caught:
        fetch_berlin(wiki, sleeps, retry=policy)
    assert sleeps == [1.0, 2.0, 3.0, 3.0, 3.0] and len(wiki.requests) == 6
    assert caught.value.retry_after == 3.0


def test_jitter_stays_within_its_fraction(sleeps: list[float]) -> None:
    wiki = FakeWiki(reply({}, 503))
    policy = RetryPolicy(max_retries=6, base=1.0, cap=8.0, jitter=0.5)
    with pytest.raises(UpstreamUnavailable):
        fetch_berlin(wiki, sleeps, retry=policy)
    for delay, backoff in zip(sleeps, [1, 2, 4, 8, 8, 8], strict=True):
        assert backoff / 2 <= delay <= backoff


def test_exhausted_retries_give_upstream_unavailable_with_a_hint(sleeps: list[float]) -> None:
    wiki = FakeWiki(reply({}, 429, **{"Retry-After": "9"}))
    with pytest.raises(UpstreamUnavailable) as caught:
        fetch_berlin(wiki, sleeps, retry=RetryPolicy(max_retries=2, jitter=0.0))
    assert sleeps == [9.0, 9.0] and len(wiki.requests) == 3
    error = caught.value
    assert error.endpoint == ENDPOINT and ENDPOINT in str(error)
    assert error.retry_after == 9.0 and "HTTP 429" in error.reason


def test_the_deadline_bounds_all_retries(sleeps: list[float]) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    wiki = FakeWiki(reply({}, 503))
    client = httpx.Client(transport=httpx.MockTransport(wiki))
    policy = RetryPolicy(max_retries=100, base=2.0, cap=60.0, deadline=10.0, jitter=0.0)
    source = MediaWikiSource(
        ENDPOINT, client=client, retry=policy, sleep=sleep, clock=lambda: now[0]
    )
    with pytest.raises(UpstreamUnavailable) as caught:
        source.fetch(["Berlin"])
    assert sleeps == [2.0, 4.0] and caught.value.retry_after == 8.0


def test_an_unreachable_host(sleeps: list[float]) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    source = MediaWikiSource(
        f"http://127.0.0.1:{port}/api.php", retry=RetryPolicy(max_retries=2), sleep=sleeps.append
    )
    with source, pytest.raises(UpstreamUnavailable) as caught:
        source.fetch(["Berlin"])
    assert len(sleeps) == 2 and "ConnectError" in caught.value.reason
    assert caught.value.retry_after > 0 and f"127.0.0.1:{port}" in str(caught.value)


def test_a_server_that_never_answers_times_out(sleeps: list[float]) -> None:
    with socket.socket() as sock:  # accepts connections (kernel backlog), never replies
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        source = MediaWikiSource(
            f"http://127.0.0.1:{sock.getsockname()[1]}/api.php",
            timeout=0.2,
            retry=RetryPolicy(max_retries=1),
            sleep=sleeps.append,
        )
        started = time.monotonic()
        with source, pytest.raises(UpstreamUnavailable) as caught:
            source.fetch(["Berlin"])
    assert "ReadTimeout" in caught.value.reason and len(sleeps) == 1
    assert time.monotonic() - started < 5


BAD_REPLIES = {
    "not JSON": httpx.Response(200, text="<html>Fatal error</html>"),
    "truncated JSON": httpx.Response(200, text='{"query": {"pages": ['),
    "deeply nested JSON": httpx.Response(200, text="[" * 100_000),
    "a JSON list": reply([1, 2]),
    "pages as an object (formatversion 1)": reply({"query": {"pages": {"1": page("Berlin")}}}),
    "no revisions": reply({"query": {"pages": [{"title": "Berlin", "ns": 0, "pageid": 1}]}}),
    "no content": reply(
        {"query": {"pages": [{**page("Berlin"), "revisions": [{"revid": 1, "slots": {}}]}]}}
    ),
    "ns as a string": reply({"query": {"pages": [{**page("Berlin"), "ns": "0"}]}}),
    "query as a list": reply({"query": []}),
    "the title not mentioned": reply({"batchcomplete": True}),
    "continue not an object": reply({"continue": "x", "query": {"pages": []}}),
    "a continuation that does not advance": reply(
        {"continue": {"rvcontinue": "1|1", "continue": "||"}, "query": {"pages": []}}
    ),
    "a redirect entry without to": reply({"query": {"redirects": [{"from": "Berlin"}]}}),
    "HTTP 404": httpx.Response(404, text="Not Found"),
    "HTTP 403": reply({}, 403),
}


@pytest.mark.parametrize("case", BAD_REPLIES)
def test_malformed_replies_are_upstream_errors(case: str, sleeps: list[float]) -> None:
    wiki = FakeWiki(BAD_REPLIES[case])
    with pytest.raises(UpstreamError) as caught:
        fetch_berlin(wiki, sleeps)
    assert caught.value.endpoint == ENDPOINT and str(caught.value).startswith(ENDPOINT)
    assert len(wiki.requests) == (2 if "advance" in case else 1) and sleeps == []


def test_an_api_error_object(sleeps: list[float]) -> None:
    error = {
        "error": {"code": "readapidenied", "info": "You need read permission to use this module."}
    }
    wiki = FakeWiki(reply(error, **{"MediaWiki-API-Error": "readapidenied"}))
    with pytest.raises(UpstreamError, match="readapidenied") as caught:
        fetch_berlin(wiki, sleeps)
    assert caught.value.code == "readapidenied" and ENDPOINT in str(caught.value)
    assert sleeps == []


@pytest.mark.parametrize("declared", [True, False])
def test_an_absurdly_large_response_is_refused(declared: bool, sleeps: list[float]) -> None:
    body = json.dumps({"query": {"pages": [page("Berlin", text="x" * 5000)]}}).encode()

    def respond() -> httpx.Response:
        if declared:
            return httpx.Response(200, content=body)
        # Streamed without Content-Length: counted while reading.
        return httpx.Response(200, content=iter([body[:3000], body[3000:]]))

    assert ("content-length" in respond().headers) is declared
    wiki = FakeWiki(respond)
    with pytest.raises(UpstreamError, match="size limit"):
        fetch_berlin(wiki, sleeps, max_response_bytes=4096)
    assert "Berlin" in fetch_berlin(FakeWiki(reply(json.loads(body))), sleeps).pages


def test_revisions_split_over_continuation_are_merged(sleeps: list[float]) -> None:
    first = {
        "continue": {"rvcontinue": "208|209", "continue": "||"},
        "query": {
            "normalized": [{"fromencoded": False, "from": "berlin", "to": "Berlin"}],
            "pages": [
                {**page("Alpha", 1), "pageprops": {"wikibase_item": "Q1"}},
                {"pageid": 208, "ns": 0, "title": "Berlin", "pageprops": {"wikibase_item": "Q64"}},
            ],
        },
    }
    second = {
        "batchcomplete": True,
        "query": {
            "normalized": [{"fromencoded": False, "from": "berlin", "to": "Berlin"}],
            "pages": [{"pageid": 1, "ns": 0, "title": "Alpha"}, page("Berlin", 209, "Hauptstadt")],
        },
    }
    wiki = FakeWiki(reply(first), reply(second))
    source, client = fake_source(wiki, sleeps)
    with client:
        result = source.fetch(["Alpha", "berlin"])
    assert wiki.params(1)["rvcontinue"] == "208|209" and wiki.params(1)["titles"] == "Alpha|berlin"
    berlin = result.pages["berlin"]
    assert (berlin.title, berlin.revision_id, berlin.wikitext) == ("Berlin", 209, "Hauptstadt")
    assert berlin.wikidata_item == "Q64" and result.pages["Alpha"].wikidata_item == "Q1"
    assert result.normalized == {"berlin": "Berlin"}


def test_pageprops_interwiki_and_redirect_chains(sleeps: list[float]) -> None:
    data = {
        "batchcomplete": True,
        "query": {
            "redirects": [
                {"from": "Mercury (god)", "to": "Mercury"},
                {"from": "Hg", "to": "Mercury (god)"},
            ],
            "interwiki": [{"title": "fr:Paris", "iw": "fr"}],
            "pages": [
                page("Mercury", 5, "'''Mercury''' may refer to:", pageprops={"disambiguation": ""})
            ],
        },
    }
    wiki = FakeWiki(reply(data))
    source, client = fake_source(wiki, sleeps)
    with client:
        result = source.fetch(["Hg", "fr:Paris"])
    mercury = result.pages["Hg"]
    assert mercury.title == "Mercury" and mercury.disambiguation and mercury.wikidata_item is None
    assert result.redirects == [("Hg", "Mercury (god)"), ("Mercury (god)", "Mercury")]
    assert "interwiki" in result.invalid["fr:Paris"]


def test_template_redirects(sleeps: list[float]) -> None:
    data = {
        "batchcomplete": True,
        "query": {
            "normalized": [
                {
                    "fromencoded": False,
                    "from": "Template:Infobox_Person",
                    "to": "Template:Infobox Person",
                }
            ],
            "redirects": [
                {"from": "Template:Infobox Person", "to": "Template:Infobox person"},
                {"from": "Template:Cite", "to": "Help:Citations"},
            ],
            "pages": [
                {"pageid": 1, "ns": 10, "title": "Template:Infobox person"},
                {"pageid": 2, "ns": 12, "title": "Help:Citations"},
                {"pageid": 3, "ns": 10, "title": "Template:Infobox settlement"},
            ],
        },
    }
    wiki = FakeWiki(reply(data))
    source, client = fake_source(wiki, sleeps)
    names = ["Infobox_Person", "Template:Cite", "Infobox settlement", "Bad|name"]
    with client:
        assert source.template_redirects(names) == {"Infobox_Person": "Infobox person"}
    titles = wiki.params(0)["titles"]
    assert titles == "Template:Infobox_Person|Template:Cite|Template:Infobox settlement"
    assert wiki.params(0)["redirects"] == "1"


def test_async_retries_share_the_schedule() -> None:
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def run(*steps: Step) -> FetchResult:
        wiki = FakeWiki(*steps)
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(wiki)) as client,
            AsyncMediaWikiSource(ENDPOINT, client=client, retry=NO_JITTER, sleep=sleep) as source,
        ):
            return await source.fetch(["Berlin"])

    result = asyncio.run(
        run(reply({}, 503), httpx.ReadTimeout("slow"), reply({}, 429, **{"Retry-After": "4"}), OK)
    )
    assert sleeps == [0.5, 1.0, 4.0] and result.pages["Berlin"].revision_id == 7
    with pytest.raises(UpstreamError, match="not JSON"):
        asyncio.run(run(httpx.Response(200, text="oops")))
    sleeps.clear()
    with pytest.raises(UpstreamUnavailable):
        asyncio.run(run(reply({}, 503)))
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0]


def test_an_endpoint_must_be_an_http_url() -> None:
    with pytest.raises(ValueError, match="Action API URL"):
        MediaWikiSource("ftp://wiki.example/api.php")
