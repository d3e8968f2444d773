"""View models the service builds beyond the engine's own (bot.engine.views): the source
registry, languages with coverage, health and readiness. (bot.api.schemas re-exports them.)"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SourceOut(BaseModel):
    id: str
    title: str = Field(description="the source's own title only when title_kind is 'verbatim'")
    title_kind: Literal["verbatim", "from_url", "description"] = Field(
        "verbatim", description="verbatim: the source's own title; from_url: read off the page address; description: our label for it")
    publisher: str
    date: str | None
    date_note: str | None
    url: str | None
    url_note: str | None
    last_checked: str
    local_copy: str | None


class SourcesOut(BaseModel):
    rules_version: str
    sources: list[SourceOut]


class LanguagesOut(BaseModel):
    rules_version: str
    source_language: str
    languages: list[dict]


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str = Field(description="ok, or degraded when storage or the Telegram connection is down")
    rules_version: str
    rules_loaded_at: float
    last_reload_error: list[str] = Field(description="file:line of each error of the last failed reload (API key holders only; else a count)")
    storage: str
    telegram: str | None = Field(None, description="null when the bot is not configured; else ok, starting or unreachable")
