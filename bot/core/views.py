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


class LanguageOut(BaseModel):
    code: str = Field(description="the code `lang` takes (ru, uz, uz-Cyrl, tg, ky, kk, en)")
    name: str = Field(description="the language's own name")
    total: int
    translated: int
    missing: int
    stale: int
    unreviewed: int = Field(description="translations not yet checked by a translator (0 for the source language: it is no translation)")
    percent_translated: float
    percent_current: float
    fallback: list[str] = Field(description="where a missing text is taken from, in order (the answer says so in `notices`)")
    source: bool = Field(False, description="the language the rules are written in: no translation notice")
    made_from: str | None = Field(None, description="uz-Cyrl: made from the Latin (uz) by transliteration, so its counts are uz's")


class LanguagesOut(BaseModel):
    rules_version: str
    source_language: str
    languages: list[LanguageOut] = Field(description="every language `lang` takes, Uzbek Cyrillic included")


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str = Field(description="ok, or degraded when storage or the Telegram connection is down")
    rules_version: str
    rules_loaded_at: float
    last_reload_error: list[str] = Field(description="file:line of each error of the last failed reload (API key holders only; else a count)")
    storage: str
    telegram: str | None = Field(None, description="null when the bot is not configured; else ok, starting or unreachable")
