"""What the web page says about itself and its place in the interview, beyond the engine's
answers: who runs this copy (settings), the quick exit, page titles that never repeat a person's
words, "Question 3 of 8", and the rows of the check-your-answers page with their change links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from bot.core.answers import WEB_UI_KEYS as _WEB_UI_KEYS
from bot.core.links import link_spans, whatsapp_numbers
from bot.core.answers import EXCLUSIVE, RuleBook, changed_answers, collect_answers, progress, without_unaskable

__all__ = ["WEB_UI_KEYS", "TITLE_KEYS", "Site", "DEFAULT_SITE", "progress", "without_unaskable", "changed_answers", "collect_answers", "EXCLUSIVE",
           "review_rows", "preview"]

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

    @staticmethod
    def linked(text: str, book: Any = None) -> Markup:
        """`text` as HTML with its phone numbers, @handles and addresses tappable, as the
        summary's contacts are (bot.core.links; WhatsApp numbers known from the book's contacts)."""
        spans = link_spans(text, whatsapp_numbers(getattr(book, "contacts", ())))
        return Markup("").join(
            Markup('<a href="{}"{}>{}</a>').format(href, Markup(' rel="noreferrer"') if href.startswith("https://") else "", piece)
            if href else escape(piece) for piece, href in spans)


DEFAULT_SITE = Site()


def review_rows(page: Any, given: list[tuple[str, str]], out: Any) -> list[dict[str, Any]]:
    """Check your answers: every given answer with a change link, in the order answered, then the
    answers they imply (not asked, so changed through the answer they follow from)."""
    questions = {q.fact_id: q for q in page.service.facts(page.lang, getattr(page, "subject", "self")).facts}

    def label_of(fact_id: str, value: str | list[str]) -> str:
        q = questions.get(fact_id)
        return q.answer_label(value) if q else value if isinstance(value, str) else ", ".join(value)

    rows = []
    seen: set[str] = set()
    for fact_id, _ in given:
        q = questions.get(fact_id)
        if fact_id in out.implied or q is None or fact_id in seen:
            continue
        seen.add(fact_id)  # a fact with several answers: one row listing them all
        answer = ", ".join(label_of(fact_id, v) for k, v in given if k == fact_id)
        rows.append({"fact": fact_id, "label": q.label, "question": q.question, "answer": answer,
                     "change": page.check(given + [("change", fact_id)], "web_check_change"), "implied_by": None})
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
    from bot.core.service import UZ_CYRILLIC, Localizer, stale_keys

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
        from bot.core.service import language_label

        names[UZ_CYRILLIC] = language_label(book, UZ_CYRILLIC)  # the service's label, "(кирилл)" written once
    return {**base, "codes": out_codes, "names": names, "items": items}
