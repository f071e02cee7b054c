"""IntegerParser, DoubleParser and ParserUtils, with the expectations of the framework's
``IntegerParserTest``, ``DoubleParserTest`` and ``ParserUtilsTest`` and Java's number semantics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.dataparsers import ParseContext
from extractors.dataparsers.numbers import (
    convert_large_numbers,
    double_from_text,
    integer_from_text,
    java_round,
    parse_double,
    parse_integer,
    parse_number,
)
from extractors.wikitext import parse


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # IntegerParserTest.scala
        ("en", "8.0", 8),
        ("de", "8,0", 8),
        ("en", "12.5 mio", 12500000),
        ("en", "1,432 <small>''2006 Census''</small>", 1432),
        ("en", "1,432 <small>(2006 Census)</small>", 1432),
        ("de", "12,5 mio kg", 12500000),
        ("en", "40,000,000 (estimated)", 40000000),
        ("de", "40.000.000", 40000000),
        ("fr", "40 000 000", 40000000),
        ("en", "40,000.000 (estimated)", 40000),
        ("de", "40.000,000", 40000),
        ("en", "context1 40,000 context", 40000),
        # a dash variant before the number negates it
        ("en", "−5", -5),
        ("en", "– 12 (approx.)", -12),
        ("en", "-5", -5),
        ("en", "3769495", 3769495),
        ("en", "no number", None),
        ("en", "", None),
    ],
)
def test_integer_parser(lang: str, text: str, expected: int | None) -> None:
    assert parse_integer(parse(text), ParseContext(lang=lang)) == expected


def test_integer_factor_rounds_half_up_to_a_long() -> None:
    context = ParseContext()
    assert parse_integer(parse("2.5"), context, factor=3) == 8  # 7.5
    assert parse_integer(parse("-2.5"), context) == -2  # Math.round: ties toward +infinity
    assert parse_integer(parse("1.5 billion"), context, factor=1000) == 1_500_000_000_000


def test_strict_integer_reads_the_whole_text_as_the_raw_infobox_extractor_does() -> None:
    assert integer_from_text("1,234", "en", strict=True) == 1234
    assert integer_from_text("about 5", "en", strict=True) is None  # no leading text
    assert integer_from_text("1.5", "en", strict=True) is None  # whole values only
    assert integer_from_text("5 apples", "en", strict=True) == 5  # NumberFormat reads a prefix
    assert integer_from_text("about 5", "en") == 5


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # DoubleParserTest.scala
        ("en", "123.45", 123.45),
        ("en", "1,234.5", 1234.5),
        ("de", "123,45", 123.45),
        ("de", "1.234,5", 1234.5),
        ("en", ".12345", 0.12345),
        ("de", ",12345", 0.12345),
        # the whole match is parsed, so text before the number fails
        ("en", "about 5", None),
        ("en", "−5", None),
        ("en", "-5.5 (2010)", -5.5),
        ("en", "891.7", 891.7),
        ("en", "1.5 million", 1500000.0),
        ("fr", "3.5", 3.5),  # French accepts both decimal separators
    ],
)
def test_double_parser(lang: str, text: str, expected: float | None) -> None:
    assert parse_double(parse(text), ParseContext(lang=lang)) == expected


def test_double_factor() -> None:
    assert parse_double(parse("2.5"), ParseContext(), factor=1000) == 2500.0
    assert double_from_text("12", "en", strict=True) == 12.0
    assert double_from_text("x 12", "en", strict=True) is None


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # ParserUtilsTest.scala
        ("en", "100.5 million", "100500000"),
        ("de", "100,5 million", "100500000"),
        ("de", "100,5 billion", "100500000000000"),  # a German billion is 10^12
        ("nl", "123 milja", "123 milja"),
        ("nl", "123 milj.", "123000000000"),
        ("en", "1,234.5 billion", "1234500000000"),
        ("en", "US$ 14.8350 Billion (2007)", "US$ 14835000000 (2007)"),
        ("en", "[[Pound sterling|£]] 17.3 [[million]]", "[[Pound sterling|£]] 17300000"),
        ("en", "1.2345 thousand", "1234.5"),
        ("en", "5 apples, 3 million pears", "5 apples, 3 million pears"),  # first number only
    ],
)
def test_convert_large_numbers(lang: str, text: str, expected: str) -> None:
    assert convert_large_numbers(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "1,2,3", 123.0),  # grouping separators are skipped wherever they stand
        ("en", "1.2.3", 1.2),  # the longest valid prefix counts
        ("en", "12abc", 12.0),
        ("en", "abc", None),
        ("en", "-", None),
        ("en", ".5", 0.5),
        ("en", "1E3", 1000.0),
        ("en", "1E+3", 1.0),  # Java reads no '+' in the exponent
        ("en", "1 234", 1234.0),  # a space counts as grouping
        ("de", "1 234,5", 1234.5),
        ("de", "4954.0", 49540.0),  # '.' groups in German
        ("en", "٣٤", 34.0),  # any Unicode decimal digit, as Character.digit
    ],
)
def test_parse_number_follows_java_number_format(
    lang: str, text: str, expected: float | None
) -> None:
    assert parse_number(text, lang) == expected


def test_java_round() -> None:
    assert java_round(0.49999999999999994) == 0
    assert java_round(2.5) == 3
    assert java_round(-2.5) == -2
    assert java_round(float("nan")) == 0
    assert java_round(1e30) == 2**63 - 1
    assert java_round(float("-inf")) == -(2**63)


@given(text=st.text(), lang=st.sampled_from(["en", "de", "fr", "nl", "xx"]), strict=st.booleans())
def test_arbitrary_text_never_raises(text: str, lang: str, strict: bool) -> None:
    context = ParseContext(lang=lang)
    code = parse(text)
    assert isinstance(parse_integer(code, context, strict=strict), int | None)
    assert isinstance(parse_double(code, context, strict=strict), float | None)
    assert isinstance(convert_large_numbers(text, lang), str)
    assert isinstance(parse_number(text, lang), float | None)


@given(
    text=st.text(alphabet=st.sampled_from("0123456789,. -−–E$€kmilonbthsad()[]'\"")),
    lang=st.sampled_from(["en", "de", "fr"]),
)
def test_number_like_text_never_raises(text: str, lang: str) -> None:
    assert isinstance(integer_from_text(text, lang), int | None)
    assert isinstance(double_from_text(text, lang), float | None)
