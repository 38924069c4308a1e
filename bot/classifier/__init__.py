"""The classifier: does an article report a new attack on a watched zone, and what happened.

Pure, deterministic rules over normalised English and Arabic text; no I/O, no model weights.
`classify` reads sentences (bot.classifier.sentences), decides which ones report a new attack
on the zone (bot.classifier.detect), and reads the facts from those sentences and the ones that
continue them (bot.classifier.extract). The evidence is the sentences that decided.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.classifier import extract as ex
from bot.classifier import lexicon as lx
from bot.classifier.detect import (
    Reading,
    combine,
    dated_now,
    debunk_hearsay,
    demote_undated,
    foiled_only,
    inherit,
    is_fiction,
    read_sentence,
)
from bot.classifier.places import matcher
from bot.classifier.sentences import Sentence, split_sentences
from bot.records import Article, Classification
from bot.zones import DEFAULT_ZONES, Zone

CLASSIFIER_VERSION = "rules-1.6"

__all__ = ["CLASSIFIER_VERSION", "DEFAULT_ZONES", "classify", "read_zone"]

_MAX_EVIDENCE = 3
_REJECTED = ("foiled", "drill", "negated", "hypothetical", "background", "elsewhere", "fiction")


def read_zone(sentences: list[Sentence], article: Article, zone: Zone) -> list[Reading]:
    """Every sentence's reading for one zone, with scopes inherited."""
    zm = matcher(zone)
    whole = "\n".join(s.norm for s in sentences)
    datelines = " ".join(s.dateline for s in sentences if s.dateline)
    # A dateline ("BAGHDAD -") places the story even when the body never names the city.
    city = zm.has_city(whole) or zm.has_city(datelines)
    embassy, own = zm.scan(whole)
    rival = zm.names_rival(whole) or zm.names_rival(datelines)
    lead = "\n".join(s.norm for s in sentences if s.part != "text" or s.paragraph == 0)
    if city and rival:
        # A lead about another city ("KABUL - Rockets hit the Green Zone") owns the story's
        # zone, even when this city is named further down.
        city = zm.rival_start(f"{datelines}\n{lead}") is None
    readings = [
        read_sentence(s, zm, article.published, city=city, embassy=embassy, own=own, rival=rival)
        for s in sentences
    ]
    if is_fiction(whole, lead):
        # A film's mortar attack in the Green Zone is plot, not news.
        readings = [
            replace(r, kind="fiction", weight=0.0) if r.kind == "event" else r for r in readings
        ]
    readings = debunk_hearsay(demote_undated(readings, article.published))
    return inherit(_lead_elsewhere(readings, article.published))


def _lead_elsewhere(readings: list[Reading], published: datetime) -> list[Reading]:
    """When the headline and lead report an attack elsewhere, a later "the attack" is that one,
    and a sentence that sums up the zone's past attacks is background.

    "Rockets hit the airport ... The attack comes as the US threatens to close its embassy in
    the Green Zone" is not an attack on the zone.
    """
    lead = [r for r in readings if r.sentence.part != "text" or r.sentence.paragraph == 0]
    if not lead or lead[0].kind != "elsewhere" or any(r.kind == "event" for r in lead):
        return readings
    return [
        replace(r, kind="other", weight=0.0)
        if _refers_back(r)
        else replace(r, kind="background", weight=0.0)
        if _generic(r, published)
        else r
        for r in readings
    ]


# "Rockets have targeted the Green Zone": a perfect with no day of its own.
_PERFECT = re.compile(r"\b(?:have|has)\s+(?:[a-z]+\s+)?(?:been\s+)?[a-z]+(?:ed|en|uck|it)\b")


def _generic(reading: Reading, published: datetime) -> bool:
    """An event sentence that sums up the zone's attacks in the perfect, without a day.

    In a story about an attack elsewhere, "Rocket attacks have targeted Baghdad's Green Zone"
    is context, not news.
    """
    if reading.kind != "event":
        return False
    start, end = reading.clause
    if not _PERFECT.search(reading.sentence.norm[start:end]):
        return False
    return not dated_now(reading.sentence.norm, published)


_AIMED_AT = re.compile(r"\s+(?:on|against|at|targeting|in|inside|علي|في|ضد)\s")


def _refers_back(reading: Reading) -> bool:
    """An event sentence whose clause speaks of "the attack" without aiming it at the zone."""
    if reading.kind != "event":
        return False
    start, end = reading.clause
    m = lx.ANAPHOR.search(reading.sentence.norm[start:end])
    if m is None:
        return False
    after = start + m.end()
    # "the attack on the Green Zone" names its own target.
    if _AIMED_AT.match(reading.sentence.norm, after):
        return not any(
            after < p.start <= after + 40 and p.kind != "elsewhere" for p in reading.mentions
        )
    return True


def _evidence(readings: list[Reading], attack: bool) -> tuple[str, ...]:
    events = sorted(
        (r for r in readings if r.kind == "event"),
        key=lambda r: (-r.weight * r.position, r.sentence.index),
    )
    if attack or events:
        chosen = events[:_MAX_EVIDENCE]
    else:
        chosen = [r for r in readings if r.kind in _REJECTED][:_MAX_EVIDENCE]
    return tuple(r.sentence.text for r in sorted(chosen, key=lambda r: r.sentence.index))


def _verdict(
    readings: list[Reading], article: Article, zone: Zone, threshold: float
) -> Classification:
    score = 0.0 if foiled_only(readings) else combine(readings)
    attack = score >= threshold and score > 0
    evidence = _evidence(readings, attack)
    if not attack:
        return Classification(attack=False, score=score, evidence=evidence)
    projectiles = ex.extract_projectiles(readings)
    killed, injured = ex.extract_casualties(readings)
    target, location = ex.extract_target(readings, zone)
    return Classification(
        attack=True,
        score=score,
        evidence=evidence,
        zone=zone.key,
        date=ex.extract_date(readings, article.published),
        weapon=ex.extract_weapon(readings),
        projectiles=projectiles,
        intercepted=ex.extract_intercepted(readings, projectiles),
        killed=killed,
        injured=injured,
        target=target,
        claimed_by=ex.extract_claim(readings),
        damage=ex.extract_damage(readings),
        location=location,
        landmarks=ex.extract_landmarks(readings),
    )


def classify(
    article: Article, *, zones: Sequence[Zone] = DEFAULT_ZONES, threshold: float = 0.5
) -> Classification:
    """The verdict on one article: the best-scoring zone's, with that zone's facts."""
    sentences = split_sentences(article.title, article.summary, article.text)
    best: Classification | None = None
    for zone in zones:
        verdict = _verdict(read_zone(sentences, article, zone), article, zone, threshold)
        if best is None or (verdict.attack, verdict.score) > (best.attack, best.score):
            best = verdict
    return best if best is not None else Classification(attack=False, score=0.0)
