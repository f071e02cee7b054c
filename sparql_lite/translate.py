"""A legal parse tree to the query model (recommendation, 18.2), for the supported subset.

Graph patterns become BGP, Join, LeftJoin, Union and Filter (adjacent triple blocks of a group
merge into one BGP; a group's FILTERs apply to the whole group; a FILTER directly inside
OPTIONAL becomes the LeftJoin condition; ``a UNION b UNION c`` becomes a balanced tree of
Unions, ``a || b || c`` and ``a && b && c`` one Call each, so that long lists nest shallowly).
Everything outside the subset raises UnsupportedFeature with the name of the feature.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

from lark import Token, Tree
from rdflib.namespace import RDF, XSD
from rdflib.term import BNode, Literal, URIRef, Variable

from . import terms
from .algebra import (
    BGP,
    Call,
    Count,
    Expr,
    Filter,
    Join,
    LeftJoin,
    OrderCondition,
    Pattern,
    Query,
    Term,
    TriplePattern,
    Union,
    is_blank_variable,
)
from .errors import UnsupportedFeature
from .expressions import FUNCTIONS
from .rules import is_nil

PROPERTY_PATHS = "property paths"
NAMED_GRAPHS = "named graphs (FROM/GRAPH)"
OTHER_AGGREGATES = "aggregates other than COUNT"

_UNSUPPORTED_ELEMENTS = {
    "minus_graph_pattern": "MINUS",
    "graph_graph_pattern": NAMED_GRAPHS,
    "service_graph_pattern": "SERVICE",
    "bind": "BIND",
    "inline_data": "VALUES",
    "sub_select": "subqueries",
}
_UNSUPPORTED_EXPRESSIONS = {
    "aggregate": OTHER_AGGREGATES,
    "group_concat": OTHER_AGGREGATES,
    "count": "COUNT outside the SELECT clause",
    "exists": "EXISTS",
    "not_exists": "NOT EXISTS",
    "bnode": "function BNODE",
    "replace": "function REPLACE",
}
_COMPARISONS = {"eq": "=", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">="}


def translate(tree: Tree, base: str | None) -> Query:
    """The Query of a parse tree that passed :func:`sparql_lite.rules.check`."""
    return _Translator(base).query(tree)


class _Translator:
    def __init__(self, base: str | None) -> None:
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.serial = count()
        self.variables: dict[str, Variable] = {}

    def _named(self, name: str) -> Variable:
        """One Variable object per name, so that solution lookups hit dict identity checks."""
        return self.variables.setdefault(name, Variable(name))

    def _variable(self, node: Tree) -> Variable:
        return self._named(node.children[0][1:])

    # --- query forms ----------------------------------------------------------------------

    def query(self, tree: Tree) -> Query:
        prologue, body = tree.children
        for declaration in prologue.children:
            if declaration.data == "base_decl":
                self.base = terms.resolve(terms.unescape(declaration.children[0][1:-1]), self.base)
            else:
                name, iri = declaration.children
                self.prefixes[name[:-1]] = self._iri(iri)
        if body.data == "update":
            raise UnsupportedFeature("SPARQL Update")
        form, values = body.children
        if values.children:
            raise UnsupportedFeature("VALUES")
        parts = {child.data: child for child in form.children if isinstance(child, Tree)}
        if "dataset_clause" in parts:
            raise UnsupportedFeature(NAMED_GRAPHS)
        common = {
            "prefixes": tuple(self.prefixes.items()),
            **self._modifiers(parts["solution_modifier"]),
        }
        if form.data == "construct_where":
            triples = tuple(self._triples(parts.get("triples_template"), template=False))
            return Query("CONSTRUCT", BGP(triples), template=triples, **common)
        pattern = self._where(form)
        if form.data == "select_query":
            return Query(
                "SELECT", pattern, **self._select(parts["select_clause"], pattern), **common
            )
        if form.data == "ask_query":
            return Query("ASK", pattern, **common)
        if form.data == "construct_query":
            template = tuple(self._triples(parts["construct_template"], template=True))
            return Query("CONSTRUCT", pattern, template=template, **common)
        if "star" in parts:
            described = tuple(_visible_variables(pattern))
        else:
            described = tuple(
                self._term(child, [])
                for child in form.children
                if isinstance(child, Token) or child.data == "var"
            )
        return Query("DESCRIBE", pattern, describe=described, **common)  # type: ignore[arg-type]

    def _where(self, form: Tree) -> Pattern:
        for child in form.children:
            if isinstance(child, Tree) and child.data in ("group", "sub_select"):
                return self._group(child)
        return BGP()

    def _select(self, clause: Tree, pattern: Pattern) -> dict:
        options: dict = {"distinct": False, "reduced": False}
        variables: list[Variable] = []
        counts: list[Count] = []
        for item in clause.children:
            if item.data == "select_modifier":
                options[item.children[0].lower()] = True
            elif item.data == "star":
                variables.extend(_visible_variables(pattern))
            elif item.data == "var":
                variables.append(self._variable(item))
            else:  # (expression AS ?var), or a bare aggregate named as Virtuoso does
                expression = item.children[0]
                alias = (
                    self._variable(item.children[1])
                    if item.data == "select_expression"
                    else self._named(f"callret-{len(variables)}")
                )
                if not isinstance(expression, Tree) or expression.data != "count":
                    other = _subtrees(expression) & {"aggregate", "group_concat"}
                    raise UnsupportedFeature(OTHER_AGGREGATES if other else "expressions in SELECT")
                counts.append(self._count(expression, alias))
                variables.append(alias)
        return {**options, "variables": tuple(variables), "counts": tuple(counts)}

    def _count(self, node: Tree, alias: Variable) -> Count:
        distinct = any(isinstance(c, Tree) and c.data == "distinct" for c in node.children)
        argument = node.children[-1]
        if isinstance(argument, Tree) and argument.data == "star":
            return Count(alias, None, distinct)
        return Count(alias, self._expression(argument), distinct)

    def _modifiers(self, node: Tree) -> dict:
        modifiers: dict = {}
        for clause in _flatten(node, "limit_offset_clauses"):
            if clause.data == "group_clause":
                raise UnsupportedFeature("GROUP BY")
            if clause.data == "having_clause":
                raise UnsupportedFeature("HAVING")
            if clause.data == "order_clause":
                modifiers["order_by"] = tuple(self._order(c) for c in clause.children)
            elif clause.data == "limit_clause":
                modifiers["limit"] = int(clause.children[0])
            elif clause.data == "offset_clause":
                modifiers["offset"] = int(clause.children[0])
        return modifiers

    def _order(self, condition: Tree | Token) -> OrderCondition:
        if isinstance(condition, Tree) and condition.data in ("asc", "desc"):
            return OrderCondition(self._expression(condition.children[0]), condition.data == "desc")
        return OrderCondition(self._expression(condition))

    # --- graph patterns -------------------------------------------------------------------

    def _group(self, node: Tree) -> Pattern:
        pattern, filters = self._group_parts(node)
        return Filter(_conjunction(filters), pattern) if filters else pattern

    def _group_parts(self, node: Tree) -> tuple[Pattern, list[Expr]]:
        """A group's pattern without its own FILTERs, and those FILTERs' expressions."""
        if node.data == "sub_select":
            raise UnsupportedFeature("subqueries")
        pattern: Pattern = BGP()
        pending: list[TriplePattern] = []
        filters: list[Expr] = []
        for element in node.children:
            kind = element.data
            if kind == "triples_block":
                for triples in element.children:
                    self._triples_same_subject(triples, pending, template=False)
                continue
            if kind == "filter":
                filters.append(self._expression(element.children[0]))
                continue
            if kind in _UNSUPPORTED_ELEMENTS:
                raise UnsupportedFeature(_UNSUPPORTED_ELEMENTS[kind])
            pattern, pending = _join(pattern, BGP(tuple(pending))), []
            if kind == "optional_graph_pattern":
                optional, conditions = self._group_parts(element.children[0])
                condition = _conjunction(conditions) if conditions else None
                pattern = LeftJoin(pattern, optional, condition)
            else:  # group_or_union_graph_pattern
                branches = [self._group(branch) for branch in element.children]
                pattern = _join(pattern, _balanced_union(branches))
        return _join(pattern, BGP(tuple(pending))), filters

    def _triples(self, node: Tree | None, template: bool) -> list[TriplePattern]:
        triples: list[TriplePattern] = []
        if node is not None:
            for child in _flatten(node, "construct_triples", "triples_template"):
                self._triples_same_subject(child, triples, template)
        return triples

    def _triples_same_subject(self, node: Tree, out: list[TriplePattern], template: bool) -> None:
        subject, *properties = node.children
        subject_term = self._node(subject, out, template)
        if properties:
            self._property_list(properties[0], subject_term, out, template)

    def _property_list(
        self, node: Tree, subject: Term, out: list[TriplePattern], template: bool
    ) -> None:
        children = node.children
        for verb, objects in zip(children[::2], children[1::2], strict=True):
            predicate = self._verb(verb)
            for item in objects.children:
                position = len(out)  # the triple goes before those its object adds: text order
                out.insert(
                    position, TriplePattern(subject, predicate, self._node(item, out, template))
                )

    def _verb(self, verb: Tree | Token) -> Term:
        if isinstance(verb, Token):
            return self._iri(verb)
        if verb.data == "var":
            return self._variable(verb)
        if verb.data == "rdf_type":
            return RDF.type
        raise UnsupportedFeature(PROPERTY_PATHS)

    def _node(self, node: Tree | Token, out: list[TriplePattern], template: bool) -> Term:
        """The term of a graph node, adding the triples of collections and [ ] to ``out``."""
        if isinstance(node, Token) and node.type == "BLANK_NODE_LABEL":
            return self._blank(template, node[2:])
        if isinstance(node, Token) and node.type == "ANON":
            return self._blank(template)
        if isinstance(node, Tree) and node.data in ("blank_node_property_list",
                                                    "blank_node_property_list_path"):  # fmt: skip
            subject = self._blank(template)
            self._property_list(node.children[0], subject, out, template)
            return subject
        if isinstance(node, Tree) and node.data == "collection":
            items = [self._node(child, out, template) for child in node.children]
            head: Term = RDF.nil
            for item in reversed(items):
                cell = self._blank(template)
                out.append(TriplePattern(cell, RDF.first, item))
                out.append(TriplePattern(cell, RDF.rest, head))
                head = cell
            return head
        return self._term(node, out)

    def _blank(self, template: bool, label: str | None = None) -> Term:
        if template:
            return BNode(label) if label is not None else BNode()
        return self._named(f"_:{label}" if label is not None else f"_:#{next(self.serial)}")

    def _term(self, node: Tree | Token, out: list[TriplePattern]) -> Term:
        if isinstance(node, Tree):
            if node.data == "var":
                return self._variable(node)
            if node.data == "rdf_literal":
                return self._literal(node)
            if node.data == "boolean_literal":
                return Literal(node.children[0].lower(), datatype=XSD.boolean)
        elif node.type in terms.NUMBER_TOKENS:
            return terms.number(node.type, node)
        elif node.type == "NIL":
            return RDF.nil
        elif node.type in ("IRIREF", "PNAME_LN", "PNAME_NS"):
            return self._iri(node)
        raise AssertionError(f"not a term: {node!r}")

    def _iri(self, token: Token) -> URIRef:
        if token.type == "IRIREF":
            return URIRef(terms.resolve(terms.unescape(token[1:-1]), self.base))
        prefix, local = token.split(":", 1)
        return URIRef(self.prefixes[prefix] + terms.local_name(local))

    def _literal(self, node: Tree) -> Literal:
        string, *suffix = node.children
        lexical = terms.string_value(string.type, string)
        if not suffix:
            return terms.plain_or_typed(lexical)
        if suffix[0].type == "LANGTAG":
            return terms.plain_or_typed(lexical, lang=suffix[0][1:])
        return terms.plain_or_typed(lexical, datatype=self._iri(suffix[0]))

    # --- expressions ----------------------------------------------------------------------

    def _expression(self, node: Tree | Token) -> Expr:
        if isinstance(node, Token) or node.data in ("var", "rdf_literal", "boolean_literal"):
            return self._term(node, [])  # type: ignore[return-value]
        kind = node.data
        if kind in ("or_expression", "and_expression"):
            symbol = "||" if kind == "or_expression" else "&&"
            return Call(symbol, tuple(self._expression(child) for child in node.children))
        if kind in _COMPARISONS:
            left, right = node.children
            return Call(_COMPARISONS[kind], (self._expression(left), self._expression(right)))
        if kind in ("in_list", "not_in_list"):
            needle, haystack = node.children
            items = [self._expression(c) for c in haystack.children if not is_nil(c)]
            return Call("IN" if kind == "in_list" else "NOT IN", (self._expression(needle), *items))
        if kind in ("additive_expression", "multiplicative_expression"):
            return self._arithmetic(node.children)
        if kind == "unary_expression":
            symbol, operand = node.children
            name = {"!": "!", "-": "NEG", "+": "POS"}[symbol]
            return Call(name, (self._expression(operand),))
        if kind == "bound":
            return Call("BOUND", (self._variable(node.children[0]),))
        if kind == "call":
            name = node.children[0].children[0].upper()
            if name not in FUNCTIONS:
                raise UnsupportedFeature(f"function {name}")
            arguments = [self._expression(c) for c in node.children[1:] if not is_nil(c)]
            return Call(name, tuple(arguments))
        if kind == "call_list":
            raise UnsupportedFeature(f"function {node.children[0].children[0].upper()}")
        if kind == "function_call":
            iri = self._iri(node.children[0])
            if iri.startswith(str(XSD)):
                raise UnsupportedFeature(f"casts (xsd:{iri[len(str(XSD)) :]})")
            raise UnsupportedFeature(f"extension function <{iri}>")
        raise UnsupportedFeature(_UNSUPPORTED_EXPRESSIONS.get(kind, kind))

    def _arithmetic(self, children: list[Tree | Token]) -> Expr:
        """Fold ``a + b - c`` and ``a * b / c``. A signed number stands for its sign and its
        value, and binds the factors after it: ``?x -2 * 3`` is ``?x - (2 * 3)`` (grammar [116])."""
        result = self._expression(children[0])
        index = 1
        while index < len(children):
            item = children[index]
            if isinstance(item, Token) and item.type in terms.NUMBER_TOKENS:
                operand: Expr = terms.number(item.type, item[1:])
                index += 1
                while index < len(children) and children[index] in ("*", "/"):
                    factor = self._expression(children[index + 1])
                    operand = Call(str(children[index]), (operand, factor))
                    index += 2
                result = Call(item[0], (result, operand))
            else:
                result = Call(str(item), (result, self._expression(children[index + 1])))
                index += 2
        return result


def _join(left: Pattern, right: Pattern) -> Pattern:
    if isinstance(left, BGP) and isinstance(right, BGP):
        return BGP(left.triples + right.triples)
    if isinstance(left, BGP) and not left.triples:
        return right
    if isinstance(right, BGP) and not right.triples:
        return left
    return Join(left, right)


def _flatten(node: Tree, *wrappers: str) -> Iterator[Tree]:
    """The children of ``node``, with those of the (optional, inlined) ``wrappers`` spliced in."""
    for child in node.children:
        if isinstance(child, Tree) and child.data in wrappers:
            yield from _flatten(child, *wrappers)
        else:
            yield child


def _subtrees(node: Tree | Token) -> set[str]:
    """The kinds of the subtrees of ``node`` (none for a token)."""
    return {tree.data for tree in node.iter_subtrees()} if isinstance(node, Tree) else set()


def _conjunction(expressions: list[Expr]) -> Expr:
    return expressions[0] if len(expressions) == 1 else Call("&&", tuple(expressions))


def _balanced_union(branches: list[Pattern]) -> Pattern:
    """The UNION of the branches as a balanced tree: evaluated depth first, left to right, it
    gives the solutions in the order of the left-deep tree of the text (UNION is associative),
    but nests log2(n) levels deep, not n."""
    if len(branches) == 1:
        return branches[0]
    middle = (len(branches) + 1) // 2  # three branches: (a UNION b) UNION c, as written
    return Union(_balanced_union(branches[:middle]), _balanced_union(branches[middle:]))


def _visible_variables(pattern: Pattern) -> Iterator[Variable]:
    """The variables ``SELECT *`` projects: in order of first appearance, blank nodes left out."""
    seen: set[Variable] = set()
    stack: list[Pattern] = [pattern]
    ordered: list[Variable] = []
    while stack:
        node = stack.pop()
        if isinstance(node, BGP):
            for triple in node.triples:
                for term in triple:
                    if (
                        isinstance(term, Variable)
                        and term not in seen
                        and not is_blank_variable(term)
                    ):
                        seen.add(term)
                        ordered.append(term)
        elif isinstance(node, Filter):
            stack.append(node.pattern)
        else:
            stack.extend((node.right, node.left))
    return iter(ordered)
