"""The query model: triple patterns, graph patterns, expressions and the query itself.

Terms are rdflib terms. A blank node in a graph pattern acts as a variable that is never
projected; it is represented as a :class:`~rdflib.term.Variable` whose name starts with ``_:``
(no SPARQL variable name can), see :func:`is_blank_variable`. Blank nodes in a CONSTRUCT
template stay :class:`~rdflib.term.BNode` and are renewed for every solution.

Every graph pattern knows three sets of variables, computed once when it is built:
``certain`` (bound in every solution), ``maybe`` (bound in some solution) and ``mentioned``
(``maybe`` plus the variables its filters read). The executor uses them to decide when a bind
join (substituting the bindings found so far) gives the same answers as SPARQL's bottom-up
evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.term import Identifier, Literal, URIRef, Variable

Term = Identifier
"""An rdflib URIRef, Literal, BNode or Variable."""


def is_blank_variable(variable: Variable) -> bool:
    """True for the variables that stand for blank nodes of a graph pattern."""
    return variable.startswith("_:")


@dataclass(frozen=True, slots=True)
class TriplePattern:
    subject: Term
    predicate: Term
    object: Term

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter((self.subject, self.predicate, self.object))

    @property
    def variables(self) -> frozenset[Variable]:
        return frozenset(term for term in self if isinstance(term, Variable))


@dataclass(frozen=True, slots=True)
class Call:
    """An operator or built-in function applied to arguments, e.g. ``Call("<", (a, b))``.

    Names are the SPARQL operator (``||``, ``&&``, ``!``, ``=``, ``!=``, ``<``, ``>``, ``<=``,
    ``>=``, ``+``, ``-``, ``*``, ``/``, ``IN``, ``NOT IN``; unary minus and plus are ``NEG``
    and ``POS``) or the upper-case function name (``REGEX``, ``BOUND``, ...). ``||`` and ``&&``
    take two or more operands (``a || b || c`` is one Call, since both are associative).
    """

    name: str
    args: tuple[Expr, ...]


Expr = Variable | URIRef | Literal | Call


def expression_variables(expression: Expr) -> frozenset[Variable]:
    variables: set[Variable] = set()
    stack = [expression]
    while stack:  # iterative: a long chain of operators nests deeply
        item = stack.pop()
        if isinstance(item, Variable):
            variables.add(item)
        elif isinstance(item, Call):
            stack.extend(item.args)
    return frozenset(variables)


_VARSETS = {"init": False, "repr": False, "compare": False}


@dataclass(frozen=True, slots=True)
class BGP:
    """A basic graph pattern; the empty one has exactly one (empty) solution."""

    triples: tuple[TriplePattern, ...] = ()
    certain: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    maybe: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    mentioned: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]

    def __post_init__(self) -> None:
        variables = frozenset().union(*(triple.variables for triple in self.triples))
        _set_variables(self, variables, variables, variables)


@dataclass(frozen=True, slots=True)
class Join:
    left: Pattern
    right: Pattern
    certain: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    maybe: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    mentioned: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]

    def __post_init__(self) -> None:
        left, right = self.left, self.right
        _set_variables(
            self,
            left.certain | right.certain,
            left.maybe | right.maybe,
            left.mentioned | right.mentioned,
        )


@dataclass(frozen=True, slots=True)
class LeftJoin:
    """OPTIONAL: ``right`` extends ``left`` where it matches and ``condition`` holds."""

    left: Pattern
    right: Pattern
    condition: Expr | None = None
    certain: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    maybe: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    mentioned: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]

    def __post_init__(self) -> None:
        left, right = self.left, self.right
        condition = frozenset() if self.condition is None else expression_variables(self.condition)
        _set_variables(
            self,
            left.certain,
            left.maybe | right.maybe,
            left.mentioned | right.mentioned | condition,
        )


@dataclass(frozen=True, slots=True)
class Union:
    left: Pattern
    right: Pattern
    certain: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    maybe: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    mentioned: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]

    def __post_init__(self) -> None:
        left, right = self.left, self.right
        _set_variables(
            self,
            left.certain & right.certain,
            left.maybe | right.maybe,
            left.mentioned | right.mentioned,
        )


@dataclass(frozen=True, slots=True)
class Filter:
    condition: Expr
    pattern: Pattern
    certain: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    maybe: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]
    mentioned: frozenset[Variable] = field(**_VARSETS)  # type: ignore[call-overload]

    def __post_init__(self) -> None:
        pattern = self.pattern
        _set_variables(
            self,
            pattern.certain,
            pattern.maybe,
            pattern.mentioned | expression_variables(self.condition),
        )


Pattern = BGP | Join | LeftJoin | Union | Filter


def _set_variables(
    pattern: Pattern,
    certain: frozenset[Variable],
    maybe: frozenset[Variable],
    mentioned: frozenset[Variable],
) -> None:
    object.__setattr__(pattern, "certain", certain)
    object.__setattr__(pattern, "maybe", maybe)
    object.__setattr__(pattern, "mentioned", mentioned)


@dataclass(frozen=True, slots=True)
class OrderCondition:
    expression: Expr
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Count:
    """``COUNT([DISTINCT] argument)`` projected as ``alias``; argument None means ``*``."""

    alias: Variable
    argument: Expr | None
    distinct: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query of the supported subset.

    ``form`` is ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``. ``variables`` is the
    SELECT projection (``*`` already expanded; the aliases when ``counts`` is not empty, which
    makes it an aggregate query with exactly one solution). ``template`` is the CONSTRUCT
    template, ``describe`` the resources (IRIs and variables) of a DESCRIBE, ``prefixes`` the
    query's PREFIX declarations (for serializing graph results).
    """

    form: str
    pattern: Pattern
    variables: tuple[Variable, ...] = ()
    counts: tuple[Count, ...] = ()
    distinct: bool = False
    reduced: bool = False
    order_by: tuple[OrderCondition, ...] = ()
    limit: int | None = None
    offset: int = 0
    template: tuple[TriplePattern, ...] = ()
    describe: tuple[URIRef | Variable, ...] = ()
    prefixes: tuple[tuple[str, str], ...] = ()


def evaluation_depth(query: Query) -> int:
    """How deeply evaluating ``query`` nests: the executor's Python stack grows with it.

    Solutions flow through one join step per triple pattern, so a basic graph pattern counts
    one level per triple pattern and a Join the levels of both its sides; OPTIONAL, UNION and
    FILTER add one level to the deepest of their parts (conditions included). An expression
    counts one level per operator or function call nested in it: ``1 + 2 + 3`` nests two
    levels deep, ``a || b || c`` one.
    """
    roots: list[Pattern | Expr] = [query.pattern]
    roots.extend(condition.expression for condition in query.order_by)
    roots.extend(count.argument for count in query.counts if count.argument is not None)
    depths: dict[int, int] = {}
    stack: list[tuple[Pattern | Call, bool]] = [
        (root, False) for root in roots if isinstance(root, _NESTING)
    ]
    while stack:  # iterative, post-order: the tree may be deeper than Python's stack
        node, expanded = stack.pop()
        if id(node) in depths:
            continue
        parts = _parts(node)
        if not expanded:
            stack.append((node, True))
            stack.extend((part, False) for part in parts if isinstance(part, _NESTING))
            continue
        inner = [depths[id(part)] if isinstance(part, _NESTING) else 0 for part in parts]
        if isinstance(node, BGP):
            depths[id(node)] = max(1, len(node.triples))
        elif isinstance(node, Join):
            depths[id(node)] = sum(inner)
        else:
            depths[id(node)] = 1 + max(inner, default=0)
    return max((depths[id(root)] for root in roots if isinstance(root, _NESTING)), default=0)


_NESTING = (BGP, Join, LeftJoin, Union, Filter, Call)


def _parts(node: Pattern | Call) -> tuple[Pattern | Expr, ...]:
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Join | Union):
        return (node.left, node.right)
    if isinstance(node, LeftJoin):
        return (
            (node.left, node.right)
            if node.condition is None
            else (node.left, node.right, node.condition)
        )
    if isinstance(node, Filter):
        return (node.pattern, node.condition)
    return ()
