from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


@pytest.fixture(scope="session")
def ogoh():
    from bot.ogoh import Ogoh

    return Ogoh(RULES)


@pytest.fixture(scope="session")
def book(ogoh):
    return ogoh.book


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the rules and the seeds they quote, for breaking on purpose."""
    shutil.copytree(RULES, tmp_path / "rules")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "rules"


def replace_in(path: Path, old: str, new: str, count: int = 1) -> int:
    """Edit a rule file like a translator would; returns the 1-based line of the edit."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line
