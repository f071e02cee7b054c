"""Evaluate a Query over a Dataset.

Solutions flow through the graph pattern as a stream of bindings, and every step extends the
bindings it receives (a bind join): a triple pattern is looked up once per incoming solution
with the variables bound so far substituted, after one ``prefetch`` call for the whole batch
of incoming solutions. Where SPARQL's bottom-up semantics would differ from substitution (a
FILTER or OPTIONAL reading a variable that the incoming solutions may bind but the pattern
itself does not always bind), that pattern is evaluated on its own and hash-joined instead.

Limits (:class:`Limits`) are errors: the executor raises LimitExceeded when the wall time or
the number of results passes its limit, and lets a LimitExceeded from the Dataset (resources
fetched) propagate. No partial result is ever returned.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from rdflib import Graph
from rdflib.namespace import XSD
from rdflib.term import BNode, Identifier, Literal, URIRef, Variable

from .algebra import (
    BGP,
    Count,
    Filter,
    Join,
    LeftJoin,
    OrderCondition,
    Pattern,
    Query,
    TriplePattern,
    Union,
    expression_variables,
    is_blank_variable,
)
from .dataset import Dataset
from .errors import LimitExceeded
from .expressions import ExpressionError, compile_condition, compile_expression, order_key
from .parser import parse_query
from .planner import order_patterns
from .results import AskResult, SelectResult

Solution = dict[Any, Identifier]  # Variable keys, plus private tags while joining


@dataclass(frozen=True)
class Limits:
    """What one query may cost; None means no limit.

    ``wall_time`` is in seconds (checked as triples are matched), ``results`` counts result
    rows, or triples of a CONSTRUCT or DESCRIBE graph. Resources fetched are limited by
    the Dataset, which raises LimitExceeded("resources_fetched", n) itself.
    """

    wall_time: float | None = None
    results: int | None = None


#: Solutions handed to one prefetch call and one join step at a time.
BATCH_SIZE = 1000
_CLOCK_EVERY = 4096


def execute(
    query: Query | str,
    dataset: Dataset,
    limits: Limits = Limits(),
    *,
    batch_size: int = BATCH_SIZE,
) -> SelectResult | AskResult | Graph:
    """Run a query (a Query, or text for :func:`~sparql_lite.parser.parse_query`).

    SELECT gives a SelectResult, ASK an AskResult, CONSTRUCT and DESCRIBE an rdflib Graph.
    Raises LimitExceeded when a limit is passed (and whatever parsing text raises).
    """
    if isinstance(query, str):
        query = parse_query(query)
    run = _Run(dataset, limits, batch_size)
    if query.form == "SELECT":
        return run.select(query)
    if query.form == "ASK":
        return run.ask(query)
    if query.form == "CONSTRUCT":
        return run.construct(query)
    return run.describe(query)


class _Run:
    def __init__(self, dataset: Dataset, limits: Limits, batch_size: int) -> None:
        self.dataset = dataset
        self.limits = limits
        self.batch_size = batch_size
        self.deadline = None if limits.wall_time is None else time.monotonic() + limits.wall_time

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LimitExceeded("wall_time", self.limits.wall_time)  # type: ignore[arg-type]

    def check_results(self, count: int) -> None:
        if self.limits.results is not None and count > self.limits.results:
            raise LimitExceeded("results", self.limits.results)

    # --- query forms ----------------------------------------------------------------------

    def select(self, query: Query) -> SelectResult:
        variables = query.variables
        if query.counts:
            rows: Iterable[tuple] = [self._counts(query.counts, self._solutions(query.pattern))]
        else:
            solutions = self._solutions(query.pattern)
            if query.order_by:
                solutions = self._ordered(solutions, query.order_by)
            rows = (tuple(solution.get(v) for v in variables) for solution in solutions)
        if query.distinct or query.reduced:
            rows = _unique(rows)
        stop = None if query.limit is None else query.offset + query.limit
        result: list[tuple] = []
        for row in islice(rows, query.offset, stop):
            result.append(row)
            self.check_results(len(result))
        return SelectResult(variables, result)

    def ask(self, query: Query) -> AskResult:
        stop = None if query.limit is None else query.offset + query.limit
        solutions = islice(self._solutions(query.pattern), query.offset, stop)
        return AskResult(next(solutions, None) is not None)

    def construct(self, query: Query) -> Graph:
        graph = _graph(query)
        for solution in self._modified(query):
            fresh: dict[BNode, BNode] = {}
            for triple in query.template:
                instance = _instantiate(triple, solution, fresh)
                if instance is not None:
                    graph.add(instance)
            self.check_results(len(graph))
        return graph

    def describe(self, query: Query) -> Graph:
        resources: dict[Identifier, None] = {}
        variables = [term for term in query.describe if isinstance(term, Variable)]
        resources.update((term, None) for term in query.describe if isinstance(term, URIRef))
        if variables:
            for solution in self._modified(query):
                resources.update(
                    (solution[v], None)
                    for v in variables
                    if v in solution and not isinstance(solution[v], Literal)
                )
        self.dataset.prefetch(subjects=list(resources), objects=list(resources))
        graph = _graph(query)
        for resource in resources:
            for triple in self.dataset.triples(resource, None, None):
                graph.add(triple)
            for triple in self.dataset.triples(None, None, resource):
                graph.add(triple)
            self.check_results(len(graph))
        return graph

    def _modified(self, query: Query) -> Iterator[Solution]:
        """The solutions after ORDER BY, OFFSET and LIMIT."""
        solutions = self._solutions(query.pattern)
        if query.order_by:
            solutions = self._ordered(solutions, query.order_by)
        stop = None if query.limit is None else query.offset + query.limit
        return islice(solutions, query.offset, stop)

    def _ordered(
        self, solutions: Iterable[Solution], conditions: tuple[OrderCondition, ...]
    ) -> Iterator[Solution]:
        ordered = list(solutions)
        for condition in reversed(conditions):  # stable sorts, least significant first
            evaluate = compile_expression(condition.expression)

            def key(solution: Solution, evaluate=evaluate) -> tuple:  # type: ignore[no-untyped-def]
                try:
                    return order_key(evaluate(solution))
                except ExpressionError:
                    return order_key(None)

            ordered.sort(key=key, reverse=condition.descending)
        return iter(ordered)

    def _counts(self, counts: tuple[Count, ...], solutions: Iterator[Solution]) -> tuple:
        if len(counts) == 1:
            return (_count(counts[0], solutions),)
        listed = list(solutions)  # each COUNT reads them all
        return tuple(_count(count, listed) for count in counts)

    # --- graph patterns -------------------------------------------------------------------

    def _solutions(self, pattern: Pattern) -> Iterator[Solution]:
        return self._evaluate(pattern, iter(({},)), frozenset())

    def _evaluate(
        self, pattern: Pattern, inputs: Iterator[Solution], bound: frozenset[Variable]
    ) -> Iterator[Solution]:
        """The solutions of ``pattern`` joined with ``inputs`` (which may bind ``bound``)."""
        if bound and not _substitutable(pattern, bound):
            return self._hash_join(pattern, inputs, bound)
        if isinstance(pattern, BGP):
            return self._bgp(pattern, inputs, bound)
        if isinstance(pattern, Join):
            left = self._evaluate(pattern.left, inputs, bound)
            return self._evaluate(pattern.right, left, bound | pattern.left.maybe)
        if isinstance(pattern, Union):
            return self._union(pattern, inputs, bound)
        if isinstance(pattern, Filter):
            return self._filter(pattern, inputs, bound)
        return self._left_join(pattern, inputs, bound)

    def _bgp(
        self, pattern: BGP, inputs: Iterator[Solution], bound: frozenset[Variable]
    ) -> Iterator[Solution]:
        stream = inputs
        for triple in order_patterns(pattern.triples, self.dataset, bound):
            stream = self._match(triple, stream)
        return stream

    def _match(self, triple: TriplePattern, inputs: Iterator[Solution]) -> Iterator[Solution]:
        """Extend each solution with the triples matching ``triple`` under its bindings."""
        s, p, o = triple
        s_var = s if isinstance(s, Variable) else None
        p_var = p if isinstance(p, Variable) else None
        o_var = o if isinstance(o, Variable) else None
        named = [v for v in (s_var, p_var, o_var) if v is not None]
        repeated = len(set(named)) < len(named)
        lookup = self.dataset.triples
        examined = 0
        for batch in _batches(inputs, self.batch_size):
            self.check_time()
            self._prefetch(triple, batch)
            for solution in batch:
                s_value = s if s_var is None else solution.get(s_var)
                p_value = p if p_var is None else solution.get(p_var)
                o_value = o if o_var is None else solution.get(o_var)
                matches = lookup(s_value, p_value, o_value)
                if s_value is not None and p_value is not None and o_value is None:
                    for _, _, value in matches:  # the usual shape: one object to bind
                        examined += 1
                        if not examined % _CLOCK_EVERY:
                            self.check_time()
                        extended = solution.copy()
                        extended[o_var] = value
                        yield extended
                    continue
                for ts, tp, to in matches:
                    examined += 1
                    if not examined % _CLOCK_EVERY:
                        self.check_time()
                    extended = solution.copy()
                    if s_value is None:
                        extended[s_var] = ts
                    if p_value is None:
                        if repeated and extended.get(p_var, tp) != tp:
                            continue
                        extended[p_var] = tp
                    if o_value is None:
                        if repeated and extended.get(o_var, to) != to:
                            continue
                        extended[o_var] = to
                    yield extended

    def _prefetch(self, triple: TriplePattern, batch: list[Solution]) -> None:
        """One hint for a join step: the subjects it looks up, and the objects it looks up
        with the subject unbound."""
        s, _, o = triple
        subjects: dict[Identifier, None] = {}
        objects: dict[Identifier, None] = {}
        if not isinstance(s, Variable):
            subjects[s] = None
        else:
            for solution in batch:
                subject = solution.get(s)
                if subject is not None:
                    subjects[subject] = None
                elif isinstance(o, Variable):
                    if (bound_object := solution.get(o)) is not None:
                        objects[bound_object] = None
                else:
                    objects[o] = None
        if subjects or objects:
            self.dataset.prefetch(subjects=list(subjects), objects=list(objects))

    def _union(
        self, pattern: Union, inputs: Iterator[Solution], bound: frozenset[Variable]
    ) -> Iterator[Solution]:
        for batch in _batches(inputs, self.batch_size):
            yield from self._evaluate(pattern.left, iter(batch), bound)
            yield from self._evaluate(pattern.right, iter(batch), bound)

    def _filter(
        self, pattern: Filter, inputs: Iterator[Solution], bound: frozenset[Variable]
    ) -> Iterator[Solution]:
        test = compile_condition(pattern.condition)
        return (s for s in self._evaluate(pattern.pattern, inputs, bound) if test(s))

    def _left_join(
        self, pattern: LeftJoin, inputs: Iterator[Solution], bound: frozenset[Variable]
    ) -> Iterator[Solution]:
        test = None if pattern.condition is None else compile_condition(pattern.condition)
        right_bound = bound | pattern.left.maybe
        tag = object()  # marks which left solution an extension came from
        for batch in _batches(self._evaluate(pattern.left, inputs, bound), self.batch_size):
            tagged = iter([{**solution, tag: index} for index, solution in enumerate(batch)])
            matched = [False] * len(batch)
            for extended in self._evaluate(pattern.right, tagged, right_bound):
                extended = extended.copy()
                index = extended.pop(tag)
                if test is None or test(extended):
                    matched[index] = True
                    yield extended
            yield from (solution for solution, hit in zip(batch, matched, strict=True) if not hit)

    def _hash_join(
        self, pattern: Pattern, inputs: Iterator[Solution], bound: frozenset[Variable]
    ) -> Iterator[Solution]:
        """``pattern`` evaluated on its own, joined with ``inputs`` on the shared variables."""
        results = list(self._solutions(pattern))
        keys = sorted(pattern.certain & bound)
        index: dict[tuple, list[Solution]] = defaultdict(list)
        for result in results:
            index[tuple(result[key] for key in keys)].append(result)
        for solution in inputs:
            if all(key in solution for key in keys):
                candidates = index.get(tuple(solution[key] for key in keys), ())
            else:
                candidates = results
            for result in candidates:
                if all(solution.get(k, v) == v for k, v in result.items()):
                    yield {**solution, **result}


def _count(count: Count, solutions: Iterable[Solution]) -> Literal:
    """COUNT over the solutions: of all of them (``*``), or of the values of its argument."""
    argument = count.argument
    values: Iterable[object]
    if argument is None:
        values = (
            (frozenset(i for i in s.items() if not is_blank_variable(i[0])) for s in solutions)
            if count.distinct
            else solutions
        )
    elif isinstance(argument, Variable):
        values = (s[argument] for s in solutions if argument in s)
    else:
        evaluate = compile_expression(argument)
        values = (v for s in solutions if (v := _value_or_none(evaluate, s)) is not None)
    total = len(set(values)) if count.distinct else sum(1 for _ in values)
    return Literal(total, datatype=XSD.integer)


def _value_or_none(
    evaluate: Callable[[Solution], Identifier], solution: Solution
) -> Identifier | None:
    try:
        return evaluate(solution)
    except ExpressionError:
        return None


def _substitutable(pattern: Pattern, bound: frozenset[Variable]) -> bool:
    """Whether joining with bindings of ``bound`` may substitute them into ``pattern``: every
    variable a FILTER or OPTIONAL reads and the input may bind is one the pattern binds first."""
    if isinstance(pattern, Filter):
        return expression_variables(pattern.condition) & bound <= pattern.pattern.certain
    if isinstance(pattern, LeftJoin):
        reads = pattern.right.mentioned
        if pattern.condition is not None:
            reads = reads | expression_variables(pattern.condition)
        return reads & bound <= pattern.left.certain
    return True


def _batches(items: Iterable[Solution], size: int) -> Iterator[list[Solution]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _unique(rows: Iterable[tuple]) -> Iterator[tuple]:
    seen: set[tuple] = set()
    for row in rows:
        if row not in seen:
            seen.add(row)
            yield row


def _graph(query: Query) -> Graph:
    graph = Graph()
    for prefix, namespace in query.prefixes:
        graph.bind(prefix, namespace, override=True)
    return graph


def _instantiate(
    triple: TriplePattern, solution: Solution, fresh: dict[BNode, BNode]
) -> tuple[Identifier, Identifier, Identifier] | None:
    """A template triple under a solution; None if a variable is unbound or the result is not
    a valid RDF triple."""
    terms = []
    for term in triple:
        if isinstance(term, Variable):
            value = solution.get(term)
            if value is None:
                return None
            terms.append(value)
        elif isinstance(term, BNode):
            terms.append(fresh.setdefault(term, BNode()))
        else:
            terms.append(term)
    subject, predicate, object_ = terms
    if isinstance(subject, Literal) or not isinstance(predicate, URIRef):
        return None
    return subject, predicate, object_
