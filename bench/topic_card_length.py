"""Visible characters of a topic card's first screen, for every topic in every language: the
first Telegram message (bot.telegram.render.topic_card, what a plain question matched to a topic
gets) and the top of the web page /topic/<id> (closed <details> count only their <summary>).

    python bench/topic_card_length.py [--other]

`--other`: the card for a question about someone else ("my brother ..."). Before the short card
(session 4) the first Telegram message was 1,340-2,237 characters (median 1,631) and the web
card 1,769-3,133 (median 2,454): the whole answer, every step, every source, the disclaimer.
"""

from __future__ import annotations

import re
import statistics
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.service import Service  # noqa: E402
from bot.ogoh import Ogoh  # noqa: E402
from bot.telegram.render import topic_card, visible_length  # noqa: E402

LANGS = ["en", "ru", "uz", "uz-Cyrl", "tg", "ky", "kk"]


class _Visible(HTMLParser):
    """The text of the page's <article> elements a reader sees before tapping anything."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.article = 0
        self.closed: list[bool] = []
        self.summary = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.article += 1
        elif tag == "details":
            self.closed.append("open" not in dict(attrs))
        elif tag == "summary":
            self.summary += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.article -= 1
        elif tag == "details" and self.closed:
            self.closed.pop()
        elif tag == "summary":
            self.summary -= 1

    def handle_data(self, data: str) -> None:
        hidden = any(self.closed) and not (self.summary and not any(self.closed[:-1]))
        if self.article and not hidden:
            self.parts.append(data)


def web_visible(html: str) -> int:
    parser = _Visible()
    parser.feed(html)
    return len(re.sub(r"\s+", " ", unescape("".join(parser.parts))).strip())


def telegram_lengths(service: Service, about: str = "self") -> dict[tuple[str, str], int]:
    out = {}
    for lang in LANGS:
        loc = service.localizer(lang)
        for tid in service.topic_ids():
            out[(tid, lang)] = visible_length(topic_card(loc, service.topic_card(tid, lang, about)))
    return out


def web_lengths(ogoh: Ogoh) -> dict[tuple[str, str], int]:
    from fastapi.testclient import TestClient

    from bot.api import create_app
    from bot.settings import Settings

    app = create_app(Settings(storage_url="sqlite://:memory:", rules_dir=ogoh.rules_dir, rate_limit_per_minute=10**6), ogoh=ogoh, watch=False)
    client = TestClient(app)
    return {(tid, lang): web_visible(client.get(f"/topic/{tid}?lang={lang}").text) for lang in LANGS for tid in ogoh.book.topics}


def table(name: str, rows: dict[tuple[str, str], int], topics: list[str]) -> None:
    print(f"\n{name}")
    print("topic".ljust(28), *[lang.rjust(8) for lang in LANGS])
    for tid in topics:
        print(tid.ljust(28), *[str(rows[(tid, lang)]).rjust(8) for lang in LANGS])
    values = list(rows.values())
    print(f"min {min(values)}  median {statistics.median(values):.0f}  max {max(values)}")


def main() -> None:
    ogoh = Ogoh(ROOT / "rules")
    service = Service(ogoh)
    about = "other" if "--other" in sys.argv else "self"
    topics = service.topic_ids()
    table(f"Telegram, first message ({about})", telegram_lengths(service, about), topics)
    if about == "self":
        table("Web, /topic/<id> before any tap", web_lengths(ogoh), topics)


if __name__ == "__main__":
    main()
