"""/healthz and /metrics over real HTTP on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from bot import metrics
from bot.health import Heartbeats, evaluate
from bot.monitoring import MonitoringServer

T0 = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


def test_health_is_a_pure_function_of_beats_and_now() -> None:
    beats = Heartbeats(limits={"scheduler": timedelta(minutes=10), "sender": timedelta(minutes=1)})
    assert evaluate(beats, T0, store_ok=True).reasons == (
        "scheduler: has not started",
        "sender: has not started",
    )
    beats.beat("scheduler", T0)
    beats.beat("sender", T0)
    assert evaluate(beats, T0 + timedelta(seconds=30), store_ok=True).ok
    late = evaluate(beats, T0 + timedelta(minutes=2), store_ok=True)
    assert late.reasons == ("sender: silent for 120s",)
    assert evaluate(beats, T0, store_ok=False).reasons == ("store: not answering",)


async def test_endpoints_answer_over_http() -> None:
    beats = Heartbeats(limits={"sender": timedelta(minutes=1)})
    clock = [T0]
    store_up = [True]

    async def store_check() -> bool:
        return store_up[0]

    server = MonitoringServer(beats, store_check, lambda: clock[0])
    host, port = await server.start("127.0.0.1:0")
    metrics.POLLS.labels(outcome="not_modified").inc()
    try:
        async with httpx.AsyncClient(base_url=f"http://{host}:{port}") as client:
            down = await client.get("/healthz")
            assert down.status_code == 503
            assert "sender: has not started" in down.text

            beats.beat("sender", T0)
            assert (await client.get("/healthz")).status_code == 200

            store_up[0] = False
            broken = await client.get("/healthz")
            assert broken.status_code == 503
            assert "store: not answering" in broken.text

            scraped = await client.get("/metrics")
            assert scraped.status_code == 200
            assert 'greenzone_polls_total{outcome="not_modified"}' in scraped.text
            assert (await client.get("/nope")).status_code == 404
            assert (await client.post("/metrics")).status_code == 405
    finally:
        await server.close()
