"""What stands between the internet and the engine: body size limit, API keys, rate limits."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.problems import problem
from bot.storage import Store, StoreUnavailable

log = logging.getLogger("ogoh.api")
WINDOW_SECONDS = 60


class BodyLimit:
    """413 for bodies over the limit, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = problem(413, "Request body too large", f"the limit is {self.max_bytes} bytes")
        if length is not None:
            try:
                if int(length) > self.max_bytes:
                    await too_big(scope, receive, send)
                    return
            except ValueError:
                await problem(400, "Bad Content-Length")(scope, receive, send)
                return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await too_big(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@dataclass(frozen=True)
class Caller:
    key_id: str | None
    bucket: str


def api_key_from(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    auth = request.headers.get("authorization", "")
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    return key or None


def identify(request: Request, store: Store) -> Caller | None:
    """The caller's rate-limit bucket; None for a key that is unknown or revoked."""
    secret = api_key_from(request)
    if secret:
        key = store.find_key(secret)
        if key is None or key.revoked:
            return None
        return Caller(key.id, f"key:{key.id}")
    client = request.client.host if request.client else "unknown"
    return Caller(None, "ip:" + store.hash_id("ip", client))


def over_limit(store: Store, caller: Caller, limit: int) -> float | None:
    """Seconds to wait if the caller is over its limit, else None. Fails open if storage is down:
    refusing every worker because a counter is unavailable would be the worse failure."""
    try:
        count, reset = store.hit(f"rl:{caller.bucket}", WINDOW_SECONDS)
    except StoreUnavailable:
        log.warning("rate limiter storage unavailable; allowing request")
        return None
    return reset if count > limit else None
