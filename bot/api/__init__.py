"""The REST API for NGOs: a thin FastAPI face over bot.ogoh.Ogoh."""

from bot.api.app import create_app

__all__ = ["create_app"]
