"""Measure grouping and headlines on the labelled dev corpus and the seeds (not a test).

    python bench/eval_incidents.py [--oracle] [--corpus DIR] [-v]

Runs every item in publication order through a fresh temporary SQLite store, then reports
pairwise clustering precision/recall/F1 over attack reports, incidents that merge two labelled
incidents, and how many headline fields equal the labelled ones. With --oracle the labels stand
in for the classifier (measures grouping alone); otherwise bot.classifier reads the texts.

The labelled headline of an incident is derived from its reports' labels by the same documented
rules (bot/incidents/headline.py), so the field score measures extraction plus grouping.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import Settings, bundled_seed_feed
from bot.incidents.facts import values_from_json
from bot.incidents.headline import derive_headline
from bot.incidents.repo import GroupingContext, place_report
from bot.records import FACT_FIELDS, Classification
from bot.store import models
from bot.store.db import create_engine, session_factory, unit_of_work
from bot.store.migrate import upgrade
from bot.zones import DEFAULT_ZONES

CORPUS = Path("/work/shared")


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    summary: str
    text: str
    lang: str
    outlet: str
    url: str
    published: datetime
    label: dict[str, Any]


def _dev_items(corpus: Path) -> list[Item]:
    items = []
    for line in (corpus / "corpus" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        published = datetime.fromisoformat(r["published"].replace("Z", "+00:00"))
        items.append(
            Item(
                r["id"],
                r["title"],
                r["summary"],
                r["text"],
                r["lang"],
                r["outlet"],
                r["url"],
                published,
                r["label"],
            )
        )
    return items


def _seed_items(corpus: Path) -> list[Item]:
    feed = bundled_seed_feed().read_text(encoding="utf-8")
    times = {
        guid.removeprefix("seed-"): parsedate_to_datetime(when).astimezone(UTC)
        for guid, when in re.findall(r"<guid[^>]*>([^<]+)</guid>\s*<pubDate>([^<]+)<", feed)
    }
    items = []
    for line in (corpus / "seeds" / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        body = (corpus / "seeds" / r["file"]).read_text(encoding="utf-8").strip()
        title, _, text = body.partition("\n")
        stem = r["file"].removesuffix(".txt")
        published = times.get(stem) or datetime.fromisoformat(r["published"] + "T12:00:00+00:00")
        summary = text.strip().split("\n\n")[0]
        items.append(
            Item(
                f"seed-{stem}",
                title.strip(),
                summary,
                text,
                "en",
                "seed",
                "",
                published,
                r["label"],
            )
        )
    return items


def _oracle(item: Item) -> Classification:
    lab = item.label
    if not lab.get("attack"):
        return Classification(attack=False, score=0.0)
    target = lab.get("target")
    landmarks = tuple(
        lm.name for lm in DEFAULT_ZONES[0].landmarks if target and lm.target == target
    )
    return Classification(
        attack=True,
        score=1.0,
        zone="baghdad-iz",
        date=date.fromisoformat(lab["date"]),
        weapon=lab.get("weapon"),
        projectiles=lab.get("projectiles"),
        intercepted=lab.get("intercepted"),
        killed=lab.get("killed"),
        injured=lab.get("injured"),
        target=target,
        claimed_by=lab.get("claimed_by"),
        landmarks=landmarks,
    )


async def _run(items: list[Item], oracle: bool) -> dict[str, int]:
    """Place every item; return the incident id each attack report landed in."""
    settings = Settings()
    zones = settings.classifier.all_zones()
    ctx = GroupingContext.from_zones(zones, settings.alerts.grouping_window)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp}/eval.db")
        await upgrade(engine)
        sessions = session_factory(engine)
        placed: dict[str, int] = {}
        now = max(i.published for i in items) + timedelta(days=1)
        for item in items:
            async with unit_of_work(sessions) as session:
                row = models.Article(
                    canonical_url=item.url or None,
                    content_hash=sha256((item.title + item.text).encode()).hexdigest(),
                    title=item.title,
                    summary=item.summary,
                    text=item.text,
                    lang=item.lang,
                    outlet=item.outlet,
                    published_at=item.published,
                    fetched_at=now,
                    updated_at=now,
                    alertable=True,
                )
                session.add(row)
                await session.flush()
                if oracle:
                    verdict = _oracle(item)
                else:
                    from bot.classifier import classify
                    from bot.pipeline import to_record

                    verdict = classify(to_record(row, item.outlet, item.url), zones=zones)
                placement = await place_report(
                    session, row, verdict, outlet=item.outlet, url=item.url, ctx=ctx, now=now
                )
                if placement.incident_id is not None:
                    placed[item.key] = placement.incident_id
        headlines = {}
        async with unit_of_work(sessions) as session:
            for inc in (await session.scalars(select(models.Incident))).all():
                headlines[inc.id] = {f: getattr(inc, f) for f in FACT_FIELDS}
        await engine.dispose()
    _HEADLINES.clear()
    _HEADLINES.update(headlines)
    return placed


_HEADLINES: dict[int, dict[str, Any]] = {}


def _pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = {}
    for key, group in groups.items():
        by.setdefault(group, []).append(key)
    return {tuple(sorted(p)) for g in by.values() for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def _labelled_headline(members: list[Item]) -> dict[str, Any]:
    values = [
        values_from_json({k: v for k, v in m.label.items() if k in FACT_FIELDS}, m.published)
        for m in members
    ]
    specific = GroupingContext.from_zones(DEFAULT_ZONES, timedelta(hours=72)).specific_targets
    head = derive_headline(values, specific_targets=specific)
    return {f: getattr(head, f) for f in FACT_FIELDS}


def evaluate(items: list[Item], placed: dict[str, int], verbose: bool) -> dict[str, float]:
    by_key = {i.key: i for i in items}
    truth = {i.key: i.label["incident"] for i in items if i.label.get("attack")}
    keys = set(truth) | set(placed)
    gold = {k: truth.get(k, f"none:{k}") for k in keys}
    pred = {k: str(placed[k]) if k in placed else f"none:{k}" for k in keys}
    gp, pp = _pairs(gold), _pairs(pred)
    tp = len(gp & pp)
    precision = tp / len(pp) if pp else 1.0
    recall = tp / len(gp) if gp else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    members: dict[int, list[str]] = {}
    for key, inc in placed.items():
        members.setdefault(inc, []).append(key)
    merges = sum(1 for ks in members.values() if len({truth[k] for k in ks if k in truth}) > 1)
    fields_ok = fields_total = 0
    for inc, ks in members.items():
        labelled = [k for k in ks if k in truth]
        if not labelled:
            continue
        main = Counter(truth[k] for k in labelled).most_common(1)[0][0]
        gold_members = sorted(
            (by_key[k] for k in truth if truth[k] == main), key=lambda i: i.published
        )
        expected = _labelled_headline(gold_members)
        got = _HEADLINES[inc]
        for field in FACT_FIELDS:
            fields_total += 1
            ok = got[field] == expected[field]
            fields_ok += ok
            if verbose and not ok:
                print(f"  {main} {field}: got {got[field]!r}, label {expected[field]!r}")
    if verbose:
        for inc, ks in sorted(members.items()):
            print(f"incident {inc}: {[(k, truth.get(k)) for k in ks]}")
    return {
        "reports_labelled_attack": len(truth),
        "reports_grouped": len(placed),
        "incidents": len(members),
        "labelled_incidents": len(set(truth.values())),
        "pair_precision": round(precision, 3),
        "pair_recall": round(recall, 3),
        "pair_f1": round(f1, 3),
        "merged_incidents": merges,
        "headline_field_accuracy": round(fields_ok / fields_total, 3) if fields_total else 0.0,
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oracle", action="store_true", help="labels in place of the classifier")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    items = sorted(
        _dev_items(args.corpus) + _seed_items(args.corpus), key=lambda i: (i.published, i.key)
    )
    placed = asyncio.run(_run(items, args.oracle))
    return evaluate(items, placed, args.verbose)


if __name__ == "__main__":
    for name, value in main(sys.argv[1:]).items():
        print(f"{name}: {value}")
