"""HTML pages over Ogoh: no cookies, no scripts, no external assets, GET forms only.

Everything a worker is told comes from `Ogoh.ask`, `Ogoh.assess`, `Ogoh.topic(s)`; this module
only lays it out. The interview lives in the address (`/check?lang=ru&home_country=UZ&...`, in
the order answered), so the back button and the "back" link both work without any state on the
server. Typed questions are never logged: errors log the exception type and the path only.
"""

from __future__ import annotations

import functools
import gzip
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bot.engine.assess import InvalidAnswers
from bot.engine.coverage import coverage, stale_keys
from bot.engine.i18n import UZ_CYRILLIC, Localizer, UnknownLanguage, language_from_accept, resolve_language, supported_languages, uzbek_latin_to_cyrillic
from bot import trends
from bot.engine.rulebook import WEB_KEYS, RuleBook  # noqa: F401  (WEB_KEYS re-exported for bot.web)
from bot.engine.views import AssessOut, disclaimer
from bot.ogoh import MAX_QUESTION_CHARS, Ogoh, QuestionTooLong, UnknownTopic
from bot.storage import Store

log = logging.getLogger("ogoh.web")

# The texts this face needs beyond the shared ui.* and bot.* ones (in every rules/text/<lang>.yaml).

HELP_TOPIC = "get-help"

# Embeddable by NGOs (frame-ancestors *), but nothing loads from anywhere: no scripts at all.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors *",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
)


class BadRequest(ValueError):
    """Input a person could only produce by editing the address: answered with a friendly page."""


class _RedactQuery(logging.Filter):
    """Drops the query string from uvicorn's access log lines (`ogoh serve` turns that log off;
    this keeps a worker's words out of it if someone turns it back on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = args[:2] + (args[2].split("?", 1)[0],) + args[3:]
        return True


def _install_log_redaction() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactQuery) for f in access.filters):
        access.addFilter(_RedactQuery())


def host_of(url: str) -> str:
    return urlsplit(url).netloc or url


def language_label(book: RuleBook, code: str) -> str:
    if code == UZ_CYRILLIC:
        return uzbek_latin_to_cyrillic(book.languages["uz"].name) + " (кирилл)"
    return book.languages[code].name


@dataclass
class Page:
    """Per request: the language, its texts and the addresses of the other pages."""

    request: Request
    book: RuleBook
    lang: str
    explicit: bool  # the language came from ?lang= (else suggested from Accept-Language)

    def __post_init__(self) -> None:
        self.loc = Localizer(self.book, self.lang)
        self.root = str(self.request.scope.get("root_path", "")).rstrip("/")

    def t(self, key: str, **values: Any) -> str:
        return self.loc.text(key, **{k: str(v) for k, v in values.items()})

    def path(self, name: str, **params: str) -> str:
        return self.root + str(self.request.app.url_path_for(name, **params))

    def _with(self, path: str, items: list[tuple[str, str]]) -> str:
        return path + "?" + urlencode([("lang", self.lang)] + items)

    def home(self) -> str:
        return self._with(self.path("web_home"), [])

    def topic(self, topic_id: str) -> str:
        return self._with(self.path("web_topic", topic_id=topic_id), [])

    def check(self, answers: list[tuple[str, str]] | None = None, view: str = "web_check") -> str:
        return self._with(self.path(view), list(answers or []))

    def action(self, name: str) -> str:
        return self.path(name)

    def languages(self, keep: bool = True) -> list[dict[str, Any]]:
        """Links to this same page in every language (query-only links keep the path), or to the
        home page when this address is broken."""
        rest = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        home = self.path("web_home")
        return [{"code": code, "label": language_label(self.book, code),
                 "href": "?" + urlencode([("lang", code)] + rest) if keep else home + "?" + urlencode({"lang": code}),
                 "current": code == self.lang} for code in supported_languages(self.book)]

    def render(self, template: str, status: int = 200, personal: bool = False, **context: Any) -> Response:
        context.setdefault("notices", [])
        context.setdefault("disclaimer", None)
        context.setdefault("keep_query", status < 400)
        context.setdefault("lang_q", None)
        context.setdefault("noindex", personal or status >= 400)  # search engines: home and topics only
        html = _TEMPLATES.get_template(template).render(
            p=self, t=self.t, lang=self.lang, explicit=self.explicit, host=host_of, max_chars=MAX_QUESTION_CHARS, **context)
        headers = dict(SECURITY_HEADERS)
        headers["Content-Language"] = self.lang
        # Answers to a person's own situation are not kept in caches; the rest may be revalidated.
        headers["Cache-Control"] = "no-store" if personal else "no-cache"
        if not self.explicit:
            headers["Vary"] = "Accept-Language"
        return html_response(self.request, html, status, headers)


def html_response(request: Request, html: str, status: int, headers: dict[str, str]) -> Response:
    """HTML, gzipped when the browser takes it: Cyrillic pages shrink about five times, which is
    what counts on a slow mobile connection."""
    body = html.encode("utf-8")
    vary = [v for v in (headers.get("Vary"),) if v]
    if len(body) > 1024 and "gzip" in request.headers.get("accept-encoding", "").lower():
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
        vary.append("Accept-Encoding")
    if vary:
        headers["Vary"] = ", ".join(vary)
    return Response(body, status_code=status, headers=headers, media_type="text/html; charset=utf-8")


def web_router(ogoh: Ogoh, default_language: str = "ru", store: Store | None = None,
               rate_limit: Callable[[Request], float | None] | None = None) -> APIRouter:
    """`rate_limit(request)` returns the seconds to wait when the client is over its limit."""
    router = APIRouter(include_in_schema=False)
    _install_log_redaction()

    def page_for(request: Request) -> Page:
        book = ogoh.book  # one read per request: a hot reload swaps the whole book
        given = request.query_params.getlist("lang")
        if len(given) > 1:
            raise BadRequest("lang given twice")
        if given and given[0].strip():
            return Page(request, book, resolve_language(book, given[0]), True)
        suggested = language_from_accept(book, request.headers.get("accept-language"))
        return Page(request, book, suggested or resolve_language(book, default_language), False)

    def error_page(request: Request, status: int, key: str) -> Response:
        book = ogoh.book
        try:
            page = page_for(request)
        except (UnknownLanguage, BadRequest):
            fallback = language_from_accept(book, request.headers.get("accept-language")) or resolve_language(book, default_language)
            page = Page(request, book, fallback, False)
        return page.render("error.html", status=status, message=page.t(key))

    def guarded(handler: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
        """Bad input gets a friendly page in the reader's language, never a stack trace."""

        @functools.wraps(handler)
        async def wrapper(request: Request, **kwargs: Any) -> Response:
            wait = rate_limit(request) if rate_limit is not None else None
            if wait is not None:
                response = error_page(request, 429, "bot.too_fast")
                response.headers["Retry-After"] = str(max(1, int(wait + 0.999)))
                return response
            try:
                return await handler(request, **kwargs)
            except (BadRequest, UnknownLanguage, InvalidAnswers, QuestionTooLong):
                return error_page(request, 400, "web.bad_request")
            except UnknownTopic:
                return error_page(request, 404, "web.bad_request")
            except Exception as exc:  # a bug: logged without the address, which may hold a question
                log.error("web page failed: %s on %s", type(exc).__name__, request.scope.get("route").path
                          if request.scope.get("route") else "?")
                try:
                    return error_page(request, 500, "bot.error")
                except Exception:
                    return HTMLResponse("<!doctype html><title>Ogoh</title><p>Error", status_code=500, headers=SECURITY_HEADERS)

        return wrapper

    def home_page(page: Page) -> Response:
        topics = ogoh.topics(page.lang)
        return page.render("home.html", topics=topics.topics, notices=topics.notices,
                           disclaimer=disclaimer(page.loc, []), q="")

    @router.get("/", name="web_home")
    @guarded
    async def home(request: Request) -> Response:
        return home_page(page_for(request))

    @router.get("/ask", name="web_ask")
    @guarded
    async def ask(request: Request) -> Response:
        page = page_for(request)
        texts = request.query_params.getlist("q")
        if len(texts) > 1:
            raise BadRequest("q given twice")
        text = (texts[0] if texts else "").strip()
        if not text:
            return home_page(page)
        if len(text) > MAX_QUESTION_CHARS:
            raise QuestionTooLong(str(MAX_QUESTION_CHARS))
        out = ogoh.ask(text, page.lang if page.explicit else None)
        if store is not None:
            trends.count_topics(store, [m.topic_id for m in out.matches], out.reply_lang, "web")
        reply = Page(request, page.book, out.reply_lang, page.explicit) if out.reply_lang != page.lang else page
        return reply.render("answer.html", personal=True, out=out, q=text, lang_q=text, notices=out.notices,
                            disclaimer=out.disclaimer)

    @router.get("/topic/{topic_id:path}", name="web_topic")
    @guarded
    async def topic(request: Request, topic_id: str) -> Response:
        page = page_for(request)
        out = ogoh.topic(topic_id, page.lang)
        return page.render("topic.html", topic=out.topic, notices=out.notices, disclaimer=out.disclaimer, q="")

    def interview(request: Request, extra: tuple[str, ...] = ()) -> tuple[Page, list[tuple[str, str]], AssessOut]:
        page = page_for(request)
        answers: dict[str, str] = {}  # in the order answered: the address is the history
        for key, value in request.query_params.multi_items():
            if key == "lang" or key in extra:
                continue
            if key not in page.book.facts or key in answers:
                raise BadRequest(f"unknown or repeated fact {key!r}")
            answers[key] = value
        return page, list(answers.items()), ogoh.assess(answers, page.lang)

    @router.get("/check", name="web_check")
    @guarded
    async def check(request: Request) -> Response:
        """One question per page, each option a submit button; then the findings, most severe
        first, with why and their sources (quotes one click away, as the bot's Sources button)."""
        page, given, out = interview(request)
        back = page.check(given[:-1]) if given else page.home()
        if out.next_question is not None:
            return page.render("question.html", personal=True, out=out, question=out.next_question, answers=given,
                               number=len(given) + 1, back=back, notices=out.notices)
        if store is not None:
            trends.count_findings(store, out, "web")
        return page.render("results.html", personal=True, out=out, answers=given, back=back, help_topic=HELP_TOPIC,
                           notices=out.notices, disclaimer=out.disclaimer)

    @router.get("/check/sources", name="web_check_sources")
    @guarded
    async def check_sources(request: Request) -> Response:
        """A finding's sources (`show=<rule id>`; else every finding's) with their verbatim quotes."""
        page, given, out = interview(request, extra=("show",))
        show = request.query_params.getlist("show")
        findings = [f for f in out.findings if not show or f.rule_id in show]
        if show and not findings:
            raise BadRequest("no such finding for these answers")
        return page.render("findings_sources.html", personal=True, findings=findings, answers=given,
                           notices=out.notices, disclaimer=out.disclaimer)

    @router.get("/check/todo", name="web_check_todo")
    @guarded
    async def check_todo(request: Request) -> Response:
        """What to do now: the steps of every topic the findings belong to (else: where to get help)."""
        page, given, out = interview(request)
        topics = [ogoh.topic(tid, page.lang) for tid in dict.fromkeys(f.topic_id for f in out.findings)]
        topics = topics or [ogoh.topic(HELP_TOPIC, page.lang)]
        notices = list(dict.fromkeys(n for t in topics for n in t.notices))
        return page.render("todo.html", personal=True, todo=[t.topic for t in topics], answers=given,
                           help_topic=HELP_TOPIC, notices=notices, disclaimer=topics[0].disclaimer)

    @router.get("/preview", name="web_preview")
    @guarded
    async def preview(request: Request) -> Response:
        book = ogoh.book  # read per request: shows an edit as soon as it is hot-reloaded
        page = Page(request, book, book.source_language, True)
        html = _TEMPLATES.get_template("preview.html").render(preview_rows(book), p=page)
        headers = dict(SECURITY_HEADERS)
        headers.update({"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
        return html_response(request, html, 200, headers)

    return router


def preview_rows(book: RuleBook) -> dict[str, Any]:
    """Every topic and interview question in every language, each cell with its status."""
    codes = [book.source_language] + [c for c in book.languages if c != book.source_language]
    stale = {code: set(stale_keys(book, code)) for code in codes}
    localizers = {code: Localizer(book, code) for code in codes}

    def cell(code: str, key: str) -> dict[str, Any]:
        entry = book.texts.get(code, {}).get(key)
        if entry is None or not entry.text.strip():
            try:
                text, shown = localizers[code].lookup(key)
            except KeyError:
                text, shown = "", ""
            return {"text": text, "marks": ["missing"], "shown": shown}
        marks = (["stale"] if key in stale[code] else []) + ([] if entry.reviewed else ["unreviewed"])
        return {"text": entry.text, "marks": marks, "shown": code}

    def rows(keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return [{"key": key, "label": label, "cells": [cell(code, key) for code in codes]} for label, key in keys]

    items = []
    for tid in book.topics:
        items.append({"kind": "topic", "id": tid, "rows": rows(
            [(part, f"topic.{tid}.{part}") for part in ("title", "answer", "steps")])})
    for fid, fact in book.facts.items():
        keys = [("question", f"fact.{fid}.question"), ("label", f"fact.{fid}.label")]
        keys += [(f"option {o}", f"fact.{fid}.option.{o}") for o in fact.options]
        items.append({"kind": "question", "id": fid, "rows": rows(keys)})
    return {"codes": codes, "names": {c: book.languages[c].name for c in codes}, "items": items,
            "coverage": coverage(book), "version": book.version}
