"""Whatever the text, parse_query returns a Query or raises QuerySyntaxError or
UnsupportedFeature; and an accepted query runs over a small dataset without any other error."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, Namespace

from sparql_lite import (
    InMemoryDataset,
    LimitExceeded,
    Limits,
    QuerySyntaxError,
    UnsupportedFeature,
    execute,
    parse_query,
)

EX = Namespace("http://example.org/")
DATASET = InMemoryDataset(
    [(EX.a, EX.p, EX.b), (EX.b, EX.p, Literal(1)), (EX.a, EX.q, Literal("x", lang="en"))]
)
TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "DISTINCT", "*", "{", "}", "(", ")", "[",
    "]", ".", ";", ",", "?x", "?y", "$z", ":p", ":q", "<http://example.org/a>", "a", "_:b", "[]",
    "()", "1", "-2.5", "1e3", '"s"', "'t'@en", '"u"^^:p', "true", "FILTER", "OPTIONAL", "UNION",
    "BIND", "AS", "VALUES", "UNDEF", "GRAPH", "MINUS", "SERVICE", "ORDER", "BY", "DESC", "LIMIT",
    "OFFSET", "GROUP", "HAVING", "COUNT", "SUM", "regex", "str", "lang", "bound", "IN", "NOT",
    "EXISTS", "=", "!=", "<", ">", "&&", "||", "!", "+", "-", "/", "|", "^", "INSERT", "DATA",
    "DELETE", "PREFIX", "BASE", "#", "\n",
]  # fmt: skip
PROLOGUE = "PREFIX : <http://example.org/>\n"


def outcome(text: str) -> object:
    try:
        return parse_query(text)
    except (QuerySyntaxError, UnsupportedFeature) as error:
        return error


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    outcome(text)
    outcome(PROLOGUE + "SELECT * WHERE { " + text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_token_soup(tokens: list[str]) -> None:
    query = outcome(PROLOGUE + " ".join(tokens))
    if not isinstance(query, Exception):
        with contextlib.suppress(LimitExceeded):
            execute(query, DATASET, Limits(wall_time=2, results=10_000))  # type: ignore[arg-type]


def test_syntax_error_positions_are_inside_the_text() -> None:
    for text in ["", "SELECT", "SELECT * {", "ASK { ?s ?p 'x }", "\n\n  \u00e9"]:
        error = outcome(text)
        assert isinstance(error, QuerySyntaxError)
        lines = text.split("\n")
        assert 1 <= error.line <= len(lines)
        assert 1 <= error.column <= len(lines[error.line - 1]) + 1
