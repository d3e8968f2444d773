"""What an imported file holds, whatever its format: the parsers (po.py, xlsx.py) produce it and
apply.py checks and writes it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportProblem:
    """One problem, always naming the key it is about (or None for the file as a whole)."""

    key: str | None
    message: str
    where: str | None = None  # "tg.po:345", "ogoh-tg.xlsx row 12"

    def __str__(self) -> str:
        at = f" ({self.where})" if self.where else ""
        return f"{self.key}: {self.message}{at}" if self.key else f"{self.message}{at}"


@dataclass(frozen=True)
class ImportedEntry:
    key: str
    text: str                  # the translation as found ("" when untranslated)
    reviewed: bool             # not fuzzy (PO) / reviewed "yes" (XLSX)
    source_hash: str | None    # recorded in the file: the source version it was translated against
    source_text: str | None    # the source text the file shows (msgid / source column)
    where: str | None = None


@dataclass
class ImportedFile:
    name: str
    format: str                # "po" | "xlsx"
    lang: str | None           # from the file (PO Language header, workbook metadata)
    entries: list[ImportedEntry] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
