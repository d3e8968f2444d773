"""The FastAPI application: module-level routes over the service layer (bot.core.service); no
engine internals here. `create_app` wires settings, storage, the service and the optional
Telegram webhook together."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import warnings
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.security import APIKeyHeader, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from bot.api import guard, problems
from bot.api.metrics import Metrics
from bot.api.schemas import AskRequest, AssessRequest, Health, LanguagesOut, Ready, SourcesOut
from bot.core.service import AskOut, Service, StoreUnavailable, TopicCardOut
from bot.core.store import async_store
from bot.engine.views import AssessOut, FactsOut, TopicDetailOut, TopicsOut
from bot.core.service import Ogoh
from bot.settings import Settings
from bot.stats import StatsOut, build_stats_from_rows, stats_csv
from bot.storage import Store, open_store
from bot.web import web_router

log = logging.getLogger("ogoh.api")

DESCRIPTION = """Cited answers about the legal risks Central Asian migrant workers in Russia face of
being drawn into the war in Ukraine, in Russian, Uzbek (Latin and Cyrillic), Tajik, Kyrgyz, Kazakh
and English. The same answers the Telegram bot gives, including what it leads with for an urgent
message (`lead` in /v1/ask). Every statement carries its sources (a finding's and a topic's
`citations`; the personal answer's risks name their `source_ids` in the answer's `sources`); every
response carries `rules_version` and the `as_of` dates it relied on. Errors are
`application/problem+json` (the `Problem` schema). Automated information, not legal advice."""

DOCS_ASSETS = "/docs-assets"
# Declared for OpenAPI (the security scheme); the check itself is guard.caller.
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="an NGO key from `ogoh keys create`")
bearer_scheme = HTTPBearer(auto_error=False, description="the same key as `Authorization: Bearer ...`")
LangQuery = Query(None, description="ru, uz, uz-Cyrl, tg, ky, kk or en; else Accept-Language; else Russian")


SECURITY_SCHEMES = (api_key_scheme, bearer_scheme)


def service_of(request: Request) -> Service:
    return request.app.state.service


async def rate_limited(request: Request) -> guard.Caller:
    """The caller, identified and counted: one dependency with no sub-dependencies (the two key
    schemes as dependencies cost ~15 % of an ask's CPU). guard.caller reads both headers itself;
    the schemes are added to the OpenAPI document in _lang_enum_openapi, as FastAPI would. A POST
    whose body is not declared JSON gets 415 (REVIEW_API #12: form bodies and text/plain got a 422
    about "a valid dictionary")."""
    if request.method == "POST" and not is_json(request.headers.get("content-type")):
        raise guard.ApiProblem(415, "Unsupported media type", "send the body as JSON, with Content-Type: application/json")
    return await guard.caller(request, request.app.state.service)


def is_json(content_type: str | None) -> bool:
    """application/json, or a JSON subtype (application/merge-patch+json), any parameters."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def query_lang(request: Request) -> None:
    """`lang` given twice in the query is refused, not the last one taken silently (REVIEW_API #11)."""
    if len(request.query_params.getlist("lang")) > 1:
        raise guard.ApiProblem(422, "Invalid request", "lang: given more than once", field="lang")


def operation_id(route: APIRoute) -> str:
    """FastAPI's operation id, but for a GET+HEAD route always the GET one: FastAPI takes the first
    method of a set, so the id changed from one server start to the next (string hashing)."""
    methods = route.methods or {"GET"}
    method = "GET" if "GET" in methods else sorted(methods)[0]
    return re.sub(r"\W", "_", f"{route.name}{route.path_format}") + "_" + method.lower()


def get_and_head(router: APIRouter, path: str, **kwargs: Any) -> Any:
    """One route for GET and HEAD (HEAD is left out of OpenAPI: it is GET without the body)."""
    return router.api_route(path, methods=["GET", "HEAD"], **kwargs)


v1 = APIRouter(prefix="/v1", dependencies=[Depends(rate_limited)], responses=problems.PROBLEM_RESPONSES)
ops = APIRouter(tags=["operations"])


def lang_of(request: Request, lang: str | None) -> str | None:
    """The query's `lang` (BCP 47, any case), else Accept-Language's best."""
    service = service_of(request)
    query_lang(request)
    return service.check_language(lang) or service.language_from_accept(request.headers.get("accept-language"))


def json_bytes(model: BaseModel) -> bytes:
    """The model's JSON, byte for byte `model_dump_json().encode()`, straight from pydantic-core
    (no Python str made and encoded again: ~3% of an ask's instructions)."""
    return model.__pydantic_serializer__.to_json(model)


def json_response(model: BaseModel) -> Response:
    return Response(json_bytes(model), media_type="application/json")


def cached(request: Request, model: BaseModel) -> Response:
    """JSON with a strong ETag; 304 when the client already has this exact body."""
    body = json_bytes(model)
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Language"}
    inm = request.headers.get("if-none-match", "")
    if etag in [t.strip().removeprefix("W/") for t in inm.split(",")] or inm.strip() == "*":
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


# The engine's work is ~1 ms of CPU: run inline (a thread hop costs more than it saves under the
# GIL) and serialize the pydantic model once, straight to bytes.
@v1.post("/ask", response_model=AskOut, summary="Answer a free-text question")
async def ask(body: AskRequest, request: Request, lang: str | None = LangQuery) -> Response:
    """The reply language is `lang` when given (the body's wins over the query's; any case, BCP 47
    subtags allowed: `RU`, `ru-RU`, `uz-cyrl`, `uz-Latn` = uz); else the `Accept-Language`
    language is kept unless the text is clearly in another one; else detected from the text (the
    default language, Russian, when the text says nothing or is in a language we do not answer in).
    `matches` holds confident answers only; when it is empty, `suggestions` and `topics` tell the
    user where to look. `lead` is what the bot and the web page lead with for an urgent message,
    a contract already signed, a person asked for or a question outside Ogoh's scope;
    `summary` is the personal answer for the facts the message states, its sources in `sources`
    (`summary.risks[].source_ids`), as /v1/assess gives them."""
    service = service_of(request)
    query_lang(request)
    from_query = service.check_language(lang)
    out = await service.ask(body.text, service.check_language(body.lang) or from_query, channel="api",
                            prior=service.language_from_accept(request.headers.get("accept-language")))
    return json_response(out)


@v1.post("/assess", response_model=AssessOut, summary="Findings for a situation")
async def assess(body: AssessRequest, request: Request, lang: str | None = LangQuery) -> Response:
    """Known facts in; findings sorted by severity (each with `because` and citations) and
    the next question that would decide the most open findings out."""
    service = service_of(request)
    query_lang = lang_of(request, lang)
    out = await service.assess(body.facts, service.check_language(body.lang) or query_lang, channel="api", about=body.about or "self")
    return json_response(out)


@get_and_head(v1, "/topics", response_model=TopicsOut, summary="All topics")
async def topics(request: Request, lang: str | None = LangQuery) -> Response:
    return cached(request, service_of(request).topics(lang_of(request, lang)))


@get_and_head(v1, "/topics/{topic_id}", response_model=TopicDetailOut,
              summary="One topic with its answer, steps and sources")
async def topic(topic_id: str, request: Request, lang: str | None = LangQuery) -> Response:
    return cached(request, service_of(request).topic(topic_id, lang_of(request, lang)))


@get_and_head(v1, "/topics/{topic_id}/card", response_model=TopicCardOut,
              summary="One topic's short card, as the bot and the web page show it first")
async def topic_card(topic_id: str, request: Request, lang: str | None = LangQuery,
                     about: Literal["self", "other"] = Query("self", description='"other": the question was about someone else'),
                     home: Literal["UZ", "TJ", "KG", "KZ", "TM"] | None = Query(None, description="a stated home country: it picks the contact")) -> Response:
    """Title, `lead` (the answer's first whole sentences), the first `steps`, one contact; `more`,
    `more_steps` and `citations` are what the bot and the web page put one tap away (bot.core.cards)."""
    return cached(request, service_of(request).topic_card(topic_id, lang_of(request, lang), about, home))


@get_and_head(v1, "/facts", response_model=FactsOut, summary="The interview questions and answer options")
async def facts(request: Request, lang: str | None = LangQuery) -> Response:
    return cached(request, service_of(request).facts(lang_of(request, lang)))


@get_and_head(v1, "/sources", response_model=SourcesOut, summary="The source registry")
async def sources(request: Request) -> Response:
    return cached(request, service_of(request).sources())


@get_and_head(v1, "/languages", response_model=LanguagesOut, summary="Languages and translation coverage")
async def languages(request: Request) -> Response:
    return cached(request, service_of(request).languages())


@get_and_head(v1, "/stats", response_model=StatsOut, summary="Anonymous trends (API key required)",
              responses={200: {"content": {"text/csv": {}}}})
async def stats(request: Request, caller: guard.Caller = Depends(rate_limited),
                format: str | None = Query(None, pattern="^(json|csv)$")) -> Response:
    """Counts of topics and findings reached, per ISO week, language and channel. Small counts
    are suppressed so that no hidden count can be recovered from totals (see `note`). JSON, or
    CSV with `format=csv` or `Accept: text/csv`."""
    if caller.key_id is None:
        raise guard.ApiProblem(401, "API key required", "trends are for NGOs with a key: send X-API-Key")
    try:
        out = build_stats_from_rows(await service_of(request).stats_rows())
    except StoreUnavailable:
        raise guard.ApiProblem(503, "Storage unavailable", "try again in a few seconds", {"Retry-After": "5"})
    if format == "csv" or (format is None and "text/csv" in (request.headers.get("accept") or "")):
        return Response(stats_csv(out), media_type="text/csv")
    return json_response(out)


@get_and_head(ops, "/healthz", response_model=Health)
async def healthz() -> Health:
    """Liveness: answers without touching storage or the rules."""
    return Health(status="ok")


@get_and_head(ops, "/readyz", response_model=Ready, responses={503: {"model": Ready}})
async def readyz(request: Request, response: Response) -> Ready:
    """Rules version, storage and Telegram status. Error details (file:line of a failed reload,
    the storage error) only for callers with a valid API key; everyone else sees counts."""
    service = service_of(request)
    detailed = False
    secret = guard.api_key_from(request)
    if secret:  # an empty key is no key here: readyz is public
        try:
            detailed = (await service.identify(secret, "readyz")).key_id is not None
        except StoreUnavailable:
            detailed = False
    ready = await service.ready(detailed)
    if ready.status != "ok":
        response.status_code = 503
    return ready


@ops.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def prometheus(request: Request) -> Response:
    body, content_type = request.app.state.metrics.render()
    return Response(body, media_type=content_type)


def _static_docs_dir() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:  # pragma: no cover - a dependency; docs pages then say so
        return None
    return Path(fastapi_offline.__file__).parent / "static"


def install_docs(app: FastAPI) -> None:
    """/docs and /redoc with their scripts served from this server (the fastapi-offline package),
    not a CDN: they work offline and where CDNs are blocked."""
    static = _static_docs_dir()
    if static is None:
        return
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(static)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> Response:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(openapi_url=f"{root}/openapi.json", title="Ogoh API",
                                   swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> Response:
        root = request.scope.get("root_path", "")
        return get_redoc_html(openapi_url=f"{root}/openapi.json", title="Ogoh API",
                              redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
                              redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png", with_google_fonts=False)


def _lang_enum_openapi(app: FastAPI, service: Service) -> None:
    """`lang` takes one of the rule set's languages: say so in the schema (an enum)."""
    base = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        with warnings.catch_warnings():  # GET and HEAD share a route (and an id); HEAD is dropped below
            warnings.filterwarnings("ignore", message="Duplicate Operation ID", category=UserWarning)
            schema = base()
        codes = service.languages_supported()
        lang_schema = [{"type": "string", "enum": codes}, {"type": "string", "pattern": service.language_pattern()}, {"type": "null"}]
        # The key schemes are not dependencies (see rate_limited): declare them as FastAPI did.
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        for scheme in SECURITY_SCHEMES:
            schemes[scheme.scheme_name] = jsonable_encoder(scheme.model, by_alias=True, exclude_none=True)
        required: list[dict[str, list[str]]] = [{scheme.scheme_name: []} for scheme in SECURITY_SCHEMES]
        for route, path in schema.get("paths", {}).items():
            if "get" in path:
                path.pop("head", None)  # HEAD answers every GET; not a second operation
            for op in path.values():
                if route.startswith("/v1/"):  # a key is optional (public without one), except for trends
                    op["security"] = required if route == "/v1/stats" else [{}] + required
                for param in op.get("parameters", []):
                    if param.get("name") == "lang" and param.get("in") == "query":
                        param["schema"] = {"anyOf": lang_schema, "title": "Lang"}
        facts = schema.get("components", {}).get("schemas", {}).get("AssessRequest", {}).get("properties", {}).get("facts")
        if facts is not None:  # the facts and answers of this rule set (as GET /v1/facts lists them)
            facts.pop("additionalProperties", None)
            facts["properties"] = {fid: {"anyOf": [{"type": "string", "enum": options}, {"type": "null"}]}
                                   for fid, options in service.fact_options().items()}
            facts["additionalProperties"] = False
            # null is "not given" (schemas._nulls_are_absent)
            schema["components"]["schemas"]["AssessRequest"]["properties"]["facts"] = {
                "anyOf": [{k: v for k, v in facts.items() if k not in ("description", "title")}, {"type": "null"}],
                **{k: v for k, v in facts.items() if k in ("description", "title")}}
        for name in ("AskRequest", "AssessRequest"):
            props = schema.get("components", {}).get("schemas", {}).get(name, {}).get("properties", {})
            if "lang" in props:
                props["lang"]["anyOf"] = lang_schema
                props["lang"]["description"] = (props["lang"].get("description", "") + "; the codes listed, in any case, "
                                                "with BCP 47 subtags (ru-RU, uz-Latn = uz, uz-cyrl = uz-Cyrl)").lstrip("; ")
        problem_responses(schema)
        closed_sets(schema, service.closed_sets())
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def problem_responses(schema: dict[str, Any]) -> None:
    """Every error response is application/problem+json with the Problem schema, which is what the
    server sends (REVIEW_API #13: the schema was under application/json, problem+json had none;
    FastAPI's own 422 named HTTPValidationError, a shape never sent)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    defs = problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(defs.pop("$defs", {}))
    components["Problem"] = defs
    ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for path in schema.get("paths", {}).values():
        for op in path.values():
            for code, response in op.get("responses", {}).items():
                if str(code)[0] in "45":
                    response["content"] = {problems.PROBLEM_JSON: ref}
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)


# (schema, property) -> which closed set its values come from (Service.closed_sets)
CLOSED = {("TopicSummary", "severity"): "severity", ("TopicOut", "severity"): "severity", ("MatchOut", "severity"): "severity",
          ("FindingOut", "severity"): "severity", ("FindingOut", "rule_severity"): "severity",
          ("TopicCardOut", "severity"): "severity", ("SmallTalkOut", "kind"): "small_talk",
          ("StatsRow", "channel"): "channel", ("StatsRow", "kind"): "stats_kind", ("TrendRow", "kind"): "stats_kind"}


def closed_sets(schema: dict[str, Any], sets: dict[str, list[str]]) -> None:
    """Enums for the fields whose values are a closed set (REVIEW_API #13): severity, small talk's
    kind, the stats' channel and kind, and what `attention` lists."""
    components = schema.get("components", {}).get("schemas", {})
    for (name, prop), which in CLOSED.items():
        field = components.get(name, {}).get("properties", {}).get(prop)
        if field is not None and field.get("type") == "string":
            field["enum"] = sets[which]
    attention = components.get("AskOut", {}).get("properties", {}).get("attention")
    if attention is not None:
        attention["items"] = {"type": "string", "enum": sets["attention"]}


def create_app(settings: Settings | None = None, ogoh: Ogoh | None = None, store: Store | None = None,
               watch: bool = True) -> FastAPI:
    settings = settings or Settings()
    ogoh = ogoh or Ogoh(settings.rules_dir)
    store = store or open_store(settings.storage_url, settings.secret_key)
    service = Service(ogoh, async_store(store), rate_limit=settings.rate_limit_per_minute,
                      key_rate_limit=settings.key_rate_limit_per_minute, default_language=settings.default_language,
                      trusted_proxies=settings.proxies())
    metrics = Metrics(service)
    telegram = None
    if settings.telegram_bot_token and settings.telegram_webhook_secret:
        from bot.telegram.webhook import WebhookBot

        telegram = WebhookBot(service, store, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        background = asyncio.create_task(service.run_background(watch, settings.reload_interval_seconds))
        if telegram is not None:
            telegram.start_in_background()  # Telegram down must not take the API and web page down
            await telegram.wait_connected(timeout=5)
        try:
            yield
        finally:
            if telegram is not None:
                await telegram.stop()
            background.cancel()
            await service.close()

    app = FastAPI(title="Ogoh API", version="1", description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None,
                  generate_unique_id_function=operation_id,
                  license_info={"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
                  responses={k: v for k, v in problems.PROBLEM_RESPONSES.items() if k in (400, 413, 429)})
    app.state.ogoh, app.state.store, app.state.settings, app.state.metrics = ogoh, store, settings, metrics
    app.state.service, app.state.telegram = service, telegram
    app.state.trusted_proxies = guard.TrustedProxies(settings.proxies())
    problems.install(app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "HEAD", "POST"],
                           allow_headers=["Content-Type", "X-API-Key", "Authorization", "Accept-Language", "If-None-Match"],
                           expose_headers=["ETag", "Retry-After"])
    app.add_middleware(guard.BodyLimit, max_bytes=settings.max_body_bytes,
                       limits={"/telegram/webhook": settings.webhook_max_body_bytes})
    app.add_middleware(guard.Wrap, wrap=metrics.asgi)
    app.include_router(v1)
    app.include_router(web_router)
    app.include_router(ops)
    if telegram is not None:
        app.include_router(telegram.router)
    else:
        from bot.telegram.webhook import not_configured_router

        app.include_router(not_configured_router)
    install_docs(app)
    _lang_enum_openapi(app, service)
    _swallow_reraised(app)
    return app


def _swallow_reraised(app: FastAPI) -> None:
    """Starlette answers an unhandled exception with our problem+json 500 and then re-raises it
    for the server to print with a traceback; stop it here (it is already logged, type and place)."""
    build = app.build_middleware_stack

    def build_quiet() -> Any:
        inner = build()

        async def quiet(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await inner(scope, receive, send)
                return
            try:
                await inner(scope, receive, send)
            except Exception as exc:  # noqa: BLE001
                log.debug("re-raised %s after the 500 was sent", type(exc).__name__)

        return quiet

    app.build_middleware_stack = build_quiet  # type: ignore[method-assign]
