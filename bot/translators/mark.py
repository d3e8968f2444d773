"""`ogoh i18n mark-current`: for translators who edit the YAML files directly. After fixing a stale
translation by hand, they record that it now translates the current source text (its source_hash
becomes the hash of today's English text). `reviewed` is not touched: that is a separate decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.engine.rulebook import RuleBook
from bot.translators.apply import write_updates
from bot.translators.catalog import Unit, units
from bot.translators.checks import check_text
from bot.translators.imported import ImportProblem
from bot.translators.yamltext import EntryUpdate


@dataclass
class MarkReport:
    lang: str
    marked: list[str] = field(default_factory=list)       # were stale, now current
    already_current: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    written: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def mark_current(book: RuleBook, lang: str, keys: list[str] | None = None, dry_run: bool = False) -> MarkReport:
    """Mark the given keys (all translated keys when None) as translating the current source text.
    A key that is unknown, untranslated, or whose text does not pass the import checks against the
    current source (placeholders, steps, limits) is refused and reported."""
    report = MarkReport(lang)
    by_key: dict[str, Unit] = {u.key: u for u in units(book, lang)}
    chosen: list[Unit] = []
    for key in keys if keys is not None else [k for k, u in by_key.items() if u.translation is not None]:
        unit = by_key.get(key)
        if unit is None:
            report.problems.append(ImportProblem(key, "unknown key: no such text"))
        elif unit.translation is None:
            report.problems.append(ImportProblem(key, f"not translated in '{lang}': nothing to mark"))
        elif unit.status == "current":
            report.already_current += 1
        else:
            problems = check_text(key, unit.translation, unit.source, unit.limit)
            report.problems += [ImportProblem(key, p + " (compared with the current English text)") for p in problems]
            if not problems:
                chosen.append(unit)
    report.marked = [u.key for u in chosen]
    if chosen and not dry_run:
        updates = [EntryUpdate(u.key, source_hash=u.source_hash) for u in chosen]
        report.written, write_problems = write_updates(book, lang, updates)
        if write_problems:
            report.problems += write_problems
            report.marked, report.written = [], None
    return report
