"""parse_query: SPARQL text to a :class:`~sparql_lite.algebra.Query`, through three stages.

1. lark's LALR(1) parser over the full SPARQL 1.1 grammar (``sparql.lark``): an illegal token
   sequence is a QuerySyntaxError saying what was expected where.
2. :mod:`sparql_lite.rules`: the recommendation's rules beyond the grammar (QuerySyntaxError).
3. :mod:`sparql_lite.translate`: a legal query outside the supported subset is an
   UnsupportedFeature naming the feature.

Parsed queries are cached (LRU, keyed by the text and the parse options); a Query is immutable.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

from lark import Lark, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from .algebra import Query, evaluation_depth
from .errors import QuerySyntaxError, UnsupportedFeature
from .rules import check
from .terms import NUMBER_TOKENS
from .translate import translate

#: Queries nesting deeper than this are refused (UnsupportedFeature): parse trees (nested
#: groups or expressions), and the query model as evaluated (see
#: :func:`~sparql_lite.algebra.evaluation_depth`: a long sequence of triple patterns, OPTIONALs
#: or arithmetic operators nests one level per element; ``||``, ``&&`` and UNION do not).
MAX_DEPTH = 200
CACHE_SIZE = 1024

_NAMED_TERMINALS = {
    "IRIREF": "an IRI",
    "PNAME_LN": "a prefixed name",
    "PNAME_NS": "a prefixed name",
    "BLANK_NODE_LABEL": "a blank node",
    "ANON": "a blank node",
    "VAR1": "a variable",
    "VAR2": "a variable",
    "LANGTAG": "a language tag",
    "NIL": "'()'",
    "$END": "the end of the query",
    **dict.fromkeys(
        ("STRING_LITERAL1", "STRING_LITERAL2", "STRING_LITERAL_LONG1", "STRING_LITERAL_LONG2"),
        "a string",
    ),
    **dict.fromkeys(NUMBER_TOKENS, "a number"),
}
_FUNCTION_RULES = frozenset(
    {
        "function_0", "function_1", "function_2", "function_3", "function_2_3", "function_n",
        "aggregate_name",
    }
)  # fmt: skip
_MORE_FUNCTIONS = frozenset({"BOUND", "BNODE", "REPLACE", "EXISTS", "COUNT", "GROUP_CONCAT"})
_MAX_EXPECTED = 12


def parse_query(text: str, *, base: str | None = None, strict: bool = False) -> Query:
    """Parse a SPARQL query of the supported subset.

    ``base`` resolves relative IRIs (a BASE declaration in the query overrides it). ``strict``
    rejects the one non-standard form the parser otherwise accepts: a bare aggregate in the
    SELECT clause (``SELECT DISTINCT COUNT(?x)``), common in DBpedia question sets.

    Raises QuerySyntaxError for an illegal query and UnsupportedFeature for a legal one outside
    the subset (including SPARQL Update requests).
    """
    return _parse(text, base, strict)


def cache_info():
    """Hits, misses and size of the parsed-query cache (functools.lru_cache statistics)."""
    return _parse.cache_info()


@lru_cache(maxsize=CACHE_SIZE)
def _parse(text: str, base: str | None, strict: bool) -> Query:
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(error, text) from None
    if _depth(tree) > MAX_DEPTH:
        raise UnsupportedFeature(f"nesting deeper than {MAX_DEPTH} levels")
    check(tree, strict=strict)
    body = tree.children[1]
    if body.data == "update" and not body.children:
        line, column = _end_position(text)
        raise QuerySyntaxError(
            "expected SELECT, CONSTRUCT, DESCRIBE or ASK, found the end of the query", line, column
        )
    query = translate(tree, base)
    if evaluation_depth(query) > MAX_DEPTH:
        raise UnsupportedFeature(
            f"nesting deeper than {MAX_DEPTH} levels (a sequence of triple patterns, OPTIONALs "
            "or arithmetic operators nests one level per element)"
        )
    return query


@cache
def _parser() -> Lark:
    grammar = resources.files(__package__).joinpath("sparql.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="basic", propagate_positions=True)


def _depth(tree: Tree) -> int:
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return deepest


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def _syntax_error(error: UnexpectedInput, text: str) -> QuerySyntaxError:
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        line, column = _end_position(text)
        expected = error.expected
        found = "the end of the query"
    elif isinstance(error, UnexpectedToken):
        line, column = error.line, error.column
        expected = error.expected
        found = _quoted(str(error.token))
    else:  # the lexer found no token here; ask the parser what it would have taken
        line, column = error.line, error.column
        expected = _acceptable(text[: error.pos_in_stream])
        found = _quoted(re.match(r"\S{1,40}|\s", text[error.pos_in_stream :])[0])
    labels = _terminal_labels()
    described = sorted({labels.get(name, name) for name in expected}, key=str.lower)
    if not described:
        return QuerySyntaxError(f"unexpected {found}", line, column)
    if len(described) > _MAX_EXPECTED:
        described = [*described[:_MAX_EXPECTED], f"{len(described) - _MAX_EXPECTED} more"]
    alternatives = (
        described[0] if len(described) == 1 else f"{', '.join(described[:-1])} or {described[-1]}"
    )
    return QuerySyntaxError(f"expected {alternatives}, found {found}", line, column)


def _quoted(value: str) -> str:
    return f"'{value[:40]}{'…' if len(value) > 40 else ''}'"


def _acceptable(prefix: str) -> set[str]:
    """The terminals the parser accepts after ``prefix`` (which lexes and parses so far)."""
    try:
        interactive = _parser().parse_interactive(prefix)
        interactive.exhaust_lexer()
        return set(interactive.accepts())
    except UnexpectedInput:
        return set()


@cache
def _terminal_labels() -> dict[str, str]:
    """A readable name for every terminal of the grammar (keywords as written, quoted)."""
    parser = _parser()
    functions = {
        symbol.name
        for rule in parser.rules
        if rule.origin.name in _FUNCTION_RULES
        for symbol in rule.expansion
    }
    labels = dict(_NAMED_TERMINALS)
    for terminal in parser.terminals:
        if terminal.name in labels or not isinstance(terminal.pattern, PatternStr):
            continue
        value = terminal.pattern.value
        is_function = terminal.name in functions or value.upper() in _MORE_FUNCTIONS
        labels[terminal.name] = "a function call" if is_function else f"'{value}'"
    return labels
