"""The executor over the Dataset protocol: query forms, OPTIONAL/FILTER scoping under bind
joins, join order, prefetch batches, and limits (wall time, results, the Dataset's own)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.term import Identifier

from sparql_lite import (
    AskResult,
    InMemoryDataset,
    LimitExceeded,
    Limits,
    SelectResult,
    UnsupportedFeature,
    execute,
    parse_query,
)
from sparql_lite.parser import MAX_DEPTH
from sparql_lite.planner import order_patterns

EX = Namespace("http://example.org/")
PREFIX = "PREFIX : <http://example.org/>\n"


@pytest.fixture(scope="module")
def people() -> InMemoryDataset:
    graph = Graph()
    for name, age, city in [("alice", 30, "paris"), ("bob", 25, "rome"), ("carol", 35, "paris")]:
        graph.add((EX[name], RDF.type, EX.Person))
        graph.add((EX[name], EX.name, Literal(name.title(), lang="en")))
        graph.add((EX[name], EX.age, Literal(age)))
        graph.add((EX[name], EX.livesIn, EX[city]))
    graph.add((EX.alice, EX.knows, EX.bob))
    graph.add((EX.alice, EX.knows, EX.carol))
    graph.add((EX.bob, EX.knows, EX.carol))
    graph.add((EX.paris, EX.label, Literal("Paris")))
    return InMemoryDataset(graph)


def select(text: str, dataset: InMemoryDataset, **options: object) -> list[tuple]:
    result = execute(PREFIX + text, dataset, **options)  # type: ignore[arg-type]
    assert isinstance(result, SelectResult)
    return [tuple(None if t is None else t.toPython() for t in row) for row in result.rows]


def test_bgp_filter_order_limit(people: InMemoryDataset) -> None:
    rows = select(
        "SELECT ?n ?a { ?p a :Person ; :name ?n ; :age ?a FILTER(?a > 26) } ORDER BY DESC(?a)",
        people,
    )
    assert rows == [("Carol", 35), ("Alice", 30)]
    assert select("SELECT ?p { ?p :age ?a } ORDER BY ?a LIMIT 1 OFFSET 1", people) == [
        (str(EX.alice),)
    ]


def test_optional_union_distinct(people: InMemoryDataset) -> None:
    rows = select(
        "SELECT ?p ?friend { ?p a :Person OPTIONAL { ?p :knows ?friend } } ORDER BY ?p ?friend",
        people,
    )
    assert rows == [
        (str(EX.alice), str(EX.bob)),
        (str(EX.alice), str(EX.carol)),
        (str(EX.bob), str(EX.carol)),
        (str(EX.carol), None),
    ]
    cities = select("SELECT DISTINCT ?c { { ?p :livesIn ?c } UNION { ?c :label ?l } }", people)
    assert sorted(cities) == [(str(EX.paris),), (str(EX.rome),)]


def test_filter_inside_optional_reads_only_its_own_variables(people: InMemoryDataset) -> None:
    """The FILTER is scoped to the optional group, where ?a is unbound: no friend ever
    matches, even though the bind join has ?a at hand (W3C optional-filter-005)."""
    rows = select(
        "SELECT ?p ?f { ?p :age ?a OPTIONAL { { ?p :knows ?f FILTER(?a > 0) } } } ORDER BY ?p",
        people,
    )
    assert rows == [(str(EX.alice), None), (str(EX.bob), None), (str(EX.carol), None)]


def test_nested_optional_that_would_rebind_an_outer_variable(people: InMemoryDataset) -> None:
    """{ ?p :knows ?f } OPTIONAL { ?f :livesIn ?c OPTIONAL { ?p :livesIn ?c } } is not
    well designed: ?p reaches the inner OPTIONAL only through the outer one."""
    query = (
        "SELECT ?p ?f ?c { ?p :knows ?f OPTIONAL { ?f :age ?x OPTIONAL { ?p :livesIn ?c } } }"
        " ORDER BY ?p ?f"
    )
    rows = select(query, people)
    graph_answer = Graph()
    for s, p, o in people.triples(None, None, None):
        graph_answer.add((s, p, o))
    expected = [
        tuple(None if t is None else t.toPython() for t in row)
        for row in graph_answer.query(PREFIX + query)  # rdflib's engine as the oracle
    ]
    assert rows == expected


def test_counts(people: InMemoryDataset) -> None:
    assert select("SELECT (COUNT(*) AS ?n) { ?p :knows ?f }", people) == [(3,)]
    assert select("SELECT (COUNT(DISTINCT ?f) AS ?n) { ?p :knows ?f }", people) == [(2,)]
    assert select("SELECT DISTINCT COUNT(?f) { ?p :knows ?f }", people) == [(3,)]
    assert select("SELECT (COUNT(?f) AS ?n) { ?p :age ?a OPTIONAL { ?p :knows ?f } }", people) == [
        (3,)
    ]
    assert select("SELECT (COUNT(*) AS ?n) { ?p :knows :nobody }", people) == [(0,)]


def test_ask_construct_describe(people: InMemoryDataset) -> None:
    assert execute(PREFIX + "ASK { :alice :knows :bob }", people) == AskResult(True)
    assert execute(PREFIX + "ASK { :bob :knows :alice }", people) == AskResult(False)
    assert execute(PREFIX + "ASK { :alice :knows :bob } LIMIT 0", people) == AskResult(False)

    graph = execute(
        PREFIX + "CONSTRUCT { ?p :friend [ :is ?f ] . ?f :x ?missing } WHERE { ?p :knows ?f }",
        people,
    )
    assert isinstance(graph, Graph) and len(graph) == 6  # unbound ?missing: no triple
    assert len(set(graph.objects(None, EX.friend))) == 3  # one fresh blank node per solution
    assert all(isinstance(node, BNode) for node in graph.objects(None, EX.friend))

    description = execute(PREFIX + "DESCRIBE ?c WHERE { :bob :livesIn ?c }", people)
    assert isinstance(description, Graph)
    assert set(description) == {(EX.bob, EX.livesIn, EX.rome)}
    described = execute(PREFIX + "DESCRIBE :paris", people)
    assert (EX.paris, EX.label, Literal("Paris")) in described  # type: ignore[operator]
    assert (EX.alice, EX.livesIn, EX.paris) in described  # type: ignore[operator]


class Recording:
    """A Dataset that logs every call to an InMemoryDataset."""

    def __init__(self, inner: InMemoryDataset) -> None:
        self.inner = inner
        self.calls: list[tuple] = []

    def triples(self, s: Identifier | None, p: Identifier | None, o: Identifier | None) -> Iterator:
        self.calls.append(("triples", s, p, o))
        return self.inner.triples(s, p, o)

    def estimate(self, s: Identifier | None, p: Identifier | None, o: Identifier | None) -> int:
        self.calls.append(("estimate", s, p, o))
        return self.inner.estimate(s, p, o)

    def prefetch(
        self, subjects: Collection[Identifier] = (), objects: Collection[Identifier] = ()
    ) -> None:
        self.calls.append(("prefetch", list(subjects), list(objects)))

    def prefetches(self) -> list[tuple]:
        return [call[1:] for call in self.calls if call[0] == "prefetch"]


@pytest.fixture
def chain() -> InMemoryDataset:
    """hub links to n0..n9; each n_i has a name; each n_i is linkedFrom by hub2."""
    graph = Graph()
    for i in range(10):
        graph.add((EX.hub, EX.link, EX[f"n{i}"]))
        graph.add((EX[f"n{i}"], EX.name, Literal(f"name {i}")))
        graph.add((EX.hub2, EX.link, EX[f"n{i}"]))
    return InMemoryDataset(graph)


def test_prefetch_is_called_once_per_join_step_with_all_its_subjects(
    chain: InMemoryDataset,
) -> None:
    dataset = Recording(chain)
    rows = select("SELECT ?n { :hub :link ?x . ?x :name ?n }", dataset)  # type: ignore[arg-type]
    assert len(rows) == 10
    linked = [EX[f"n{i}"] for i in range(10)]
    first, second = dataset.prefetches()
    assert first == ([EX.hub], [])
    assert second[1] == [] and sorted(second[0]) == sorted(linked)
    calls = [call[0] for call in dataset.calls]
    assert calls.index("prefetch", calls.index("prefetch") + 1) < len(calls) - 10  # before lookups


def test_prefetch_batches_follow_the_batch_size(chain: InMemoryDataset) -> None:
    dataset = Recording(chain)
    select("SELECT ?n { :hub :link ?x . ?x :name ?n }", dataset, batch_size=4)  # type: ignore[arg-type]
    batches = [subjects for subjects, _ in dataset.prefetches()[1:]]
    assert [len(batch) for batch in batches] == [4, 4, 2]


def test_prefetch_names_objects_when_the_subject_is_unbound(chain: InMemoryDataset) -> None:
    dataset = Recording(chain)
    rows = select("SELECT ?s { ?s :link :n3 }", dataset)  # type: ignore[arg-type]
    assert sorted(rows) == [(str(EX.hub),), (str(EX.hub2),)]
    assert dataset.prefetches() == [([], [EX.n3])]
    dataset.calls.clear()
    select("SELECT ?s ?n { ?x :name ?n . ?s :link ?x } LIMIT 1", dataset)  # type: ignore[arg-type]
    assert any(objects for _, objects in dataset.prefetches())


def test_join_order_starts_with_the_most_selective_pattern(chain: InMemoryDataset) -> None:
    query = parse_query(PREFIX + 'SELECT * { ?x :link ?y . ?y :name "name 3" . ?x :link :n1 }')
    ordered = order_patterns(query.pattern.triples, chain)  # type: ignore[union-attr]
    assert ordered[0].object == Literal("name 3")
    assert [t.predicate for t in ordered] == [EX.name, EX.link, EX.link]


def test_a_pattern_without_matches_goes_first(chain: InMemoryDataset) -> None:
    dataset = Recording(chain)
    assert select("SELECT * { ?a ?b ?c . ?d :missing ?e }", dataset) == []  # type: ignore[arg-type]
    assert [c for c in dataset.calls if c[0] == "triples"] == [("triples", None, EX.missing, None)]


@pytest.fixture(scope="module")
def big() -> InMemoryDataset:
    return InMemoryDataset((EX[f"s{i}"], EX.p, Literal(i)) for i in range(3000))


def test_wall_time_limit(big: InMemoryDataset) -> None:
    with pytest.raises(LimitExceeded) as raised:
        execute("SELECT * { ?a ?b ?c . ?d ?e ?f }", big, Limits(wall_time=0.2))
    assert (raised.value.limit, raised.value.value) == ("wall_time", 0.2)
    assert "wall_time limit (0.2)" in str(raised.value)


def test_results_limit(big: InMemoryDataset) -> None:
    with pytest.raises(LimitExceeded) as raised:
        execute("SELECT * { ?s ?p ?o }", big, Limits(results=100))
    assert (raised.value.limit, raised.value.value) == ("results", 100)
    assert len(execute("SELECT * { ?s ?p ?o } LIMIT 100", big, Limits(results=100))) == 100  # type: ignore[arg-type]
    with pytest.raises(LimitExceeded):
        execute("CONSTRUCT WHERE { ?s ?p ?o }", big, Limits(results=10))


class Budgeted(InMemoryDataset):
    """A Dataset that 'fetches' every subject it is asked to prefetch, up to a budget."""

    def __init__(self, triples: object, budget: int) -> None:
        super().__init__(triples)  # type: ignore[arg-type]
        self.budget = budget
        self.fetched: set[Identifier] = set()

    def prefetch(
        self, subjects: Collection[Identifier] = (), objects: Collection[Identifier] = ()
    ) -> None:
        self.fetched.update(subjects)
        if len(self.fetched) > self.budget:
            raise LimitExceeded("resources_fetched", self.budget)


def test_a_limit_the_dataset_keeps_propagates(chain: InMemoryDataset) -> None:
    dataset = Budgeted(chain.triples(None, None, None), budget=5)
    with pytest.raises(LimitExceeded) as raised:
        execute(PREFIX + "SELECT ?n { :hub :link ?x . ?x :name ?n }", dataset)
    assert raised.value.limit == "resources_fetched"
    small = Budgeted(chain.triples(None, None, None), budget=5)
    assert len(execute(PREFIX + "SELECT ?x { :hub :link ?x }", small)) == 10  # type: ignore[arg-type]


def test_literals_keep_their_form_and_xsd_string_is_implicit() -> None:
    dataset = InMemoryDataset(
        [
            (EX.a, EX.p, Literal("01", datatype=XSD.integer, normalize=False)),
            (EX.b, EX.p, Literal("x", datatype=XSD.string)),
        ]
    )
    assert select('SELECT ?s { ?s :p "x" }', dataset) == [(str(EX.b),)]
    assert select("SELECT ?s { ?s :p 1 }", dataset) == []  # term match, not value
    assert select("SELECT ?s { ?s :p ?v FILTER(?v = 1) }", dataset) == [(str(EX.a),)]


def test_variables_appear_in_select_star_order_without_blank_nodes(people: InMemoryDataset) -> None:
    result = execute(PREFIX + "SELECT * { ?p :knows [ :livesIn ?c ] }", people)
    assert isinstance(result, SelectResult)
    assert result.variables == (Variable("p"), Variable("c"))
    assert URIRef(EX.paris) in {row[1] for row in result.rows}


# --- work done once per run, not once per batch ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?x :link ?z { ?y :name ?n OPTIONAL { ?x :link ?y } } UNION { ?z :name ?n } }",
        "SELECT * { ?x :link ?z OPTIONAL { { ?y :name ?n OPTIONAL { ?x :link ?y } } } }",
    ],
)
def test_a_pattern_evaluated_on_its_own_is_evaluated_once_per_run(
    chain: InMemoryDataset, text: str
) -> None:
    """The group reads ?x, which the solutions joined with it bind but the group does not
    always bind: it is evaluated on its own and hash-joined. A UNION branch or an OPTIONAL
    joins batch by batch (20 solutions, 5 batches here), the evaluation happens once."""
    dataset = Recording(chain)
    rows = select(text, dataset, batch_size=4)  # type: ignore[arg-type]
    assert sorted(rows, key=str) == sorted(select(text, chain), key=str)
    assert len(rows) > 20
    lookups = [call for call in dataset.calls if call == ("triples", None, EX.name, None)]
    assert len(lookups) == 1


def test_a_join_order_is_planned_once_per_run(chain: InMemoryDataset) -> None:
    dataset = Recording(chain)
    text = "SELECT * { :hub :link ?x OPTIONAL { ?x :name ?n . ?y :link ?x } }"
    rows = select(text, dataset, batch_size=2)  # type: ignore[arg-type]
    assert len(rows) == 20
    assert [call[0] for call in dataset.calls].count("estimate") == 2  # one per triple pattern


# --- long lists: evaluated, or refused by name, never a RecursionError ----------------------

LONG = 500


@pytest.fixture(scope="module")
def numbers() -> InMemoryDataset:
    return InMemoryDataset([(EX[f"n{i}"], EX.value, Literal(i)) for i in range(3)])


def names(text: str, dataset: InMemoryDataset) -> list[str]:
    return [str(row[0]).removeprefix(str(EX)) for row in select(text, dataset)]


def test_long_disjunctions_and_conjunctions_are_evaluated(numbers: InMemoryDataset) -> None:
    anyof = " || ".join(f"?v = {i + 2}" for i in range(LONG))
    noneof = " && ".join(f"?v != {i + 2}" for i in range(LONG))
    filters = " ".join(f"FILTER(?v != {i + 2})" for i in range(LONG))
    assert names(f"SELECT ?n {{ ?n :value ?v FILTER({anyof}) }}", numbers) == ["n2"]
    assert sorted(names(f"SELECT ?n {{ ?n :value ?v FILTER({noneof}) }}", numbers)) == [
        "n0",
        "n1",
    ]
    assert sorted(names(f"SELECT ?n {{ ?n :value ?v {filters} }}", numbers)) == ["n0", "n1"]
    optional = f"SELECT ?n ?w {{ ?n :value ?v OPTIONAL {{ ?n :value ?w FILTER({anyof}) }} }}"
    assert sorted(select(optional, numbers), key=str) == [
        (str(EX.n0), None),
        (str(EX.n1), None),
        (str(EX.n2), 2),
    ]


def test_a_long_union_is_evaluated_in_the_order_written(numbers: InMemoryDataset) -> None:
    branches = " UNION ".join(f"{{ ?n :value {i} }}" for i in reversed(range(4 * LONG)))
    assert names(f"SELECT ?n {{ {branches} }}", numbers) == ["n2", "n1", "n0"]
    few = " UNION ".join(f"{{ ?n :value {i} }}" for i in (1, 0, 2, 1, 0))
    assert names(f"SELECT ?n {{ {few} }}", numbers) == ["n1", "n0", "n2", "n1", "n0"]


def optionals(n: int) -> str:
    steps = " ".join(f"OPTIONAL {{ ?n :value ?v{i} }}" for i in range(n))
    return f"SELECT * {{ ?n :value ?v {steps} }}"


def sums(n: int) -> str:
    return "ASK { ?n :value ?v FILTER(?v < " + " + ".join(["1"] * n) + ") }"


def differences(n: int) -> str:
    return "ASK { ?n :value ?v FILTER(?v < 1 " + " ".join(["-1"] * (n - 1)) + ") }"


def products(n: int) -> str:
    return "ASK { ?n :value ?v FILTER(?v < " + " * ".join(["1"] * n) + ") }"


def triples(n: int) -> str:
    return "ASK { " + " ".join(f"?n :value ?v{i} ." for i in range(n)) + " }"


def groups(n: int) -> str:
    return "ASK { " + " ".join("{ ?n ?p ?v }" for _ in range(n)) + " }"


SEQUENCES = [optionals, sums, differences, products, triples, groups]


@pytest.mark.parametrize("make", SEQUENCES)
def test_a_sequence_nesting_too_deep_is_refused(
    numbers: InMemoryDataset, make: Callable[[int], str]
) -> None:
    """OPTIONAL, arithmetic (not associative on doubles) and join steps (one per triple
    pattern or group) nest one level per element: past MAX_DEPTH they are refused, as deeply
    nested groups are, and the endpoint answers 501, not 500."""
    with pytest.raises(UnsupportedFeature, match=f"nesting deeper than {MAX_DEPTH} levels"):
        execute(PREFIX + make(LONG), numbers)


@pytest.mark.parametrize("make", SEQUENCES)
def test_the_longest_sequence_accepted_is_evaluated_from_a_deep_stack(
    numbers: InMemoryDataset, make: Callable[[int], str]
) -> None:
    """The depth limit leaves room for the caller's stack: 300 more frames here (and pytest's
    own; Python's default limit is 1000)."""
    low, high = 1, LONG  # accepted, refused
    while high - low > 1:
        middle = (low + high) // 2
        try:
            parse_query(PREFIX + make(middle))
            low = middle
        except UnsupportedFeature:
            high = middle
    assert low >= MAX_DEPTH // 2
    text = PREFIX + make(low)

    def deeper(frames: int) -> object:
        return deeper(frames - 1) if frames else execute(text, numbers)

    deeper(300)
