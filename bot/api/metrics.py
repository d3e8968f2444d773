"""Prometheus metrics (prometheus-client): route templates, status codes, latency, rule version.
Never text, never user ids."""

from __future__ import annotations

import logging
import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.core.service import Service

log = logging.getLogger("ogoh.api")

class Metrics:
    def __init__(self, service: Service):
        self.service = service
        self.registry = CollectorRegistry()
        self.requests = Counter("ogoh_http_requests_total", "HTTP requests", ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("ogoh_http_request_seconds", "Request latency", ["route"], registry=self.registry,
                                 buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1.0))
        self.rules = Gauge("ogoh_rules_info", "Rule set in use", ["version"], registry=self.registry)
        self.reload_failed = Gauge("ogoh_rules_reload_failing", "1 while the last rule reload failed", registry=self.registry)
        self.dropped_updates = Counter("ogoh_telegram_updates_dropped_total", "Webhook updates dropped as malformed",
                                       registry=self.registry)
        # (route template, method, status) -> its latency and counter children. Bounded: templates
        # are the app's routes (or "unmatched"), methods and statuses a few each.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def asgi(self, app):
        """A plain ASGI wrapper (Starlette's BaseHTTPMiddleware cost ~0.5 ms a request)."""

        async def wrapped(scope, receive, send):
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            start = time.perf_counter()
            status = 500

            async def send_and_note(message):
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            try:
                await app(scope, receive, send_and_note)
            finally:
                template = getattr(scope.get("route"), "path", "unmatched")
                key = (template, scope["method"], status)
                children = self._children.get(key)
                if children is None:  # prometheus' labels() costs more than a dict lookup
                    children = self._children[key] = (self.latency.labels(template),
                                                       self.requests.labels(template, scope["method"], str(status)))
                children[0].observe(time.perf_counter() - start)
                children[1].inc()

        return wrapped

    def render(self) -> tuple[bytes, str]:
        self.rules.clear()
        self.rules.labels(self.service.version).set(1)
        self.reload_failed.set(1 if self.service.ogoh.last_reload_error else 0)
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
