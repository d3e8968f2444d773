"""Request bodies, with the examples /docs shows (in several languages)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_TEXT = 1000
OPTIONAL = ("lang", "about", "facts")  # null is "not given" for each of these (REVIEW_API #12)


def _nulls_are_absent(data: object) -> object:
    """`null` for an optional field means "not given": its default, the same for every one."""
    if isinstance(data, dict) and any(data.get(k, 0) is None for k in OPTIONAL):
        return {k: v for k, v in data.items() if not (k in OPTIONAL and v is None)}
    return data


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"text": "мне как иностранцу пришла повестка, это законно?"},
        {"text": "ikki davlat fuqaroligi bor odamni rossiyada kim deb biladi", "lang": "uz"},
        {"text": "барои ҷанг дар хориҷа чӣ ҷазо ҳаст", "lang": "tg"},
        {"text": "what penalty does kazakhstan give for fighting in a foreign war", "lang": "en"},
    ]})
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the question, as the worker wrote it (not only spaces)")
    lang: str | None = Field(None, description=(
        "reply language (ru, uz, uz-Cyrl, tg, ky, kk, en; any case, BCP 47 subtags allowed: ru-RU, uz-Latn, uz-cyrl); "
        "wins over the `lang` query parameter; detected from the text when neither is given"))

    _nulls = model_validator(mode="before")(_nulls_are_absent)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("must not be empty or only spaces")
        return text


class AssessRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"facts": {"home_country": "TJ", "ru_citizenship": "dual", "in_russia": "yes"}, "lang": "tg"},
        {"facts": {"home_country": "UZ", "military_offer": "migration_center"}, "lang": "uz-Cyrl"},
        {"facts": {"home_country": "KG", "ru_citizenship": "none", "summons": "yes"}, "lang": "ky"},
        {"facts": {}, "lang": "ru"},
    ]})
    facts: dict[str, str | list[str] | None] = Field(default_factory=dict, max_length=50,
                                                     description='fact id -> answer; "dont_know" is always allowed; a fact with `multiple` takes a list of answers too; see GET /v1/facts')
    lang: str | None = Field(None, description="reply language (as in /v1/ask); else the lang query parameter, else Accept-Language")
    about: Literal["self", "other"] | None = Field("self", description='"other": the facts are about someone else (as /v1/ask reports for "my brother …"); '
                                            'the summary and the next question speak of that person')

    _nulls = model_validator(mode="before")(_nulls_are_absent)


# The service's own view models, re-exported here (bot.core.views).
from bot.core.views import Health, LanguagesOut, Ready, SourceOut, SourcesOut  # noqa: E402

__all__ = ["AskRequest", "AssessRequest", "Health", "LanguagesOut", "Ready", "SourceOut", "SourcesOut"]
