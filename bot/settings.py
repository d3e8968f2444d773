"""Settings from the environment (and a .env file), via pydantic-settings."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_rules_dir() -> Path:
    here = Path.cwd() / "rules"
    return here if (here / "topics.yaml").exists() else PROJECT_ROOT / "rules"


def default_data_dir() -> Path:
    """Where the service keeps what it makes itself (snapshot cache, generated secret key):
    `OGOH_DATA_DIR`, else `$XDG_DATA_HOME/ogoh` (~/.local/share/ogoh)."""
    configured = os.environ.get("OGOH_DATA_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ogoh"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OGOH_", env_file=".env", extra="ignore")

    rules_dir: Path = Field(default_factory=default_rules_dir)
    data_dir: Path = Field(default_factory=default_data_dir)
    storage_url: str = "sqlite:///ogoh.db"
    # Key for hashing chat ids and API keys; set a long random value in production.
    secret_key: str = "dev-only-change-me"
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = 16_384
    rate_limit_per_minute: int = 60
    key_rate_limit_per_minute: int = 600
    reload_interval_seconds: float = 2.0
    default_language: str = "ru"
    # Telegram: the usual names, without our prefix, so hosting guides apply as written.
    telegram_bot_token: str | None = Field(None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "OGOH_TELEGRAM_BOT_TOKEN"))
    telegram_api_base_url: str = Field("https://api.telegram.org", validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "OGOH_TELEGRAM_API_BASE_URL"))
    telegram_webhook_secret: str | None = Field(None, validation_alias=AliasChoices("TELEGRAM_WEBHOOK_SECRET", "OGOH_TELEGRAM_WEBHOOK_SECRET"))
    # Talk to a person (issue 16): the volunteers' Telegram groups, as a chat id or a JSON map from a
    # language (lower case, "tg") or home country (upper case, "TJ") to a chat id, "*" for the rest.
    # Unset: the handoff is not offered anywhere. The NGO's name and contacts are shown to workers.
    handoff_chats: int | dict[str, int] | str | None = None
    handoff_ngo_name: str | None = None
    handoff_ngo_contacts: list[str] = Field(default_factory=list)
    handoff_operator_language: str = "ru"
