"""RFC 9457 problem details: every error the API returns, in one shape, never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.engine.assess import InvalidAnswers
from bot.engine.i18n import UnknownLanguage
from bot.ogoh import QuestionTooLong, UnknownTopic

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


PROBLEM_RESPONSES = {
    code: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": desc}
    for code, desc in {
        400: "Malformed request", 401: "Invalid or revoked API key", 404: "Not found",
        413: "Request body too large", 422: "Invalid input; `errors` names each field",
        429: "Rate limit exceeded; see Retry-After", 503: "Temporarily unavailable",
    }.items()
}


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [FieldError(field=_field(tuple(e.get("loc", ()))), message=str(e.get("msg", "invalid"))) for e in exc.errors()]
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return problem(400, "Malformed JSON", "the request body is not valid JSON", errors)
        return problem(422, "Invalid request", "; ".join(f"{e.field}: {e.message}" for e in errors), errors)

    @app.exception_handler(InvalidAnswers)
    async def _answers(request: Request, exc: InvalidAnswers) -> JSONResponse:
        errors = [FieldError(field=f"facts.{fact}", message=msg) for fact, msg in exc.errors]
        return problem(422, "Invalid facts", str(exc), errors)

    @app.exception_handler(UnknownLanguage)
    async def _language(request: Request, exc: UnknownLanguage) -> JSONResponse:
        return problem(422, "Unsupported language", str(exc), [FieldError(field="lang", message=str(exc))])

    @app.exception_handler(QuestionTooLong)
    async def _too_long(request: Request, exc: QuestionTooLong) -> JSONResponse:
        return problem(422, "Question too long", str(exc), [FieldError(field="text", message=str(exc))])

    @app.exception_handler(UnknownTopic)
    async def _topic(request: Request, exc: UnknownTopic) -> JSONResponse:
        return problem(404, "Unknown topic", f"no topic with id '{exc.args[0]}'; see GET /v1/topics")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        return problem(exc.status_code, _title(exc.status_code), str(exc.detail) if exc.detail else None, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged without the request body: it may hold a worker's words.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return problem(500, "Internal error", "something went wrong on our side; it has been logged")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
