"""Compiling and evaluating the expressions admins type — rule-set conditions and cells, flow
branch conditions — within bounds, so that no expression and no input can hold a worker.

The bounds (`docs/rules.md`, "Bounds on expressions"):
- an expression is at most `MAX_LENGTH` characters;
- its syntax tree is at most `MAX_DEPTH` levels deep (brackets, `not`, `? :`, a chain of
  `and`/`or` ...). rule-engine parses in two phases: an LALR pass (iterative) that yields a tree of
  deferred nodes, then a recursive build. The depth is measured on the deferred tree, before the
  build, so a 5,000-deep `not not … true` is refused without ever recursing;
- no comprehension inside another, and no `$range` (it builds a list of any length);
- regular expressions (`=~`, `=~~`, `!~`, `!~~`) run on RE2, linear in pattern and text; a pattern
  RE2 cannot compile (back-references, look-around) is refused;
- numbers live in a bounded decimal context (no 10^999999), and inputs are bounded in length
  (`input_bounds`: `input_error`, `facts_error`);
- every node checks a deadline as it is evaluated (`budget`, 20 ms for a decision): the guard
  behind the static bounds, since a comprehension runs its body once per item.
Within these bounds a decision costs microseconds to a few milliseconds.

Every failure, at compile or at evaluation, is an `ExpressionError` carrying a translated message.

Compiled once per published version: a published rule-set version or flow version never changes,
so what is compiled from it is kept in this process (`cached`, by the version's id and a hash of
its content: a version retired and published again, or a row written over, is a new key). Flows
and rule sets share this one compiler and this one cache; nothing else imports rule-engine.
"""

import collections
import decimal
import functools
import hashlib
import math
import re
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import re2
import rule_engine
from django.utils.translation import gettext as _
from rule_engine import ast, errors
from rule_engine.parser import Parser, _DeferredAstNode

T = rule_engine.DataType  # the types facts and inputs are declared with
MAX_LENGTH = 2000  # characters in one expression
MAX_TOKENS = 300  # names, values and operators in one expression: what the parser is fed
MAX_DEPTH = 50  # levels of its syntax tree
MAX_TEXT = 1000  # characters in one text input
MAX_ITEMS = 100  # items in one list input
LARGEST = decimal.Decimal(10) ** 15  # a number input is below this in size
MAX_FACT_TEXT = 4 * MAX_TEXT  # facts read from back ends: states and codes, never essays
BUDGET = 0.02  # seconds for one decision (a table, or one expression): a guard behind the bounds
FORBIDDEN_BUILTINS = {"range", "random"}  # any length; not the same answer twice

_RE2 = re2.Options()
_RE2.log_errors = False
# Decisions need no number beyond 10^999; traps turn overflow and NaN into errors, not hangs.
DECIMALS = decimal.Context(
    prec=28,
    Emax=999,
    Emin=-999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
# What an evaluation of a compiled expression may raise on odd data: reported, never a 500.
EVALUATION_FAILURES = (
    errors.EngineError,
    ArithmeticError,
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    RecursionError,
)


class ExpressionError(Exception):
    """The expression cannot be used (out of bounds, does not compile) or could not be evaluated.
    `str()` is the translated message for the admin."""


# A token, roughly as rule-engine's lexer sees one (a string, a comment, a number, a name, any
# other single character); counting them costs microseconds, the parser's first phase about
# 30 µs a token. Linear: no alternative can match the same text two ways.
_TOKEN = re.compile(
    r"""[a-z]?"(?:\\.|[^"\\])*"?|[a-z]?'(?:\\.|[^'\\])*'?|#[^\n]*"""
    r"""|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\$?\w+|\S"""
)


class OverBudget(errors.EvaluationError):
    """An evaluation went on past its budget: stopped, not waited for."""


_clock = threading.local()


@contextmanager
def budget(seconds: float = BUDGET) -> Iterator[None]:
    """Every node evaluated inside checks this deadline. An inner budget (one expression of a
    table being decided) shares the outer one."""
    if getattr(_clock, "deadline", None) is not None:
        yield
        return
    # CPU time of this thread, not the wall clock: a decision is bounded by the work it does,
    # and a busy machine (other threads, other processes) does not make a cheap one fail.
    _clock.deadline = time.thread_time() + seconds
    try:
        yield
    finally:
        _clock.deadline = None


_BUDGETED: dict[Any, type] = {}


def _budgeted(cls: Any) -> type:
    """`cls` whose evaluation first checks the deadline. The static bounds keep the work of any
    one node small (inputs are bounded too); the deadline bounds how many of them run, as a
    comprehension runs its body once per item."""
    sub = _BUDGETED.get(cls)
    if sub is None:
        base = cls.evaluate

        def evaluate(self: Any, thing: Any) -> Any:
            if time.thread_time() > (getattr(_clock, "deadline", None) or math.inf):
                raise OverBudget("over budget")
            return base(self, thing)

        sub = _BUDGETED[cls] = type(cls.__name__, (cls,), {"evaluate": evaluate})
    return sub


class _Re2Match(ast.FuzzyComparisonExpression):
    """`=~` and friends on RE2 instead of Python's backtracking `re`."""

    def _compile_regex(self, regex: str) -> Any:
        try:
            return re2.compile(regex, _RE2)
        except re2.error as error:
            raise errors.RegexSyntaxError("invalid regular expression", error, regex) from None


def _children(value: Any) -> Iterator[Any]:
    if isinstance(value, _DeferredAstNode):
        yield from value.args
        yield from value.kwargs.values()
    elif isinstance(value, list | tuple | collections.deque):  # arguments come in a deque
        yield from value


def _inspect(tree: Any) -> str:
    """Walk the deferred tree without recursion: the first bound it breaks (translated), or "".
    On the way, regular-expression nodes are switched to RE2 and every node to its budgeted
    kind."""
    stack: list[tuple[Any, int, int]] = [(tree, 0, 0)]
    while stack:
        value, depth, loops = stack.pop()
        if isinstance(value, _DeferredAstNode):
            depth += 1
            if depth > MAX_DEPTH:
                return _(
                    "The expression is nested more than %(limit)s levels deep (brackets, not, "
                    "? :, chains of and/or); write it more simply or split it into rows."
                ) % {"limit": MAX_DEPTH}
            if issubclass(value.cls, ast.ComprehensionExpression):
                loops += 1
            if error := _node_error(value, loops):
                return error
            if issubclass(value.cls, ast.FuzzyComparisonExpression):
                value.cls = _Re2Match
            value.cls = _budgeted(value.cls)
        stack.extend((child, depth, loops) for child in _children(value))
    return ""


def _node_error(node: Any, loops: int) -> str:
    if loops > 1:
        return _("A list comprehension inside another one is not allowed.")
    if issubclass(node.cls, ast.FuzzyComparisonExpression):
        pattern = node.args[3]  # (context, operator, left, right)
        literal = isinstance(pattern, _DeferredAstNode) and pattern.cls is ast.StringExpression
        return regex_error(pattern.args[1]) if literal else ""
    builtin = issubclass(node.cls, ast.SymbolExpression) and node.kwargs.get("scope")
    if builtin == "built-in" and node.args[1] in FORBIDDEN_BUILTINS:
        return _("$%(name)s cannot be used in an expression.") % {"name": node.args[1]}
    return ""


def regex_error(pattern: str) -> str:
    try:
        re2.compile(pattern, _RE2)
    except re2.error:
        return _(
            "The regular expression %(pattern)s cannot be used: back-references, look-around "
            "and possessive forms are not supported."
        ) % {"pattern": repr(pattern)}
    return ""


class _BoundedParser(Parser):
    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def tree(self, text: str, context: rule_engine.Context) -> Any:
        """The first, iterative phase of rule-engine's parse: deferred nodes, nothing built."""
        with self._lock:
            self.context = context
            try:
                return self._parser.parse(text, lexer=self._lexer)
            finally:
                self.context = None

    def parse(self, text: str, context: rule_engine.Context, **kwargs: Any) -> Any:
        if problem := _size_error(text):
            raise ExpressionError(problem)
        tree = self.tree(text, context)
        if problem := _inspect(tree):
            raise ExpressionError(problem)
        with decimal.localcontext(DECIMALS), budget():  # constants are folded while building
            return tree.build()


@functools.cache
def _parser() -> _BoundedParser:
    return _BoundedParser()  # builds its LALR tables: a third of a second, once per process


def warm_up() -> None:
    """Build the parser now (server start) rather than on the first agent's decision."""
    _parser()


class _Rule(rule_engine.Rule):
    def __init__(self, text: str, context: rule_engine.Context) -> None:
        self.parser = _parser()
        super().__init__(text, context=context)


_PLAIN = rule_engine.Context(decimal_context=DECIMALS)  # for bounds checks: nothing is built


def _size_error(text: str) -> str:
    """Length and token count: checked before anything is handed to rule-engine's parser."""
    if len(text) > MAX_LENGTH:
        return _("The expression is %(length)s characters long; at most %(limit)s are allowed.") % {
            "length": len(text),
            "limit": MAX_LENGTH,
        }
    if "\x00" in text:
        return _("The expression contains a NUL character.")
    if sum(1 for _token in _TOKEN.finditer(text)) > MAX_TOKENS:
        return _(
            "The expression has more than %(limit)s parts (names, values, operators); write it "
            "more simply or split it into rows."
        ) % {"limit": MAX_TOKENS}
    return ""


def context(types: Mapping[str, Any]) -> rule_engine.Context:
    """Expressions see only these names, of these types; a missing one is null. No attribute
    access into Python objects."""
    return rule_engine.Context(
        type_resolver=rule_engine.type_resolver_from_dict(dict(types)),
        default_value=None,
        decimal_context=DECIMALS,
    )


def bounds_error(text: str) -> str:
    """What keeps `text` from being stored at all (translated), or "". A syntax or type error is
    not a bounds error: a draft may keep it until it is published."""
    if problem := _size_error(text):
        return problem
    try:
        tree = _parser().tree(text, _PLAIN)
    except errors.EngineError:
        return ""
    except RecursionError:  # not expected: the first phase does not recurse
        return _("The expression is nested too deeply.")
    return _inspect(tree) if tree is not None else ""


def compile_expression(text: str, ctx: rule_engine.Context) -> rule_engine.Rule:
    """A rule ready to evaluate, or ExpressionError with what is wrong (translated)."""
    try:
        return _Rule(text, context=ctx)
    except errors.EngineError as exc:
        raise ExpressionError(describe(exc)) from None
    except RecursionError:
        raise ExpressionError(_("The expression is nested too deeply.")) from None
    except ArithmeticError:
        raise ExpressionError(_("A number in the expression is out of range.")) from None


MAX_CACHED = 512  # compiled versions kept; the oldest used is dropped past this
_cache: collections.OrderedDict[Hashable, Any] = collections.OrderedDict()
_cache_lock = threading.Lock()


def content_hash(*parts: str) -> str:
    """A short digest of a version's content, for its cache key beside the version's id."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def cached[V](key: Hashable, build: Callable[[], V]) -> V:
    """What `build` compiles for this key, built once per process (a published version never
    changes). Least recently used entries are dropped past `MAX_CACHED`. A build that raises is
    not kept."""
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            value: V = _cache[key]
            return value
    value = build()  # outside the lock: two threads may build the same key once each
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > MAX_CACHED:
            _cache.popitem(last=False)
    return value


def cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


class Conditions:
    """Every condition of one version, compiled against one context: each condition's rule or
    the translated reason it does not compile. Evaluating one is a dictionary look-up and the
    match; no parse, no type check."""

    def __init__(self, texts: Iterable[str], ctx: rule_engine.Context) -> None:
        self.rules: dict[str, rule_engine.Rule] = {}
        self.errors: dict[str, str] = {}
        self._ctx = ctx
        for text in dict.fromkeys(texts):
            self._compile(text)

    def _compile(self, text: str) -> rule_engine.Rule:
        try:
            rule = self.rules[text] = compile_expression(text, self._ctx)
        except ExpressionError as exc:
            self.errors[text] = str(exc)
            raise
        return rule

    def rule(self, text: str) -> rule_engine.Rule:
        """The compiled condition; raises ExpressionError when it does not compile. A text the
        version does not hold (an admin's draft being tried) is compiled and kept too."""
        rule = self.rules.get(text)
        if rule is not None:
            return rule
        if text in self.errors:
            raise ExpressionError(self.errors[text])
        return self._compile(text)

    def evaluate(self, text: str, values: Mapping[str, Any]) -> Any:
        return evaluate(self.rule(text), values)


def conditions(
    key: Hashable, texts: Iterable[str], ctx: Callable[[], rule_engine.Context]
) -> Conditions:
    """The compiled conditions of the version `key` names (built on first use)."""
    return cached(key, lambda: Conditions(texts, ctx()))


def result_type(rule: rule_engine.Rule) -> Any:
    return rule.statement.expression.result_type


def evaluate(rule: rule_engine.Rule, values: Mapping[str, Any]) -> Any:
    """The value of a compiled expression on these values, or ExpressionError."""
    try:
        with decimal.localcontext(DECIMALS), budget():
            return rule.evaluate(values)
    except EVALUATION_FAILURES as exc:
        raise ExpressionError(describe(exc)) from None


def _quoted(value: Any, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def describe(exc: BaseException) -> str:
    """A translated sentence for what rule-engine (or arithmetic) refused."""
    if isinstance(exc, OverBudget):
        return _(
            "The expression took too long on these inputs (over %(ms)s ms) and was stopped."
        ) % {"ms": int(BUDGET * 1000)}
    if isinstance(exc, errors.RuleSyntaxError):
        token = exc.token
        if token is None:
            return _("The expression ends too early.")
        return _("The expression cannot be read at %(token)s (character %(at)s).") % {
            "token": _quoted(token.value),
            "at": token.lexpos + 1,
        }
    if isinstance(exc, errors.RegexSyntaxError):
        return regex_error(exc.value) or _("The regular expression cannot be used.")
    if isinstance(exc, errors.SyntaxError):
        return _("%(value)s is not a valid value.") % {"value": _quoted(getattr(exc, "value", ""))}
    if isinstance(exc, errors.SymbolResolutionError):
        return _("Unknown name %(name)s.") % {"name": exc.symbol_name}
    if isinstance(exc, errors.SymbolTypeError):
        return _("%(name)s is not of the type the expression uses it as.") % {
            "name": exc.symbol_name
        }
    if isinstance(exc, errors.AttributeResolutionError | errors.AttributeTypeError):
        return _("Unknown attribute %(name)s.") % {"name": exc.attribute_name}
    if isinstance(exc, errors.FunctionCallError):
        return _("A function in the expression failed.")
    if isinstance(exc, RecursionError):
        return _("The expression is nested too deeply.")
    if isinstance(exc, ArithmeticError | errors.ArithmeticError):
        return _("A number in the expression is out of range or not a number.")
    return _("The values in the expression do not fit together (a text compared with a number?).")
