"""Writing rules/text/<lang>.yaml without disturbing what people wrote: comments, key order and
quoting are kept (ruamel.yaml round trip); only the entries that change are touched. Single-line
texts are written in double quotes like the rest of the files, multi-line texts as `|-` blocks."""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)


@dataclass(frozen=True)
class EntryUpdate:
    """The new state of one entry; None leaves that field as it is."""

    key: str
    text: str | None = None
    reviewed: bool | None = None
    source_hash: str | None = None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold long texts onto several lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_duplicate_keys = False
    return yaml


def _scalar(text: str, old: Any) -> Any:
    if "\n" in text:
        return LiteralScalarString(text)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(text)
    return DoubleQuotedScalarString(text)


def _position(texts: CommentedMap, key: str, order: list[str]) -> int:
    """Where a new key goes: after the nearest key before it (in `order`) that the file has."""
    if key in order:
        existing = list(texts.keys())
        for earlier in reversed(order[: order.index(key)]):
            if earlier in texts:
                return existing.index(earlier) + 1
        return 0
    return len(texts)


def apply_updates(content: str, updates: list[EntryUpdate], order: list[str]) -> str:
    """The file's new text after the updates. `order`: the source file's key order, for new keys."""
    yaml = _yaml()
    data = yaml.load(content)
    texts = data["texts"]
    for up in updates:
        entry = texts.get(up.key)
        if entry is None:
            if up.text is None:
                continue
            entry = CommentedMap()
            texts.insert(_position(texts, up.key, order), up.key, entry)
        if up.text is not None:
            entry["text"] = _scalar(up.text, entry.get("text"))
        if up.reviewed is not None:
            entry["reviewed"] = up.reviewed
        if up.source_hash is not None:
            entry["source_hash"] = str(up.source_hash)  # the representer quotes all-digit hashes
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


class WriteMismatch(RuntimeError):
    """The written YAML would not say exactly what was intended (a bug: nothing is written)."""


def expected_content(before: dict[str, Any], updates: list[EntryUpdate]) -> dict[str, Any]:
    texts = {k: dict(v) for k, v in before["texts"].items()}
    for up in updates:
        if up.key not in texts and up.text is None:
            continue
        entry = texts.setdefault(up.key, {})
        for name, value in (("text", up.text), ("reviewed", up.reviewed), ("source_hash", up.source_hash)):
            if value is not None:
                entry[name] = value
    return {**before, "texts": texts}


def verified_updates(content: str, updates: list[EntryUpdate], order: list[str]) -> str:
    """apply_updates, then read both versions back as plain data: the new file must hold exactly
    the old content plus the updates, nothing else (no lost comment-attached entries, no type
    changes such as a hash read back as a number)."""
    new = apply_updates(content, updates, order)
    safe = YAML(typ="safe", pure=True)
    want, got = expected_content(safe.load(content), updates), safe.load(new)
    if got != want:
        bad = sorted(k for k in set(want["texts"]) | set(got["texts"]) if want["texts"].get(k) != got["texts"].get(k))
        raise WriteMismatch(f"writing would change more than intended: {', '.join(bad[:5]) or 'the top level'}")
    return new


def write_atomic(path: Path, content: str) -> None:
    """Replace the file in one step: a reader never sees half a file (the service hot-reloads)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
