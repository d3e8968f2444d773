"""Visible characters of the personal answer in Telegram, over every situation x 7 languages x
self/other: the first message (FIRST_MESSAGE_CHARS, 700) and each "Risk N: details" opened in
place (EXPANDED_CHARS). REVIEW5 F14: an opened risk was ~1,850 characters, a wall on a cheap phone.

    .venv/bin/python bench/answer_length.py            # summary: median, max, how many over target
    .venv/bin/python bench/answer_length.py --worst 5  # the longest, to read
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import sys
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.engine.i18n import Localizer  # noqa: E402
from bot.ogoh import Ogoh  # noqa: E402
from bot.telegram.handlers.understood import answer_card  # noqa: E402
from bot.telegram.render import FIRST_MESSAGE_CHARS  # noqa: E402

LANGS = ["en", "ru", "uz", "uz-Cyrl", "tg", "ky", "kk"]
EXPANDED_TARGET = 1400
SITUATIONS = list(itertools.product(
    ["UZ", "TJ", "KG", "KZ"], ["none", "dual", "naturalized"], ["no", "migration_center", "police"],
    ["no", "yes"], ["no", "yes"], ["no", "residence_permit"]))


def visible(html: str) -> int:
    return len(unescape(re.sub(r"<[^>]+>", "", html)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worst", type=int, default=0)
    args = ap.parse_args()
    ogoh = Ogoh(str(Path(__file__).resolve().parents[1] / "rules"))
    firsts: list[int] = []
    opened: list[tuple[int, str, dict, str, int]] = []
    for lang in LANGS:
        loc = Localizer(ogoh.book, lang)
        for about in ("self", "other"):
            for home, cit, offer, summons, threat, app in SITUATIONS:
                facts = {"home_country": home, "ru_citizenship": cit, "military_offer": offer, "summons": summons,
                         "permit_threat": threat, "status_application": app}
                out = ogoh.assess(facts, lang, about=about)
                firsts.append(visible(answer_card(loc, out, about)))
                for n in range(1, len(out.summary.risks) + len(out.summary.good_to_know) + 1):
                    opened.append((visible(answer_card(loc, out, about, expanded=n)), lang, facts, about, n))
    lengths = [o[0] for o in opened]
    print(f"first message: {len(firsts)} answers, median {statistics.median(firsts):.0f}, max {max(firsts)}, "
          f"over {FIRST_MESSAGE_CHARS}: {sum(x > FIRST_MESSAGE_CHARS for x in firsts)}")
    print(f"risk opened in place: {len(lengths)} messages, median {statistics.median(lengths):.0f}, max {max(lengths)}, "
          f"over {EXPANDED_TARGET}: {sum(x > EXPANDED_TARGET for x in lengths)}, over 1,200: {sum(x > 1200 for x in lengths)}")
    for length, lang, facts, about, n in sorted(opened, key=lambda o: -o[0])[:args.worst]:
        print(length, lang, about, n, facts)


if __name__ == "__main__":
    main()
