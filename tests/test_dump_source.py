"""DumpSource: page records from MediaWiki XML dumps through a persistent title index.

Expected values come from outside the code under test: counts and fields are re-read from the
decompressed dump with regular expressions, and a few ids were read off the dumps by hand.
Corrupt and schema-version cases use small synthetic dumps written to tmp_path.
"""

from __future__ import annotations

import asyncio
import bz2
import html
import itertools
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dbod.sources import dump as dump_module
from dbod.sources.dump import DumpError, DumpSource
from dbod.sources.dump_pages import DumpPages
from extractors.titles import ENGLISH_NAMESPACES, InvalidTitle

GENSIM_BIG = "wikipedia/gensim/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
GENSIM_TABLES = "wikipedia/gensim/enwiki-table-markup.xml.bz2"
MINIDUMP = "dbpedia/minidump_en_wiki.xml.bz2"
REAL_DUMPS = [GENSIM_BIG, GENSIM_TABLES, MINIDUMP]


# -- independent reading of a dump: plain regular expressions over the decompressed bytes ----------

_PAGE = re.compile(rb"<page>.*?</page>", re.DOTALL)


def _field(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text, re.DOTALL)
    return None if match is None else html.unescape(match.group(1))


def scan_pages(xml: bytes) -> list[dict[str, object]]:
    """Every <page> of a dump with its fields, found by regex (no XML parser)."""
    pages = []
    for match in _PAGE.finditer(xml):
        text = match.group().decode("utf-8")
        wikitext = re.search(r"<text[^>]*?(?:/>|>(.*?)</text>)", text, re.DOTALL)
        pages.append(
            {
                "title": _field(r"<title>(.*?)</title>", text),
                "ns": int(_field(r"<ns>(.*?)</ns>", text) or 0),
                "id": int(_field(r"</ns>\s*<id>(\d+)</id>", text) or 0),
                "rev": int(_field(r"<revision>\s*<id>(\d+)</id>", text) or 0),
                "timestamp": _field(r"<timestamp>(.*?)</timestamp>", text),
                "text": html.unescape(wikitext.group(1) or "") if wikitext else "",
                "redirect": _field(r'<redirect title="(.*?)"\s*/>', text),
                "offset": match.start(),
                "length": match.end() - match.start(),
            }
        )
    return pages


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dumps")


@pytest.fixture(scope="module")
def real(shared_data: Path, index_dir: Path) -> Iterator[dict[str, DumpSource]]:
    sources = {name: DumpSource(shared_data / name, index_dir) for name in REAL_DUMPS}
    yield sources
    for source in sources.values():
        source.close()


@pytest.fixture(scope="module")
def scanned(shared_data: Path) -> dict[str, list[dict[str, object]]]:
    return {
        name: scan_pages(bz2.decompress((shared_data / name).read_bytes())) for name in REAL_DUMPS
    }


# -- synthetic dumps -------------------------------------------------------------------------------

GERMAN = {-2: "Medium", -1: "Spezial", 0: "", 1: "Diskussion", 10: "Vorlage", 14: "Kategorie"}


def make_dump(
    pages: list[dict[str, object]],
    *,
    schema: str = "0.10",
    namespaces: dict[int, str] | None = ENGLISH_NAMESPACES,
    lang: str = "en",
) -> bytes:
    """A small export in the layout MediaWiki writes."""
    out = [
        f'<mediawiki xmlns="http://www.mediawiki.org/xml/export-{schema}/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="http://www.mediawiki.org/xml/export-{schema}/ '
        f'http://www.mediawiki.org/xml/export-{schema}.xsd" version="{schema}" xml:lang="{lang}">'
    ]
    if namespaces is not None:
        out.append("  <siteinfo>\n    <sitename>Test</sitename>\n    <namespaces>")
        for key, name in namespaces.items():
            if name:
                out.append(f'      <namespace key="{key}" case="first-letter">{name}</namespace>')
            else:
                out.append(f'      <namespace key="{key}" case="first-letter" />')
        out.append("    </namespaces>\n  </siteinfo>")
    for number, page in enumerate(pages, start=1):
        redirect = page.get("redirect")
        out += [
            "  <page>",
            f"    <title>{html.escape(str(page['title']), quote=False)}</title>",
            f"    <ns>{page.get('ns', 0)}</ns>",
            f"    <id>{page.get('id', number)}</id>",
        ]
        if redirect is not None:
            out.append(f'    <redirect title="{html.escape(str(redirect))}" />')
        out += [
            "    <revision>",
            f"      <id>{page.get('rev', 1000 + number)}</id>",
            f"      <timestamp>{page.get('timestamp', '2016-04-29T10:45:13Z')}</timestamp>",
            "      <model>wikitext</model>",
            "      <format>text/x-wiki</format>",
            '      <text xml:space="preserve">'
            + html.escape(str(page.get("text", "")), quote=False)
            + "</text>",
            "    </revision>",
            "  </page>",
        ]
    out.append("</mediawiki>\n")
    return "\n".join(out).encode("utf-8")


SYNTHETIC_PAGES: list[dict[str, object]] = [
    {"title": "Alpha", "text": "Alpha is {{Infobox|name=Ä}} first. ½ & <b>"},
    {"title": "Ferdinand Piëch", "text": "Piëch " * 50},
    {"title": "Beta", "redirect": "Alpha", "text": "#REDIRECT [[Alpha]]"},
    {"title": "Gamma", "redirect": "Beta", "text": "#REDIRECT [[Beta]]"},
    {"title": "Loop one", "redirect": "Loop two", "text": "#REDIRECT [[Loop two]]"},
    {"title": "Loop two", "redirect": "Loop one", "text": "#REDIRECT [[Loop one]]"},
    {"title": "Dangling", "redirect": "Nowhere#Section", "text": "#REDIRECT [[Nowhere#Section]]"},
    {"title": "Category:Things", "ns": 14, "text": "Things: 東京 ☃ 𝄞"},
    {"title": "日本語の記事", "text": "本文 " * 300},
]


def write_dump(path: Path, data: bytes) -> Path:
    path.write_bytes(bz2.compress(data) if path.suffix == ".bz2" else data)
    return path


# -- real dumps: counts, fields, known pages --------------------------------------------------


@pytest.mark.parametrize("name", REAL_DUMPS)
def test_counts_and_titles_match_an_independent_scan(
    real: dict[str, DumpSource], scanned: dict[str, list[dict[str, object]]], name: str
) -> None:
    source, pages = real[name], scanned[name]
    assert len(source) == len(pages) > 0
    assert list(source.titles()) == [page["title"] for page in pages]  # dump order, canonical
    redirects = [page["title"] for page in pages if page["redirect"] is not None]
    assert source.redirect_count == len(redirects)
    assert list(source.titles(redirects=False)) == [
        page["title"] for page in pages if page["redirect"] is None
    ]


def test_independent_counts_are_what_the_files_hold(
    scanned: dict[str, list[dict[str, object]]], shared_data: Path
) -> None:
    # Guards the regex scan itself: raw occurrence counts of the tags in the files.
    for name, pages in scanned.items():
        xml = bz2.decompress((shared_data / name).read_bytes())
        assert len(pages) == xml.count(b"<page>") == xml.count(b"</page>")
        assert sum(p["redirect"] is not None for p in pages) == xml.count(b"<redirect title=")
    assert {name: len(pages) for name, pages in scanned.items()} == {
        GENSIM_BIG: 206,
        GENSIM_TABLES: 5,
        MINIDUMP: 27,
    }


@pytest.mark.parametrize("name", REAL_DUMPS)
def test_every_page_matches_an_independent_parse(
    real: dict[str, DumpSource], scanned: dict[str, list[dict[str, object]]], name: str
) -> None:
    source = real[name]
    for page in scanned[name]:
        record = source.get(str(page["title"]), follow_redirects=False)
        assert record is not None, page["title"]
        assert (
            record.title,
            record.namespace,
            record.page_id,
            record.revision_id,
            record.timestamp,
            record.redirect,
        ) == (
            page["title"],
            page["ns"],
            page["id"],
            page["rev"],
            page["timestamp"],
            page["redirect"],
        )
        assert record.wikitext == page["text"]
        assert record.lang == "en"


@pytest.mark.parametrize("name", REAL_DUMPS)
def test_offsets_point_exactly_at_page_elements(
    real: dict[str, DumpSource], scanned: dict[str, list[dict[str, object]]], name: str
) -> None:
    # The index is a documented SQLite file: read it directly, next to the bytes it points into.
    source = real[name]
    data = source.data_path.read_bytes()
    conn = sqlite3.connect(source.index_path.as_uri() + "?mode=ro", uri=True)
    rows = conn.execute("SELECT title, offset, length FROM pages").fetchall()
    conn.close()
    offsets = {title: (offset, length) for title, offset, length in rows}
    assert len(offsets) == len(scanned[name])
    for page in scanned[name]:
        assert offsets[page["title"]] == (page["offset"], page["length"])
        start, length = offsets[page["title"]]
        assert (
            data[start : start + 6] == b"<page>"
            and data[start + length - 7 : start + length] == b"</page>"
        )


def test_minidump_pages_read_off_the_file(real: dict[str, DumpSource]) -> None:
    source = real[MINIDUMP]
    film = source.get("? (film)")
    assert film is not None
    assert (film.page_id, film.revision_id, film.timestamp) == (
        33653136,
        1020153604,
        "2021-04-27T13:53:16Z",
    )
    piech = source.get("Ferdinand Piëch")
    assert piech is not None and (piech.page_id, piech.revision_id) == (1438807, 1058601449)
    ren = source.get('Ren & Stimpy "Adult Party Cartoon"')
    assert ren is not None and (ren.page_id, ren.revision_id) == (1206089, 1057758004)
    assert ren.timestamp == "2021-11-29T14:03:20Z"
    category = source.get("Category:Pininfarina")
    assert category is not None
    assert (category.title, category.namespace, category.page_id) == (
        "Category:Pininfarina",
        14,
        8295900,
    )
    berlin = source.get("Berlin")
    assert berlin is not None and (berlin.page_id, berlin.revision_id) == (3354, 1058637850)
    assert "Infobox settlement" in berlin.wikitext
    assert list(source.titles(namespace=14)) == ["Category:Pininfarina"]


def test_titles_are_canonicalized_before_lookup(real: dict[str, DumpSource]) -> None:
    source = real[MINIDUMP]
    for spelling in ("ferdinand_Piëch", "  Ferdinand  Piëch ", ":Ferdinand_Piëch"):
        record = source.get(spelling)
        assert record is not None and record.title == "Ferdinand Piëch"
    for spelling in ("category:Pininfarina", "CATEGORY:pininfarina", "Category_:_Pininfarina"):
        assert source.resolve(spelling) == "Category:Pininfarina"
    assert "category:pininfarina" in source
    assert source.canonical("category:pininfarina") == "Category:Pininfarina"


def test_redirect_whose_target_is_not_in_the_dump(real: dict[str, DumpSource]) -> None:
    source = real[MINIDUMP]
    title = "The Amazing Spider-Man (2012 film)"
    page = source.get(title, follow_redirects=False)
    assert page is not None and page.redirect == "The Amazing Spider-Man (film)"
    assert page.page_id == 30871310 and page.revision_id == 1037550622
    # The target is absent: get gives the redirect page itself, resolve its title.
    assert source.get(title) == page
    assert source.resolve(title) == title
    assert source.redirects_to("The Amazing Spider-Man (film)") == [title]
    assert source.get("The Amazing Spider-Man (film)") is None
    # Character references in the redirect attribute are decoded.
    abdul = source.get("`Abdu'l-Bahá", follow_redirects=False)
    assert abdul is not None and abdul.redirect == "ʻAbdu'l-Bahá"


def test_redirects_resolve_to_their_targets(
    real: dict[str, DumpSource], scanned: dict[str, list[dict[str, object]]]
) -> None:
    source, pages = real[GENSIM_BIG], scanned[GENSIM_BIG]
    by_title = {page["title"]: page for page in pages}
    resolving = [p for p in pages if p["redirect"] is not None and p["redirect"] in by_title]
    assert len(resolving) > 10
    for page in resolving:
        target = by_title[page["redirect"]]
        assert target["redirect"] is None  # no chains in this dump
        record = source.get(str(page["title"]))
        assert record is not None
        assert (record.title, record.page_id, record.redirect) == (
            target["title"],
            target["id"],
            None,
        )
        assert source.resolve(str(page["title"])) == target["title"]
        assert page["title"] in source.redirects_to(str(target["title"]))
    abacus = source.get("AbacuS")
    assert (
        abacus is not None
        and abacus.title == "Abacus"
        and abacus.title != source.canonical("AbacuS")
    )
    expected = [p["title"] for p in pages if p["redirect"] == "Constructed language"]
    assert source.redirects_to("Constructed language") == expected
    assert len(expected) >= 2


def test_missing_titles_give_none(real: dict[str, DumpSource]) -> None:
    source = real[MINIDUMP]
    assert source.get("No such page in this dump") is None
    assert source.resolve("No such page in this dump") is None
    assert source.redirects_to("No such page in this dump") == []
    assert "No such page in this dump" not in source
    assert source.get("Talk:Berlin") is None


def test_invalid_titles_raise_invalid_title(real: dict[str, DumpSource]) -> None:
    source = real[MINIDUMP]
    with pytest.raises(InvalidTitle, match="'\\['"):
        source.get("Foo[bar]")
    with pytest.raises(InvalidTitle, match="empty"):
        source.get("  _ ")
    with pytest.raises(InvalidTitle, match="percent-escape"):
        source.resolve("Ferdinand_Pi%C3%ABch")
    with pytest.raises(InvalidTitle, match="no page"):
        source.redirects_to("Category:")
    assert "Foo[bar]" not in source


def test_dump_without_siteinfo_uses_english_namespaces(real: dict[str, DumpSource]) -> None:
    source = real[GENSIM_TABLES]
    assert source.namespaces.names == ENGLISH_NAMESPACES
    minidump = real[MINIDUMP]
    assert minidump.namespaces.name_of(2302) == "Gadget definition"  # from the dump's siteinfo
    assert minidump.schema_version == "0.10"


def test_concurrent_lookups(
    real: dict[str, DumpSource], scanned: dict[str, list[dict[str, object]]]
) -> None:
    source = real[GENSIM_BIG]
    expected = {page["title"]: page["rev"] for page in scanned[GENSIM_BIG]}

    def revision(title: str) -> int:
        record = source.get(title, follow_redirects=False)
        assert record is not None
        return record.revision_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = dict(zip(expected, pool.map(revision, list(expected) * 3), strict=False))
    assert got == expected


# -- persistence -----------------------------------------------------------------------------------


def test_index_is_persisted_and_reused(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = shared_data / GENSIM_BIG
    with DumpSource(dump, tmp_path / "dumps") as first:
        assert first.built
        index, copy = first.index_path, first.data_path
        assert index.parent == copy.parent == tmp_path / "dumps"
        assert copy.stat().st_size == len(bz2.decompress(dump.read_bytes()))
    stamps = (index.stat().st_mtime_ns, copy.stat().st_mtime_ns)

    def no_rebuild(*args: object) -> None:
        raise AssertionError("the index was rebuilt")

    monkeypatch.setattr(dump_module, "_build_index", no_rebuild)
    with DumpSource(dump, tmp_path / "dumps") as second:
        assert not second.built
        assert (index.stat().st_mtime_ns, copy.stat().st_mtime_ns) == stamps
        assert len(second) == 206
        abacus = second.get("Abacus")
        assert abacus is not None and abacus.page_id == 655
    assert sorted(p.name for p in (tmp_path / "dumps").iterdir()) == sorted([index.name, copy.name])


def test_a_lookup_reads_only_that_page(
    real: dict[str, DumpSource],
    scanned: dict[str, list[dict[str, object]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = real[GENSIM_BIG]
    reads: list[tuple[int, int]] = []
    real_pread = os.pread

    def spy(fd: int, length: int, offset: int) -> bytes:
        data = real_pread(fd, length, offset)
        reads.append((offset, len(data)))
        return data

    monkeypatch.setattr(dump_module.os, "pread", spy)
    page = next(p for p in scanned[GENSIM_BIG] if p["title"] == "Anarchism")
    record = source.get("Anarchism")
    assert record is not None and record.page_id == 12
    assert reads == [(page["offset"], page["length"])]
    assert page["length"] < source.data_path.stat().st_size / 20


def test_lookups_do_not_touch_the_rest_of_the_file(tmp_path: Path) -> None:
    # Overwrite every page but one in place (same size, same mtime): that one still reads,
    # and the overwritten ones fail with a DumpError naming the offset.
    dump = write_dump(tmp_path / "small.xml", make_dump(SYNTHETIC_PAGES))
    with DumpSource(dump, tmp_path / "index") as source:
        assert source.built
    stat = dump.stat()
    data = bytearray(dump.read_bytes())
    pages = scan_pages(bytes(data))
    keep = next(p for p in pages if p["title"] == "Ferdinand Piëch")
    for page in pages:
        if page is not keep:
            start, length = int(page["offset"]), int(page["length"])
            data[start : start + length] = b"x" * length
    dump.write_bytes(bytes(data))
    os.utime(dump, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with DumpSource(dump, tmp_path / "index") as source:
        assert not source.built
        record = source.get("Ferdinand Piëch")
        assert record is not None and record.wikitext == "Piëch " * 50
        alpha = next(p for p in pages if p["title"] == "Alpha")
        with pytest.raises(DumpError, match=f"byte offset {alpha['offset']}") as caught:
            source.get("Alpha")
        assert str(dump) in str(caught.value) and caught.value.offset == alpha["offset"]


def test_a_changed_dump_is_reindexed(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "small.xml.bz2", make_dump(SYNTHETIC_PAGES[:2]))
    index_dir = tmp_path / "index"
    with DumpSource(dump, index_dir) as source:
        assert source.built and len(source) == 2 and source.get("Beta") is None
        old = {source.index_path, source.data_path}
    write_dump(dump, make_dump(SYNTHETIC_PAGES))
    os.utime(dump, ns=(0, dump.stat().st_mtime_ns + 10**9))
    with DumpSource(dump, index_dir) as source:
        assert source.built and len(source) == len(SYNTHETIC_PAGES)
        beta = source.get("Beta", follow_redirects=False)
        assert beta is not None and beta.redirect == "Alpha"
        current = {source.index_path, source.data_path}
    assert current.isdisjoint(old)
    assert set(index_dir.iterdir()) == current  # the stale version's files are gone


def test_an_untrusted_index_file_is_rebuilt(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "small.xml", make_dump(SYNTHETIC_PAGES))
    with DumpSource(dump, tmp_path / "index") as source:
        index = source.index_path
    index.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # a half-written file
    with DumpSource(dump, tmp_path / "index") as source:
        assert source.built and len(source) == len(SYNTHETIC_PAGES)


def test_a_crash_during_the_build_leaves_nothing_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = write_dump(tmp_path / "small.xml.bz2", make_dump(SYNTHETIC_PAGES))
    index_dir = tmp_path / "index"
    calls = 0
    real_end_page = dump_module._Builder._end_page

    def crash_on_third(self: object, name: str) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        real_end_page(self, name)  # type: ignore[arg-type]

    monkeypatch.setattr(dump_module._Builder, "_end_page", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        DumpSource(dump, index_dir)
    assert list(index_dir.iterdir()) == []
    monkeypatch.undo()
    with DumpSource(dump, index_dir) as source:
        assert source.built and len(source) == len(SYNTHETIC_PAGES)


def test_orphaned_temp_files_of_dead_builds_are_removed(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "small.xml", make_dump(SYNTHETIC_PAGES))
    index_dir = tmp_path / "index"
    with DumpSource(dump, index_dir) as source:
        stem = source.index_path.name.removesuffix(".sqlite")
    dead = index_dir / f".{stem}.999999999.0123abcd.sqlite.tmp"  # no such pid
    dead.write_bytes(b"partial")
    os.utime(dump, ns=(0, dump.stat().st_mtime_ns + 10**9))
    with DumpSource(dump, index_dir) as source:
        assert source.built
    assert not dead.exists()


# -- synthetic dumps: schema versions, namespaces, redirects, chunking ------------------------


@pytest.mark.parametrize("suffix", [".xml", ".xml.bz2"])
def test_redirect_chains_loops_and_dangling_targets(tmp_path: Path, suffix: str) -> None:
    dump = write_dump(tmp_path / f"small{suffix}", make_dump(SYNTHETIC_PAGES))
    with DumpSource(dump, tmp_path / "index") as source:
        gamma = source.get("Gamma")  # Gamma -> Beta -> Alpha
        assert gamma is not None and gamma.title == "Alpha" and gamma.page_id == 1
        assert source.resolve("gamma") == "Alpha"
        assert source.redirects_to("Alpha") == ["Beta"]
        assert source.redirects_to("Beta") == ["Gamma"]
        loop = source.get("Loop one")  # a loop: nothing is followed
        assert loop is not None and loop.title == "Loop one" and loop.redirect == "Loop two"
        assert source.resolve("Loop two") == "Loop two"
        dangling = source.get("Dangling")  # the section is dropped from the target
        assert dangling is not None and dangling.redirect == "Nowhere"
        assert source.resolve("Dangling") == "Dangling"
        assert source.redirects_to("Nowhere") == ["Dangling"]
        assert source.redirect_count == 5
    with DumpSource(dump, tmp_path / "index", max_redirects=1) as source:
        assert not source.built
        too_long = source.get("Gamma")  # two hops needed, one allowed
        assert too_long is not None and too_long.title == "Gamma"
        beta = source.get("Beta")
        assert beta is not None and beta.title == "Alpha"


@pytest.mark.parametrize("schema", ["0.8", "0.11"])
def test_export_schema_versions_and_siteinfo_namespaces(tmp_path: Path, schema: str) -> None:
    german = schema == "0.11"
    category = "Kategorie" if german else "Category"
    pages = [
        {"title": "Berlin", "text": "{{Infobox Ort}}", "timestamp": "2021-12-04T20:22:12Z"},
        {"title": f"{category}:Ort in Berlin", "ns": 14, "text": "Orte"},
        {"title": "Hauptstadt", "redirect": "Berlin", "text": "#WEITERLEITUNG [[Berlin]]"},
    ]
    data = make_dump(
        pages,
        schema=schema,
        namespaces=GERMAN if german else ENGLISH_NAMESPACES,
        lang="de" if german else "en",
    )
    dump = write_dump(tmp_path / f"export-{schema}.xml.bz2", data)
    with DumpSource(dump, tmp_path / "index") as source:
        assert source.schema_version == schema
        assert source.lang == ("de" if german else "en")
        assert list(source.titles(namespace=14)) == [f"{category}:Ort in Berlin"]
        for spelling in (f"{category.lower()}:ort_in_Berlin", "Category:Ort in Berlin"):
            record = source.get(spelling)
            assert record is not None
            assert (record.title, record.namespace, record.page_id) == (
                f"{category}:Ort in Berlin",
                14,
                2,
            )
        berlin = source.get("hauptstadt")
        assert berlin is not None
        assert (berlin.title, berlin.timestamp, berlin.wikitext) == (
            "Berlin",
            "2021-12-04T20:22:12Z",
            "{{Infobox Ort}}",
        )
        assert berlin.lang == source.lang
        if german:
            assert source.namespaces.name_of(14) == "Kategorie"
            assert (
                source.get("Vorlage:Ort") is None
                and source.canonical("template:ort") == "Vorlage:Ort"
            )


@pytest.mark.parametrize("suffix", [".xml", ".xml.bz2"])
def test_offsets_survive_tiny_chunks_through_multibyte_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setattr(dump_module, "READ_CHUNK", 7)
    monkeypatch.setattr(dump_module, "DECOMPRESS_CHUNK", 5)
    data = make_dump(SYNTHETIC_PAGES)
    dump = write_dump(tmp_path / f"small{suffix}", data)
    expected = scan_pages(data)
    with DumpSource(dump, tmp_path / "index") as source:
        assert source.data_path.read_bytes() == data
        for page in expected:
            record = source.get(str(page["title"]), follow_redirects=False)
            assert record is not None
            assert (record.title, record.page_id, record.wikitext) == (
                page["title"],
                page["id"],
                page["text"],
            )


def test_multistream_bz2_is_read_like_a_single_stream(tmp_path: Path) -> None:
    data = make_dump(SYNTHETIC_PAGES)
    cut = [0, data.index(b"  <page>"), *[m.end() for m in _PAGE.finditer(data)], len(data)]
    streams = b"".join(bz2.compress(data[a:b]) for a, b in itertools.pairwise(cut))
    dump = tmp_path / "multi.xml.bz2"
    dump.write_bytes(streams)
    with DumpSource(dump, tmp_path / "index") as source:
        assert len(source) == len(SYNTHETIC_PAGES)
        record = source.get("日本語の記事")
        assert record is not None and record.wikitext == "本文 " * 300


def test_a_closed_source_refuses_lookups(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "small.xml", make_dump(SYNTHETIC_PAGES))
    with DumpSource(dump, tmp_path / "index") as source:
        pass
    source.close()  # idempotent
    with pytest.raises(ValueError, match="closed"):
        source.get("Alpha")


# -- corrupt dumps ---------------------------------------------------------------------------------


def corrupt_cases() -> Iterator[tuple[str, str, object]]:
    yield "truncated.xml", "file", lambda data: data[: len(data) * 2 // 3]
    yield "truncated-at-page-end.xml", "file", lambda data: data[: data.rindex(b"</page>") + 7]
    yield "garbage.xml", "file", lambda data: os.urandom(4096)
    yield "not-mediawiki.xml", "file", lambda data: b"<html><body>hello</body></html>"


@pytest.mark.parametrize(
    ("name", "kind", "damage"), list(corrupt_cases()), ids=[c[0] for c in corrupt_cases()]
)
def test_corrupt_xml_raises_dump_error_with_offset(
    tmp_path: Path, name: str, kind: str, damage
) -> None:
    dump = tmp_path / name
    dump.write_bytes(damage(make_dump(SYNTHETIC_PAGES)))
    size = dump.stat().st_size
    with pytest.raises(DumpError) as caught:
        DumpSource(dump, tmp_path / "index")
    error = caught.value
    assert str(dump) in str(error) and "byte offset" in str(error)
    assert error.path == dump and error.offset_kind == kind
    assert error.offset is not None and 0 <= error.offset <= size
    assert list((tmp_path / "index").iterdir()) == []


def test_truncated_xml_names_where_it_ends(tmp_path: Path) -> None:
    data = make_dump(SYNTHETIC_PAGES)
    dump = tmp_path / "cut.xml"
    dump.write_bytes(data[: data.index("日本語".encode()) + 4])  # inside a multi-byte character
    with pytest.raises(DumpError, match=r"malformed or truncated XML") as caught:
        DumpSource(dump, tmp_path / "index")
    assert caught.value.offset is not None
    assert data.rindex(b"<page>", 0, len(data)) <= caught.value.offset <= dump.stat().st_size


def big_synthetic() -> bytes:
    rng = __import__("random").Random(7)
    words = ["alpha", "beta", "Piëch", "東京", "gamma", "delta", "☃", "x" * 7]
    pages = [
        {"title": f"Page {n}", "text": " ".join(rng.choice(words) for _ in range(4000))}
        for n in range(60)
    ]
    return make_dump(pages)


def test_truncated_bz2_names_the_compressed_offset(tmp_path: Path) -> None:
    compressed = bz2.compress(big_synthetic())
    dump = tmp_path / "cut.xml.bz2"
    dump.write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(DumpError, match="truncated") as caught:
        DumpSource(dump, tmp_path / "index")
    error = caught.value
    assert error.offset_kind == "compressed" and error.offset == len(compressed) // 2
    assert str(dump) in str(error) and f"compressed byte offset {len(compressed) // 2}" in str(
        error
    )
    assert list((tmp_path / "index").iterdir()) == []


def test_garbage_bz2_names_the_compressed_offset(tmp_path: Path) -> None:
    dump = tmp_path / "garbage.xml.bz2"
    dump.write_bytes(os.urandom(5000))
    with pytest.raises(DumpError, match="corrupt bzip2 data") as caught:
        DumpSource(dump, tmp_path / "index")
    assert caught.value.offset_kind == "compressed" and caught.value.offset == 0
    assert str(dump) in str(caught.value) and "compressed byte offset 0" in str(caught.value)


def test_damaged_bz2_block_names_the_compressed_range(tmp_path: Path) -> None:
    compressed = bytearray(bz2.compress(big_synthetic()))
    middle = len(compressed) // 2
    compressed[middle : middle + 8] = bytes(b ^ 0xFF for b in compressed[middle : middle + 8])
    dump = tmp_path / "damaged.xml.bz2"
    dump.write_bytes(bytes(compressed))
    with pytest.raises(DumpError) as caught:
        DumpSource(dump, tmp_path / "index")
    error = caught.value
    assert str(dump) in str(error) and f"compressed byte offset {error.offset}" in str(error)
    # bzip2 notices the damage at the end of the block: not before the damaged bytes.
    assert error.offset_kind == "compressed" and error.offset is not None
    assert (
        middle
        < error.offset + dump_module.BZ2_READ_CHUNK
        <= len(compressed) + dump_module.BZ2_READ_CHUNK
    )
    assert list((tmp_path / "index").iterdir()) == []


def test_bz2_holding_malformed_xml_names_the_decompressed_offset(tmp_path: Path) -> None:
    data = make_dump(SYNTHETIC_PAGES)
    bad_at = data.index(b"<title>Beta")
    broken = data[:bad_at] + b"<title<<" + data[bad_at + 8 :]
    dump = write_dump(tmp_path / "bad.xml.bz2", broken)
    with pytest.raises(DumpError, match="decompressed byte offset") as caught:
        DumpSource(dump, tmp_path / "index")
    assert caught.value.offset_kind == "decompressed"
    assert bad_at <= (caught.value.offset or 0) <= bad_at + 8
    assert "compressed file had been read" in str(caught.value)


def test_no_thread_is_left_holding_the_lock(real: dict[str, DumpSource]) -> None:
    # titles() is a generator: abandoning it half-way must not block other lookups.
    source = real[GENSIM_BIG]
    iterator = source.titles()
    next(iterator)
    done = threading.Event()

    def lookup() -> None:
        source.get("Anarchism")
        done.set()

    thread = threading.Thread(target=lookup)
    thread.start()
    thread.join(timeout=10)
    assert done.is_set()
    iterator.close()


def test_byte_indexes_beyond_32_bits_are_recovered() -> None:
    # expat's byte index is a C long; where that is 32 bits it wraps. The builder knows how many
    # bytes it fed, and the event lies less than 2**31 bytes behind that, which pins it down.
    fed = 5 * 2**32 + 1000
    for true_offset in (fed - 10, fed - 2**30, 5 * 2**32 - 3):
        wrapped_signed = (true_offset + 2**31) % 2**32 - 2**31
        for reported in (true_offset, true_offset % 2**32, wrapped_signed):
            builder = type("FakeBuilder", (), {"fed": fed})()
            assert dump_module._Builder._absolute(builder, reported) == true_offset  # type: ignore[arg-type]


def test_template_redirects_use_the_dumps_template_namespace(tmp_path: Path) -> None:
    pages = [
        {"title": "Vorlage:Infobox Ort", "ns": 10, "text": "{{{name}}}"},
        {
            "title": "Vorlage:Infobox Stadt",
            "ns": 10,
            "redirect": "Vorlage:Infobox Ort",
            "text": "#WEITERLEITUNG [[Vorlage:Infobox Ort]]",
        },
        {"title": "Infobox Dorf", "redirect": "Berlin", "text": "#WEITERLEITUNG [[Berlin]]"},
        {"title": "Berlin", "text": "{{Infobox Stadt}}"},
    ]
    dump = write_dump(tmp_path / "de.xml", make_dump(pages, namespaces=GERMAN, lang="de"))
    with DumpSource(dump, tmp_path / "index") as source:
        found = asyncio.run(
            DumpPages(source).template_redirects(
                ["Infobox Stadt", "Vorlage:Infobox Stadt", "Infobox Ort"]
            )
        )
    assert found == {"Infobox Stadt": "Infobox Ort", "Vorlage:Infobox Stadt": "Infobox Ort"}
