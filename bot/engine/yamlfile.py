"""Safe YAML loading that remembers the line of every key and item.

ruamel.yaml's round-trip loader builds only plain data (no Python objects), follows YAML 1.2 (so
`no` stays the string "no", not False), rejects duplicate keys and records line numbers, which is
what translators need in error messages.

Parsing is the slow part of loading a rule book (ruamel's pure-Python parser: most of the seconds
a cold load takes). A parsed file is remembered by its exact text, so a reload, or a copy of the
rules that differs in one file, parses only the files that changed; each caller gets its own copy
of the containers, and a file with a YAML error is never remembered.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bot.engine.problems import Problem

Loc = tuple[str | int, ...]

# Parsed files remembered, least recently used out first, up to this much YAML text (the shipped
# rules are ~1.2 MB of YAML, ~6 MB parsed: room for about three versions of every file).
_PARSED_MAX_CHARS = 4_000_000
_parsed: OrderedDict[bytes, tuple[Any, dict[Loc, int], int]] = OrderedDict()
_parsed_chars = 0
_parsed_lock = threading.Lock()


@dataclass
class YamlDoc:
    """Plain data from one file, and the 1-based line of each path in it."""

    path: Path
    display: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The line of the deepest known part of `loc` (pydantic error paths may go deeper)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def problem(self, loc: Loc, message: str, level: str = "error") -> Problem:
        return Problem(self.display, self.line(loc), message, level)  # type: ignore[arg-type]


def _plain(node: Any, loc: Loc, lines: dict[Loc, int]) -> Any:
    if isinstance(node, CommentedMap):
        lines.setdefault(loc, (node.lc.line or 0) + 1)
        out = {}
        for key, value in node.items():
            lines[loc + (str(key),)] = _line((node.lc.data or {}).get(key), lines[loc])
            out[str(key)] = _plain(value, loc + (str(key),), lines)
        return out
    if isinstance(node, CommentedSeq):
        lines.setdefault(loc, (node.lc.line or 0) + 1)
        out_list = []
        for i, value in enumerate(node):
            lines[loc + (i,)] = _line((node.lc.data or {}).get(i), lines[loc])
            out_list.append(_plain(value, loc + (i,), lines))
        return out_list
    if isinstance(node, str):
        return str(node)  # drop ruamel's scalar-string subclasses
    return node


def load_yaml(path: Path, display: str) -> tuple[YamlDoc | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 1, f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(display, 1, f"cannot read the file: {exc.strerror}")]
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    with _parsed_lock:
        known = _parsed.get(digest)
        if known is not None:
            _parsed.move_to_end(digest)
    if known is not None:
        return YamlDoc(path, display, _copy(known[0]), dict(known[1])), []
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        node = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        line = (mark.line + 1) if mark else 1
        return None, [Problem(display, line, _duplicate_message(text, line, exc.problem))]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(display, line, f"YAML syntax error: {what} (check indentation, colons and quotes)")]
    except YAMLError as exc:
        return None, [Problem(display, 1, f"YAML error: {_first_line(str(exc))}")]
    lines: dict[Loc, int] = {(): 1}
    data = _plain(node, (), lines)
    _remember(digest, data, lines, len(text))
    return YamlDoc(path, display, data, lines), []


def _remember(digest: bytes, data: Any, lines: dict[Loc, int], chars: int) -> None:
    global _parsed_chars
    with _parsed_lock:
        if digest in _parsed:
            return
        _parsed[digest] = (_copy(data), dict(lines), chars)
        _parsed_chars += chars
        while _parsed_chars > _PARSED_MAX_CHARS and len(_parsed) > 1:
            _parsed_chars -= _parsed.popitem(last=False)[1][2]


def _copy(node: Any) -> Any:
    """A copy of the dicts and lists (the scalars in them are immutable)."""
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def _line(position: list[int] | None, fallback: int) -> int:
    # ruamel records [line, column, ...] for keys and items it parsed; tagged nodes may lack it.
    return position[0] + 1 if position else fallback


def _duplicate_message(text: str, line: int, problem: str | None) -> str:
    """"ui.back is defined twice (lines 14 and 18): delete one", not ruamel's dict reprs."""
    found = re.match(r'found duplicate key "(.*?)" with value', problem or "")
    if not found:
        return "this key appears twice in the same block: " + _first_line(problem)
    key = found.group(1)
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = len(here) - len(here.lstrip())
    pattern = re.compile(rf"^ {{{indent}}}[\"']?{re.escape(key)}[\"']?\s*:")
    first = next((i for i, t in enumerate(lines[: line - 1], 1) if pattern.match(t)), None)
    where = f"lines {first} and {line}" if first else f"line {line} and above"
    return f"{key} is defined twice ({where}): delete one, or merge them"


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if text else ""
