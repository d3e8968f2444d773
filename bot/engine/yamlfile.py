"""Safe YAML loading that remembers the line of every key and item.

ruamel.yaml's round-trip loader builds only plain data (no Python objects), follows YAML 1.2 (so
`no` stays the string "no", not False), rejects duplicate keys and records line numbers, which is
what translators need in error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bot.engine.problems import Problem

Loc = tuple[str | int, ...]


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
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 1, f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(display, 1, f"cannot read the file: {exc.strerror}")]
    try:
        node = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        return None, [Problem(display, (mark.line + 1) if mark else 1, "this key appears twice in the same block: " + _first_line(exc.problem))]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(display, line, f"YAML syntax error: {what} (check indentation, colons and quotes)")]
    except YAMLError as exc:
        return None, [Problem(display, 1, f"YAML error: {_first_line(str(exc))}")]
    lines: dict[Loc, int] = {(): 1}
    return YamlDoc(path, display, _plain(node, (), lines), lines), []


def _line(position: list[int] | None, fallback: int) -> int:
    # ruamel records [line, column, ...] for keys and items it parsed; tagged nodes may lack it.
    return position[0] + 1 if position else fallback


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if text else ""
