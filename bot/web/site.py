"""What the web page says about itself and its place in the interview, beyond the engine's
answers: who runs this copy (settings), the quick exit, page titles that never repeat a person's
words, "Question 3 of 8", and the rows of the check-your-answers page with their change links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.engine.assess import askable
from bot.engine.conditions import evaluate, facts_in
from bot.engine.rulebook import WEB_UI_KEYS as _WEB_UI_KEYS
from bot.engine.rulebook import RuleBook

# Every new text of the web page lives under ui.web.* in rules/text/<lang>.yaml.
WEB_UI_KEYS = _WEB_UI_KEYS

# Page titles say what the page is, never what was asked or answered (browser history).
TITLE_KEYS = {
    "answer.html": "ui.web.title.answer",
    "results.html": "ui.web.title.results",
    "findings_sources.html": "ui.web.title.sources",
    "todo.html": "ui.what_to_do",
    "review.html": "ui.web.review",
    "about.html": "ui.web.about_title",
    "error.html": "ui.web.title.error",
}

EMAIL = re.compile(r"^[^@\s/]+@[^@\s/]+\.[^@\s/]+$")
HANDLE = re.compile(r"^@([A-Za-z0-9_]{4,32})$")


@dataclass(frozen=True)
class Site:
    """The hosting NGO's settings (OGOH_WEB_OPERATOR_NAME, OGOH_WEB_OPERATOR_CONTACT,
    OGOH_WEB_QUICK_EXIT_URL)."""

    operator_name: str | None = None
    operator_contact: str | None = None
    quick_exit_url: str = "https://yandex.ru/pogoda/"

    @classmethod
    def of(cls, app_state: Any) -> "Site":
        settings = getattr(app_state, "settings", None)
        if settings is None:
            return DEFAULT_SITE
        return cls(getattr(settings, "web_operator_name", None) or None,
                   getattr(settings, "web_operator_contact", None) or None,
                   getattr(settings, "web_quick_exit_url", None) or DEFAULT_SITE.quick_exit_url)

    @property
    def contact_href(self) -> str | None:
        """A link for the contact when it is one (web, e-mail, Telegram handle), else None."""
        c = (self.operator_contact or "").strip()
        if c.startswith(("https://", "http://")):
            return c
        if EMAIL.match(c):
            return "mailto:" + c
        m = HANDLE.match(c)
        if m:
            return "https://t.me/" + m.group(1)
        return None

    def external_links(self) -> set[str]:
        return {u for u in (self.quick_exit_url, self.contact_href) if u}


DEFAULT_SITE = Site()


def progress(book: RuleBook, answers: dict[str, str]) -> int:
    """How many questions are still open at most, the next one included: every askable fact that
    an undecided rule still depends on (the engine asks only those, and fewer when answers settle
    rules early). `answers` are the given and implied ones."""
    left: set[str] = set()
    for rule in book.rules:
        node = book.conditions[rule.id]
        if evaluate(node, answers)[0] is not None:
            continue
        left |= {f for f in facts_in(node) if askable(book, f, answers) or _may_become_askable(book, f, answers)}
    return len(left)


def _may_become_askable(book: RuleBook, fact_id: str, answers: dict[str, str]) -> bool:
    if fact_id in answers:
        return False
    condition = book.ask_if.get(fact_id)
    return condition is not None and evaluate(condition, answers)[0] is None


def without_unaskable(book: RuleBook, answers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The answers, in order, less those to questions that would no longer be asked after an
    answer was changed (a "since when" question once the citizenship answer is "none")."""
    kept = list(answers)
    changed = True
    while changed:
        changed = False
        given = dict(kept)
        for fact_id, _ in list(kept):
            condition = book.ask_if.get(fact_id)
            if condition is not None and evaluate(condition, {k: v for k, v in given.items() if k != fact_id})[0] is False:
                kept = [(k, v) for k, v in kept if k != fact_id]
                changed = True
                break
    return kept


def changed_answers(book: RuleBook, answers: list[tuple[str, str]], fact_id: str, value: str) -> list[tuple[str, str]]:
    """The answers with one of them changed in place (the order is the interview's history), or
    added at the end when it was not answered yet."""
    if any(k == fact_id for k, _ in answers):
        new = [(k, value if k == fact_id else v) for k, v in answers]
    else:
        new = answers + [(fact_id, value)]
    return without_unaskable(book, new)


def review_rows(page: Any, given: list[tuple[str, str]], out: Any) -> list[dict[str, Any]]:
    """Check your answers: every given answer with a change link, in the order answered, then the
    answers they imply (not asked, so changed through the answer they follow from)."""
    questions = {q.fact_id: q for q in page.service.facts(page.lang).facts}

    def label_of(fact_id: str, value: str) -> str:
        q = questions.get(fact_id)
        return next((o.label for o in q.options if o.value == value), value) if q else value

    rows = []
    for fact_id, value in given:
        q = questions.get(fact_id)
        if fact_id in out.implied or q is None:
            continue
        rows.append({"fact": fact_id, "label": q.label, "question": q.question, "answer": label_of(fact_id, value),
                     "change": page._with(page.path("web_check_change"), given + [("change", fact_id)]), "implied_by": None})
    for fact_id, source in out.implied.items():
        q = questions.get(fact_id)
        if q is None:
            continue
        rows.append({"fact": fact_id, "label": q.label, "question": q.question,
                     "answer": label_of(fact_id, out.answers.get(fact_id, "")), "change": None,
                     "implied_by": questions[source].label if source in questions else source})
    return rows


# --- the translators' preview ---------------------------------------------------------------------

PREVIEW_GROUPS = (  # (key prefix, heading) for the texts beyond topics and questions
    ("ui.web.", "web page"), ("web.", "web page (older)"), ("ui.summary.", "personal summary"),
    ("ui.source.", "source labels"), ("ui.handoff.", "talk to a person"), ("ui.", "shared interface"),
    ("bot.", "Telegram bot"), ("source.", "source notes"), ("contact.", "contacts"), ("rule.", "findings"),
)


def preview(book: RuleBook, base: dict[str, Any]) -> dict[str, Any]:
    """The service's preview (topics and questions) with the Uzbek Cyrillic column the readers of
    uz-Cyrl see (transliterated from Uzbek, so it carries Uzbek's marks), and every other text:
    interface strings, source notes, contacts and findings, grouped, with a contents list."""
    from bot.engine.coverage import stale_keys
    from bot.engine.i18n import UZ_CYRILLIC, Localizer

    codes = list(base["codes"])
    with_cyrl = "uz" in codes and UZ_CYRILLIC not in codes
    stale = {code: set(stale_keys(book, code)) for code in codes}
    localizers = {code: Localizer(book, code) for code in codes + ([UZ_CYRILLIC] if with_cyrl else [])}

    def cell(code: str, key: str) -> dict[str, Any]:
        real = "uz" if code == UZ_CYRILLIC else code
        entry = book.texts.get(real, {}).get(key)
        try:
            shown_text, shown = localizers[code].lookup(key)
        except KeyError:
            shown_text, shown = "", ""
        if entry is None or not entry.text.strip():
            return {"text": shown_text, "marks": ["missing"], "shown": shown}
        marks = (["stale"] if key in stale[real] else []) + ([] if entry.reviewed else ["unreviewed"])
        return {"text": shown_text if code == UZ_CYRILLIC else entry.text, "marks": marks, "shown": code}

    out_codes = codes + ([UZ_CYRILLIC] if with_cyrl else [])
    items = []
    for item in base["items"]:
        rows = []
        for row in item["rows"]:
            cells = list(row["cells"]) + ([cell(UZ_CYRILLIC, row["key"])] if with_cyrl else [])
            rows.append({**row, "cells": cells})
        items.append({**item, "rows": rows, "anchor": f"{item['kind']}-{item['id']}",
                      "heading": f"{item['kind']}: {item['id']}"})
    done = {row["key"] for item in base["items"] for row in item["rows"]}
    rest = [k for k in book.expected_text_keys() if k not in done and k != "ui.language_name"]
    for prefix, heading in PREVIEW_GROUPS:
        keys = [k for k in rest if k.startswith(prefix)]
        rest = [k for k in rest if not k.startswith(prefix)]
        if keys:
            anchor = "texts-" + prefix.strip(".").replace(".", "-")
            items.append({"kind": "texts", "id": prefix.strip("."), "anchor": anchor, "heading": heading,
                          "rows": [{"key": k, "label": k.removeprefix(prefix), "cells": [cell(c, k) for c in out_codes]}
                                   for k in keys]})
    if rest:
        items.append({"kind": "texts", "id": "other", "anchor": "texts-other", "heading": "other texts",
                      "rows": [{"key": k, "label": k, "cells": [cell(c, k) for c in out_codes]} for k in rest]})
    names = dict(base["names"])
    if with_cyrl:
        from bot.engine.i18n import uzbek_latin_to_cyrillic

        names[UZ_CYRILLIC] = uzbek_latin_to_cyrillic(book.languages["uz"].name) + " (кирилл)"
    return {**base, "codes": out_codes, "names": names, "items": items}
