from __future__ import annotations

from bot.stats import build_stats
from bot.storage import open_store


def test_week_over_week_trend_shows_a_doubling_and_hides_small_numbers():
    store = open_store("sqlite://:memory:", "s")
    store.count("topic:recruitment-offers", "2026-W47", "uz", "bot", 6)
    store.count("topic:recruitment-offers", "2026-W48", "uz", "bot", 9)
    store.count("topic:recruitment-offers", "2026-W48", "ru", "web", 3)
    store.count("topic:get-help", "2026-W48", "tg", "api", 2)
    out = build_stats(store)
    trend = {t.id: t for t in out.trends}
    assert trend["recruitment-offers"].this_week == 12 and trend["recruitment-offers"].last_week == 6
    assert trend["recruitment-offers"].change == "x2.0"
    assert trend["get-help"].this_week == "<5" and trend["get-help"].change is None
    assert [r.count for r in out.rows if r.lang == "ru"] == ["<5"]
