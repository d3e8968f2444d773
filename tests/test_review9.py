"""REVIEW9, what a worker or a relative reads first (F1, F2, F5, F6), through the service every face
calls (Service.ask_now: the lead the bot, the web page, the CLI and /v1/ask show) and the bot.

- F1: a relative already at the front, taken there or gone to the war, gets what the family can do
  (the consular service, as a Kyrgyz mother did; his country's contact), never "nothing points to a
  risk for this person".
- F2: a residence-permit / Decree 821 question gets the decree's finding, with the Kazakhstan
  carve-out as the sources give it.
- F5: "what happens at home if I fight" with the country named leads with that country's penalty
  and its recent cases, never "nothing points to a risk".
- F6: "I signed and want out" gets what the sources do say, the home contact first."""

from __future__ import annotations

import pytest

from bot.core.service import Service
from bot.engine.i18n import Localizer


@pytest.fixture(scope="module")
def svc(ogoh):
    return Service(ogoh)


def text(ogoh, lang: str, key: str) -> str:
    return Localizer(ogoh.book, lang).text(key)


def first_lines(svc, message: str, lang: str) -> tuple[object, str]:
    """The reply and the text a worker reads first (the lead and its steps, else the message)."""
    out = svc.ask_now(message, None, lang)
    if out.lead is not None:
        return out, "\n".join([out.lead.lead] + out.lead.steps)
    return out, out.message or ""


# --- F1 ----------------------------------------------------------------------------------------
AT_THE_FRONT = [  # (reply language, a relative taken to the front, gone to the war, or fighting there)
    ("ru", "сына забрали на фронт, он гражданин кыргызстана, что делать матери"),
    ("ru", "муж уже на фронте, он из таджикистана, что нам делать"),
    ("en", "my son was taken to the front, he is from kyrgyzstan"),
    ("en", "my husband is fighting in ukraine now, what can I do"),
    ("ky", "уулум согушка кетти, кантип кайтарсам болот"),
    ("ky", "күйөөм фронтто, эмне кылам"),
    ("kk", "күйеуім соғысқа кетті, не істеймін"),
    ("kk", "ұлым майданда, не істейміз"),
    ("tg", "писарам дар фронт аст, чӣ кор кунем"),
    ("uz", "erim urushda, nima qilay"),
    ("uz-Cyrl", "ўғлим фронтда, нима қилай"),
]


@pytest.mark.parametrize("lang, message", AT_THE_FRONT)
def test_a_relative_at_the_front_gets_what_the_family_can_do(svc, ogoh, lang, message):
    out, first = first_lines(svc, message, lang)
    assert out.lead is not None and out.lead.kind == "urgent"
    assert first.startswith(text(ogoh, lang, "ui.urgent.family"))
    consular = text(ogoh, lang, "topic.get-help.steps.other").splitlines()[0].strip()
    assert consular in first  # the consular service, as a Kyrgyz mother did (Azattyk, December 2025)
    assert text(ogoh, lang, "ui.summary.headline_none_so_far.other").split(";")[0] not in first
    assert out.message is None  # the lead is the reply, not "nothing points to a risk" under it


def test_a_kyrgyz_mother_reads_her_countrys_line_not_the_uzbek_agency(svc, ogoh):
    for lang, message in [("ru", "сына забрали на фронт, он гражданин кыргызстана, что делать матери"),
                          ("ky", "уулум согушка кетти, кантип кайтарсам болот")]:
        out, first = first_lines(svc, message, lang)
        assert "+7 925 045-47-44" not in first, (lang, first)
