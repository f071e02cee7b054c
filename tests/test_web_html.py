"""The HTML resource pages (dbod/web/html.py).

Plain tests check the escaping with hypothesis: whatever the values, the HTML holds only our
own tags and attributes, no event handler and no link or image that is not http(s) or ours.
Browser tests open the pages of a real ``dbod serve`` in a real headless Chromium: a page whose
wikitext is hostile renders inert; Berlin (MediaWiki testbed) renders with its thumbnail and
property table, and a link in the table leads to another resource's page; a stale description
shows its notice; an ontology term renders too.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import rdflib
from conftest import PROJECT_ROOT, start_server, stop_server, unavailable
from hypothesis import given, settings
from hypothesis import strategies as st

from dbod.formats import FORMATS
from dbod.web.html import CONTENT_SECURITY_POLICY, render_message, render_page, render_term
from extractors.rdf import DBO, DBR, FOAF, IRI, PROV, RDFS, Literal, Term, Triple

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

# -- plain tests of the escaping -------------------------------------------------------------

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "link", "body", "header", "main", "footer",
    "section", "h1", "h2", "p", "code", "strong", "small", "a", "img", "table", "thead",
    "tbody", "tr", "th", "td", "ul", "li",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "lang", "charset", "http-equiv", "name", "content", "rel", "type", "href", "src", "alt",
    "class", "role", "scope", "referrerpolicy",
}  # fmt: skip
OUR_PATHS = ("/page/", "/ontology/", "/data/")


class Collector(HTMLParser):
    """Every start tag with its attributes, and the text, as a browser-like parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_safe(document: str) -> Collector:
    """Parse ``document`` and assert it holds only allowed tags, attributes and URLs."""
    parsed = Collector()
    parsed.feed(document)
    parsed.close()
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES, (tag, name)
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert value is not None
                assert value.startswith(("http://", "https://", *OUR_PATHS)), (tag, name, value)
            if name == "http-equiv":
                assert dict(attrs)["content"] == CONTENT_SECURITY_POLICY
    return parsed


texts = st.text(max_size=40)
iris = st.one_of(
    texts,
    st.builds(lambda s: DBR + s, texts),
    st.builds(lambda s: DBO + s, texts),
    st.builds(lambda p, s: p + s, st.sampled_from(["http://", "https://", "javascript:"]), texts),
    st.sampled_from(["javascript:alert(1)", " javascript:x", "data:text/html,<b>", "//evil.org"]),
)
literals = st.builds(
    Literal,
    texts,
    st.one_of(st.none(), iris),
    st.one_of(st.none(), texts),
)
terms = st.one_of(literals, st.builds(IRI, iris))


@given(terms)
def test_any_term_renders_safely(term: Term) -> None:
    parsed = check_safe(render_term(term))
    if isinstance(term, Literal):
        assert term.lexical in "".join(parsed.text)


@given(
    subject=iris,
    name=texts,
    label=texts,
    abstract=texts,
    thumbnail=iris,
    values=st.lists(st.tuples(iris, terms), max_size=6),
    incoming=st.lists(st.tuples(iris, iris), max_size=3),
    timestamp=texts,
    extracted=texts,
    stale=st.booleans(),
    wikipedia=st.booleans(),
)
@settings(max_examples=300)
def test_any_page_renders_safely(
    subject: str,
    name: str,
    label: str,
    abstract: str,
    thumbnail: str,
    values: list[tuple[str, Term]],
    incoming: list[tuple[str, str]],
    timestamp: str,
    extracted: str,
    stale: bool,
    wikipedia: bool,
) -> None:
    triples = [
        Triple(subject, RDFS + "label", Literal(label, lang="en"), "test"),
        Triple(subject, DBO + "abstract", Literal(abstract, lang="en"), "test"),
        Triple(subject, DBO + "thumbnail", IRI(thumbnail), "test"),
        Triple(subject, FOAF + "isPrimaryTopicOf", IRI(thumbnail), "test"),
        Triple(subject, PROV + "wasDerivedFrom", IRI(thumbnail), "test"),
        *(Triple(subject, p, o, "test") for p, o in values),
        *(Triple(s, p, IRI(subject), "test") for s, p in incoming),
    ]
    metadata: dict[str, Any] = (
        {"revision": 7, "timestamp": timestamp, "extracted": extracted} if wikipedia else {}
    )
    document = render_page(subject=subject, name=name, triples=triples, stale=stale, **metadata)
    text = "".join(check_safe(document).text)
    assert label in text
    assert abstract in text


@given(st.integers(100, 599), texts)
def test_any_message_renders_safely(status: int, message: str) -> None:
    assert message in "".join(check_safe(render_message(status, message)).text)


class StyleAndPolicy(HTMLParser):
    """The text of each <style> element and the policy of each CSP <meta>, as a browser reads
    them (the text of <style> is raw: no character references)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.styles: list[str] = []
        self.policies: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "style":
            self._in_style = True
            self.styles.append("")
        elif tag == "meta" and (attributes.get("http-equiv") or "").lower() == (
            "content-security-policy"
        ):
            self.policies.append(attributes.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles[-1] += data


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as directive name -> its sources."""
    out = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        out[name.lower()] = sources
    return out


def assert_admits_only_its_style(document: str, header: str | None = None) -> None:
    """The page's policies (its CSP <meta>, and the header when given) let exactly the page's
    one <style> element apply, by its digest, and run no script."""
    parsed = StyleAndPolicy()
    parsed.feed(document)
    parsed.close()
    assert len(parsed.styles) == 1 and parsed.styles[0].strip()
    digest = base64.b64encode(hashlib.sha256(parsed.styles[0].encode()).digest()).decode()
    assert len(parsed.policies) == 1
    for policy in [*parsed.policies, *([header] if header is not None else [])]:
        parts = directives(policy)
        assert parts["style-src"] == [f"'sha256-{digest}'"]
        assert parts["default-src"] == ["'none'"]
        assert "script-src" not in parts  # falls back to default-src 'none'


def test_the_policy_admits_exactly_the_style_sheet_of_each_page() -> None:
    subject = DBR + "Berlin"
    triples = [Triple(subject, RDFS + "label", Literal("Berlin", lang="en"), "test")]
    assert_admits_only_its_style(render_page(subject=subject, name="Berlin", triples=triples))
    assert_admits_only_its_style(render_message(404, "no such page"))


def test_wikipedia_metadata_stale_notice_and_ontology_pages() -> None:
    subject = DBR + "Berlin"
    triples = [Triple(subject, RDFS + "label", Literal("Berlin", lang="en"), "test")]
    when = {"timestamp": "2024-01-02T03:04:05Z", "extracted": "2024-05-06 07:08:09 UTC"}
    fresh = render_page(subject=subject, name="Berlin", triples=triples, revision=219, **when)
    assert "revision 219" in fresh and "2024-05-06 07:08:09 UTC" in fresh
    assert "class=stale" not in fresh
    stale = render_page(
        subject=subject, name="Berlin", triples=triples, revision=219, stale=True, **when
    )
    assert "class=stale role=alert" in stale and "out of date" in stale
    term = render_page(subject=DBO + "City", name="City", triples=triples, data_path="/ontology/")
    assert "revision" not in term and "Wikipedia article" not in term
    assert 'href="/ontology/City.ttl"' in term


# -- the browser ---------------------------------------------------------------------------

#: stands in for every image from outside loopback (the tests never leave the machine)
PLACEHOLDER_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">'
    b'<rect width="300" height="200" fill="#9ab"/></svg>'
)

#: JavaScript: every on* attribute in the document, as "TAG name"
EVENT_HANDLERS_JS = """() => [...document.querySelectorAll('*')].flatMap(e =>
    [...e.attributes].filter(a => a.name.toLowerCase().startsWith('on'))
        .map(a => e.tagName + ' ' + a.name))"""

#: JavaScript: every URL-valued attribute in the document, as [TAG, name, value]
URL_ATTRIBUTES_JS = """() => {
    const names = ['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data',
                   'background', 'xlink:href', 'ping'];
    return [...document.querySelectorAll('*')].flatMap(e =>
        names.filter(n => e.hasAttribute(n)).map(n => [e.tagName, n, e.getAttribute(n)]));
}"""


@dataclass
class Browsing:
    """A Chromium page and what it reported: console errors, uncaught errors, dialogs, and
    the requests to places other than our server (answered here, never sent)."""

    page: Page
    base: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.dialogs == []

    def assert_inert(self) -> None:
        """No script ran, and nothing in the DOM could run one."""
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        assert self.dialogs == []
        assert self.page.evaluate(EVENT_HANDLERS_JS) == []
        risky = "script, iframe, frame, object, embed, svg, math, form, base, noscript, template"
        assert self.page.locator(risky).count() == 0
        for tag, name, value in self.page.evaluate(URL_ATTRIBUTES_JS):
            assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), (tag, name)
            resolved = self.page.evaluate("v => new URL(v, document.baseURI).protocol", value)
            assert resolved in ("http:", "https:"), (tag, name, value)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A real headless Chromium (Debian's), driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install playwright)")
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def browse(browser: Browser, base: str) -> Iterator[Browsing]:
    """A fresh browser context on ``base`` that records what the page reports."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = Browsing(page, base)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.console_errors.append(message.text)

    def dialog(d: Dialog) -> None:
        seen.dialogs.append(d.message)
        d.dismiss()

    def outside(route: Route) -> None:
        seen.outside.append(route.request.url)
        if route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/svg+xml", body=PLACEHOLDER_SVG)
        else:
            route.abort()

    page.on("console", console)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("dialog", dialog)
    context.route(lambda url: not url.startswith(base + "/"), outside)
    try:
        yield seen
    finally:
        context.close()


@pytest.fixture
def live_browsing(browser: Browser, live_server: str) -> Iterator[Browsing]:
    with browse(browser, live_server) as seen:
        yield seen


# -- a hostile page from an XML export -------------------------------------------------------

HOSTILE_TITLE = "Hostile \"page\" & 'co'"
HOSTILE_WIKITEXT = """{{Infobox person
| name = <script>window.__pwned=1</script>Evil "><svg onload="window.__pwned=2">
| image = x.jpg" onerror="window.__pwned=3
| birth_place = [[<img src=x onerror=alert(1)>]]
| death_place = [[javascript:alert(1)|"><svg onload=window.__pwned=4>]]
| website = javascript:alert(1)
| occupation = <b onmouseover="window.__pwned=5">bold</b> [[Berlin|<i onclick=alert(1)>B</i>]]
| spouse = [[Evil "><svg onload=alert(1)> person]]
}}
'''<b onmouseover="window.__pwned=6">Hostile page</b>''' is a <script>window.__pwned=7</script>
test of '"><svg onload=window.__pwned=8>' escaping, with [javascript:alert(1) x] and
[[javascript:alert(1)]] links, <img src=x onerror="window.__pwned=9"> and
[[X" onmouseover="window.__pwned=10" y]] and [http://example.org/"onmouseover="alert(1) ex]
and &lt;script&gt;window.__pwned=11&lt;/script&gt; and [data:text/html,<b>d</b> d] and
[vbscript:msgbox(1) v] and <a href="javascript:alert(1)">a</a>.
"""


def write_export(path: Path, title: str, wikitext: str) -> None:
    """A MediaWiki XML export (schema 0.11) of one page."""
    path.write_text(
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ '
        'http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="en">\n'
        "  <page>\n"
        f"    <title>{html.escape(title, quote=False)}</title>\n"
        "    <ns>0</ns>\n    <id>1</id>\n"
        "    <revision>\n      <id>42</id>\n      <timestamp>2024-01-02T03:04:05Z</timestamp>\n"
        "      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
        f'      <text xml:space="preserve">{html.escape(wikitext, quote=False)}</text>\n'
        "    </revision>\n  </page>\n</mediawiki>\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def dump_server(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``dbod serve`` with a one-page XML export (the hostile page) as its source."""
    directory = tmp_path_factory.mktemp("hostile")
    export = directory / "hostile.xml"
    write_export(export, HOSTILE_TITLE, HOSTILE_WIKITEXT)
    process, base = start_server(f"dump:{export}", shared_data / "dbpedia", directory / "cache")
    yield base
    stop_server(process)


@pytest.fixture
def dump_browsing(browser: Browser, dump_server: str) -> Iterator[Browsing]:
    with browse(browser, dump_server) as seen:
        yield seen


def test_a_hostile_page_renders_inert(dump_browsing: Browsing) -> None:
    page, base = dump_browsing.page, dump_browsing.base
    response = page.goto(f"{base}/resource/Hostile_%22page%22_%26_'co'")
    assert response is not None and response.status == 200
    assert page.url == f"{base}/page/Hostile_%22page%22_&_'co'"
    dump_browsing.assert_inert()
    dump_browsing.assert_quiet()
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.title().startswith(HOSTILE_TITLE)
    text = page.locator("main").inner_text()
    assert "<script>window.__pwned=11</script>" in text  # &lt;script&gt; decoded, shown as text
    assert '"><svg onload=' in text
    assert page.locator(".abstract").is_visible()
    assert page.locator("img").count() == 1  # the thumbnail, never an <img> from the wikitext
    thumbnail = page.locator("img.thumb")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
    assert dump_browsing.outside == [thumbnail.get_attribute("src")]  # nothing else left
    link = page.locator('table.properties a[href="/page/Javascript:alert(1)"]')
    assert link.count() >= 1  # [[javascript:alert(1)]] is a title, linked as one of ours
    for fmt in FORMATS.values():
        href = f"/data/Hostile_%22page%22_&_'co'.{fmt.extensions[0]}"
        assert page.locator(f'.formats a[href="{href}"]').count() == 1


def test_an_ontology_term_renders_in_chromium(dump_browsing: Browsing) -> None:
    page, base = dump_browsing.page, dump_browsing.base
    response = page.goto(f"{base}/ontology/City")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert page.locator("h1").inner_text() == "city"
    assert "revision" not in page.locator("main").inner_text()
    assert page.locator("table.properties th", has_text="rdfs:subClassOf").count() == 1
    turtle_link = page.locator(".formats a", has_text="Turtle").get_attribute("href")
    assert turtle_link == "/ontology/City.ttl"
    turtle = page.request.get(base + turtle_link)
    assert turtle.status == 200
    graph = rdflib.Graph().parse(data=turtle.text(), format="turtle")
    assert (rdflib.URIRef(DBO + "City"), rdflib.RDF.type, rdflib.OWL.Class) in graph
    with page.expect_navigation():
        page.locator('table.properties a[href="/ontology/Settlement"]').click()
    assert page.url == f"{base}/ontology/Settlement"
    assert page.locator("h1").inner_text() == "settlement"
    dump_browsing.assert_inert()
    dump_browsing.assert_quiet()


@pytest.mark.parametrize(
    "path",
    ["/page/Hostile_%22page%22_%26_'co'", "/ontology/City", "/sparql", "/page/No_such_page"],
)
def test_every_html_answer_admits_exactly_its_style_sheet(dump_server: str, path: str) -> None:
    response = httpx.get(dump_server + path, headers={"Accept": "text/html"}, timeout=60)
    assert response.status_code == (404 if "No_such" in path else 200)
    assert response.headers["content-type"].startswith("text/html")
    header = response.headers["content-security-policy"]
    assert directives(header)["frame-ancestors"] == ["'none'"]
    assert_admits_only_its_style(response.text, header)


# -- Berlin from the MediaWiki testbed --------------------------------------------------------


@pytest.mark.mediawiki
def test_berlin_renders_and_links_to_another_resource(live_browsing: Browsing) -> None:
    page, base = live_browsing.page, live_browsing.base
    response = page.goto(f"{base}/page/Berlin")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Berlin"
    assert "capital" in page.locator(".abstract").inner_text()
    thumbnail = page.locator("img.thumb")
    assert thumbnail.get_attribute("src").startswith("http://commons.wikimedia.org/")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
    assert live_browsing.outside == [thumbnail.get_attribute("src")]
    population = page.locator(
        "table.properties tr", has=page.locator("th", has_text="dbo:populationTotal")
    )
    assert re.search(r"^\d+ \(xsd:nonNegativeInteger\)$", population.locator("li").inner_text())
    assert re.search(r"From revision \d+ \(edited .+\) of the Wikipedia article, extracted .+ UTC",
                     page.locator(".meta").inner_text())  # fmt: skip
    for fmt in FORMATS.values():
        assert page.locator(f'.formats a[href="/data/Berlin.{fmt.extensions[0]}"]').count() == 1
    assert page.locator("table.incoming a[href='/page/Albert_Einstein']").count() >= 1
    assert page.locator(".stale").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=ARTIFACTS / "page-Berlin.png",
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1280, "height": 2000},
    )
    live_browsing.assert_inert()
    live_browsing.assert_quiet()

    with page.expect_navigation() as navigation:
        page.locator("table.properties a[href='/page/Albert_Einstein']").first.click()
    assert navigation.value.status == 200
    assert page.url == f"{base}/page/Albert_Einstein"
    assert page.locator("h1").inner_text() == "Albert Einstein"
    live_browsing.assert_quiet()


@pytest.mark.mediawiki
def test_a_stale_description_shows_the_notice(
    browser: Browser,
    counting_proxy: tuple[Any, str],
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy, api = counting_proxy
    monkeypatch.setenv("DBOD_TTL", "0")  # every request checks the revision upstream
    process, base = start_server(api, shared_data / "dbpedia", tmp_path / "cache")
    try:
        with browse(browser, base) as seen:
            seen.page.goto(f"{base}/page/Berlin")
            assert seen.page.locator(".stale").count() == 0
            proxy.upstream += "/gone"  # the wiki now answers 404: Wikipedia is unusable
            response = seen.page.goto(f"{base}/page/Berlin")
            assert response is not None and response.status == 200
            notice = seen.page.locator(".stale[role=alert]")
            assert notice.is_visible()
            assert "out of date" in notice.inner_text()
            assert "Berlin" in seen.page.locator("h1").inner_text()
            seen.assert_inert()
            seen.assert_quiet()
    finally:
        stop_server(process)
