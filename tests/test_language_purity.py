"""One language per answer (issue 11 item 3): every reply of every face (API JSON, web pages,
Telegram texts) in ru, uz, uz-Cyrl, tg, ky and kk, scanned for English words outside verbatim
quotes, addresses and proper names. Fails on any, naming face, language, word and where."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from bot.engine.i18n import Localizer
from bot.telegram import render

LANGS = ["ru", "uz", "uz-Cyrl", "tg", "ky", "kk"]
SITUATIONS = [
    {"home_country": "UZ", "ru_citizenship": "none", "status_application": "no", "in_russia": "yes", "military_offer": "migration_center",
     "occupied_job_offer": "no", "permit_threat": "yes", "summons": "no", "passport_taken": "no"},
    {"home_country": "TJ", "ru_citizenship": "dual", "ru_citizenship_since": "under_1_year", "in_russia": "yes", "military_offer": "police",
     "occupied_job_offer": "yes", "permit_threat": "yes", "summons": "yes", "passport_taken": "yes"},
    {"home_country": "KZ", "ru_citizenship": "dont_know", "in_russia": "yes", "military_offer": "online", "occupied_job_offer": "no",
     "permit_threat": "no", "summons": "yes", "passport_taken": "no"},
    {"home_country": "KG", "ru_citizenship": "none", "status_application": "no", "in_russia": "yes", "military_offer": "no",
     "occupied_job_offer": "no", "permit_threat": "no", "summons": "no", "passport_taken": "no"},
]
# Frequent English words that are not words of Uzbek (Latin), so they can be told apart there too.
ENGLISH = set("""
the and of to is are was were not you your with for from this that these those by which who will
would can could should must has have had been being there their they them its into about after
before than then only also such when where while what how why our we us any all each other more
most some no yes page date address notes research recorded record reprinted citing quoting
summarizing relaying described organisation organization shows shown state project funded
government law firm database embassy consulate sign signed contract citizen citizens citizenship
russian russia foreign foreigners military service called call up help contact check get lawyer
risk risks sources source what now details hide as of confirmed not known unknown answer answers
question questions threat threats passport offer offered job jobs occupied work worker workers
""".split())
QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
ADDRESS = re.compile(r"https?://\S+|@\w+|(?<![\w/])/[a-z_]+\b|\b[\w-]+(?:\.[\w-]+)*\.(?:org|ru|uz|com|kz|kg|tj|tm|media|az|net|info|io|ro|ua|eu|ge|by)\b\S*")


def english_words(text: str, names: tuple[str, ...]) -> list[str]:
    text = QUOTED.sub(" ", text)
    text = ADDRESS.sub(" ", text)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    # Uzbek Latin writes oʻ, gʻ and the tutuq belgisi inside words: they are letters here.
    return [w for w in re.findall(r"[A-Za-zʻʼ'’`‘-]+", text) if w.lower().strip("'’`‘ʻʼ-") in ENGLISH and w.isascii()]


class _Text(HTMLParser):
    """Visible text of a page, without verbatim quotes (blockquote, q) and without attributes."""

    def __init__(self):
        super().__init__()
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("blockquote", "q", "style", "script"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("blockquote", "q", "style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.out)


VERBATIM_KEYS = {"quote", "quotes", "title_lang", "title_kind", "step_actions", "url", "href", "value", "source_id", "source_ids", "rule_id", "rule_ids", "topic_id",
                 "fact_id", "answer", "answers", "implied", "implied_by", "severity", "rule_severity", "status", "kind",
                 "country", "lang", "quote_lang", "relation", "publisher_kind", "publisher", "via", "date", "last_confirmed",
                 "rules_version", "as_of", "ask_if", "last_checked", "id", "exposed", "complete", "next_question"}


def json_strings(data, path=""):
    """Every string a face may show, with where it is; verbatim fields are skipped."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in VERBATIM_KEYS or (key == "title" and "citations" in path):
                continue
            yield from json_strings(value, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from json_strings(value, f"{path}[{i}]")
    elif isinstance(data, str):
        yield path, data


@pytest.fixture(scope="module")
def client(ogoh):
    from bot.api import create_app
    from bot.settings import Settings

    app = create_app(Settings(storage_url="sqlite://:memory:", rules_dir=ogoh.rules_dir, rate_limit_per_minute=1_000_000),
                     ogoh=ogoh, watch=False)
    return TestClient(app)


def _report(found):
    def around(text, words):
        text = " ".join(text.split())
        i = min((m.start() for w in words for m in re.finditer(rf"\b{re.escape(w)}\b", text)), default=0)
        return text[max(0, i - 80): i + 80]
    return "\n".join(f"{face} [{lang}] {words} in: …{around(where, words)}…" for face, lang, words, where in found[:40])


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_in_any_face(ogoh, book, client, lang):
    names = book.protected_names
    found = []

    def scan(face, text, where=None):
        words = english_words(text, names)
        if words:
            found.append((face, lang, sorted(set(words)), where or text))

    loc = Localizer(book, lang)
    for answers in SITUATIONS:
        answers = {k: v for k, v in answers.items() if k in book.facts}
        # API
        r = client.post("/v1/assess", json={"facts": answers, "lang": lang})
        assert r.status_code == 200
        for path, text in json_strings(r.json()):
            scan("api", text, f"{path}: {text}")
        # web: results and every source
        query = urlencode({"lang": lang, **answers})
        for url in (f"/check?{query}", f"/check/sources?{query}"):
            scan("web " + url.split("?")[0], page_text(client.get(url).text))
        # Telegram: the summary, each risk opened, the sources, the closing message
        out = ogoh.assess(answers, lang)
        texts = [render.summary_card(loc, out), render.sources_list(loc, out)]
        texts += [render.summary_card(loc, out, expanded=i) for i in range(1, len(out.summary.risks) + 1)]
        texts += [" ".join(out.notices + [out.disclaimer]), render.quotes_list(loc, out)]
        for html in texts:
            scan("telegram", page_text(html.replace("<i>«", "<q>").replace("»</i>", "</q>")))
    assert not found, "English in a non-English reply:\n" + _report(found)


def test_the_scanner_finds_english(book):
    assert english_words("Источник: the page shows no date", book.protected_names) == ["the", "page", "shows", "no", "date"]
    assert english_words("The Moscow Times, «a complete lie», https://the.org/page", book.protected_names) == []
    assert english_words("Javoblaringizda siz uchun alohida xavf yoʻq, may oyida", book.protected_names) == []
