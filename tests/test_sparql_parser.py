"""sparql_lite's parser: terms, the query model, error positions and messages, features refused
by name, strict mode and the plan cache."""

from __future__ import annotations

import pytest
from rdflib import RDF, XSD, BNode, Literal, URIRef, Variable

from sparql_lite import QuerySyntaxError, UnsupportedFeature, parse_query
from sparql_lite.algebra import (
    BGP,
    Call,
    Count,
    Filter,
    LeftJoin,
    TriplePattern,
    Union,
    evaluation_depth,
)
from sparql_lite.parser import MAX_DEPTH, cache_info

EX = "http://example.org/"
PREFIX = f"PREFIX : <{EX}>\n"


def only_bgp(text: str) -> tuple[TriplePattern, ...]:
    pattern = parse_query(PREFIX + text).pattern
    assert isinstance(pattern, BGP)
    return pattern.triples


def test_every_term_form() -> None:
    [*triples] = only_bgp(
        """SELECT * { ?s a :C ; :p 1, -2.5, 1e3, true, "x"@en-GB, "y"^^:dt, 'z', \"\"\"long
"quoted" \"\"\", :o ; $v ?w . :s :q () }"""
    )
    objects = [t.object for t in triples if t.predicate == URIRef(EX + "p")]
    assert triples[0] == TriplePattern(Variable("s"), RDF.type, URIRef(EX + "C"))
    assert objects == [
        Literal("1", datatype=XSD.integer),
        Literal("-2.5", datatype=XSD.decimal),
        Literal("1e3", datatype=XSD.double, normalize=False),
        Literal("true", datatype=XSD.boolean),
        Literal("x", lang="en-GB"),
        Literal("y", datatype=URIRef(EX + "dt")),
        Literal("z"),
        Literal('long\n"quoted" '),
        URIRef(EX + "o"),
    ]
    assert TriplePattern(Variable("s"), Variable("v"), Variable("w")) in triples
    assert triples[-1] == TriplePattern(URIRef(EX + "s"), URIRef(EX + "q"), RDF.nil)


def test_escapes_and_names() -> None:
    [triple] = only_bgp(r'SELECT * { <\u0041b> :a\.b\,c "tab\there \U0001F600 \"q\"" }')
    assert triple.subject == URIRef("Ab")
    assert triple.predicate == URIRef(EX + "a.b,c")
    assert triple.object == Literal('tab\there \U0001f600 "q"')


def test_lexical_forms_are_kept_and_xsd_string_is_implicit() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    [a, b] = only_bgp(f'SELECT * {{ ?s :p "01"^^<{xsd}integer>, "x"^^<{xsd}string> }}')
    assert str(a.object) == "01"
    assert b.object == Literal("x") and b.object.datatype is None


def test_base_and_relative_iris() -> None:
    query = parse_query("BASE <http://a.example/dir/> PREFIX p: <sub#> SELECT * { <x> p:y <../z> }")
    [triple] = query.pattern.triples  # type: ignore[union-attr]
    assert triple == TriplePattern(
        URIRef("http://a.example/dir/x"),
        URIRef("http://a.example/dir/sub#y"),
        URIRef("http://a.example/z"),
    )
    [relative] = parse_query("SELECT * { <x> ?p ?o }", base="http://b.example/q").pattern.triples  # type: ignore[union-attr]
    assert relative.subject == URIRef("http://b.example/x")


def test_blank_nodes_are_hidden_variables() -> None:
    query = parse_query(PREFIX + "SELECT * { _:a :p [ :q ?x ] . _:a :r (1 ?y) }")
    assert query.variables == (Variable("x"), Variable("y"))
    triples = query.pattern.triples  # type: ignore[union-attr]
    assert len(triples) == 7  # two property triples, the [ ] one, four for the list
    assert all(isinstance(t.subject, Variable) for t in triples)


def test_group_translation() -> None:
    query = parse_query(
        PREFIX + "SELECT ?x { ?x :p ?v OPTIONAL { ?x :q ?w FILTER(?w > ?v) } { ?x :r 1 } UNION"
        " { ?x :r 2 } FILTER(bound(?w)) }"
    )
    pattern = query.pattern
    assert isinstance(pattern, Filter)
    assert pattern.condition == Call("BOUND", (Variable("w"),))
    join = pattern.pattern
    assert isinstance(join.left, LeftJoin)  # type: ignore[union-attr]
    assert join.left.condition == Call(">", (Variable("w"), Variable("v")))  # type: ignore[union-attr]
    assert isinstance(join.right, Union)  # type: ignore[union-attr]


def test_signed_numbers_bind_their_factors() -> None:
    query = parse_query("ASK { FILTER(?x -2 * 3 + 1 = ?y) }")
    left = query.pattern.condition.args[0]  # type: ignore[union-attr]
    two, three, one = (Literal(n, datatype=XSD.integer) for n in ("2", "3", "1"))
    assert left == Call("+", (Call("-", (Variable("x"), Call("*", (two, three)))), one))


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("SELECT (COUNT(?x) AS ?n) { ?x ?p ?o }", (Count(Variable("n"), Variable("x")),)),
        ("SELECT (COUNT(DISTINCT *) AS ?n) { ?x ?p ?o }", (Count(Variable("n"), None, True),)),
        ("SELECT DISTINCT COUNT(?x) { ?x ?p ?o }", (Count(Variable("callret-0"), Variable("x")),)),
        (
            "select count(distinct ?x) count(*) { ?x ?p ?o }",
            (Count(Variable("callret-0"), Variable("x"), True), Count(Variable("callret-1"), None)),
        ),
    ],
)
def test_count_forms(text: str, counts: tuple[Count, ...]) -> None:
    query = parse_query(text)
    assert query.counts == counts
    assert query.variables == tuple(count.alias for count in counts)


def test_bare_count_is_refused_in_strict_mode() -> None:
    with pytest.raises(QuerySyntaxError, match=r"\(AGGREGATE\(\.\.\.\) AS \?var\)") as raised:
        parse_query("SELECT DISTINCT COUNT(?x) { ?x ?p ?o }", strict=True)
    assert (raised.value.line, raised.value.column) == (1, 17)


def test_construct_describe_and_modifiers() -> None:
    construct = parse_query(
        PREFIX + "CONSTRUCT { ?s :q [ :r ?o ] } WHERE { ?s :p ?o } LIMIT 5 OFFSET 2"
    )
    assert construct.form == "CONSTRUCT" and (construct.limit, construct.offset) == (5, 2)
    assert any(isinstance(t.subject, BNode) for t in construct.template)
    short = parse_query(PREFIX + "CONSTRUCT WHERE { ?s :p ?o }")
    assert short.template == short.pattern.triples  # type: ignore[union-attr]
    describe = parse_query(PREFIX + "DESCRIBE :a ?x WHERE { ?x :p :a }")
    assert describe.describe == (URIRef(EX + "a"), Variable("x"))
    ordered = parse_query("SELECT ?x { ?x ?p ?o } ORDER BY DESC(?o) ?x")
    assert [(c.expression, c.descending) for c in ordered.order_by] == [
        (Variable("o"), True),
        (Variable("x"), False),
    ]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("SELECT * WHERE {\n  ?s ?p \n}", 3, 1, "found '}'"),
        ("SELECT * WHERE { ?s ?p ?o", 1, 26, "found the end of the query"),
        ("SELECT * { ?s ?p ?o } LIMIT x", 1, 29, "expected a number, found 'x'"),
        ("SELEKT * {}", 1, 1, "found 'SELEKT'"),
        ('ASK {\n  ?s ?p "open }', 2, 9, "found '\"open'"),
        ("SELECT ?x { ?x ex:p 1 }", 1, 16, "undeclared prefix 'ex:'"),
        ("SELECT (1 AS ?x) (2 AS ?x) {}", 1, 24, "?x is already in scope or projected"),
        ("SELECT ?o { ?s ?p ?o } GROUP BY ?s", 1, 8, "?o is projected but neither grouped"),
        ("SELECT * { ?s ?p ?o BIND(1 AS ?o) }", 1, 31, "BIND to ?o, which is already in scope"),
        ("SELECT * { _:a ?p 1 OPTIONAL { _:a ?q 2 } }", 1, 32, "blank node label _:a"),
        ("SELECT * { VALUES (?a ?b) { (1) } }", 1, 29, "1 values for 2 variables"),
        ("ASK { FILTER(COUNT(?x) > 1) }", 1, 14, "aggregates are only allowed"),
        ("ASK { ?s ?p '\\uD800' }", 1, 13, "invalid code point"),
        ("", 1, 1, "expected SELECT, CONSTRUCT, DESCRIBE or ASK"),
    ],
)
def test_syntax_errors_say_what_and_where(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(text)
    error = raised.value
    assert message in error.message
    assert (error.line, error.column) == (line, column)
    for internal in ("Token(", "lark", "__ANON", "$END", "LPAR"):
        assert internal not in str(error)


@pytest.mark.parametrize(
    ("text", "feature"),
    [
        ("SELECT * { ?s :p/:q ?o }", "property paths"),
        ("SELECT * { ?s :p* ?o }", "property paths"),
        ("SELECT * { ?s ^:p ?o }", "property paths"),
        ("SELECT ?s { ?s ?p ?o } GROUP BY ?s", "GROUP BY"),
        ("SELECT (COUNT(*) AS ?n) { ?s ?p ?o } HAVING (COUNT(*) > 1)", "HAVING"),
        ("SELECT * { { SELECT ?s { ?s ?p ?o } } }", "subqueries"),
        ("SELECT * { ?s ?p ?o BIND(1 AS ?x) }", "BIND"),
        ("SELECT * { VALUES ?x { 1 2 } }", "VALUES"),
        ("SELECT * { ?s ?p ?o } VALUES ?x { 1 }", "VALUES"),
        ("SELECT * { ?s ?p ?o MINUS { ?s :q ?o } }", "MINUS"),
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT (SUM(?o) AS ?n) { ?s ?p ?o }", "aggregates other than COUNT"),
        ("SELECT (SAMPLE(?o) AS ?n) { ?s ?p ?o }", "aggregates other than COUNT"),
        ("SELECT * FROM <http://g/> { ?s ?p ?o }", "named graphs (FROM/GRAPH)"),
        ("SELECT * { GRAPH ?g { ?s ?p ?o } }", "named graphs (FROM/GRAPH)"),
        ("SELECT ((?o + 1) AS ?n) { ?s ?p ?o }", "expressions in SELECT"),
        ("ASK { ?s ?p ?o FILTER EXISTS { ?s :q 1 } }", "EXISTS"),
        ("ASK { ?s ?p ?o FILTER(SUBSTR(?o, 1, 2) = 'a') }", "function SUBSTR"),
        ("ASK { ?s ?p ?o FILTER(CONCAT(?o, 'a') = 'a') }", "function CONCAT"),
        (
            "ASK { ?s ?p ?o FILTER(<http://www.w3.org/2001/XMLSchema#integer>(?o) = 1) }",
            "casts (xsd:integer)",
        ),
        ("ASK { ?s ?p ?o FILTER(:f(?o)) }", f"extension function <{EX}f>"),
        ("INSERT DATA { :s :p :o }", "SPARQL Update"),
        ("DELETE WHERE { ?s :p ?o }", "SPARQL Update"),
    ],
)
def test_legal_queries_outside_the_subset_name_the_feature(text: str, feature: str) -> None:
    with pytest.raises(UnsupportedFeature) as raised:
        parse_query(PREFIX + text)
    assert raised.value.feature == feature


def test_an_illegal_query_is_a_syntax_error_even_with_unsupported_features() -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(PREFIX + "SELECT * { ?s :p/:q ?o . _:a ?p 1 OPTIONAL { _:a ?q 2 } }")


def test_deep_nesting_is_refused() -> None:
    nested = "ASK { FILTER(" + "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH + ") }"
    assert parse_query(nested).form == "ASK"  # redundant parentheses add no depth
    groups = "ASK " + "{ " * MAX_DEPTH + "}" * MAX_DEPTH
    with pytest.raises(UnsupportedFeature, match="nesting deeper"):
        parse_query(groups)


def test_long_lists_nest_shallowly() -> None:
    """|| and && chains are one Call, a group's FILTERs one conjunction, UNIONs a balanced tree
    (in the order written): 500 of each stays far from the depth limit."""
    anyof = " || ".join(f"?o = {i}" for i in range(500))
    filters = " ".join(f"FILTER(?o != {i})" for i in range(500))
    union = " UNION ".join(f"{{ ?s :p{i} ?o }}" for i in range(500))
    query = parse_query(PREFIX + f"ASK {{ ?s ?p ?o FILTER(({anyof}) && ?s != :a) {filters} }}")
    assert isinstance(query.pattern, Filter)
    conjunction = query.pattern.condition
    assert isinstance(conjunction, Call) and conjunction.name == "&&"
    assert len(conjunction.args) == 501
    [disjunction, _] = conjunction.args[0].args  # type: ignore[union-attr]
    assert disjunction.name == "||" and len(disjunction.args) == 500  # type: ignore[union-attr]
    assert evaluation_depth(query) == 5  # FILTER, && of the FILTERs, &&, ||, =

    pattern = parse_query(PREFIX + f"SELECT * {{ {union} }}").pattern
    branches, depth, stack = [], 0, [(pattern, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, Union):
            stack += [(node.right, level + 1), (node.left, level + 1)]
        else:
            branches.append(node.triples[0].predicate)  # type: ignore[union-attr]
            depth = max(depth, level)
    assert branches == [URIRef(f"{EX}p{i}") for i in range(500)]
    assert depth == 10  # ceil(log2(500)) + 1
    three = parse_query(PREFIX + "SELECT * { {?s :a ?o} UNION {?s :b ?o} UNION {?s :c ?o} }")
    assert isinstance(three.pattern, Union) and isinstance(three.pattern.left, Union)


def test_the_depth_of_evaluation_counts_sequences() -> None:
    def depth(text: str) -> int:
        return evaluation_depth(parse_query(PREFIX + text))

    assert depth("ASK {}") == 1
    assert depth("ASK { ?s :p ?o . ?o :q ?x . ?x :r 1 }") == 3  # one join step per pattern
    assert depth("ASK { { ?s :p ?o } { ?s :q ?x OPTIONAL { ?x :r ?y } } }") == 3
    assert depth("ASK { ?s :p ?o OPTIONAL { ?o :q ?x } OPTIONAL { ?o :r ?y } }") == 3
    assert depth("ASK { ?s :p ?o FILTER(?o < 1 + 2 * 3) }") == 4
    assert depth("SELECT * { ?s :p ?o } ORDER BY (1 + 2 + 3 + 4 + 5)") == 4
    long = "ASK { ?s :p ?o FILTER(?o < " + " + ".join(["1"] * MAX_DEPTH) + ") }"
    with pytest.raises(UnsupportedFeature, match=f"nesting deeper than {MAX_DEPTH} levels"):
        parse_query(PREFIX + long)


def test_parsed_queries_are_cached() -> None:
    text = "SELECT ?cached { ?cached ?p ?o }"
    first = parse_query(text)
    hits = cache_info().hits
    assert parse_query(text) is first
    assert cache_info().hits == hits + 1
    assert parse_query(text, base="http://other/") is not first
    assert parse_query(text, strict=True) is not first
