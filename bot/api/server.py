"""`ogoh serve` without a proxy in front: uvicorn's h11 protocol with limits.

- request headers are capped (`MAX_HEADER_BYTES`, h11's incomplete-event limit: a 64 MB header
  is refused with 400 instead of being buffered);
- a connection must deliver a request's headers, and then its body, within `READ_TIMEOUT`
  seconds, or it is closed (slow clients cannot hold connections open indefinitely); idle
  keep-alive connections are closed by uvicorn after `KEEP_ALIVE` seconds;
- the server's own 400s (malformed HTTP) are application/problem+json like every other error.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_HEADER_BYTES = 16 * 1024
READ_TIMEOUT = 10.0
KEEP_ALIVE = 5


def problem_bytes(status: int, title: str, detail: str) -> bytes:
    return json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail, "errors": []}).encode()


class GuardedH11Protocol(H11Protocol):
    read_timeout = READ_TIMEOUT

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.read_timeout, self._too_slow)

    def _disarm(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.logger.info("closing a connection that sent too slowly")
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        cycle = self.cycle
        if cycle is not None and not cycle.more_body and not getattr(cycle, "_ogoh_read", False):
            cycle._ogoh_read = True  # type: ignore[attr-defined]  # the whole request is in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection has the same time

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        body = problem_bytes(400, "Bad Request", "malformed HTTP request (or headers over the size limit)")
        headers = [(b"content-type", b"application/problem+json"), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]
        try:
            self.transport.write(self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request")) or b"")
            self.transport.write(self.conn.send(h11.Data(data=body)) or b"")
            self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
        except h11.LocalProtocolError:
            pass
        self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    return {"http": GuardedH11Protocol, "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
            "timeout_keep_alive": KEEP_ALIVE, "proxy_headers": False, "server_header": False}
