"""What stands between the internet and the service: body size limits, the caller's address
(behind trusted proxies only), API keys and rate limits."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any, Callable, Iterable

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.problems import problem
from bot.core.service import Caller, Service, StoreUnavailable

log = logging.getLogger("ogoh.api")

__all__ = ["BodyLimit", "Wrap", "Caller", "ApiProblem", "caller", "web_wait", "api_key_from", "client_address", "TrustedProxies"]


class ApiProblem(Exception):
    def __init__(self, status: int, title: str, detail: str | None = None, headers: dict[str, str] | None = None,
                 field: str | None = None):
        super().__init__(title)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers
        self.field = field  # the request field at fault, named in `errors`


class BodyLimit:
    """413 for bodies over the limit, whether announced by Content-Length or streamed. `limits`
    gives some paths their own limit (the Telegram webhook: a 4,096-character Cyrillic message is
    ~22.5 KB once JSON-escaped)."""

    def __init__(self, app: ASGIApp, max_bytes: int, limits: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.limits = limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limits.get(scope.get("path", ""), self.max_bytes)
        length = None
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                length = value  # the last one counts, as dict() of the headers had it
        if length is not None:
            try:
                if int(length) > max_bytes:
                    await self.too_big(max_bytes)(scope, receive, send)
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
            if len(body) > max_bytes:
                await self.too_big(max_bytes)(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def too_big(max_bytes: int) -> ASGIApp:
        """Built only when a body is too large (not on every request)."""
        return problem(413, "Request body too large", f"the limit is {max_bytes} bytes")


class Wrap:
    """Adapts a function that wraps an ASGI app into Starlette's middleware list."""

    def __init__(self, app: ASGIApp, wrap: Callable[[ASGIApp], ASGIApp]):
        self.app = wrap(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class TrustedProxies:
    """`OGOH_TRUSTED_PROXIES`: addresses or networks (e.g. 172.16.0.0/12) whose X-Forwarded-For
    is believed. The client is the right-most address in that header not itself a trusted proxy.
    Nothing trusted (the default): the header is ignored and the peer address is the client."""

    def __init__(self, entries: Iterable[str]):
        self.any = False
        self.networks: list[Any] = []
        for entry in entries:
            entry = entry.strip()
            if not entry:
                continue
            if entry == "*":
                self.any = True
                continue
            self.networks.append(ipaddress.ip_network(entry, strict=False))

    def trusts(self, host: str) -> bool:
        if self.any:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in net for net in self.networks)

    def client(self, peer: str, forwarded_for: str | None) -> str:
        if not forwarded_for or not self.trusts(peer):
            return peer
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        return hops[0] if hops else peer


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    proxies: TrustedProxies = request.app.state.trusted_proxies
    return proxies.client(peer, request.headers.get("x-forwarded-for"))


def api_key_from(request: Request) -> str | None:
    """The key sent, if any. A header that is present but empty is a key too (an invalid one)."""
    key = request.headers.get("x-api-key")
    if key is not None:
        return key.strip()
    auth = request.headers.get("authorization")
    if auth is not None and auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    if auth is not None and auth.strip().lower() == "bearer":
        return ""
    return None


def _retry_after(wait: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, int(wait + 0.999)))}


async def caller(request: Request, service: Service) -> Caller:
    """Identify and rate-limit an API request. A key that is unknown or revoked gets 401, after
    being counted against the client's anonymous limit: an invalid key is never better than none."""
    try:
        who = await service.identify(api_key_from(request), client_address(request))
    except StoreUnavailable:
        raise ApiProblem(503, "Storage unavailable", "try again in a few seconds", {"Retry-After": "5"})
    limit = service.limit_for(who)
    wait = service.over_limit(who, limit)  # counted either way: an invalid key uses the client's budget
    if who.invalid_key:  # the key's problem first: waiting would not help (REVIEW_API #12)
        raise ApiProblem(401, "Invalid API key", "the API key is unknown or revoked; public endpoints work without a key")
    if wait is not None:
        raise ApiProblem(429, "Too many requests", f"limit is {limit} requests a minute", _retry_after(wait))
    return who


async def web_wait(request: Request) -> float | None:
    """Seconds a web page request must wait, else None. Every page request is limited: a valid
    key gets the key's limit, anything else (no key, an invalid key) the per-client limit."""
    service: Service = request.app.state.service
    try:
        who = await service.identify(api_key_from(request), client_address(request))
    except StoreUnavailable:
        who = Caller(None, "ip:" + service.hash_id("ip", client_address(request)), invalid_key=True)
    return service.over_limit(who, service.limit_for(who))
