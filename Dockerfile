# Green Zone Watch: one process (poller, pipeline, outbox sender, bot).
# Build: docker build -t greenzone-bot .
# Run:   docker run -e TELEGRAM_BOT_TOKEN -v gzw-data:/data -v $PWD/config.toml:/etc/greenzone-bot/config.toml:ro greenzone-bot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    XDG_DATA_HOME=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY feeds ./feeds
COPY handlers ./handlers
RUN pip install --no-compile . \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin greenzone \
    && mkdir -p /data /etc/greenzone-bot \
    && chown greenzone /data

USER greenzone
VOLUME ["/data"]
# The monitoring endpoint must listen on 0.0.0.0:9108 inside the container ([monitoring] listen).
EXPOSE 9108
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=4).status == 200 else 1)"

ENTRYPOINT ["greenzone-bot", "--config", "/etc/greenzone-bot/config.toml"]
CMD ["run"]
