"""Anonymous trends for NGOs, built from the counters: per week, what was reached (topic or
finding), in which language and channel.

Suppression that survives differencing: a cell under 5 is shown as "<5", and a week's total for
a topic or finding is exact only when none of its cells is hidden. Otherwise the total is shown
as "≥N", N being the sum of the cells that are shown (which anyone can add up anyway), or as
"hidden" when no cell is shown: subtracting shown numbers from a total can then never reveal a
hidden count. (The published numbers are the cells and these totals; nothing else sums them.)
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from pydantic import BaseModel, Field

from bot.storage import Store

SMALL = 5
HIDDEN = "<5"
NOTE = ("counts under 5 are shown as <5; a week's total is exact only when no count in it is hidden, "
        "else at least the sum of the shown counts (≥N) or hidden; no user ids or texts are collected")


class StatsRow(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W48")
    kind: str = Field(description="topic (a question answered) or finding (an interview result)")
    id: str
    lang: str
    channel: str = Field(description="bot, web, api or inline")
    count: int | str = Field(description='a number, or "<5"')


class TrendRow(BaseModel):
    kind: str
    id: str
    this_week: int | str = Field(description='exact when no count of the week is hidden; else "≥N" or "hidden"')
    last_week: int | str
    change: str | None = Field(None, description='e.g. "x2.0"; only when both weeks are exact and 5 or more')


class StatsOut(BaseModel):
    weeks: list[str]
    rows: list[StatsRow]
    trends: list[TrendRow] = Field(description="the latest week against the one before, all languages and channels")
    note: str = NOTE


def _total(cells: list[int]) -> int | str:
    """A group's total as published: exact only if every cell is shown."""
    if all(n >= SMALL for n in cells):
        return sum(cells) if cells else 0
    shown = sum(n for n in cells if n >= SMALL)
    return f"≥{shown}" if shown else "hidden"


def build_stats_from_rows(raw: list[tuple[str, str, str, str, int]]) -> StatsOut:
    rows = []
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # (week, kind, id) -> cells
    for name, week, lang, channel, n in raw:
        if n <= 0:
            continue
        kind, _, ident = name.partition(":")
        rows.append(StatsRow(week=week, kind=kind, id=ident, lang=lang, channel=channel, count=n if n >= SMALL else HIDDEN))
        groups[(week, kind, ident)].append(n)
    weeks = sorted({r.week for r in rows})
    trends = []
    if weeks:
        this, last = weeks[-1], (weeks[-2] if len(weeks) > 1 else None)
        for kind, ident in sorted({(k, i) for (_, k, i) in groups}):
            a = _total(groups.get((this, kind, ident), []))
            b = _total(groups.get((last, kind, ident), [])) if last else 0
            change = f"x{a / b:.1f}" if isinstance(a, int) and isinstance(b, int) and a >= SMALL and b >= SMALL else None
            trends.append(TrendRow(kind=kind, id=ident, this_week=a, last_week=b, change=change))
    return StatsOut(weeks=weeks, rows=rows, trends=trends)


def build_stats(store: Store) -> StatsOut:
    return build_stats_from_rows(store.counts())


def stats_csv(stats: StatsOut) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["week", "kind", "id", "lang", "channel", "count"])
    for r in stats.rows:
        writer.writerow([r.week, r.kind, r.id, r.lang, r.channel, r.count])
    return buffer.getvalue()
