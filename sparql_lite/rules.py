"""The rules of SPARQL 1.1 that the grammar alone does not enforce (recommendation, 19.8 and
18.2), checked on the parse tree so that every illegal query is a QuerySyntaxError:

- every prefix is declared, every \\u escape names a valid code point;
- a blank node label belongs to one basic graph pattern (FILTERs do not split one);
- a BIND variable is not in scope before the BIND, a SELECT ``AS`` variable not in scope in
  the WHERE clause nor projected twice;
- with GROUP BY or aggregates: no ``SELECT *``, projected variables are grouped, aggregates only
  in SELECT, HAVING and ORDER BY;
- VALUES rows have as many values as variables;
- updates: no variables in INSERT/DELETE DATA, no blank nodes in DELETE.

In strict mode the bare ``SELECT COUNT(?x)`` form the grammar admits as an extension is illegal.
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token, Tree

from .errors import QuerySyntaxError
from .terms import unescape

_AGGREGATES = frozenset({"count", "aggregate", "group_concat"})
_ESCAPED_TOKENS = frozenset(
    {"IRIREF", "STRING_LITERAL1", "STRING_LITERAL2", "STRING_LITERAL_LONG1", "STRING_LITERAL_LONG2"}
)


def check(tree: Tree, *, strict: bool) -> None:
    """Raise QuerySyntaxError for the first rule ``tree`` breaks."""
    _check_tokens(tree)
    _check_blank_node_labels(tree)
    for node in tree.iter_subtrees_topdown():
        kind = node.data
        if kind == "group":
            _check_group(node)
        elif kind in ("select_query", "sub_select"):
            _check_select(node, strict)
        elif kind == "inline_data_full":
            _check_values(node)
        elif kind in ("insert_data", "delete_data"):
            for token in _tokens(node):
                if token.type in ("VAR1", "VAR2"):
                    raise _error(token, f"variable {token} in INSERT DATA or DELETE DATA")
        if kind in ("delete_data", "delete_where", "delete_clause"):
            _check_no_blank_nodes(node)


def _error(where: Token | Tree, message: str) -> QuerySyntaxError:
    if isinstance(where, Token):
        return QuerySyntaxError(message, where.line or 1, where.column or 1)
    meta = where.meta
    return QuerySyntaxError(message, getattr(meta, "line", 1), getattr(meta, "column", 1))


def _tokens(node: Tree | Token) -> Iterator[Token]:
    """The tokens under ``node``, in document order."""
    stack: list[Tree | Token] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Token):
            yield item
        else:
            stack.extend(reversed(item.children))


def _variables(node: Tree | Token) -> Iterator[Token]:
    return (token for token in _tokens(node) if token.type in ("VAR1", "VAR2"))


def _var_name(node: Tree) -> str:
    return node.children[0][1:]


def _check_tokens(tree: Tree) -> None:
    declared: set[str] = set()
    stack: list[Tree | Token] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, Tree):
            if item.data == "prefix_decl":
                name, iri = item.children
                _check_escapes(iri)
                declared.add(name[:-1])
            else:
                stack.extend(reversed(item.children))
        elif item.type in ("PNAME_LN", "PNAME_NS"):
            prefix = item.split(":", 1)[0]
            if prefix not in declared:
                raise _error(item, f"undeclared prefix '{prefix}:'")
        elif item.type in _ESCAPED_TOKENS:
            _check_escapes(item)


def _check_escapes(token: Token) -> None:
    try:
        unescape(token)
    except ValueError as error:
        raise _error(token, str(error)) from None


def _check_blank_node_labels(tree: Tree) -> None:
    owner: dict[str, int] = {}
    scope = 0

    def claim(node: Tree) -> None:
        for token in _tokens(node):
            if token.type == "BLANK_NODE_LABEL" and owner.setdefault(token, scope) != scope:
                raise _error(token, f"blank node label {token} used in two basic graph patterns")

    for node in tree.iter_subtrees_topdown():
        if node.data == "group":
            scope += 1
            for element in node.children:
                if element.data == "triples_block":
                    claim(element)
                elif element.data != "filter":
                    scope += 1
        elif node.data == "insert_data":
            scope += 1
            claim(node)


def _check_no_blank_nodes(node: Tree) -> None:
    for item in node.iter_subtrees_topdown():
        if item.data in ("collection", "blank_node_property_list"):
            raise _error(item, "blank nodes are not allowed in DELETE")
    for token in _tokens(node):
        if token.type in ("BLANK_NODE_LABEL", "ANON"):
            raise _error(token, "blank nodes are not allowed in DELETE")


def _in_scope(node: Tree | Token) -> set[str]:
    """The variables in scope after the group graph pattern element ``node`` (18.2.1)."""
    if isinstance(node, Token):
        return set()
    kind = node.data
    if kind in ("triples_block", "inline_data", "var"):
        return {token[1:] for token in _variables(node)}
    if kind in ("group", "group_or_union_graph_pattern", "optional_graph_pattern"):
        return set().union(*(_in_scope(child) for child in node.children))
    if kind in ("graph_graph_pattern", "service_graph_pattern"):
        return set().union(*(_in_scope(child) for child in node.children))
    if kind == "bind":
        return {_var_name(node.children[1])}
    if kind == "sub_select":
        return _projected(node)
    return set()  # filter, minus_graph_pattern


def _projected(select: Tree) -> set[str]:
    clause, where = select.children[0], _where(select)
    names: set[str] = set()
    for item in clause.children:
        if item.data == "star":
            return _in_scope(where)
        if item.data == "var":
            names.add(_var_name(item))
        elif item.data == "select_expression":
            names.add(_var_name(item.children[1]))
    return names


def _where(select: Tree) -> Tree:
    return next(
        child
        for child in select.children[1:]
        if isinstance(child, Tree) and child.data in ("group", "sub_select")
    )


def _check_group(group: Tree) -> None:
    seen: set[str] = set()
    for element in group.children:
        if element.data == "bind":
            expression, variable = element.children
            _check_no_aggregates(expression)
            if _var_name(variable) in seen:
                raise _error(variable, f"BIND to ?{_var_name(variable)}, which is already in scope")
        elif element.data == "filter":
            _check_no_aggregates(element.children[0])
        seen |= _in_scope(element)


def _check_no_aggregates(expression: Tree | Token) -> None:
    for node in _subtrees_outside_patterns(expression):
        if node.data in _AGGREGATES:
            raise _error(node, "aggregates are only allowed in SELECT, HAVING and ORDER BY")


def _subtrees_outside_patterns(node: Tree | Token) -> Iterator[Tree]:
    """The subtrees of an expression, not descending into EXISTS patterns or subqueries."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Tree) and item.data not in ("group", "sub_select"):
            yield item
            stack.extend(item.children)


def _variables_outside_aggregates(expression: Tree | Token) -> Iterator[Token]:
    stack = [expression]
    while stack:
        item = stack.pop()
        if isinstance(item, Token):
            if item.type in ("VAR1", "VAR2"):
                yield item
        elif item.data not in _AGGREGATES and item.data not in ("group", "sub_select"):
            stack.extend(item.children)


def _check_select(select: Tree, strict: bool) -> None:
    clause = select.children[0]
    where = _where(select)
    modifier = next(child for child in select.children if child.data == "solution_modifier")
    group_by = next((c for c in modifier.children if c.data == "group_clause"), None)
    items = [item for item in clause.children if item.data != "select_modifier"]
    aggregated = group_by is not None or any(
        node.data in _AGGREGATES
        for part in (*items, *modifier.children)
        if part.data != "group_clause"
        for node in _subtrees_outside_patterns(part)
    )
    grouped: set[str] = set()
    if group_by is not None:
        for condition in group_by.children:
            _check_no_aggregates(condition)
            if isinstance(condition, Tree) and condition.data == "var":
                grouped.add(_var_name(condition))
            elif isinstance(condition, Tree) and condition.data == "group_as":
                grouped.add(_var_name(condition.children[1]))

    scope = _in_scope(where)
    projected: set[str] = set()
    for item in items:
        if item.data == "star":
            if aggregated:
                raise _error(item, "SELECT * is not allowed with GROUP BY or aggregates")
        elif item.data == "var":
            name = _var_name(item)
            if aggregated and name not in grouped:
                raise _error(item, f"?{name} is projected but neither grouped nor aggregated")
            projected.add(name)
        elif item.data == "select_expression":
            expression, variable = item.children
            name = _var_name(variable)
            if name in scope or name in projected:
                raise _error(variable, f"?{name} is already in scope or projected")
            if aggregated:
                for token in _variables_outside_aggregates(expression):
                    if token[1:] not in grouped and token[1:] not in projected:
                        raise _error(token, f"{token} is used but neither grouped nor aggregated")
            projected.add(name)
        elif strict:  # bare_aggregate
            raise _error(item, "an aggregate in SELECT must be written (AGGREGATE(...) AS ?var)")


def _check_values(block: Tree) -> None:
    width = sum(1 for child in block.children if isinstance(child, Tree) and child.data == "var")
    for row in block.children:
        if isinstance(row, Tree) and row.data == "data_block_row":
            values = [value for value in row.children if not is_nil(value)]
            if len(values) != width:
                raise _error(row, f"a VALUES row has {len(values)} values for {width} variables")


def is_nil(item: Tree | Token) -> bool:
    """Whether a parse tree item is the NIL token ``()``."""
    return isinstance(item, Token) and item.type == "NIL"
