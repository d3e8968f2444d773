"""Ogoh's condition language: a small, whitelisted grammar over interview facts, never eval.

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" condition ")" | "true" | "false" | comparison
    comparison := FACT ("==" | "!=") VALUE | FACT ["not"] "in" "[" VALUE ("," VALUE)* "]"

Evaluation is three-valued (Kleene): a fact nobody has answered is unknown, and unknown is not
false. The answer "dont_know" is a value like any other, so rules can give advice for it.

A fact marked `multiple` in facts.yaml takes a set of values (a tuple of two or more; one value
is a plain string): `x == v` holds when v is among them, `x in [..]` when any is, `x != v` when v
is not among them. "no" and "dont_know" are never part of a set (EXCLUSIVE).

A coarse answer (facts.yaml `refine`: military_offer "yes", "offered, by someone not said") stands
for one or more of its refinements, not yet known which: a comparison that holds for all of them
holds for it, one that holds for none does not, and one that holds for some is unknown until the
interview asks (`refined` rewrites a parsed condition so: the `unsure` values of a comparison).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Union

DONT_KNOW = "dont_know"
EXCLUSIVE = ("no", DONT_KNOW)  # answers of a `multiple` fact that stand alone
Answer = Union[str, tuple[str, ...], list[str]]  # a list: as JSON carries it
Tri = Union[bool, None]  # True, False, or None for unknown


class ConditionError(ValueError):
    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class Compare:
    fact: str
    negated: bool  # != or "not in"
    values: tuple[str, ...]
    column: int
    unsure: tuple[str, ...] = ()  # coarse answers that leave it undecided (`refined`)


@dataclass(frozen=True)
class Not:
    inner: "Node"


@dataclass(frozen=True)
class And:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Node", ...]


Node = Union[Const, Compare, Not, And, Or]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>==|!=|\(|\)|\[|\]|,)
      | "(?P<dq>[^"\n]*)"
      | '(?P<sq>[^'\n]*)'
      | (?P<word>[A-Za-z0-9_][A-Za-z0-9_\-]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # op, str, word, end
    text: str
    column: int  # 1-based


def _tokenize(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        m = _TOKEN.match(source, pos)
        if not m or m.end() == pos:
            col = pos + len(source[pos:]) - len(source[pos:].lstrip()) + 1
            raise ConditionError(f"unexpected character {source[col - 1]!r}", col)
        col = m.start(m.lastgroup) + 1 if m.lastgroup else pos + 1
        if m.group("op"):
            tokens.append(_Tok("op", m.group("op"), col))
        elif m.group("dq") is not None or m.group("sq") is not None:
            text = m.group("dq") if m.group("dq") is not None else m.group("sq")
            tokens.append(_Tok("str", text, col))
        else:
            tokens.append(_Tok("word", m.group("word"), col))
        pos = m.end()
    tokens.append(_Tok("end", "", len(source) + 1))
    return tokens


class _Parser:
    def __init__(self, source: str):
        self.tokens = _tokenize(source)
        self.i = 0

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok.kind == "word" and tok.text == word

    def expect_op(self, op: str, what: str) -> _Tok:
        tok = self.take()
        if tok.kind != "op" or tok.text != op:
            raise ConditionError(f"expected {what}, found {_describe(tok)}", tok.column)
        return tok

    def parse(self) -> Node:
        node = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise ConditionError(f"unexpected {_describe(tok)}; join conditions with 'and' or 'or'", tok.column)
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.is_word("or"):
            self.take()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_not()]
        while self.is_word("and"):
            self.take()
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_not(self) -> Node:
        tok = self.peek()
        if tok.kind == "word" and tok.text == "not":
            self.take()
            return Not(self.parse_not())
        if tok.kind == "op" and tok.text == "(":
            self.take()
            node = self.parse_or()
            self.expect_op(")", "')'")
            return node
        if tok.kind == "word" and tok.text in ("true", "false"):
            self.take()
            return Const(tok.text == "true")
        return self.parse_compare()

    def parse_compare(self) -> Node:
        fact = self.take()
        if fact.kind != "word" or fact.text in _KEYWORDS:
            raise ConditionError(f"expected a fact name, found {_describe(fact)}", fact.column)
        tok = self.take()
        if tok.kind == "op" and tok.text in ("==", "!="):
            return Compare(fact.text, tok.text == "!=", (self.parse_value(),), fact.column)
        negated = False
        if tok.kind == "word" and tok.text == "not":
            negated = True
            tok = self.take()
        if tok.kind == "word" and tok.text == "in":
            self.expect_op("[", "'[' to start a list of values")
            values = [self.parse_value()]
            while self.peek().kind == "op" and self.peek().text == ",":
                self.take()
                values.append(self.parse_value())
            self.expect_op("]", "',' or ']'")
            return Compare(fact.text, negated, tuple(values), fact.column)
        raise ConditionError(f"after the fact '{fact.text}' expected ==, != or in, found {_describe(tok)}", tok.column)

    def parse_value(self) -> str:
        tok = self.take()
        if tok.kind == "str" or (tok.kind == "word" and tok.text not in _KEYWORDS):
            return tok.text
        raise ConditionError(f"expected a value, found {_describe(tok)}", tok.column)


def _describe(tok: _Tok) -> str:
    return "the end of the condition" if tok.kind == "end" else f"'{tok.text}'"


def parse_condition(source: str) -> Node:
    """Parse a condition; raises ConditionError with a 1-based column."""
    if not isinstance(source, str) or not source.strip():
        raise ConditionError("the condition is empty", 1)
    return _Parser(source).parse()


def refined(node: Node, refine: Mapping[str, Mapping[str, tuple[str, ...]]]) -> Node:
    """The condition with every comparison told about coarse answers (fact -> coarse value -> its
    refinements): one that holds for every refinement also holds for the coarse value, one that
    holds for some is undecided by it (see the module's docstring)."""
    if isinstance(node, Compare):
        coarse = refine.get(node.fact)
        if not coarse:
            return node
        values, unsure = list(node.values), list(node.unsure)
        for value, finer in coarse.items():
            if value in values or not finer:
                continue
            held = [f for f in finer if f in node.values]
            if len(held) == len(finer):
                values.append(value)
            elif held:
                unsure.append(value)
        return Compare(node.fact, node.negated, tuple(values), node.column, tuple(unsure))
    if isinstance(node, Not):
        return Not(refined(node.inner, refine))
    if isinstance(node, And):
        return And(tuple(refined(item, refine) for item in node.items))
    if isinstance(node, Or):
        return Or(tuple(refined(item, refine) for item in node.items))
    return node


def compares(node: Node) -> list[Compare]:
    if isinstance(node, Compare):
        return [node]
    if isinstance(node, Not):
        return compares(node.inner)
    if isinstance(node, (And, Or)):
        return [c for item in node.items for c in compares(item)]
    return []


def facts_in(node: Node) -> list[str]:
    seen: dict[str, None] = {}
    for c in compares(node):
        seen.setdefault(c.fact)
    return list(seen)


def answer_values(answer: Answer) -> tuple[str, ...]:
    """An answer as a set of values (a single value is a one-element set)."""
    return (answer,) if isinstance(answer, str) else tuple(answer)


def evaluate(node: Node, answers: Mapping[str, Answer]) -> tuple[Tri, frozenset[str]]:
    """Three-valued result and the facts that support it (for "because")."""
    if isinstance(node, Const):
        return node.value, frozenset()
    if isinstance(node, Compare):
        if node.fact not in answers:
            return None, frozenset()
        answer = answers[node.fact]
        if answer == DONT_KNOW and DONT_KNOW not in node.values:
            return None, frozenset()
        hit = any(v in node.values for v in answer_values(answer))
        if not hit and node.unsure and any(v in node.unsure for v in answer_values(answer)):
            return None, frozenset()  # "offered, by someone not said": is it the police? not known yet
        return (not hit) if node.negated else hit, frozenset({node.fact})
    if isinstance(node, Not):
        value, support = evaluate(node.inner, answers)
        return (None if value is None else not value), support
    if isinstance(node, And):
        results = [evaluate(item, answers) for item in node.items]
        falses = [s for v, s in results if v is False]
        if falses:
            return False, falses[0]
        if any(v is None for v, _ in results):
            return None, frozenset()
        return True, frozenset().union(*(s for _, s in results))
    assert isinstance(node, Or)
    results = [evaluate(item, answers) for item in node.items]
    trues = [s for v, s in results if v is True]
    if trues:
        return True, frozenset().union(*trues)
    if any(v is None for v, _ in results):
        return None, frozenset()
    return False, frozenset().union(*(s for _, s in results))
