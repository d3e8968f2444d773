"""Prometheus metrics (prometheus-client): route templates, status codes, latency, rule version.
Never text, never user ids."""

from __future__ import annotations

import logging
import time

from fastapi import Request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.ogoh import Ogoh

log = logging.getLogger("ogoh.api")



class Metrics:
    def __init__(self, ogoh: Ogoh):
        self.ogoh = ogoh
        self.registry = CollectorRegistry()
        self.requests = Counter("ogoh_http_requests_total", "HTTP requests", ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("ogoh_http_request_seconds", "Request latency", ["route"], registry=self.registry,
                                 buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1.0))
        self.rules = Gauge("ogoh_rules_info", "Rule set in use", ["version"], registry=self.registry)
        self.reload_failed = Gauge("ogoh_rules_reload_failing", "1 while the last rule reload failed", registry=self.registry)

    async def middleware(self, request: Request, call_next):
        start = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        self.latency.labels(template).observe(time.perf_counter() - start)
        self.requests.labels(template, request.method, str(response.status_code)).inc()
        return response

    def render(self) -> tuple[bytes, str]:
        self.rules.clear()
        self.rules.labels(self.ogoh.book.version).set(1)
        self.reload_failed.set(1 if self.ogoh.last_reload_error else 0)
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
