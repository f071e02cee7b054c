"""FILTER and ORDER BY expressions with the semantics of SPARQL 1.1, section 17.

An expression compiles once to a Python function of a solution (a mapping from variables to
terms). Evaluation errors (an unbound variable, a type error such as ``"a" < 1``) raise
:class:`ExpressionError`; a FILTER counts them as false, and ``||``, ``&&``, ``IN`` follow the
recommendation's error-tolerant truth tables.

Values: numbers follow XSD type promotion (integer -> decimal -> float -> double; integer
division gives a decimal), strings compare by code point, language tags case-insensitively,
dateTime and date by XSD's partial order (comparing a value with a timezone and one without is
an error unless 14 hours apart). Literals of unknown datatypes are equal only when they are the
same term; otherwise ``=`` between them is an error (the recommendation's RDFterm-equal). A
language-tagged string equals only itself, without error (as the W3C open-world tests expect).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache

from rdflib.namespace import RDF, XSD
from rdflib.term import BNode, Identifier, Literal, URIRef, Variable

from .algebra import Call, Expr

Solution = Mapping[Variable, Identifier]
Evaluator = Callable[[Solution], Identifier]


class ExpressionError(Exception):
    """The expression has no value for this solution (unbound variable or type error)."""


TRUE = Literal(True)
FALSE = Literal(False)
_NO_FLAGS = Literal("")

_STRING = XSD.string  # (a Namespace attribute lookup costs more than the comparison)
_BOOLEAN = XSD.boolean
_LANG_STRING = RDF.langString
_INTEGER_TYPES = (
    "integer nonPositiveInteger negativeInteger long int short byte nonNegativeInteger "
    "unsignedLong unsignedInt unsignedShort unsignedByte positiveInteger"
).split()
_NUMERIC_RANK = {XSD[name]: 0 for name in _INTEGER_TYPES} | {
    XSD.decimal: 1,
    XSD.float: 2,
    XSD.double: 3,
}
_RANK_TYPE = (XSD.integer, XSD.decimal, XSD.float, XSD.double)
_DATE_TIME_TYPE = XSD.dateTime
_SPACES = {
    None: "string",
    _STRING: "string",
    _BOOLEAN: "boolean",
    _DATE_TIME_TYPE: "dateTime",
    XSD.date: "date",
    **dict.fromkeys(_NUMERIC_RANK, "numeric"),
}
_TIME_SPACES = frozenset({"dateTime", "date"})
_FOURTEEN_HOURS = timedelta(hours=14)
_ZONE = r"(Z|[+-]\d\d:\d\d)?"
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)" + _ZONE)
_DATE_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?" + _ZONE)


# --- values -------------------------------------------------------------------------------


def _numeric(term: Identifier) -> tuple[int, int | Decimal | float]:
    if isinstance(term, Literal):
        rank = _NUMERIC_RANK.get(term.datatype)  # type: ignore[arg-type]
        if rank is not None and not term.ill_typed:
            return rank, term.value
    raise ExpressionError(f"not a number: {term!r}")


def _is_string(term: Identifier) -> bool:
    """A simple literal, an xsd:string or a language-tagged string."""
    return isinstance(term, Literal) and (term.datatype is None or term.datatype == _STRING)


def _is_simple(term: Identifier) -> bool:
    return _is_string(term) and term.language is None  # type: ignore[union-attr]


def _value(term: Literal) -> tuple[str, object] | None:
    """(value space, value) of a literal the operators compare by value, else None."""
    if term.language is not None:
        return None
    space = _SPACES.get(term.datatype)
    if space is None:
        return None
    if space == "string":
        return space, str(term)
    if space in _TIME_SPACES:
        instant = _time(term)
        return None if instant is None else (space, instant)
    if term.ill_typed:
        return None
    return space, term.value


def _time(term: Literal) -> datetime | None:
    """The instant an xsd:dateTime is, or an xsd:date starts at (with its timezone, if any);
    None for a lexical form outside years 1-9999 or otherwise invalid."""
    if term.datatype == _DATE_TIME_TYPE:
        match = _DATE_TIME.fullmatch(str(term).strip())
        if match is None:
            return None
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        extra_day = (
            hour == "24" and minute == "00" and second == "00" and not (fraction or "").strip(".0")
        )
        try:
            instant = datetime(
                int(year), int(month), int(day), 0 if extra_day else int(hour), int(minute),
                int(second), round(float(fraction or "0") * 1_000_000), tzinfo=_zone(zone),
            )  # fmt: skip
            return instant + timedelta(days=1) if extra_day else instant
        except (ValueError, OverflowError):
            return None
    match = _DATE.fullmatch(str(term).strip())
    if match is None:
        return None
    year, month, day, zone = match.groups()
    try:
        return datetime(int(year), int(month), int(day), tzinfo=_zone(zone))
    except ValueError:
        return None


def _zone(text: str | None) -> timezone | None:
    if text is None:
        return None
    if text == "Z":
        return UTC
    offset = timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))
    return timezone(-offset if text[0] == "-" else offset)


def _compare_times(a: datetime, b: datetime) -> int:
    """XSD's order of two instants; ExpressionError when it is indeterminate (one has a
    timezone, the other not, and they are less than 14 hours apart)."""
    a_zoned, b_zoned = a.tzinfo is not None, b.tzinfo is not None
    if a_zoned == b_zoned:
        return (a > b) - (a < b)
    zoned, local, sign = (a, b, 1) if a_zoned else (b, a, -1)
    local = local.replace(tzinfo=UTC)
    if zoned < local - _FOURTEEN_HOURS:
        return -sign
    if zoned > local + _FOURTEEN_HOURS:
        return sign
    raise ExpressionError("comparison of a zoned and an unzoned time is indeterminate")


def _compare(a: Identifier, b: Identifier) -> int:
    """-1, 0 or 1 for ``<``, ``>``, ``<=``, ``>=``; ExpressionError when not comparable."""
    if isinstance(a, Literal) and isinstance(b, Literal):
        va, vb = _value(a), _value(b)
        if va is not None and vb is not None and va[0] == vb[0]:
            space, x = va
            y = vb[1]
            if space in ("numeric", "string", "boolean"):
                if space == "numeric":
                    if x != x or y != y:  # NaN is unordered
                        raise ExpressionError("NaN")
                    x, y = _common(x, a, y, b)
                return (x > y) - (x < y)  # type: ignore[operator]
            return _compare_times(x, y)  # type: ignore[arg-type]
    raise ExpressionError(f"cannot order {a!r} and {b!r}")


def equal(a: Identifier, b: Identifier) -> bool:
    """SPARQL ``=``: value equality for known datatypes, else RDFterm-equal."""
    if isinstance(a, Literal) and isinstance(b, Literal):
        if a.language is not None or b.language is not None:
            return a == b  # language tags compare case-insensitively
        va, vb = _value(a), _value(b)
        if va is not None and vb is not None:
            if va[0] == vb[0]:
                if va[0] in _TIME_SPACES:
                    return _compare_times(va[1], vb[1]) == 0  # type: ignore[arg-type]
                if va[0] == "numeric":
                    x, y = _common(va[1], a, vb[1], b)
                    return x == y
                return va[1] == vb[1]
            if va[0] in _TIME_SPACES and vb[0] in _TIME_SPACES:
                return False  # a date is never a dateTime
        if a == b:
            return True
        raise ExpressionError(f"{a!r} and {b!r} are not comparable")
    return a == b


def effective_boolean_value(term: Identifier) -> bool:
    """The EBV of a term (17.2.2); ExpressionError for IRIs, blank nodes, unknown types."""
    if term is TRUE or term is FALSE:
        return term is TRUE
    if isinstance(term, Literal):
        datatype = term.datatype
        if datatype is None or datatype == _STRING:
            return len(term) > 0
        if datatype == _BOOLEAN:
            return not term.ill_typed and term.value is True
        if datatype in _NUMERIC_RANK:
            if term.ill_typed:
                return False
            value = term.value
            return bool(value) and value == value
    raise ExpressionError(f"no effective boolean value: {term!r}")


# --- arithmetic ---------------------------------------------------------------------------


def _promote(value: int | Decimal | float, rank: int) -> int | Decimal | float:
    """A number of a type of rank ``rank`` or lower, as a value of that type (XPath numeric
    type promotion: integer -> decimal -> float -> double; an integer too large for a double
    becomes an infinity)."""
    if rank == 0:
        return value
    if rank == 1:
        return Decimal(value)  # type: ignore[arg-type]
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _common(
    x: int | Decimal | float, a: Literal, y: int | Decimal | float, b: Literal
) -> tuple[int | Decimal | float, int | Decimal | float]:
    """The values ``x`` and ``y`` of the numeric literals ``a`` and ``b``, promoted to their
    common type: ``"0.1"^^xsd:double = 0.1`` (a decimal) compares two doubles. Comparisons
    and arithmetic promote alike."""
    rank_a, rank_b = _NUMERIC_RANK[a.datatype], _NUMERIC_RANK[b.datatype]  # type: ignore[index]
    if rank_a == rank_b:
        return x, y
    rank = max(rank_a, rank_b)
    return _promote(x, rank), _promote(y, rank)


def _arithmetic(symbol: str) -> Callable[[Identifier, Identifier], Literal]:
    apply = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}[symbol]

    def evaluate(a: Identifier, b: Identifier) -> Literal:
        rank_a, x = _numeric(a)
        rank_b, y = _numeric(b)
        rank = max(rank_a, rank_b, 1 if symbol == "/" else 0)
        x, y = _promote(x, rank), _promote(y, rank)
        try:
            result = apply(x, y)
        except ZeroDivisionError:
            if rank < 2:
                raise ExpressionError("division by zero") from None
            result = (
                math.nan
                if x == 0 or x != x
                else math.copysign(math.inf, x)
                * (
                    math.copysign(1.0, y)  # type: ignore[arg-type]
                )
            )
        except (ArithmeticError, ValueError) as error:
            raise ExpressionError(str(error)) from None
        return Literal(result, datatype=_RANK_TYPE[rank])

    return evaluate


def _negate(term: Identifier) -> Literal:
    rank, value = _numeric(term)
    return Literal(-value, datatype=_RANK_TYPE[rank])


def _plus(term: Identifier) -> Literal:
    rank, value = _numeric(term)
    return Literal(value, datatype=_RANK_TYPE[rank])


# --- built-in functions -------------------------------------------------------------------


def _str(term: Identifier) -> Literal:
    if isinstance(term, URIRef | Literal):
        return Literal(str(term))
    raise ExpressionError("STR of a blank node")


def _lang(term: Identifier) -> Literal:
    if isinstance(term, Literal):
        return _simple(term.language or "")
    raise ExpressionError("LANG of a non-literal")


@lru_cache(maxsize=1024)
def _simple(text: str) -> Literal:
    return Literal(text)


def _datatype(term: Identifier) -> URIRef:
    if isinstance(term, Literal):
        if term.language is not None:
            return _LANG_STRING
        return term.datatype or _STRING  # type: ignore[return-value]
    raise ExpressionError("DATATYPE of a non-literal")


def _case(convert: Callable[[str], str]) -> Callable[[Identifier], Literal]:
    def evaluate(term: Identifier) -> Literal:
        if not _is_string(term):
            raise ExpressionError("LCASE/UCASE need a string")
        return Literal(convert(str(term)), lang=term.language, datatype=term.datatype)  # type: ignore[union-attr]

    return evaluate


def _lang_matches(tag: Identifier, language_range: Identifier) -> bool:
    if not (_is_simple(tag) and _is_simple(language_range)):
        raise ExpressionError("LANGMATCHES needs simple literals")
    tag_text, range_text = str(tag).lower(), str(language_range).lower()
    if range_text == "*":
        return tag_text != ""
    return tag_text == range_text or tag_text.startswith(range_text + "-")


def _compatible(a: Identifier, b: Identifier) -> tuple[str, str]:
    """The strings of two argument-compatible string literals (17.4.3.1.1)."""
    if _is_string(a) and _is_string(b):
        b_lang = b.language  # type: ignore[union-attr]
        if b_lang is None or (a.language or "").lower() == b_lang.lower():  # type: ignore[union-attr]
            return str(a), str(b)
    raise ExpressionError(f"incompatible string arguments {a!r} and {b!r}")


def _contains(a: Identifier, b: Identifier) -> bool:
    x, y = _compatible(a, b)
    return y in x


def _starts(a: Identifier, b: Identifier) -> bool:
    x, y = _compatible(a, b)
    return x.startswith(y)


def _ends(a: Identifier, b: Identifier) -> bool:
    x, y = _compatible(a, b)
    return x.endswith(y)


@lru_cache(maxsize=256)
def _compile_regex(pattern: str, flags: str = "") -> re.Pattern[str]:
    """An XPath regular expression (fn:matches) as a Python pattern; ValueError if invalid."""
    options = 0
    for flag in flags:
        if flag not in "smixq":
            raise ValueError(f"unknown regex flag {flag!r}")
    if "q" in flags:
        pattern = re.escape(pattern)
    elif "x" in flags:  # whitespace is removed, except inside character classes
        pattern = re.sub(
            r"\[(?:\\.|[^\]\\])*\]|\s+", lambda m: m[0] if m[0][0] == "[" else "", pattern
        )
    options |= re.DOTALL if "s" in flags else 0
    options |= re.MULTILINE if "m" in flags else 0
    options |= re.IGNORECASE if "i" in flags else 0
    try:
        return re.compile(pattern, options)
    except re.error as error:
        raise ValueError(f"invalid regular expression {pattern!r}: {error}") from None


def _regex(text: Identifier, pattern: Identifier, flags: Identifier = _NO_FLAGS) -> bool:
    if not (_is_string(text) and _is_simple(pattern) and _is_simple(flags)):
        raise ExpressionError("REGEX needs string arguments")
    try:
        compiled = _compile_regex(str(pattern), str(flags))
    except ValueError as error:
        raise ExpressionError(str(error)) from None
    return compiled.search(str(text)) is not None


def _is_numeric(term: Identifier) -> bool:
    return isinstance(term, Literal) and term.datatype in _NUMERIC_RANK and not term.ill_typed


#: Functions and operators with a term value, by arity.
_VALUE_FUNCTIONS: dict[str, Callable[..., Identifier]] = {
    "STR": _str,
    "LANG": _lang,
    "DATATYPE": _datatype,
    "LCASE": _case(str.lower),
    "UCASE": _case(str.upper),
    "NEG": _negate,
    "POS": _plus,
    **{symbol: _arithmetic(symbol) for symbol in "+-*/"},
}
#: Functions and operators with a boolean value, as Python predicates over their arguments.
_TESTS: dict[str, Callable[..., bool]] = {
    "ISIRI": lambda term: isinstance(term, URIRef),
    "ISURI": lambda term: isinstance(term, URIRef),
    "ISBLANK": lambda term: isinstance(term, BNode),
    "ISLITERAL": lambda term: isinstance(term, Literal),
    "ISNUMERIC": _is_numeric,
    "LANGMATCHES": _lang_matches,
    "CONTAINS": _contains,
    "STRSTARTS": _starts,
    "STRENDS": _ends,
    "REGEX": _regex,
    "SAMETERM": lambda a, b: a == b,
    "=": equal,
    "!=": lambda a, b: not equal(a, b),
    "<": lambda a, b: _compare(a, b) < 0,
    ">": lambda a, b: _compare(a, b) > 0,
    "<=": lambda a, b: _compare(a, b) <= 0,
    ">=": lambda a, b: _compare(a, b) >= 0,
}
_LOGICAL = frozenset({"||", "&&", "!", "BOUND", "IN", "NOT IN"})
#: The tests above that compare two plain strings by one Python operation.
_STRING_TESTS: dict[str, Callable[[str, str], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "CONTAINS": operator.contains,
    "STRSTARTS": str.startswith,
    "STRENDS": str.endswith,
}

#: The built-in functions this engine evaluates (names as the parser upper-cases them).
FUNCTIONS = frozenset(
    {
        "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "ISIRI", "ISURI", "ISBLANK",
        "ISLITERAL", "ISNUMERIC", "REGEX", "CONTAINS", "STRSTARTS", "STRENDS", "LCASE", "UCASE",
        "SAMETERM",
    }
)  # fmt: skip


# --- compilation --------------------------------------------------------------------------
# Boolean-valued expressions compile to Python predicates (no xsd:boolean literal is made on
# the way to a FILTER's decision); the others to functions returning a term.


def compile_expression(expression: Expr) -> Evaluator:
    """A function from a solution to the expression's value (raising ExpressionError)."""
    if isinstance(expression, Variable):
        return _variable(expression)
    if not isinstance(expression, Call):
        return lambda solution: expression
    if expression.name in _TESTS or expression.name in _LOGICAL:
        test = _compile_test(expression)
        return lambda solution: TRUE if test(solution) else FALSE
    function = _VALUE_FUNCTIONS[expression.name]
    arguments = [compile_expression(arg) for arg in expression.args]
    if len(arguments) == 1:
        [only] = arguments
        return lambda solution: function(only(solution))
    left, right = arguments
    return lambda solution: function(left(solution), right(solution))


def _compile_test(expression: Expr) -> Callable[[Solution], bool]:
    """A predicate giving the expression's effective boolean value (raising ExpressionError)."""
    if not isinstance(expression, Call) or expression.name in _VALUE_FUNCTIONS:
        evaluate = compile_expression(expression)
        return lambda solution: effective_boolean_value(evaluate(solution))
    name, args = expression.name, expression.args
    if name == "BOUND":
        variable = args[0]
        return lambda solution: variable in solution
    if name in ("||", "&&"):
        return _logical(name == "||", [_compile_test(arg) for arg in args])
    if name == "!":
        operand = _compile_test(args[0])
        return lambda solution: not operand(solution)
    if name in ("IN", "NOT IN"):
        return _membership(name == "IN", [compile_expression(arg) for arg in args])
    if name == "REGEX" and all(isinstance(a, Literal) for a in args[1:]):
        return _constant_regex(compile_expression(args[0]), args[1:])  # type: ignore[arg-type]
    if name in _STRING_TESTS and len(args) == 2:
        left, right = args
        if name in ("=", "!=") and _is_simple(left):
            left, right = right, left
        if _is_simple(right):
            if (
                name in ("=", "!=")
                and isinstance(left, Call)
                and left.name == "LANG"
                and isinstance(left.args[0], Variable)
            ):
                return _lang_against(name == "=", left.args[0], str(right))
            return _against_string(name, compile_expression(left), right)  # type: ignore[arg-type]
    if name in _FLIPPED and len(args) == 2:
        left, right = args
        if _is_number(left):
            name, left, right = _FLIPPED[name], right, left
        if _is_number(right):
            return _against_number(name, compile_expression(left), right)  # type: ignore[arg-type]
    test = _TESTS[name]
    arguments = [compile_expression(arg) for arg in args]
    if len(arguments) == 1:
        [only] = arguments
        return lambda solution: test(only(solution))
    if len(arguments) == 2:
        left, right = arguments
        return lambda solution: test(left(solution), right(solution))
    return lambda solution: test(*(evaluate(solution) for evaluate in arguments))


def _against_string(
    name: str, evaluate: Evaluator, constant: Literal
) -> Callable[[Solution], bool]:
    """``name(expression, "text")`` with a simple-literal constant, as in the common
    ``FILTER(STRSTARTS(?label, "A"))``: plain strings (and, but for ``=`` and ``!=``,
    language-tagged ones, always compatible with a simple literal) compare directly, anything
    else as usual."""
    compare, generic, text = _STRING_TESTS[name], _TESTS[name], str(constant)
    tagged_too = name not in ("=", "!=")

    def test(solution: Solution) -> bool:
        term = evaluate(solution)
        if isinstance(term, Literal):
            if term.language is None:
                datatype = term.datatype
                if datatype is None or datatype == _STRING:
                    return compare(str(term), text)
            elif tagged_too:
                return compare(str(term), text)
        return generic(term, constant)

    return test


def _lang_against(positive: bool, variable: Variable, text: str) -> Callable[[Solution], bool]:
    """``LANG(?v) = "tag"`` (positive) or ``!=``: the tag compared as the strings they are."""

    def test(solution: Solution) -> bool:
        term = solution.get(variable)
        if isinstance(term, Literal):
            return ((term.language or "") == text) is positive
        if term is None:
            raise ExpressionError(f"?{variable} is unbound")
        raise ExpressionError("LANG of a non-literal")

    return test


#: The comparison operators, with their operands swapped.
_FLIPPED = {"=": "=", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_ORDER_OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def _is_number(term: Expr) -> bool:
    """A well-typed numeric literal other than NaN."""
    if not isinstance(term, Literal) or not _is_numeric(term):
        return False
    value = term.value
    return value == value


def _against_number(
    name: str, evaluate: Evaluator, constant: Literal
) -> Callable[[Solution], bool]:
    """``expression <op> number`` with a numeric constant, as in ``FILTER(?age >= 90)``:
    numbers compare by value directly, promoted to their common type (as :func:`_compare`
    and :func:`equal` do), anything else as usual."""
    compare, generic, number = _ORDER_OPERATORS[name], _TESTS[name], constant.value
    rank = _NUMERIC_RANK[constant.datatype]  # type: ignore[index]
    # The constant as a value of each wider type, promoted once.
    widened = [_promote(number, wider) if wider > rank else number for wider in range(4)]

    def test(solution: Solution) -> bool:
        term = evaluate(solution)
        if isinstance(term, Literal):
            term_rank = _NUMERIC_RANK.get(term.datatype)  # type: ignore[arg-type]
            if term_rank is not None and not term.ill_typed:
                value = term.value
                if value == value:
                    if term_rank >= rank:
                        return compare(value, widened[term_rank])
                    return compare(_promote(value, rank), number)
        return generic(term, constant)

    return test


def _variable(variable: Variable) -> Evaluator:
    def evaluate(solution: Solution) -> Identifier:
        try:
            return solution[variable]
        except KeyError:
            raise ExpressionError(f"?{variable} is unbound") from None

    return evaluate


def _constant_regex(text: Evaluator, constants: Sequence[Literal]) -> Callable[[Solution], bool]:
    """REGEX with a constant pattern and flags, compiled once."""
    pattern, flags = constants[0], constants[1] if len(constants) > 1 else _NO_FLAGS
    if not (_is_simple(pattern) and _is_simple(flags)):
        return lambda solution: _regex(text(solution), *constants)
    try:
        compiled = _compile_regex(str(pattern), str(flags))
    except ValueError as error:
        message = str(error)

        def invalid(solution: Solution) -> bool:
            raise ExpressionError(message)

        return invalid

    def test(solution: Solution) -> bool:
        value = text(solution)
        if not _is_string(value):
            raise ExpressionError("REGEX needs a string")
        return compiled.search(str(value)) is not None

    return test


def _logical(
    decisive: bool, operands: list[Callable[[Solution], bool]]
) -> Callable[[Solution], bool]:
    """``||`` (decisive True) or ``&&`` (decisive False): a decisive operand wins over an
    error, which otherwise propagates (17.2)."""
    if len(operands) == 2:
        first, second = operands

        def pair(solution: Solution) -> bool:
            try:
                if first(solution) == decisive:
                    return decisive
            except ExpressionError:
                if second(solution) == decisive:  # raising its own error, if any
                    return decisive
                raise
            return second(solution)

        return pair

    def test(solution: Solution) -> bool:
        error: ExpressionError | None = None
        for operand in operands:
            try:
                if operand(solution) == decisive:
                    return decisive
            except ExpressionError as caught:
                error = caught
        if error is not None:
            raise error
        return not decisive

    return test


def _membership(positive: bool, evaluators: list[Evaluator]) -> Callable[[Solution], bool]:
    """IN (positive) or NOT IN: found wins over an error in another comparison."""
    needle, *haystack = evaluators

    def test(solution: Solution) -> bool:
        value = needle(solution)
        error: ExpressionError | None = None
        for candidate in haystack:
            try:
                if equal(value, candidate(solution)):
                    return positive
            except ExpressionError as caught:
                error = caught
        if error is not None:
            raise error
        return not positive

    return test


def compile_condition(expression: Expr) -> Callable[[Solution], bool]:
    """A FILTER: the expression's effective boolean value, an error counting as false."""
    evaluate = _compile_test(expression)

    def test(solution: Solution) -> bool:
        try:
            return evaluate(solution)
        except ExpressionError:
            return False

    return test


# --- ORDER BY -----------------------------------------------------------------------------


def order_key(term: Identifier | None) -> tuple:
    """A sort key: unbound < blank nodes < IRIs < literals (15.1); numbers by value, then
    booleans, dates and times, strings, other literals by datatype and lexical form."""
    if term is None:
        return (0,)
    if isinstance(term, BNode):
        return (1, str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    value = _value(term) if isinstance(term, Literal) else None
    if value is None:
        language = getattr(term, "language", None)
        if language is not None:
            return (3, 3, str(term), language.lower())
        return (3, 4, str(getattr(term, "datatype", "")), str(term))
    space, content = value
    if space == "numeric":
        return (3, 0, 0, 0) if content != content else (3, 0, 1, content)
    if space == "boolean":
        return (3, 1, content)
    if space == "string":
        return (3, 3, content, "")
    return (3, 2, space, _instant(content))  # type: ignore[arg-type]


def _instant(value: datetime) -> float:
    """Seconds since the epoch, reading a value without timezone as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()
