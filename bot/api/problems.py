"""RFC 9457 problem details: every error the API returns, in one shape, never a stack trace."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.core.service import InvalidAnswers, QuestionTooLong, UnknownLanguage, UnknownTopic

log = logging.getLogger("ogoh.api")
PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] = []


def problem(status: int, title: str, detail: str | None = None, errors: list[FieldError] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, errors=errors or [])
    return JSONResponse(body.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=headers)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": desc}
    for code, desc in {
        400: "Malformed request", 401: "Invalid or revoked API key", 404: "Not found",
        413: "Request body too large", 415: "The body was not sent as application/json",
        422: "Invalid input; `errors` names each field",
        429: "Rate limit exceeded; see Retry-After", 503: "Temporarily unavailable",
    }.items()
}


MAX_ERRORS = 20
MAX_MESSAGE = 160


def _short(text: str) -> str:
    """Messages name the field and the problem; they never echo a long input back."""
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _summary(errors: list[FieldError]) -> str:
    shown = "; ".join(f"{e.field}: {e.message}" for e in errors[:3])
    return shown + (f"; and {len(errors) - 3} more" if len(errors) > 3 else "")


# The names pydantic gives the members of a union in an error's location ("facts.summons.str",
# "facts.summons.list[str]"): its internals, not fields (REVIEW_API #12)
_UNION_MEMBER = re.compile(r"^(str|int|float|bool|none|list\[.*\]|dict\[.*\]|literal\[.*\]|[a-z-]+\[.*\])$")


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    parts = [p for i, p in enumerate(parts) if i == 0 or not _UNION_MEMBER.match(p)]
    return ".".join(parts) or "body"


def _message(e: dict) -> str:
    return str(e.get("msg", "invalid")).removeprefix("Value error, ")


def _fact_message(request: Request, field: str) -> str | None:
    """A fact's answer of the wrong type: the answers it takes (as GET /v1/facts lists them)."""
    service = getattr(request.app.state, "service", None)
    fact = field.removeprefix("facts.")
    if service is None or not field.startswith("facts.") or not service.is_fact(fact):
        return None
    return "must be one of " + ", ".join(service.fact_options()[fact])


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        raw = exc.errors()
        if any(e.get("type") == "json_invalid" for e in raw):  # its loc is a character offset, not a field
            where = next((p for e in raw for p in e.get("loc", ()) if isinstance(p, int)), None)
            detail = "the request body is not valid JSON" + (f" (at character {where})" if where is not None else "")
            return problem(400, "Malformed JSON", detail, [FieldError(field="body", message=detail)])
        errors: list[FieldError] = []
        for e in raw:
            field = _field(tuple(e.get("loc", ())))
            if any(x.field == field for x in errors):
                continue  # one error per field (a union's members each said why they failed)
            errors.append(FieldError(field=_short(field), message=_short(_fact_message(request, field) or _message(e))))
            if len(errors) == MAX_ERRORS:
                break
        return problem(422, "Invalid request", _summary(errors), errors)

    @app.exception_handler(InvalidAnswers)
    async def _answers(request: Request, exc: InvalidAnswers) -> JSONResponse:
        errors = [FieldError(field=_short(f"facts.{fact}"), message=_short(msg)) for fact, msg in exc.errors[:MAX_ERRORS]]
        return problem(422, "Invalid facts", _summary(errors), errors)

    @app.exception_handler(UnknownLanguage)
    async def _language(request: Request, exc: UnknownLanguage) -> JSONResponse:
        message = _short(f"unsupported language; use one of: {', '.join(exc.supported)}")
        return problem(422, "Unsupported language", message, [FieldError(field="lang", message=message)])

    @app.exception_handler(QuestionTooLong)
    async def _too_long(request: Request, exc: QuestionTooLong) -> JSONResponse:
        return problem(422, "Question too long", str(exc), [FieldError(field="text", message=str(exc))])

    @app.exception_handler(UnknownTopic)
    async def _topic(request: Request, exc: UnknownTopic) -> JSONResponse:
        return problem(404, "Unknown topic", "no topic with this id; see GET /v1/topics")

    from bot.api.guard import ApiProblem

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        errors = [FieldError(field=exc.field, message=exc.detail or exc.title)] if exc.field else None
        return problem(exc.status, exc.title, exc.detail, errors, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and not request.url.path.startswith("/v1/") and hasattr(request.app.state, "service"):
            from bot.web.router import not_found_page  # a person typed an address: HTML in their language

            return not_found_page(request)
        headers = getattr(exc, "headers", None)
        return problem(exc.status_code, _title(exc.status_code), str(exc.detail) if exc.detail else None, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged without the request body: it may hold a worker's words.
        from bot.core.service import error_place

        route = getattr(request.scope.get("route"), "path", "unmatched")
        log.error("unhandled %s at %s on %s %s", type(exc).__name__, error_place(exc), request.method, route)
        return problem(500, "Internal error", "something went wrong on our side; it has been logged")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
