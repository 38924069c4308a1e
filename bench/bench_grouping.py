"""Benchmark: the pure grouping decision over 10,000 synthetic attack reports.

Reports of ~2,900 attacks one to six days apart (1-6 reports each, 10% undated, 10% with an
unknown weapon, published up to two days after the attack) are placed in publication order;
candidates come from an in-memory (zone, date) index the way the store query picks them.
"""

from __future__ import annotations

import itertools
import random
import time
from datetime import UTC, date, datetime, timedelta

from bot.incidents.grouping import (
    CandidateIncident,
    MemberFacts,
    ReportFacts,
    candidate_dates,
    decide,
    words_of,
)

REPORTS = 10_000
WINDOW = timedelta(hours=72)
WEAPONS = ("rocket", "rocket", "rocket", "drone", "mortar", "unknown")
TARGETS = ("US embassy", "Union III", "parliament", "PM residence", "Green Zone", None)
TITLES = (
    "{n} rockets hit Baghdad's Green Zone near the {t}",
    "Attack on the {t} in Baghdad's fortified zone",
    "Sirens at the {t} as {w} attack strikes International Zone",
    "Iraq: {w} attack targets {t}, security sources say",
)


def synthetic_reports(count: int, seed: int = 5) -> list[tuple[str, ReportFacts]]:
    """(true incident key, report) pairs in publication order."""
    rng = random.Random(seed)
    start = datetime(2016, 1, 1, tzinfo=UTC)
    reports: list[tuple[str, ReportFacts]] = []
    attack = 0
    moment = start
    while len(reports) < count:
        attack += 1
        # Attacks one to six days apart: same-day attacks on one zone are one incident by rule.
        moment += timedelta(days=rng.randint(1, 6), minutes=rng.randrange(-300, 300))
        weapon = rng.choice(WEAPONS[:-1])
        target = rng.choice(TARGETS)
        day = (moment + timedelta(hours=3)).date()
        for _ in range(rng.randint(1, 6)):
            published = moment + timedelta(minutes=rng.randrange(30, 48 * 60))
            said = "unknown" if rng.random() < 0.1 else weapon
            title = rng.choice(TITLES).format(n=rng.randint(1, 5), t=target or "embassy", w=said)
            reported_day: date | None = day if rng.random() < 0.9 else None
            facts = MemberFacts(
                date=reported_day,
                weapon=said,
                published=published,
                target=target,
                landmarks=frozenset({target}) if target else frozenset(),
                words=words_of(title),
            )
            reports.append((f"a{attack}", ReportFacts(f"r{len(reports)}", "baghdad-iz", facts)))
    reports.sort(key=lambda pair: pair[1].facts.published)
    return reports[:count]


def group_all(reports: list[tuple[str, ReportFacts]]) -> dict[str, int]:
    """Place every report; return report key -> incident id."""
    members: dict[int, list[MemberFacts]] = {}
    by_day: dict[date, list[int]] = {}
    dates: dict[int, date] = {}
    placed: dict[str, int] = {}
    for _, report in reports:
        facts = report.facts
        near = {i for d in candidate_dates(facts.date, facts.published) for i in by_day.get(d, ())}
        candidates = [
            CandidateIncident(i, "baghdad-iz", dates[i], tuple(members[i])) for i in sorted(near)
        ]
        now = facts.published + timedelta(minutes=5)
        decision = decide(report, candidates, now, window=WINDOW)
        incident = decision.incident_id
        if incident is None:
            incident = len(members) + 1
            day = facts.date or (facts.published + timedelta(hours=3)).date()
            members[incident], dates[incident] = [], day
            by_day.setdefault(day, []).append(incident)
        members[incident].append(facts)
        placed[report.key] = incident
    return placed


def _pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = {}
    for key, group in groups.items():
        by.setdefault(group, []).append(key)
    return {(a, b) for keys in by.values() for a, b in itertools.combinations(sorted(keys), 2)}


def main(quick: bool = False) -> dict[str, float]:
    reports = synthetic_reports(REPORTS // 5 if quick else REPORTS)
    began = time.perf_counter()
    placed = group_all(reports)
    elapsed = time.perf_counter() - began
    truth = {r.key: key for key, r in reports}
    mixed: dict[int, set[str]] = {}
    for key, incident in placed.items():
        mixed.setdefault(incident, set()).add(truth[key])
    gold, got = _pairs(truth), _pairs({k: str(v) for k, v in placed.items()})
    precision, recall = len(gold & got) / len(got), len(gold & got) / len(gold)
    return {
        "reports": float(len(reports)),
        "pair_precision": round(precision, 3),
        "pair_recall": round(recall, 3),
        "grouping_total_s": round(elapsed, 3),
        "per_report_us": round(elapsed / len(reports) * 1e6, 1),
        "incidents": float(len(mixed)),
        "true_attacks": float(len(set(truth.values()))),
        "incidents_merging_attacks": float(sum(len(v) > 1 for v in mixed.values())),
    }


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value:g}")
