"""Settings from the environment (and a .env file), via pydantic-settings."""

from __future__ import annotations

import os
from pathlib import Path

import secrets
import tempfile

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-change-me"


class InsecureSecret(ValueError):
    """The well-known development secret outside development: chat-id hashes made with it are
    reversible by anyone (Telegram ids are small integers)."""


def secret_from_data_dir(data_dir: Path) -> str:
    """The key kept in data_dir/secret_key, made (random, mode 0600) on first run."""
    path = data_dir / "secret_key"
    try:
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_urlsafe(48)
    # a name of its own per writer (mode 0600): two first runs at once (two test workers, two
    # replicas) must not unlink each other's file before it is linked
    fd, tmp_name = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.", suffix=".tmp")
    tmp = Path(tmp_name)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key + "\n")
    try:
        os.link(tmp, path)  # first writer wins; a concurrent first run reads the winner's key
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return path.read_text(encoding="utf-8").strip()


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
    # development | production. Outside development the well-known DEV_SECRET is refused.
    env: str = "development"
    # Key for hashing chat ids and API keys. Unset: a random key made on first run and kept in
    # the data folder (data_dir/secret_key, owner-only permissions). Several replicas must share
    # one: set OGOH_SECRET_KEY to a long random value.
    secret_key: str = ""
    # Proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated
    # ("127.0.0.1,172.16.0.0/12") or "*". Unset: the peer address is the client.
    trusted_proxies: str = ""
    webhook_max_body_bytes: int = 131_072
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
    # The web page (bot/web): who runs this copy and where to report a mistake, shown in every
    # page's footer and on /about (each NGO that hosts Ogoh fills them in), and the neutral site
    # the "Quick exit" link on every page opens.
    web_operator_name: str | None = None
    web_operator_contact: str | None = None  # an e-mail address, a web address, a @telegram handle or a phone
    web_quick_exit_url: str = "https://yandex.ru/pogoda/"

    @model_validator(mode="after")
    def _secret(self) -> "Settings":
        if not self.secret_key:
            self.secret_key = secret_from_data_dir(self.data_dir)
        if self.secret_key == DEV_SECRET and self.env != "development":
            raise InsecureSecret(f"OGOH_SECRET_KEY is the development default; set a long random value (OGOH_ENV={self.env})")
        return self

    def proxies(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]
