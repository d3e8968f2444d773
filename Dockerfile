# Ogoh API + web page + Telegram webhook. Build: docker build -t ogoh .
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install .
COPY rules ./rules
COPY seeds ./seeds
RUN useradd --system --uid 10001 ogoh
USER ogoh
ENV OGOH_RULES_DIR=/app/rules
# python-telegram-bot 22: time periods (RetryAfter.retry_after) as datetime.timedelta, the coming
# default; the int form warns as deprecated on every 429.
ENV PTB_TIMEDELTA=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["ogoh", "serve", "--host", "0.0.0.0", "--port", "8000"]
