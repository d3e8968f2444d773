"""Trends for NGOs: week over week, small numbers hidden so that no subtraction of published
numbers from a published total can reveal one."""

from __future__ import annotations

import itertools
import random

from bot.stats import SMALL, build_stats, build_stats_from_rows
from bot.storage import open_store


def test_week_over_week_trend_shows_a_doubling_and_hides_small_numbers():
    store = open_store("sqlite://:memory:", "s")
    store.count("topic:recruitment-offers", "2026-W47", "uz", "bot", 6)
    store.count("topic:recruitment-offers", "2026-W48", "uz", "bot", 9)
    store.count("topic:recruitment-offers", "2026-W48", "ru", "web", 7)
    store.count("topic:get-help", "2026-W48", "tg", "api", 2)
    out = build_stats(store)
    trend = {t.id: t for t in out.trends}
    assert trend["recruitment-offers"].this_week == 16 and trend["recruitment-offers"].last_week == 6
    assert trend["recruitment-offers"].change == "x2.7"
    assert trend["get-help"].this_week == "hidden" and trend["get-help"].change is None
    assert [r.count for r in out.rows if r.id == "get-help"] == ["<5"]


def test_a_hidden_count_cannot_be_recovered_by_subtraction():
    """The probe's case (12 shown beside 9 and "<5": 12 - 9 = 3), then random tables: for every
    week's total, subtracting every shown cell never yields an exact hidden count."""
    rows = [("topic:recruitment-offers", "2026-W48", "uz", "bot", 9), ("topic:recruitment-offers", "2026-W48", "ru", "web", 3)]
    trend = build_stats_from_rows(rows).trends[0]
    assert trend.this_week == "≥9"  # not 12

    rng = random.Random(7)
    ids, langs, channels = ["a", "b", "c"], ["ru", "uz", "tg"], ["bot", "web", "api"]
    checked = 0
    for _ in range(300):
        raw = [(f"topic:{i}", w, lang, ch, rng.choice([1, 2, 3, 4, 5, 6, 9, 20]))
               for i, w, lang, ch in itertools.product(ids, ["2026-W47", "2026-W48"], langs, channels) if rng.random() < 0.4]
        out = build_stats_from_rows(raw)
        for t in out.trends:
            for week, total in (("2026-W48", t.this_week), ("2026-W47", t.last_week)):
                cells = [r.count for r in out.rows if r.id == t.id and r.week == week]
                hidden = [c for c in cells if not isinstance(c, int)]
                shown = sum(c for c in cells if isinstance(c, int))
                if isinstance(total, int):  # an exact total: then nothing in it is hidden
                    assert not hidden and total == shown
                else:  # the only number left is the sum of the shown cells, which reveals nothing hidden
                    assert total in ("hidden", f"≥{shown}") and hidden
                checked += 1
        for r in out.rows:
            assert isinstance(r.count, str) or r.count >= SMALL
    assert checked > 500
