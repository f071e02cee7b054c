"""Evaluate a Query over a Dataset.

Solutions flow through the graph pattern as a stream of bindings, and every step extends the
bindings it receives (a bind join): a triple pattern is looked up once per incoming solution
with the variables bound so far substituted, after one ``prefetch`` call for the whole batch
of incoming solutions. Where SPARQL's bottom-up semantics would differ from substitution (a
FILTER or OPTIONAL reading a variable that the incoming solutions may bind but the pattern
itself does not always bind), that pattern is evaluated on its own and hash-joined instead.
What a pattern needs beyond its input (join order, compiled conditions, the hash table of a
pattern evaluated on its own) is made once per run, however many batches pass through it.

Over an InMemoryDataset (exactly that class, whose prefetch does nothing) join steps read its
indexes directly, without batches, and consecutive patterns on one subject variable (a star)
are joined together, one subject lookup and one solution copy per answer. Solutions are never
modified once yielded, so a step that binds nothing new passes them on as they are.

Limits (:class:`Limits`) are errors: the executor raises LimitExceeded when the wall time or
the number of results passes its limit, and lets a LimitExceeded from the Dataset (resources
fetched) propagate. No partial result is ever returned.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice, product
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
from .dataset import Dataset, InMemoryDataset
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
        # What a graph pattern needs once per run, not once per batch of solutions it joins:
        # join orders, compiled conditions, hash join tables. Keyed by (kind, id(pattern),
        # bound); the query holds its patterns for the whole run, so ids stay valid.
        self.memo: dict[tuple, Any] = {}

    def memoized(self, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, computed once per run for ``key``."""
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = make()
            return value

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
            rows = map(_row_maker(variables), solutions)
        if query.distinct or query.reduced:
            rows = _unique(rows)
        stop = None if query.limit is None else query.offset + query.limit
        most = self.limits.results
        if most is not None:  # one row past the limit is enough to know it is exceeded
            stop = query.offset + most + 1 if stop is None else min(stop, query.offset + most + 1)
        result = list(islice(rows, query.offset, stop))
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
        if (
            bound
            and isinstance(pattern, Filter | LeftJoin)
            and not self.memoized(
                ("substitutable", id(pattern), bound), lambda: _substitutable(pattern, bound)
            )
        ):
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
        for triples, bound_before in self.memoized(
            ("plan", id(pattern), bound), lambda: self._plan(pattern, bound)
        ):
            if len(triples) > 1:
                stream = self._star(triples, stream, self.dataset, bound_before)  # type: ignore[arg-type]
            else:
                stream = self._match(triples[0], stream)
        return stream

    def _plan(
        self, pattern: BGP, bound: frozenset[Variable]
    ) -> list[tuple[list[TriplePattern], frozenset[Variable]]]:
        """The join steps of a BGP, in order: one triple pattern each, or a star of several
        over an InMemoryDataset (see :func:`_star`), with the variables bound before it."""
        ordered = order_patterns(pattern.triples, self.dataset, bound)
        if type(self.dataset) is not InMemoryDataset:
            return [([triple], bound) for triple in ordered]
        steps = []
        bound_now = set(bound)
        index = 0
        while index < len(ordered):
            star = _star(ordered, index, bound_now)
            steps.append((star, frozenset(bound_now)))
            for triple in star:
                bound_now |= triple.variables
            index += len(star)
        return steps

    def _star(
        self,
        star: list[TriplePattern],
        inputs: Iterator[Solution],
        dataset: InMemoryDataset,
        bound: frozenset[Variable],
    ) -> Iterator[Solution]:
        """Consecutive patterns ``?s <p> o`` on one subject variable with constant predicates,
        whose objects are constants or distinct variables (see :func:`_star`): one index
        lookup per subject for all of them, and one copy of the solution per answer. Unless
        ``?s`` is bound already, the first pattern has a constant object and gives the
        subjects; a solution binding ``?s`` differently from that expectation takes the
        patterns one by one."""
        s_var = star[0].subject
        terms = dataset._terms
        steps = []
        for triple in star:
            p, o = terms.get(triple.predicate, triple.predicate), triple.object
            o_var = o if isinstance(o, Variable) else None
            steps.append((p, o_var, o if o_var is not None else terms.get(o, o)))
        seeded = s_var not in bound
        if seeded:
            seed_p, _, seed_o = steps[0]
            steps = steps[1:]
        by_subject = dataset._spo.get
        by_predicate = dataset._pos
        check_time = self.check_time
        examined = 0
        for solution in inputs:
            s_value = solution.get(s_var)
            if seeded == (s_value is not None):  # not the expected shape
                stream: Iterator[Solution] = iter((solution,))
                for triple in star:
                    stream = self._match(triple, stream)
                yield from stream
                continue
            subjects = tuple(by_predicate.get(seed_p, {}).get(seed_o, ())) if seeded else (s_value,)
            # Per step: (predicate, the variable to bind or None, the object it must have).
            plan = []
            for p, o_var, o in steps:
                value = None if o_var is None else solution.get(o_var)
                if value is None and o_var is not None:
                    plan.append((p, o_var, None))
                else:
                    plan.append((p, None, o if o_var is None else value))
            for subject in subjects:
                examined += 1
                if not examined % _CLOCK_EVERY:
                    check_time()
                objects_by_predicate = by_subject(subject)
                if objects_by_predicate is None:
                    continue
                extended = None  # the solution extended with the single-valued objects
                several = None  # (variable, objects) of the others
                for p, o_var, o in plan:
                    objects = objects_by_predicate.get(p)
                    if not objects:
                        break
                    if o_var is None:
                        if o not in objects:
                            break
                    elif len(objects) == 1:
                        if extended is None:
                            extended = solution.copy()
                            if seeded:
                                extended[s_var] = subject
                        (extended[o_var],) = objects
                    elif several is None:
                        several = [(o_var, objects)]
                    else:
                        several.append((o_var, objects))
                else:
                    if extended is None:
                        extended = {**solution, s_var: subject} if seeded else solution
                    if several is None:
                        yield extended
                        continue
                    variables = [o_var for o_var, _ in several]
                    for values in product(*[tuple(objects) for _, objects in several]):
                        examined += 1
                        solution_ = extended.copy()
                        solution_.update(zip(variables, values, strict=True))
                        yield solution_

    def _match(self, triple: TriplePattern, inputs: Iterator[Solution]) -> Iterator[Solution]:
        """Extend each solution with the triples matching ``triple`` under its bindings."""
        if type(self.dataset) is InMemoryDataset and not isinstance(triple.predicate, Variable):
            # exactly InMemoryDataset: subclasses may fetch on lookup
            return self._match_in_memory(triple, inputs, self.dataset)
        return self._match_generic(triple, inputs)

    def _match_in_memory(
        self, triple: TriplePattern, inputs: Iterator[Solution], dataset: InMemoryDataset
    ) -> Iterator[Solution]:
        """``_match`` reading the indexes of an InMemoryDataset directly (its prefetch does
        nothing), for a constant predicate; other shapes take the general path per solution."""
        s, p, o = triple
        s_var = s if isinstance(s, Variable) else None
        o_var = o if isinstance(o, Variable) else None
        terms = dataset._terms
        # The dataset's own term objects: index lookups then match by identity.
        p = terms.get(p, p)
        if s_var is None:
            s = terms.get(s, s)
        if o_var is None:
            o = terms.get(o, o)
        by_subject = dataset._spo.get
        by_predicate = dataset._pos
        check_time = self.check_time
        examined = 0
        for solution in inputs:
            examined += 1
            if not examined % _CLOCK_EVERY:
                check_time()
            s_value = s if s_var is None else solution.get(s_var)
            o_value = o if o_var is None else solution.get(o_var)
            if s_value is not None:
                objects = by_subject(s_value)
                if objects is None:
                    continue
                objects = objects.get(p)
                if not objects:
                    continue
                if o_value is not None:
                    if o_value in objects:
                        yield solution
                    continue
                if len(objects) == 1:
                    (value,) = objects
                    extended = solution.copy()
                    extended[o_var] = value
                    yield extended
                    continue
                for value in tuple(objects):
                    examined += 1
                    if not examined % _CLOCK_EVERY:
                        check_time()
                    extended = solution.copy()
                    extended[o_var] = value
                    yield extended
                continue
            if o_value is not None:
                subjects = by_predicate.get(p, {}).get(o_value)
                if not subjects:
                    continue
                for value in tuple(subjects):
                    examined += 1
                    if not examined % _CLOCK_EVERY:
                        check_time()
                    if solution:
                        extended = solution.copy()
                        extended[s_var] = value
                        yield extended
                    else:
                        yield {s_var: value}
                continue
            if s_var != o_var:  # ?s <p> ?o: all of the predicate's triples
                by_object = by_predicate.get(p)
                if not by_object:
                    continue
                pairs = [(value, tuple(subjects)) for value, subjects in by_object.items()]
                for value, subjects in pairs:
                    for subject in subjects:
                        examined += 1
                        if not examined % _CLOCK_EVERY:
                            check_time()
                        extended = solution.copy()
                        extended[s_var] = subject
                        extended[o_var] = value
                        yield extended
                continue
            yield from self._match_generic(triple, iter((solution,)))

    def _match_generic(
        self, triple: TriplePattern, inputs: Iterator[Solution]
    ) -> Iterator[Solution]:
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
        test = self.memoized(
            ("condition", id(pattern)), lambda: compile_condition(pattern.condition)
        )
        return (s for s in self._evaluate(pattern.pattern, inputs, bound) if test(s))

    def _left_join(
        self, pattern: LeftJoin, inputs: Iterator[Solution], bound: frozenset[Variable]
    ) -> Iterator[Solution]:
        condition = pattern.condition
        test = (
            None
            if condition is None
            else self.memoized(("condition", id(pattern)), lambda: compile_condition(condition))
        )
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
        """``pattern`` evaluated on its own (once per run), joined with ``inputs`` on the
        shared variables."""
        results, keys, index = self.memoized(
            ("hash join", id(pattern), bound), lambda: self._hash_table(pattern, bound)
        )
        for solution in inputs:
            if all(key in solution for key in keys):
                candidates = index.get(tuple(solution[key] for key in keys), ())
            else:
                candidates = results
            for result in candidates:
                if all(solution.get(k, v) == v for k, v in result.items()):
                    yield {**solution, **result}

    def _hash_table(
        self, pattern: Pattern, bound: frozenset[Variable]
    ) -> tuple[list[Solution], list[Variable], dict[tuple, list[Solution]]]:
        """The solutions of ``pattern`` on its own, the variables ``_hash_join`` joins them on,
        and the solutions by the values of those variables."""
        results = list(self._solutions(pattern))
        keys = sorted(pattern.certain & bound)
        index: dict[tuple, list[Solution]] = defaultdict(list)
        for result in results:
            index[tuple(result[key] for key in keys)].append(result)
        return results, keys, dict(index)


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


def _row_maker(variables: tuple[Variable, ...]) -> Callable[[Solution], tuple]:
    """A function from a solution to its row of ``variables`` (None where unbound)."""
    if len(variables) == 1:
        [only] = variables
        return lambda solution: (solution.get(only),)
    if len(variables) == 2:
        first, second = variables
        return lambda solution: (solution.get(first), solution.get(second))
    if len(variables) == 3:
        first, second, third = variables
        return lambda solution: (solution.get(first), solution.get(second), solution.get(third))
    return lambda solution: tuple(map(solution.get, variables))


def _star(ordered: list[TriplePattern], start: int, bound: set[Variable]) -> list[TriplePattern]:
    """The patterns from ``start`` on that ``_Run._star`` may evaluate together: a subject
    variable, constant predicates, objects constants or variables each seen once; unless the
    subject is bound, the first object is a constant."""
    first = ordered[start]
    s_var = first.subject
    if not isinstance(s_var, Variable) or isinstance(first.predicate, Variable):
        return [first]
    if s_var not in bound and isinstance(first.object, Variable):
        return [first]
    star: list[TriplePattern] = []
    seen = {s_var}
    for triple in ordered[start:]:
        if triple.subject != s_var or isinstance(triple.predicate, Variable):
            break
        o = triple.object
        if isinstance(o, Variable):
            if o in seen:
                break
            seen.add(o)
        star.append(triple)
    return star


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
