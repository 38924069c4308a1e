"""Classifier throughput on one core: the seed reports plus synthetic short items.

The mix is what a feed poller sees: full reports (the five seeds, 2-5 KB each) and many short
RSS items (title + summary) that are mostly not about the Green Zone. CPU time (process_time)
is reported beside wall time because a shared machine's wall clock includes other work.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.classifier import classify
from bot.inputs import InputProblem, read_articles
from bot.records import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_SHORT = (
    ("Rockets hit Baghdad's Green Zone", "Two Katyusha rockets landed near the US embassy late on "
     "Tuesday, security sources said; no casualties were reported."),
    ("Parliament approves budget", "Iraq's parliament in Baghdad approved the federal budget on "
     "Monday after weeks of wrangling over oil revenue."),
    ("Drone attack on Erbil airport", "An explosive-laden drone struck near Erbil airport, which "
     "hosts coalition troops, overnight; the attack caused no damage."),
    ("City expands green zone parking", "The council said residents in the green zone parking "
     "scheme will need permits on Saturdays from April."),
    ("صواريخ على المنطقة الخضراء", "سقط صاروخان من نوع كاتيوشا فجر اليوم داخل المنطقة الخضراء "
     "وسط بغداد من دون وقوع إصابات."),
    ("Protesters gather at Green Zone gate", "Hundreds of graduates demanding jobs rallied near a "
     "gate of Baghdad's Green Zone on Sunday; the protest ended peacefully."),
)  # fmt: skip


def articles() -> list[Article]:
    """Five seeds and 45 short items (nine rounds of six), 50 articles in all."""
    seeds = [a for a in read_articles(sorted(str(p) for p in SEEDS.glob("*.txt")))]
    found = [a for a in seeds if not isinstance(a, InputProblem)]
    start = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    for n in range(45):
        title, summary = _SHORT[n % len(_SHORT)]
        found.append(
            Article(f"short-{n}", title, summary, summary, start + timedelta(minutes=n), "en")
        )
    return found


def main() -> dict[str, float]:
    batch = articles()
    for article in batch:  # warm the compiled-pattern caches
        classify(article)
    rounds = 20
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        for article in batch:
            classify(article)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    seeds = [a for a in batch if not a.id.startswith("short-")]
    seed_cpu = time.process_time()
    for _ in range(rounds):
        for article in seeds:
            classify(article)
    seed_cpu = time.process_time() - seed_cpu
    total = rounds * len(batch)
    return {
        "articles_per_s_cpu": round(total / cpu, 1),
        "articles_per_s_wall": round(total / wall, 1),
        "ms_per_article_cpu": round(1000 * cpu / total, 3),
        "seed_reports_per_s_cpu": round(rounds * len(seeds) / seed_cpu, 1),
    }


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value}")
