"""The English a stale translation was made from (REVIEW_TRANSLATOR #8).

A translation records only the hash of its English (`source_hash`); the text itself is in the
history of rules/text/<source>.yaml. For the export of stale texts (PO `#| msgid`, which Poedit
and Weblate show as a diff; the spreadsheet's "previous source" column) the versions of that
file in git are read, newest first, until every hash is found. Rules outside a git work tree, or
a hash no version has, give nothing: the export then says that the earlier English is unknown.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import yaml

from bot.engine.rulebook import RuleBook, text_hash

MAX_VERSIONS = 300  # versions of the English file read at most (each a fast C-YAML parse)
MAX_SECONDS = 20.0  # and for no longer than this: an export never waits long for it


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def previous_sources(book: RuleBook, wanted: dict[str, str]) -> dict[str, str]:
    """key -> the English text whose hash is `wanted[key]`, for those the history has."""
    if not wanted:
        return {}
    root = Path(book.root)
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return {}
    path = (root / "text" / f"{book.source_language}.yaml").resolve()
    top_dir = Path(top.strip()).resolve()
    try:
        relative = path.relative_to(top_dir).as_posix()
    except ValueError:
        return {}
    log = _git(top_dir, "log", f"-n{MAX_VERSIONS}", "--format=%H", "--", relative) or ""
    left = dict(wanted)
    found: dict[str, str] = {}
    deadline = time.monotonic() + MAX_SECONDS
    for commit in log.split():
        if time.monotonic() > deadline:
            break
        content = _git(top_dir, "show", f"{commit}:{relative}")
        if content is None:
            continue
        try:
            texts = (yaml.load(content, Loader=yaml.CSafeLoader) or {}).get("texts") or {}
        except yaml.YAMLError:
            continue
        for key, digest in list(left.items()):
            entry = texts.get(key)
            text = entry.get("text") if isinstance(entry, dict) else None
            if isinstance(text, str) and text_hash(text) == digest:
                found[key] = text.strip()
                del left[key]
        if not left:
            break
    return found
