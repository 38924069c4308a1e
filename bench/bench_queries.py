"""Benchmark: answering /recent, /stats and questions over 100,000 incidents (SQLite, PostgreSQL).

Each incident gets one article and one report, dates spread over 2000-2024. Latencies are of the
whole `respond` call (store queries, formatting and, for /stats, the PNG chart), median of
several runs after one warm-up. PostgreSQL is measured when GZ_TEST_POSTGRES_URL is set or
scripts/postgres can start it; a scratch database is created and dropped.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from bot.config import Settings, TelegramSettings
from bot.conversation import Incoming, Services, respond
from bot.store import models
from bot.store.db import create_engine, session_factory
from bot.store.migrate import upgrade

INCIDENTS = 100_000
NOW = datetime(2024, 12, 31, 9, 0, tzinfo=UTC)
WEAPONS = ("rocket", "rocket", "rocket", "drone", "mortar", "missile", None)
TARGETS = ("US embassy", "Union III", "parliament", "PM residence", "Green Zone")
CHUNK = 5_000
REPO = Path(__file__).resolve().parent.parent

QUERIES = {
    "recent": "/recent",
    "recent_30_days": "/recent 30 days",
    "stats_12_months": "/stats",
    "stats_all_years": "/stats since 2000",
    "question_count": "how many rocket attacks with casualties since 2022?",
    "question_list": "drone attacks last month",
    "search": "/search union iii",
}


def _rows(count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(7)
    first = date(2000, 1, 1)
    span = (NOW.date() - first).days
    incidents, articles, reports = [], [], []
    for n in range(1, count + 1):
        day = first + timedelta(days=rng.randrange(span))
        published = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
        target = rng.choice(TARGETS)
        incidents.append(
            {
                "id": n,
                "zone": "baghdad-iz",
                "date": day,
                "weapon": rng.choice(WEAPONS),
                "projectiles": rng.choice((None, 1, 2, 3, 5)),
                "killed": rng.choice((None, 0, 0, 1)),
                "injured": rng.choice((None, 0, 2)),
                "target": target,
                "claimed_by": rng.choice((None, None, None, "Islamic Resistance in Iraq")),
                "version": 1,
                "first_published_at": published,
                "last_published_at": published,
                "created_at": published,
                "updated_at": published,
                "alertable": False,
            }
        )
        articles.append(
            {
                "id": n,
                "canonical_url": f"https://news.example/{n}",
                "content_hash": f"{n:064x}",
                "title": f"Rockets strike near the {target} in Baghdad ({n})",
                "summary": "Sirens sounded in the Green Zone.",
                "text": "Sirens sounded in the Green Zone.",
                "lang": "en",
                "outlet": f"Wire {n % 20}",
                "published_at": published,
                "fetched_at": published,
                "updated_at": published,
                "alertable": False,
            }
        )
        reports.append(
            {
                "incident_id": n,
                "article_id": n,
                "published_at": published,
                "outlet": f"Wire {n % 20}",
                "url": f"https://news.example/{n}",
                "facts": {},
                "added_at": published,
            }
        )
    return incidents, articles, reports


async def _fill(url: str, count: int) -> float:
    engine = create_engine(url)
    await upgrade(engine)
    started = time.perf_counter()
    incidents, articles, reports = _rows(count)
    async with engine.begin() as conn:
        for model, rows in (
            (models.Incident, incidents),
            (models.Article, articles),
            (models.IncidentReport, reports),
        ):
            for i in range(0, len(rows), CHUNK):
                await conn.execute(insert(model), rows[i : i + CHUNK])
        if not url.startswith("sqlite"):
            await conn.execute(text("ANALYZE"))
    await engine.dispose()
    return time.perf_counter() - started


async def _measure(url: str, runs: int) -> dict[str, float]:
    engine = create_engine(url)
    settings = Settings(telegram=TelegramSettings(admins=(), user_rate_per_minute=100_000))
    services = Services(session_factory(engine), settings, lambda: NOW)
    results: dict[str, float] = {}
    for name, message in QUERIES.items():
        incoming = Incoming(chat_id=1, user_id=1, chat_kind="private", text=message)
        replies = await respond(incoming, services)  # warm-up (and matplotlib's import)
        if not replies or replies[0].text.startswith("Sorry"):
            raise RuntimeError(f"{name}: no answer ({replies!r})")
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            await respond(incoming, services)
            timings.append(time.perf_counter() - started)
        results[f"{name}_ms"] = round(statistics.median(timings) * 1000, 1)
    await engine.dispose()
    return results


def _postgres_base() -> str | None:
    url = os.environ.get("GZ_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        done = subprocess.run(
            ["bash", str(REPO / "scripts" / "postgres")],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


async def _admin(base: str, statement: str) -> None:
    engine = create_engine(str(make_url(base).set(database="postgres").render_as_string(False)))
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(statement))
    await engine.dispose()


async def _run(count: int, runs: int) -> dict[str, float]:
    results: dict[str, float] = {"incidents": float(count)}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        results["sqlite_fill_s"] = round(await _fill(url, count), 1)
        results.update({f"sqlite_{k}": v for k, v in (await _measure(url, runs)).items()})
    base = _postgres_base()
    if base is None:
        return results
    name = f"gzbench_{uuid.uuid4().hex[:10]}"
    await _admin(base, f"CREATE DATABASE {name}")
    try:
        url = str(make_url(base).set(database=name).render_as_string(False))
        results["postgresql_fill_s"] = round(await _fill(url, count), 1)
        results.update({f"postgresql_{k}": v for k, v in (await _measure(url, runs)).items()})
    finally:
        await _admin(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return results


def main(quick: bool = False) -> dict[str, float]:
    """Latency of answers over 100,000 incidents (10,000 with quick), in milliseconds."""
    return asyncio.run(_run(10_000 if quick else INCIDENTS, 3 if quick else 9))


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key}: {value:g}")
