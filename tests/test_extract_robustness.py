"""Hostile and arbitrary wikitext: whole-page extraction never raises and stays near-linear."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbod.compiled import Compiled
from extractors.extract import extract_page
from extractors.page import PageRecord
from extractors.rdf import ntriples_line

#: Budget: a fixed allowance plus a per-character rate, far above the measured cost.
BASE_SECONDS = 1.0
SECONDS_PER_CHAR = 20e-6

FRAGMENTS = [
    "{{", "}}", "[[", "]]", "{|", "|}", "|", "=", "[http://x.org ", "]", "<ref>", "</ref>",
    "<script>alert(1)</script>", '<a onclick="x">', "<!--", "-->", "{{Infobox settlement|",
    "area_total_km2 = 891.7", "{{convert|5|km}}", "{{coord|52|31|N|13|24|E}}", "'''", "''",
    "\x00", "\x07", "\u202e", "&nbsp;", "&#x0;", "== H ==", "\n", "<br>", "[[Category:X]]",
    "[[File:x.jpg|thumb|[[y]]]]", "{{#if:a|b}}", "<nowiki>", "{{{1}}}", "%", "#", "<", ">",
]  # fmt: skip


def _page(text: str) -> PageRecord:
    return PageRecord("Hostile page", 0, 1, 1, "2020-01-01T00:00:00Z", text)


def _extract_within_budget(compiled: Compiled, text: str) -> None:
    start = time.perf_counter()
    triples = extract_page(_page(text), compiled.ontology, compiled.mappings)
    "".join(ntriples_line(t) for t in triples)
    elapsed = time.perf_counter() - start
    assert elapsed < BASE_SECONDS + SECONDS_PER_CHAR * len(text), (len(text), elapsed)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=60))
def test_arbitrary_markup_never_raises(compiled: Compiled, pieces: list[str]) -> None:
    _extract_within_budget(compiled, "".join(pieces))


def test_templates_nested_thousands_deep(compiled: Compiled) -> None:
    _extract_within_budget(compiled, "{{a|" * 3000 + "x" + "}}" * 3000)
    _extract_within_budget(compiled, "{{a|" * 3000)  # never closed


def test_unbalanced_brackets_and_tags(compiled: Compiled) -> None:
    for unit in ("[[a", "{{b", "a<b ", "<div>", "[http://x.org ", "{|\n", "''"):
        _extract_within_budget(compiled, unit * 20000)


def test_megabyte_parameter(compiled: Compiled) -> None:
    text = "{{Infobox settlement|name=" + "Berlin " * 150_000 + "|area_total_km2=891.7}}"
    _extract_within_budget(compiled, text)
