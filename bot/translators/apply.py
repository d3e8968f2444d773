"""Import: check every entry of a PO or XLSX file, report every problem with its key, then write the
accepted translations into rules/text/<lang>.yaml.

What an entry says is trusted only as far as the translator could know: a translation records the
source version it was made against (the file's source_hash), never the current one, so a text
translated from an English text that has changed since stays stale. An entry nobody touched (same
text, same fuzzy/reviewed state as exported) changes nothing: export then import is lossless.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.engine.rulebook import RuleBook, text_hash
from bot.translators.catalog import NotTranslatable, Unit, require_target, units
from bot.translators.checks import check_text, normalize
from bot.translators.imported import ImportedEntry, ImportedFile, ImportProblem
from bot.translators.po import parse_po
from bot.translators.xlsx import parse_xlsx
from bot.translators.yamltext import (
    EntryUpdate,
    WriteMismatch,
    verified_updates,
    write_atomic,
)

FORMATS = {".po": "po", ".xlsx": "xlsx"}


@dataclass(frozen=True)
class Change:
    key: str
    kind: Literal["added", "updated", "reviewed"]
    text: str
    reviewed: bool
    source_hash: str
    stale: bool  # translated against an older source text: stays marked stale


@dataclass
class ImportReport:
    file: str
    lang: str | None
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    untranslated: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    written: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def read_import(path: Path) -> ImportedFile:
    """Parse a file by its extension (.po or .xlsx)."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        return ImportedFile(path.name, "?", None, problems=[ImportProblem(None, f"unknown kind of file '{path.suffix}': use .po or .xlsx", path.name)])
    if not path.is_file():
        return ImportedFile(path.name, kind, None, problems=[ImportProblem(None, "the file does not exist", str(path))])
    if kind == "po":
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            return ImportedFile(path.name, kind, None, problems=[ImportProblem(None, f"the file is not UTF-8 text ({exc.reason})", path.name)])
        return parse_po(content, path.name)
    return parse_xlsx(path.read_bytes(), path.name)


def resolve_import_lang(book: RuleBook, given: str | None, in_file: str | None) -> tuple[str | None, list[ImportProblem]]:
    def norm(code: str) -> str:
        code = code.strip().replace("_", "-")
        if code in book.languages:
            return code
        base, _, script = code.partition("-")
        return base.lower() if base.lower() in book.languages and script.lower() != "cyrl" else code

    lang = norm(given) if given else (norm(in_file) if in_file else None)
    if lang is None:
        return None, [ImportProblem(None, "the file does not say its language: give --lang")]
    if given and in_file and norm(in_file) != lang:
        return None, [ImportProblem(None, f"the file is for '{in_file}' but --lang is '{given}'")]
    try:
        require_target(book, lang)
    except NotTranslatable as exc:
        return None, [ImportProblem(None, str(exc))]
    return lang, []


def recorded_hash(entry: ImportedEntry) -> str | None:
    """The source version an entry was translated against: the recorded hash, else the hash of the
    source text the file shows (tools that drop comments still keep msgid)."""
    if entry.source_hash:
        return entry.source_hash
    return text_hash(normalize(entry.source_text)) if entry.source_text else None


def _unknown(book: RuleBook, key: str, known: list[str]) -> str:
    if key in book.expected_text_keys():
        return "this text is not translatable"
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else " (misspelt, or removed from the rules since the export?)"
    return "unknown key: no such text" + hint


def _same_text(new: str, old: str) -> bool:
    return new == old or normalize(new) == normalize(old)


def plan_import(book: RuleBook, imported: ImportedFile, lang: str | None = None) -> ImportReport:
    """Check everything; change nothing. The report's changes are what import would write."""
    lang, lang_problems = resolve_import_lang(book, lang, imported.lang)
    report = ImportReport(imported.name, lang, problems=list(imported.problems))
    report.problems += [ImportProblem(p.key, p.message, p.where or imported.name) for p in lang_problems]
    if lang is None:
        return report
    by_key: dict[str, Unit] = {u.key: u for u in units(book, lang)}
    seen: dict[str, str | None] = {}
    for entry in imported.entries:
        key = entry.key
        if key in seen:
            report.problems.append(ImportProblem(key, f"appears twice in the file (also at {seen[key]})", entry.where))
            continue
        seen[key] = entry.where
        unit = by_key.get(key)
        if unit is None:
            report.problems.append(ImportProblem(key, _unknown(book, key, list(by_key)), entry.where))
            continue
        problems = _check_entry(unit, entry, report)
        report.problems += [ImportProblem(key, p, entry.where) for p in problems]
    return report


def _check_entry(unit: Unit, entry: ImportedEntry, report: ImportReport) -> list[str]:
    """Problems of one entry; when there are none, its change (if any) is added to the report."""
    problems: list[str] = []
    shown = entry.source_text
    if entry.source_hash and shown is not None and entry.source_hash not in (text_hash(shown), text_hash(normalize(shown))):
        problems.append("the English (source) text was edited in this file; only the translation may be changed")
    made_from = recorded_hash(entry)
    if made_from is None:
        problems.append("the source_hash is missing: export the file again with `ogoh i18n export`")
    if problems:
        return problems
    assert made_from is not None
    raw = entry.text
    if not raw.strip():
        if unit.translation is None:
            report.untranslated.append(unit.key)
            return []
        return ["the translation is empty; the current one is kept (to delete a translation, edit the YAML file)"]
    exported_reviewed = unit.reviewed and unit.translated_from == made_from
    if unit.translation is not None and _same_text(raw, unit.translation) and entry.reviewed == exported_reviewed:
        report.unchanged += 1  # nobody touched it: keep the entry exactly as it is
        return []
    text = normalize(raw)
    problems = check_text(unit.key, text, unit.source, unit.limit)
    if problems:
        return problems
    if unit.translation is None:
        kind: Literal["added", "updated", "reviewed"] = "added"
    elif _same_text(raw, unit.translation):
        kind, text = "reviewed", unit.translation
    else:
        kind = "updated"
    report.changes.append(Change(unit.key, kind, text, entry.reviewed, made_from, stale=made_from != unit.source_hash))
    return []


def text_file(book: RuleBook, lang: str) -> Path:
    return book.root / "text" / f"{lang}.yaml"


def source_order(book: RuleBook) -> list[str]:
    src = book.source_language
    return sorted(book.texts[src], key=lambda k: book.text_lines.get((src, k), ("", 0))[1])


def write_updates(book: RuleBook, lang: str, updates: list[EntryUpdate]) -> tuple[Path, list[ImportProblem]]:
    """Write the updates into the language file, after checking that the new file reads back as
    exactly the old content plus the updates (if not, nothing is written)."""
    path = text_file(book, lang)
    try:
        content = verified_updates(path.read_text(encoding="utf-8"), updates, source_order(book))
    except WriteMismatch as exc:
        return path, [ImportProblem(None, f"{exc}; nothing was written (please report this)", str(path))]
    write_atomic(path, content)
    return path, []


def apply_import(book: RuleBook, imported: ImportedFile, lang: str | None = None, dry_run: bool = False) -> ImportReport:
    """Check every entry and write the accepted ones (unless dry_run). Entries with problems are
    left out and listed in `report.problems`."""
    report = plan_import(book, imported, lang)
    if dry_run or not report.changes or report.lang is None:
        return report
    updates = [EntryUpdate(c.key, None if c.kind == "reviewed" else c.text, c.reviewed, c.source_hash) for c in report.changes]
    report.written, problems = write_updates(book, report.lang, updates)
    report.problems += problems
    if problems:
        report.changes = []
        report.written = None
    return report
