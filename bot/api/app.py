"""The FastAPI application: routes are thin; every answer comes from Ogoh."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Callable

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel

from bot import trends
from bot.api import guard, problems
from bot.api.metrics import Metrics
from bot.api.schemas import AskRequest, AssessRequest, Health, LanguagesOut, Ready, SourceOut, SourcesOut
from bot.engine.coverage import coverage
from bot.engine.i18n import language_from_accept
from bot.engine.views import AskOut, AssessOut, FactsOut, TopicDetailOut, TopicsOut
from bot.ogoh import Ogoh
from bot.settings import Settings
from bot.stats import StatsOut, build_stats, stats_csv
from bot.web import web_router
from bot.storage import Store, StoreUnavailable, open_store

log = logging.getLogger("ogoh.api")

DESCRIPTION = """Cited answers about the legal risks Central Asian migrant workers in Russia face of
being drawn into the war in Ukraine, in Russian, Uzbek (Latin and Cyrillic), Tajik, Kyrgyz, Kazakh
and English. The same answers the Telegram bot gives. Every statement carries its sources; every
response carries `rules_version` and the `as_of` dates it relied on. Errors are
`application/problem+json`. Automated information, not legal advice."""


def rules_signature(rules_dir: Path) -> tuple:
    """Cheap fingerprint of the rule files, to notice edits without reading them."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in rules_dir.rglob("*.yaml")))


PURGE_EVERY_SECONDS = 600


async def purge_expired(store: Store) -> None:
    """Delete what has outlived its retention limit (Redis expires keys by itself)."""
    while True:
        try:
            await asyncio.to_thread(store.purge_expired)
        except StoreUnavailable:
            log.warning("purge skipped: storage unavailable")
        await asyncio.sleep(PURGE_EVERY_SECONDS)


async def watch_rules(ogoh: Ogoh, interval: float) -> None:
    signature = rules_signature(ogoh.rules_dir)
    while True:
        await asyncio.sleep(interval)
        try:
            current = rules_signature(ogoh.rules_dir)
        except OSError:
            continue  # a file vanished mid-edit; look again next time
        if current != signature:
            signature = current
            await asyncio.to_thread(ogoh.reload)


def create_app(settings: Settings | None = None, ogoh: Ogoh | None = None, store: Store | None = None,
               watch: bool = True) -> FastAPI:
    settings = settings or Settings()
    ogoh = ogoh or Ogoh(settings.rules_dir)
    store = store or open_store(settings.storage_url, settings.secret_key)
    metrics = Metrics(ogoh)
    telegram_app = None
    if settings.telegram_bot_token and settings.telegram_webhook_secret:
        from bot.telegram.app import build_application

        telegram_app = build_application(ogoh, store, settings, webhook=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        task = asyncio.create_task(watch_rules(ogoh, settings.reload_interval_seconds)) if watch else None
        purge = asyncio.create_task(purge_expired(store))
        if telegram_app is not None:
            await telegram_app.initialize()
            if telegram_app.post_init:
                await telegram_app.post_init(telegram_app)
            await telegram_app.start()
        yield
        if telegram_app is not None:
            await telegram_app.stop()
            await telegram_app.shutdown()
        purge.cancel()
        if task:
            task.cancel()

    app = FastAPI(title="Ogoh API", version="1", description=DESCRIPTION, lifespan=lifespan,
                  responses={k: v for k, v in problems.PROBLEM_RESPONSES.items() if k in (413, 429)})
    app.state.ogoh, app.state.store, app.state.settings, app.state.metrics = ogoh, store, settings, metrics
    problems.install(app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key", "Authorization", "Accept-Language", "If-None-Match"],
                           expose_headers=["ETag", "Retry-After"])
    app.add_middleware(guard.BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(_Wrap, wrap=metrics.asgi)

    # async: the storage calls take microseconds; a thread-pool hop would cost more.
    async def rate_limited(request: Request) -> guard.Caller:
        try:
            caller = guard.identify(request, store)
        except StoreUnavailable:
            raise _Problem(503, "Storage unavailable", "try again in a few seconds", {"Retry-After": "5"})
        if caller is None:
            raise _Problem(401, "Invalid API key", "the API key is unknown or revoked; public endpoints work without a key")
        limit = settings.key_rate_limit_per_minute if caller.key_id else settings.rate_limit_per_minute
        wait = guard.over_limit(store, caller, limit)
        if wait is not None:
            raise _Problem(429, "Too many requests", f"limit is {limit} requests a minute", {"Retry-After": str(max(1, int(wait + 0.999)))})
        return caller

    @app.exception_handler(_Problem)
    async def _problem(request: Request, exc: _Problem):
        return problems.problem(exc.status, exc.title, exc.detail, headers=exc.headers)

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(rate_limited)], responses=problems.PROBLEM_RESPONSES)

    def lang_of(request: Request, lang: str | None) -> str | None:
        return lang or language_from_accept(ogoh.book, request.headers.get("accept-language"))

    LangQuery = Query(None, description="ru, uz, uz-Cyrl, tg, ky, kk or en; else Accept-Language; else Russian")

    # The engine's work is ~1 ms of CPU: run it inline (a thread hop costs more than it saves under
    # the GIL) and serialize the pydantic model once, straight to bytes.
    @v1.post("/ask", response_model=AskOut, summary="Answer a free-text question")
    async def ask(body: AskRequest, lang: str | None = LangQuery) -> Response:
        """The reply language is `lang` (body or query) when given, else detected from the text.
        `matches` holds confident answers only; when it is empty, `suggestions` and `topics`
        tell the user where to look."""
        out = ogoh.ask(body.text, body.lang or lang)
        trends.count_topics(store, [m.topic_id for m in out.matches], out.reply_lang, "api")
        return json_response(out)

    @v1.post("/assess", response_model=AssessOut, summary="Findings for a situation")
    async def assess(body: AssessRequest, request: Request, lang: str | None = LangQuery) -> Response:
        """Known facts in; findings sorted by severity (each with `because` and citations) and
        the next question that would decide the most open findings out."""
        out = ogoh.assess(body.facts, body.lang or lang_of(request, lang))
        trends.count_findings(store, out, "api")
        return json_response(out)

    @v1.get("/topics", response_model=TopicsOut, summary="All topics")
    def topics(request: Request, lang: str | None = LangQuery) -> Response:
        return cached(request, ogoh.topics(lang_of(request, lang)))

    @v1.get("/topics/{topic_id}", response_model=TopicDetailOut, summary="One topic with its answer, steps and sources")
    def topic(topic_id: str, request: Request, lang: str | None = LangQuery) -> Response:
        return cached(request, ogoh.topic(topic_id, lang_of(request, lang)))

    @v1.get("/facts", response_model=FactsOut, summary="The interview questions and answer options")
    def facts(request: Request, lang: str | None = LangQuery) -> Response:
        return cached(request, ogoh.facts(lang_of(request, lang)))

    @v1.get("/sources", response_model=SourcesOut, summary="The source registry")
    def sources(request: Request) -> Response:
        book = ogoh.book
        items = [SourceOut(id=sid, title=s.title, publisher=s.publisher, date=s.date, date_note=s.date_note, url=s.url,
                           url_note=s.url_note, last_checked=s.last_checked.isoformat(),
                           local_copy=s.local_copy.file if s.local_copy else None) for sid, s in book.sources.items()]
        return cached(request, SourcesOut(rules_version=book.version, sources=items))

    @v1.get("/languages", response_model=LanguagesOut, summary="Languages and translation coverage")
    def languages(request: Request) -> Response:
        book = ogoh.book
        rows = [c.model_dump(exclude={"missing_keys", "stale_keys"}) for c in coverage(book)]
        return cached(request, LanguagesOut(rules_version=book.version, source_language=book.source_language, languages=rows))

    @v1.get("/stats", response_model=StatsOut, summary="Anonymous trends (API key required)",
            responses={200: {"content": {"text/csv": {}}}})
    def stats(caller: guard.Caller = Depends(rate_limited), format: str | None = Query(None, pattern="^(json|csv)$"),
              request: Request = None) -> Response:
        """Counts of topics and findings reached, per ISO week, language and channel; counts under
        5 are shown as "<5". JSON, or CSV with `format=csv` or `Accept: text/csv`."""
        if caller.key_id is None:
            raise _Problem(401, "API key required", "trends are for NGOs with a key: send X-API-Key")
        try:
            out = build_stats(store)
        except StoreUnavailable:
            raise _Problem(503, "Storage unavailable", "try again in a few seconds", {"Retry-After": "5"})
        if format == "csv" or (format is None and "text/csv" in (request.headers.get("accept") or "")):
            return Response(stats_csv(out), media_type="text/csv")
        return json_response(out)

    app.include_router(v1)
    def web_limit(request: Request) -> float | None:
        caller = guard.identify(request, store) if not guard.api_key_from(request) else None
        return guard.over_limit(store, caller, settings.rate_limit_per_minute) if caller else None

    app.include_router(web_router(ogoh, default_language=settings.default_language, store=store, rate_limit=web_limit))

    @app.post("/telegram/webhook", include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        from bot.telegram.app import feed_webhook_update, secret_matches

        if telegram_app is None:
            return problems.problem(404, "Not Found", "the Telegram webhook is not configured on this server")
        if not secret_matches(settings, request.headers.get("x-telegram-bot-api-secret-token")):
            return problems.problem(403, "Forbidden", "wrong or missing X-Telegram-Bot-Api-Secret-Token")
        try:
            payload = await request.json()
        except ValueError:
            return problems.problem(400, "Malformed JSON")
        if not isinstance(payload, dict) or "update_id" not in payload:
            return problems.problem(400, "Not a Telegram update")
        await feed_webhook_update(telegram_app, payload)
        return Response(status_code=200)

    @app.get("/healthz", response_model=Health, tags=["operations"])
    async def healthz() -> Health:
        return Health(status="ok")

    @app.get("/readyz", response_model=Ready, tags=["operations"], responses={503: {"model": Ready}})
    def readyz(response: Response) -> Ready:
        try:
            store.ping()
            storage = "ok"
        except StoreUnavailable as exc:
            storage = f"unavailable: {exc}"
            response.status_code = 503
        snap = ogoh.snapshot
        return Ready(status="ok" if storage == "ok" else "degraded", rules_version=snap.book.version,
                     rules_loaded_at=snap.loaded_at, last_reload_error=[str(p) for p in ogoh.last_reload_error], storage=storage)

    @app.get("/metrics", tags=["operations"], response_class=Response, responses={200: {"content": {"text/plain": {}}}})
    def prometheus() -> Response:
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    return app


class _Wrap:
    """Adapts a function that wraps an ASGI app into Starlette's middleware list."""

    def __init__(self, app, wrap):
        self.app = wrap(app)

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


def json_response(model: BaseModel) -> Response:
    return Response(model.model_dump_json().encode(), media_type="application/json")


class _Problem(Exception):
    def __init__(self, status: int, title: str, detail: str | None = None, headers: dict[str, str] | None = None):
        self.status, self.title, self.detail, self.headers = status, title, detail, headers


def cached(request: Request, model: BaseModel) -> Response:
    """JSON with a strong ETag; 304 when the client already has this exact body."""
    body = model.model_dump_json().encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Language"}
    inm = request.headers.get("if-none-match", "")
    if etag in [t.strip().removeprefix("W/") for t in inm.split(",")] or inm.strip() == "*":
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
