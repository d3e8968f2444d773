"""Anonymous trend counters for NGOs: which topics and findings were reached, per language,
channel (bot, web, api) and ISO week. No user ids, no text."""

from __future__ import annotations

import datetime as dt
import logging

from bot.engine.views import AssessOut
from bot.storage import Store, StoreUnavailable

log = logging.getLogger("ogoh.trends")


def iso_week(day: dt.date | None = None) -> str:
    year, week, _ = (day or dt.date.today()).isocalendar()
    return f"{year}-W{week:02d}"


def count_topics(store: Store, topic_ids: list[str], lang: str, channel: str) -> None:
    try:
        for tid in topic_ids:
            store.count(f"topic:{tid}", iso_week(), lang, channel)
    except StoreUnavailable:
        log.warning("trend counter not stored: storage unavailable")


def count_findings(store: Store, out: AssessOut, channel: str) -> None:
    if not out.complete:
        return  # each finished interview once, not every step of it
    try:
        for f in out.findings:
            store.count(f"finding:{f.rule_id}", iso_week(), out.lang, channel)
    except StoreUnavailable:
        log.warning("trend counter not stored: storage unavailable")
