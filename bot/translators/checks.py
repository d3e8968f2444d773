"""The checks one translation must pass before it is written into a language file.

They are at least as strict as `ogoh check`, so an import never produces a file that check rejects,
and stricter where a mistake would hurt a worker: steps must stay one per line. Numbers, phone
numbers, @names, /commands and web addresses must be copied exactly (bot/engine/protected.py,
which `ogoh check` applies too).
"""

from __future__ import annotations

import re

from bot.engine.protected import compare as compare_protected
from bot.translators.catalog import Limit, line_count, placeholders

_BRACES = re.compile(r"[{}]")
_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>")


def normalize(text: str) -> str:
    """What an editor or a spreadsheet may add and nobody means: Windows line ends, spaces at the
    ends of lines, empty lines at the start or end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def check_text(key: str, text: str, source: str, limit: Limit) -> list[str]:
    """Every problem of one translation, in plain words (empty list: fine)."""
    problems: list[str] = []
    if not text.strip():
        return ["the translation is empty"]
    want, got = placeholders(source), placeholders(text)
    for name in want:
        if name not in got:
            problems.append(f"the placeholder {name} is missing: copy it exactly as in the English text")
    for name in got:
        if name not in want:
            have = " ".join(want) if want else "none"
            problems.append(f"{name} is not a placeholder of this text (it has: {have}); placeholders are never translated")
    if _BRACES.search(re.sub(r"\{[a-z_]+\}", "", text)) and not _BRACES.search(re.sub(r"\{[a-z_]+\}", "", source)):
        problems.append("a { or } is not part of a placeholder: placeholders look like {date}, in English letters, no spaces")
    if len(text) > limit.chars:
        problems.append(f"it is {len(text)} characters; the limit is {limit.chars} ({limit.why})")
    want_lines, got_lines = line_count(source), line_count(text)
    if want_lines == 1 and got_lines > 1:
        problems.append(f"it must be one line, like the English text (it has {got_lines} lines)")
    elif want_lines > 1 and got_lines != want_lines:
        what = "step" if key.endswith(".steps") else "item"
        problems.append(f"it has {got_lines} lines, the English text has {want_lines}: one {what} per line, "
                        f"each English line translated on its own line")
    elif want_lines > 1:
        for i, line in enumerate(text.strip().split("\n"), 1):
            if not line.strip():
                problems.append(f"line {i} is empty: write one step per line, without empty lines")
    problems += compare_protected(source, text)
    added = sorted(set(_MARKUP.findall(text)) - set(_MARKUP.findall(source)))
    if added:
        problems.append(f"it contains markup {', '.join(added)}: texts are shown as plain text, remove it")
    return problems
