"""Anonymous trends for NGOs, built from the counters: per week, what was reached (topic or
finding), in which language and channel. Counts under 5 are shown as "<5" so that no single
person's question can be picked out; totals are computed before suppression."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from pydantic import BaseModel, Field

from bot.storage import Store

SMALL = 5


class StatsRow(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W48")
    kind: str = Field(description="topic (a question answered) or finding (an interview result)")
    id: str
    lang: str
    channel: str = Field(description="bot, web or api")
    count: int | str = Field(description='a number, or "<5"')


class TrendRow(BaseModel):
    kind: str
    id: str
    this_week: int | str
    last_week: int | str
    change: str | None = Field(None, description='e.g. "x2.0"; only when both weeks have 5 or more')


class StatsOut(BaseModel):
    weeks: list[str]
    rows: list[StatsRow]
    trends: list[TrendRow] = Field(description="the latest week against the one before, all languages and channels")
    note: str = "counts under 5 are shown as <5; no user ids or texts are collected"


def _shown(n: int) -> int | str:
    return n if n >= SMALL else "<5"


def build_stats(store: Store) -> StatsOut:
    raw = store.counts()
    rows = []
    totals: dict[tuple[str, str, str], int] = defaultdict(int)  # (week, kind, id)
    for name, week, lang, channel, n in raw:
        kind, _, ident = name.partition(":")
        rows.append(StatsRow(week=week, kind=kind, id=ident, lang=lang, channel=channel, count=_shown(n)))
        totals[(week, kind, ident)] += n
    weeks = sorted({r.week for r in rows})
    trends = []
    if weeks:
        this, last = weeks[-1], (weeks[-2] if len(weeks) > 1 else None)
        for kind, ident in sorted({(k, i) for (_, k, i) in totals}):
            a, b = totals.get((this, kind, ident), 0), totals.get((last, kind, ident), 0) if last else 0
            change = f"x{a / b:.1f}" if a >= SMALL and b >= SMALL else None
            trends.append(TrendRow(kind=kind, id=ident, this_week=_shown(a), last_week=_shown(b), change=change))
    return StatsOut(weeks=weeks, rows=rows, trends=trends)


def stats_csv(stats: StatsOut) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["week", "kind", "id", "lang", "channel", "count"])
    for r in stats.rows:
        writer.writerow([r.week, r.kind, r.id, r.lang, r.channel, r.count])
    return buffer.getvalue()
