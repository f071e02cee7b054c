"""Titles and resource IRIs: extraction-rules.md §1.4's examples and properties of all titles."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from extractors.titles import (
    RESOURCE_BASE,
    InvalidTitle,
    canonical_title,
    parse_link_target,
    parse_title,
    resource_iri,
    title_from_iri,
    wiki_encode,
)


@pytest.mark.parametrize(
    ("title", "local_name"),
    [
        ("? (film)", "%3F_(film)"),
        ("Ferdinand Piëch", "Ferdinand_Piëch"),
        ('Ren & Stimpy "Adult Party Cartoon"', "Ren_&_Stimpy_%22Adult_Party_Cartoon%22"),
        ("Montgomery, Alabama", "Montgomery,_Alabama"),
        ("Category:Pininfarina", "Category:Pininfarina"),
        ("Abdu'l-Bahá", "Abdu'l-Bahá"),
        ("Ranma ½", "Ranma_½"),
        ("N.EX.T", "N.EX.T"),
        ("AT&T", "AT&T"),
        ("C++", "C++"),
        ("Yahoo!", "Yahoo!"),
        ("100% (song)", "100%25_(song)"),
        ("Sex*Star=@$;", "Sex*Star=@$;"),
        ("A^B`C\\D", "A%5EB%60C%5CD"),
    ],
)
def test_resource_iri_examples(title: str, local_name: str) -> None:
    assert resource_iri(title) == RESOURCE_BASE + local_name
    assert title_from_iri(RESOURCE_BASE + local_name) == title


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("berlin", "Berlin"),
        ("  Berlin__Wall_ ", "Berlin Wall"),
        ("Berlin\u00a0Wall", "Berlin Wall"),
        ("category:pininfarina", "Category:Pininfarina"),
        ("Category : pininfarina", "Category:Pininfarina"),
        ("image:Foo.jpg", "File:Foo.jpg"),
        ("template_talk:infobox_settlement", "Template talk:Infobox settlement"),
        (":Category:Foo", "Category:Foo"),
        ("Notanamespace:foo", "Notanamespace:foo"),
        ("ärger", "Ärger"),
    ],
)
def test_canonical_title(raw: str, canonical: str) -> None:
    assert canonical_title(raw) == canonical


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("___", "empty"),
        ("A#B", "'#'"),
        ("A<B", "'<'"),
        ("A>B", "'>'"),
        ("A[B", "'['"),
        ("A]B", "']'"),
        ("A{B", "'{'"),
        ("A}B", "'}'"),
        ("A|B", "'|'"),
        ("A\x07B", "'\\x07'"),
        ("Category:", "no page"),
        ("A%41B", "percent-escape"),
        ("x" * 256, "longer than 255 bytes"),
    ],
)
def test_invalid_titles_say_why(raw: str, reason: str) -> None:
    with pytest.raises(InvalidTitle, match=reason.replace("\\", "\\\\").replace("[", r"\[")):
        canonical_title(raw)


def test_link_targets_decode_entities_and_percent_escapes() -> None:
    assert parse_link_target("Ren &amp; Stimpy").text == "Ren & Stimpy"
    assert parse_link_target("Ferdinand_Pi%C3%ABch").text == "Ferdinand Piëch"
    assert parse_link_target("berlin#History").text == "Berlin"
    assert parse_link_target("berlin#History").fragment == "History"
    assert parse_link_target("Berlin#History").encoded == "Berlin%23History"
    section_only = parse_link_target("#Early life")
    assert section_only.name == "" and section_only.fragment == "Early life"


def test_namespace_is_kept_in_the_resource() -> None:
    title = parse_title("category:Pininfarina")
    assert (title.namespace, title.name) == (14, "Pininfarina")
    assert resource_iri(title) == RESOURCE_BASE + "Category:Pininfarina"


def test_iri_of_another_base_is_rejected() -> None:
    with pytest.raises(InvalidTitle, match="not a resource IRI"):
        title_from_iri("http://example.org/x/Berlin")


def test_non_utf8_percent_escape_is_rejected() -> None:
    with pytest.raises(InvalidTitle, match="not UTF-8"):
        title_from_iri(RESOURCE_BASE + "Caf%E9")


# Characters DBpedia's IRI rules forbid in an IRI it writes (DBpedia's ci-tests and WikiUtil).
_FORBIDDEN = (
    set(' "<>[\\]^`{|}#?') | {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0xA0)}
)

titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # no lone surrogates
    min_size=1,
    max_size=60,
)


def _canonical_or_none(text: str) -> str | None:
    try:
        return canonical_title(text)
    except InvalidTitle:
        return None


@given(titles)
def test_decode_of_encode_is_canonical(title: str) -> None:
    canonical = _canonical_or_none(title)
    assume(canonical is not None)
    assert title_from_iri(resource_iri(title)) == canonical


@given(titles)
def test_canonicalization_is_idempotent(title: str) -> None:
    canonical = _canonical_or_none(title)
    assume(canonical is not None)
    assert canonical_title(canonical) == canonical


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_encoded_names_hold_no_forbidden_character(text: str) -> None:
    encoded = wiki_encode(text)
    assert not _FORBIDDEN & set(encoded)
    # every '%' starts an upper-case escape
    for index, char in enumerate(encoded):
        if char == "%":
            escape = encoded[index + 1 : index + 3]
            assert len(escape) == 2 and all(c in "0123456789ABCDEF" for c in escape)
