"""HTML pages over Ogoh: no cookies, no scripts, no external assets; GET forms, except the
question box (POST: typed words never sit in the address or the browser history).

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

from bot.core import replies
from bot.core.cards import embassy_first
from bot.core.links import must_caveat
from bot.core.service import HELP_TOPIC, MAX_QUESTION_CHARS, WEB_KEYS, InvalidAnswers, QuestionTooLong, Service, UnknownLanguage, UnknownTopic, error_place
from bot.engine.views import AssessOut
from bot.web import site as web_site
from bot.web import talk as web_talk

log = logging.getLogger("ogoh.web")
__all__ = ["WEB_KEYS", "router", "web_router", "Page", "html_response", "SECURITY_HEADERS"]

# The texts this face needs beyond the shared ui.* and bot.* ones (in every rules/text/<lang>.yaml).

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
_TEMPLATES.globals["talk_available"] = web_talk.talk_available  # talk to a person (issue 16)
_TEMPLATES.globals["must_caveat"] = must_caveat  # an organisation of no country keeps its caveat (REVIEW8 F5)


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


@dataclass
class Page:
    """Per request: the language, its texts and the addresses of the other pages."""

    request: Request
    service: Service
    book: Any  # the snapshot's rule book: one per request, read once
    lang: str
    explicit: bool  # the language came from ?lang= (else suggested from Accept-Language)
    # "other": the check is about someone else ("my brother …", issue 12): carried in every
    # link of the check (about=other), so that its questions and answer speak of that person
    subject: str = "self"

    def __post_init__(self) -> None:
        self.loc = self.service.localizer(self.lang, self.book)
        self.root = str(self.request.scope.get("root_path", "")).rstrip("/")

    def t(self, key: str, **values: Any) -> str:
        return self.loc.text(key, **{k: str(v) for k, v in values.items()})

    def path(self, name: str, **params: str) -> str:
        return self.root + str(self.request.app.url_path_for(name, **params))

    def _with(self, path: str, items: list[tuple[str, str]]) -> str:
        return path + "?" + urlencode([("lang", self.lang)] + items)

    def home(self) -> str:
        return self._with(self.path("web_home"), [])

    def topic(self, topic_id: str, home: str | None = None) -> str:
        """A topic's page; `home`: the country a question named (its card leads with that country's rule)."""
        return self._with(self.path("web_topic", topic_id=topic_id), [("home", home)] if home else [])

    def check(self, answers: list[tuple[str, str]] | None = None, view: str = "web_check") -> str:
        items = list(answers or [])
        if self.subject == "other" and ("about", "other") not in items:
            items.append(("about", "other"))
        return self._with(self.path(view), items)

    def action(self, name: str) -> str:
        return self.path(name)

    def embassy_first(self, home: Any = None) -> bool:
        """His embassy line before other countries' numbers (a Kyrgyz or Kazakh reader, no country
        stated: bot.core.cards.embassy_first, as the bot and `ogoh ask`; REVIEW9 F7)."""
        return embassy_first(self.book, self.lang, home if isinstance(home, str) else None)

    def about(self) -> str:
        return self._with(self.path("web_about"), [])

    def languages(self, keep: bool = True) -> list[dict[str, Any]]:
        """Links to this same page in every language (query-only links keep the path), or to the
        home page when this address is broken."""
        rest = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        home = self.path("web_home")
        return [{"code": code, "label": self.service.language_label(code, self.book),
                 "href": "?" + urlencode([("lang", code)] + rest) if keep else home + "?" + urlencode({"lang": code}),
                 "current": code == self.lang} for code in self.service.languages_supported()]

    def render(self, template: str, status: int = 200, personal: bool = False, **context: Any) -> Response:
        context.setdefault("notices", [])
        context.setdefault("disclaimer", None)
        context.setdefault("keep_query", status < 400)
        context.setdefault("lang_q", None)
        context.setdefault("noindex", personal or status >= 400)  # search engines: home and topics only
        key = web_site.TITLE_KEYS.get(template)  # titles name the page, never the words asked
        context.setdefault("title", self.t(key) if key else None)
        context.setdefault("site", web_site.Site.of(self.request.app.state))
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


router = APIRouter(include_in_schema=False)
web_router = router  # the name bot.api includes


def service_of(request: Request) -> Service:
    return request.app.state.service


def page_for(request: Request, form_lang: list[str] | None = None) -> Page:
    service = service_of(request)
    book = service.book  # one read per request: a hot reload swaps the whole book
    given = form_lang or request.query_params.getlist("lang")
    if len(given) > 1:
        raise BadRequest("lang given twice")
    if given and given[0].strip():
        return Page(request, service, book, service.resolve_language(given[0]), True)
    suggested = service.language_from_accept(request.headers.get("accept-language"))
    return Page(request, service, book, suggested or service.resolve_language(None), False)


def error_page(request: Request, status: int, key: str) -> Response:
    service = service_of(request)
    try:
        page = page_for(request)
    except (UnknownLanguage, BadRequest):
        fallback = service.language_from_accept(request.headers.get("accept-language")) or service.resolve_language(None)
        page = Page(request, service, service.book, fallback, False)
    return page.render("error.html", status=status, message=page.t(key))


def guarded(handler: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """Rate limit (every request, whatever key it carries), then the page; bad input gets a
    friendly page in the reader's language, never a stack trace."""

    @functools.wraps(handler)
    async def wrapper(request: Request, **kwargs: Any) -> Response:
        from bot.api.guard import web_wait

        wait = await web_wait(request)
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
            route = request.scope.get("route")
            log.error("web page failed: %s at %s on %s", type(exc).__name__, error_place(exc), route.path if route else "?")
            try:
                return error_page(request, 500, "bot.error")
            except Exception:
                return HTMLResponse("<!doctype html><title>Ogoh</title><p>Error", status_code=500, headers=SECURITY_HEADERS)

    return wrapper


def home_page(page: Page) -> Response:
    topics = page.service.topics(page.lang)
    return page.render("home.html", topics=topics.topics, notices=topics.notices,
                       disclaimer=page.service.disclaimer(page.loc), q="")


@router.api_route("/", methods=["GET", "HEAD"], name="web_home")
@guarded
async def home(request: Request) -> Response:
    return home_page(page_for(request))


async def posted(request: Request) -> list[tuple[str, str]]:
    """A form sent by POST (urlencoded): the question box, so that the words stay out of the
    address and the browser history."""
    if request.method != "POST":
        return []
    from urllib.parse import parse_qsl

    try:
        return parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("unreadable form")


@router.api_route("/ask", methods=["GET", "HEAD", "POST"], name="web_ask")
@guarded
async def ask(request: Request) -> Response:
    form = await posted(request)
    page = page_for(request, [v for k, v in form if k == "lang"])
    texts = [v for k, v in form if k == "q"] if request.method == "POST" else request.query_params.getlist("q")
    if len(texts) > 1:
        raise BadRequest("q given twice")
    text = (texts[0] if texts else "").strip()
    if not text:
        return home_page(page)
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionTooLong(str(MAX_QUESTION_CHARS))
    # a language chosen on the page is the reply's; else the browser's Accept-Language is the prior,
    # left only on strong evidence in the text (issue 12 item 4)
    prior = None if page.explicit else page.service.language_from_accept(request.headers.get("accept-language"))
    out = await page.service.ask(text, page.lang if page.explicit else None, channel="web", prior=prior)
    reply = Page(request, page.service, page.book, out.reply_lang, page.explicit) if out.reply_lang != page.lang else page
    reply.subject = out.about
    u = await understood_view(reply, page.service.understood(out), out.about,
                              topic=out.matches[0].topic_id if out.matches else None)
    # urgent, signed, a person asked for, out of scope: the page leads with it, as the bot (bot.core.replies)
    lead = replies.lead_reply(page.service, out, replies.attention(out))
    if lead is not None and lead.kind == "finding":
        u = None  # a finding asked about (his country's penalty, Decree 821): not "nothing points to a risk" (REVIEW9 F2, F5)
    # (beside the personal answer: not a step it already shows, by action id)
    cards = [c for c in page.service.match_cards(out, personal=bool(u)) if lead is None or c.id != lead.card.id]
    if u and out.summary is not None and not out.summary.risks:  # a card that repeats the answer's own item: not twice (REVIEW5 F10)
        said = {g.topic_id for g in out.summary.good_to_know}
        cards = [c for c in cards if c.id not in said]
    # a card kept below a risk that already says its first sentences ('can kazakhstan jail me'):
    # the card's steps, Details and sources, not its lead a second time (REVIEW5 F10)
    shown = {r.text for r in out.summary.risks + out.summary.good_to_know} if u and out.summary is not None else set()
    return reply.render("answer.html", personal=True, out=out, cards=cards, q=text, lang_q=text, notices=out.notices,
                        disclaimer=u["out"].disclaimer if u and not out.matches else out.disclaimer, u=u, lead=lead,
                        shown=shown)


async def understood_view(page: Page, facts: dict[str, str], about: str, lv: int = 1,
                          topic: str | None = None) -> dict[str, Any] | None:
    """"I understood" (issue 12 item 2): the facts a message states (those the rules know, in the
    interview's order), each with a link to its question, and the personal answer for them, with
    a step and a contact where the answer has none yet (`aid`, as the bot: bot.core.replies;
    `topic` the one the message matched). The links carry fact ids and values only, never the
    words typed."""
    service = page.service
    options = service.fact_options()
    given = [(fid, facts[fid]) for fid in service.fact_ids() if fid in facts and facts[fid] in options[fid]]
    if not given:
        return None
    questions = {q.fact_id: q for q in service.facts(page.lang, about).facts}
    other = [("about", "other")] if about == "other" else []
    rows = []
    for fid, value in given:
        q = questions[fid]
        rows.append({"fact": fid, "label": q.label, "answer": q.answer_label(value),  # also "offered, who not said"
                     "change": page._with(page.path("web_check_change"), given + other + [("change", fid), ("then", "understood")])})
    out = await service.assess(dict(given), page.lang, channel="web", about=about)
    home = dict(given).get("home_country")
    aid = replies.first_aid(service, out.summary, topic, page.lang, about, home)
    return {"rows": rows, "about": "other" if other else "self", "out": out, "answers": given, "lv": lv, "aid": aid}


@router.api_route("/check/understood", methods=["GET", "HEAD"], name="web_check_understood")
@guarded
async def check_understood(request: Request) -> Response:
    """What a typed message was understood to say, after a change: the facts with their change
    links and the personal answer for them, then "continue the check"."""
    page, given, out = await interview(request, extra=("about",))
    about = "other" if request.query_params.get("about") == "other" else "self"
    u = await understood_view(page, dict(given), about)
    if u is None:
        raise BadRequest("nothing understood")
    return page.render("understood.html", personal=True, u=u, notices=out.notices, disclaimer=out.disclaimer,
                       title=page.t("ui.understood.title"))


@router.api_route("/topic/{topic_id:path}", methods=["GET", "HEAD"], name="web_topic")
@guarded
async def topic(request: Request, topic_id: str) -> Response:
    page = page_for(request)
    home = request.query_params.get("home")  # a suggestion for a question that named a country (REVIEW5 F9); others ignored
    card = page.service.topic_card(topic_id, page.lang, home=home)  # short: the rest and the sources behind <details> (bot.core.cards)
    return page.render("topic.html", topic=card, notices=card.notices, disclaimer=card.disclaimer, q="")


async def interview(request: Request, extra: tuple[str, ...] = (), channel: str | None = None) -> tuple[Page, list[tuple[str, str]], AssessOut]:
    page = page_for(request)
    # In the order answered: the address is the history; a fact that takes several answers comes
    # once per chosen value (military_offer=employer&military_offer=online).
    # `next` names the several-answers question whose "Next" was pressed (see check()); `about`
    # says the check is about someone else (Page.subject).
    given = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "next", "about") and k not in extra]
    if request.query_params.get("about") == "other":
        page.subject = "other"
    try:
        answers = web_site.collect_answers(page.book, given)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return page, given, await page.service.assess(answers, page.lang, channel=channel, about=page.subject)


def _before_last(given: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The answers before the last question's (all its values, for one with several; after "who
    offered it?" the typed "offered" stays, that question is asked again)."""
    last, end = given[-1][0], len(given)
    while end and given[end - 1][0] == last:
        end -= 1
    return given[:end]


@router.api_route("/check", methods=["GET", "HEAD"], name="web_check")
@guarded
async def check(request: Request) -> Response:
    """One question per page, each option a submit button; then the findings, most severe
    first, with why and their sources (quotes one click away, as the bot's Sources button)."""
    page, given, out = await interview(request, channel="web")
    back = page.check(_before_last(given)) if given else page.home()
    if out.next_question is not None:
        number = len(given) + 1
        total = len(given) + max(1, web_site.progress(page.book, out.answers))
        # "Next" on a several-answers question with nothing ticked: the same question, with an
        # error in the reader's language (the answers before it are still in the address).
        empty = out.next_question.multiple and out.next_question.fact_id in request.query_params.getlist("next")
        return page.render("question.html", personal=True, out=out, question=out.next_question, answers=given,
                           number=number, total=total, back=back, notices=out.notices, exclusive=web_site.EXCLUSIVE,
                           empty=empty, title=(page.t("ui.web.choose_one") + " — " if empty else "")
                           + page.t("ui.web.progress", number=number, total=total))
    return page.render("results.html", personal=True, out=out, answers=given, back=back, help_topic=HELP_TOPIC,
                       notices=out.notices, disclaimer=out.disclaimer, review=page.check(given, "web_check_answers"))


@router.api_route("/check/answers", methods=["GET", "HEAD"], name="web_check_answers")
@guarded
async def check_answers(request: Request) -> Response:
    """Check your answers: each one with a link to change it (and those implied by another)."""
    page, given, out = await interview(request)
    rows = web_site.review_rows(page, given, out)
    return page.render("review.html", personal=True, out=out, rows=rows, answers=given, notices=out.notices)


@router.api_route("/check/change", methods=["GET", "HEAD"], name="web_check_change")
@guarded
async def check_change(request: Request) -> Response:
    """One answer asked again (`change=<fact>`): each option a link to the check with that answer
    changed in place and the answers it makes moot dropped."""
    page, given, out = await interview(request, extra=("change", "then", "about"))
    fact = request.query_params.getlist("change")
    if len(fact) != 1 or not page.service.is_fact(fact[0]):
        raise BadRequest("change what?")
    question = next((q for q in page.service.facts(page.lang, page.subject).facts if q.fact_id == fact[0]), None)
    if question is None:
        raise BadRequest("no such question")
    # From "I understood" (then=understood): back there, with the answer made anew (issue 12).
    view = "web_check_understood" if request.query_params.get("then") == "understood" else "web_check"
    other = [("about", "other")] if view == "web_check_understood" and request.query_params.get("about") == "other" else []
    chosen = {v for k, v in given if k == fact[0]}
    # changed_answers works on one value per fact: several answers kept at the first one's place
    single = [(k, v) for i, (k, v) in enumerate(given) if k != fact[0] or i == next(j for j, (f, _) in enumerate(given) if f == fact[0])]
    options = [{"label": o.label, "value": o.value, "current": o.value in chosen,
                "exclusive": o.value in web_site.EXCLUSIVE,
                "href": page.check(web_site.changed_answers(page.book, single, fact[0], o.value) + other, view)}
               for o in question.options]
    back = page.check(given + other, view) if view == "web_check_understood" else page.check(given, "web_check_answers")
    # A fact with several answers: checkboxes sent with the other answers (this one's go last).
    keep = [(k, v) for k, v in given if k != fact[0]] + other
    return page.render("change.html", personal=True, question=question, options=options, answers=given,
                       back=back, notices=out.notices, title=page.t("ui.web.review"), keep=keep,
                       action=page.action(view))


@router.api_route("/about", methods=["GET", "HEAD"], name="web_about")
@guarded
async def about(request: Request) -> Response:
    return page_for(request).render("about.html")


@router.api_route("/talk", methods=["GET", "HEAD"], name="web_talk")
@guarded
async def talk(request: Request) -> Response:
    """Talk to a person (issue 16): the web has no chat, so the hosting NGO's contacts."""
    page = page_for(request)
    ngo, contacts = web_talk.ngo_of(getattr(request.app.state, "settings", None))
    return page.render("talk.html", ngo=ngo, contacts=contacts, title=page.t("ui.handoff.web_title"))


@router.api_route("/favicon.ico", methods=["GET", "HEAD"], include_in_schema=False)
async def favicon(request: Request) -> Response:
    """No icon (nothing to load); an HTML page for a person who types the address."""
    return not_found_page(request)


def not_found_page(request: Request) -> Response:
    """The HTML not-found page in the reader's language: for an unknown address outside /v1 (the
    API keeps problem+json) and /favicon.ico."""
    service = service_of(request)
    try:
        page = page_for(request)
    except (UnknownLanguage, BadRequest):
        page = Page(request, service, service.book, service.language_from_accept(request.headers.get("accept-language"))
                    or service.resolve_language(None), False)
    return page.render("error.html", status=404, message=page.t("ui.web.not_found"), keep_query=False,
                       title=page.t("ui.web.title.not_found"))


@router.api_route("/check/sources", methods=["GET", "HEAD"], name="web_check_sources")
@guarded
async def check_sources(request: Request) -> Response:
    """A finding's sources (`show=<rule id>`; else every finding's) with their verbatim quotes."""
    page, given, out = await interview(request, extra=("show",))
    show = request.query_params.getlist("show")
    findings = [f for f in out.findings if not show or f.rule_id in show]
    if show and not findings:
        raise BadRequest("no such finding for these answers")
    # Without `show`: every source of the answer once (issue 11), each with its verbatim quotes: those
    # behind what the answer's first screen says first, the rest one section further (REVIEW7 F9:
    # the flagship listed 28, as Telegram did before replies.first_sources)
    first = [] if show else replies.first_sources(out)
    rest = [] if show else [src for src in out.sources if src not in first]  # one finding's page: its own citations only
    return page.render("findings_sources.html", personal=True, findings=findings if show else [], answers=given,
                       sources=first, more_sources=rest, notices=out.notices, disclaimer=out.disclaimer)


@router.api_route("/check/todo", methods=["GET", "HEAD"], name="web_check_todo")
@guarded
async def check_todo(request: Request) -> Response:
    """What to do now: the steps of every topic the findings belong to (else: where to get help)."""
    page, given, out = await interview(request)
    topics = page.service.todo(out, page.lang)
    notices = list(dict.fromkeys(n for t in topics for n in t.notices))
    return page.render("todo.html", personal=True, todo=[t.topic for t in topics], answers=given,
                       help_topic=HELP_TOPIC, notices=notices, disclaimer=topics[0].disclaimer)


@router.api_route("/preview", methods=["GET", "HEAD"], name="web_preview")
@guarded
async def preview(request: Request) -> Response:
    service = service_of(request)
    book = service.book  # read per request: shows an edit as soon as it is hot-reloaded
    page = Page(request, service, book, book.source_language, True)
    html = _TEMPLATES.get_template("preview.html").render(web_site.preview(book, service.preview()), p=page)
    headers = dict(SECURITY_HEADERS)
    headers.update({"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
    return html_response(request, html, 200, headers)


_install_log_redaction()
