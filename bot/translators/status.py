"""How far each language is: strings translated, missing, stale and not reviewed, with percentages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.engine.coverage import LanguageCoverage, coverage
from bot.engine.rulebook import RuleBook


class LanguageStatus(BaseModel):
    code: str
    name: str
    source: bool
    total: int
    translated: int
    missing: int
    stale: int
    unreviewed: int
    current: int  # translated and not stale
    percent_translated: float
    percent_missing: float
    percent_stale: float
    percent_unreviewed: float
    percent_current: float
    missing_keys: list[str]
    stale_keys: list[str]
    unreviewed_keys: list[str]


class StatusReport(BaseModel):
    source_language: str
    rules_version: str
    languages: list[LanguageStatus]


def _percent(part: int, total: int) -> float:
    return round(100 * part / total, 1) if total else 0.0


def _row(book: RuleBook, cov: LanguageCoverage) -> LanguageStatus:
    entries = book.texts.get(cov.code, {})
    expected = book.expected_text_keys()
    unreviewed = [k for k in expected if k in entries and entries[k].text.strip() and not entries[k].reviewed]
    current = cov.translated - cov.stale
    return LanguageStatus(
        code=cov.code, name=cov.name, source=cov.code == book.source_language, total=cov.total,
        translated=cov.translated, missing=cov.missing, stale=cov.stale, unreviewed=cov.unreviewed, current=current,
        percent_translated=_percent(cov.translated, cov.total), percent_missing=_percent(cov.missing, cov.total),
        percent_stale=_percent(cov.stale, cov.total), percent_unreviewed=_percent(cov.unreviewed, cov.total),
        percent_current=_percent(current, cov.total),
        missing_keys=cov.missing_keys, stale_keys=cov.stale_keys, unreviewed_keys=unreviewed,
    )


def status(book: RuleBook) -> StatusReport:
    return StatusReport(
        source_language=book.source_language, rules_version=book.version,
        languages=[_row(book, cov) for cov in coverage(book)],
    )


def status_json(book: RuleBook) -> dict[str, Any]:
    return status(book).model_dump()


def _cell(count: int, percent: float) -> str:
    return f"{count:>4} {percent:5.1f}%"


def status_table(book: RuleBook) -> str:
    """A plain-text table, one line per language."""
    report = status(book)
    head = f"{'lang':<5} {'name':<12} {'total':>5}  {'translated':>11}  {'missing':>11}  {'stale':>11}  {'not reviewed':>12}  {'current':>11}"
    lines = [head, "-" * len(head)]
    for row in report.languages:
        stale = f"{'(source)':>11}" if row.source else _cell(row.stale, row.percent_stale)
        lines.append(
            f"{row.code:<5} {row.name[:12]:<12} {row.total:>5}  {_cell(row.translated, row.percent_translated)}  "
            f"{_cell(row.missing, row.percent_missing)}  {stale}  {_cell(row.unreviewed, row.percent_unreviewed):>12}  "
            f"{_cell(row.current, row.percent_current)}"
        )
    lines.append("")
    lines.append("stale: the English text changed after it was translated (shown, but check it);")
    lines.append("current: translated and not stale. Details of one language: ogoh i18n status --lang L")
    return "\n".join(lines)


def keys_listing(book: RuleBook, lang: str) -> str:
    """The keys behind the numbers of one language, with the file line of each."""
    row = next((r for r in status(book).languages if r.code == lang), None)
    if row is None:
        raise KeyError(lang)
    out = [f"{row.name} ({row.code}): {row.translated}/{row.total} translated, {row.missing} missing, "
           f"{row.stale} stale, {row.unreviewed} not reviewed"]
    for title, keys in (("missing", row.missing_keys), ("stale", row.stale_keys), ("not reviewed", row.unreviewed_keys)):
        if not keys:
            continue
        out.append(f"\n{title} ({len(keys)}):")
        for key in sorted(keys, key=lambda k: book.text_lines.get((lang, k), ("", 0))[1]):
            where = book.text_lines.get((lang, key))
            out.append(f"  {key}" + (f"  ({where[0]}:{where[1]})" if where else ""))
    return "\n".join(out)
