"""Request bodies, with the examples /docs shows (in several languages)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT = 1000


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"text": "мне как иностранцу пришла повестка, это законно?"},
        {"text": "ikki davlat fuqaroligi bor odamni rossiyada kim deb biladi", "lang": "uz"},
        {"text": "барои ҷанг дар хориҷа чӣ ҷазо ҳаст", "lang": "tg"},
        {"text": "what penalty does kazakhstan give for fighting in a foreign war", "lang": "en"},
    ]})
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the question, as the worker wrote it")
    lang: str | None = Field(None, description="reply language (ru, uz, uz-Cyrl, tg, ky, kk, en); detected from the text when absent")


class AssessRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"facts": {"home_country": "TJ", "ru_citizenship": "dual", "in_russia": "yes"}, "lang": "tg"},
        {"facts": {"home_country": "UZ", "military_offer": "migration_center"}, "lang": "uz-Cyrl"},
        {"facts": {"home_country": "KG", "ru_citizenship": "none", "summons": "yes"}, "lang": "ky"},
        {"facts": {}, "lang": "ru"},
    ]})
    facts: dict[str, str | list[str] | None] = Field(default_factory=dict, max_length=50,
                                                     description='fact id -> answer; "dont_know" is always allowed; a fact with `multiple` takes a list of answers too; see GET /v1/facts')
    lang: str | None = Field(None, description="reply language; else the lang query parameter or Accept-Language")
    about: Literal["self", "other"] = Field("self", description='"other": the facts are about someone else (as /v1/ask reports for "my brother …"); '
                                            'the summary and the next question speak of that person')


# The service's own view models, re-exported here (bot.core.views).
from bot.core.views import Health, LanguagesOut, Ready, SourceOut, SourcesOut  # noqa: E402

__all__ = ["AskRequest", "AssessRequest", "Health", "LanguagesOut", "Ready", "SourceOut", "SourcesOut"]
