"""Detection: which sentences report a new attack on a zone, and how sure the article is.

Each sentence is read on its own: an attack predicate (fired, landed, سقط...) whose target is
the zone or one of its landmarks, with a weapon named, is evidence; background, negation,
foiled launches, drills and hypotheticals are not. The article's score combines the evidence,
weighting the headline and lead most. Sentences that say nothing of their own inherit the
scope (this incident, or something else) of the sentence before them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from bot.classifier import lexicon as lx
from bot.classifier.dates import Found, find_dates, is_past
from bot.classifier.places import Mention, ZoneMatcher
from bot.classifier.sentences import Sentence
from bot.zones import Landmark

_CLAUSE = re.compile(
    r"[,;:()\"]|\s(?:but|while|whereas|although|that|which|who|whom|where|after|before)\s|\s\.\s"
)
# Quote marks and brackets do not end the clause a threat or warning governs; commas do not end
# the clause whose subject is said to have stopped ("Rocket fire, once weekly, has stopped").
_CLAUSE_IN_QUOTES = re.compile(
    r"[,;:]|\s(?:but|while|whereas|although|that|which|who|whom|where|after|before)\s|\s\.\s"
)
_LINKED_CLAUSE = re.compile(
    r"[;:]|\s(?:(?<!all\s)but|while|whereas|although|that|which|who|whom|where|after|before|when"
    r"|until|as)\s|\s\.\s"
)
_ORIGIN = re.compile(r"\bfrom\s+(?:the\s+)?(?:\S+\s+){0,2}$|انطلق\S*\s+من\s+$")
_DISTANCE = re.compile(r"(?:metres|meters|kilometers|kilometres|km|miles|away|بعد|مسافه)")
# The landmark that owns or uses a place is not where it is ("a facility used by the embassy").
_OWNER = re.compile(
    r"\b(?:used|operated|run|owned|leased|managed|rented)\s+by\s+(?:the\s+)?$|\bbelonging\s+to\s+"
    r"(?:the\s+)?$|(?:تستخدمه|يستخدمه|تديره|يديره)\S*\s+$"
)

STRONG, ATTACK_REF, BLAST, NEAR = 0.9, 0.6, 0.5, 0.5
# Date expressions that name a day: one of them, recent, anchors a sentence in the news.
_DAY_KINDS = frozenset({"explicit", "weekday", "relative", "clock", "overnight"})


@dataclass(frozen=True, slots=True)
class Reading:
    """What one sentence says about the zone: its kind, weight and the places it targets."""

    sentence: Sentence
    # event, elsewhere, background, negated, foiled, drill, hypothetical, fiction, other, neutral
    kind: str
    weight: float
    targets: tuple[Mention, ...] = ()
    mentions: tuple[Mention, ...] = ()
    scope: str = "event"  # event or other, after inheritance
    clause: tuple[int, int] = (0, 0)  # the clause of the deciding predicate, in `norm`
    trigger: str = "pred"  # "blast" when only an explosion was heard or seen
    # Clauses that tell of an earlier time ("a year after the 2022 attack on ..."), in `norm`.
    past: tuple[tuple[int, int], ...] = ()

    @property
    def position(self) -> float:
        s = self.sentence
        if s.part != "text":
            return 1.0
        return (1.0, 0.9, 0.8)[s.paragraph] if s.paragraph < 3 else 0.7


def clauses(norm: str, splitter: re.Pattern[str] = _CLAUSE) -> list[tuple[int, int]]:
    """Clause spans of a normalised sentence: split at punctuation and linking words."""
    spans, start = [], 0
    for m in splitter.finditer(norm):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(norm)))
    return spans


def _clause_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= pos <= end:
            return start, end
    return spans[-1]


def _target(mentions: list[Mention], pos: int, end: int) -> Mention | None:
    after = [m for m in mentions if m.start >= end]
    if after:
        return after[0]
    before = [m for m in mentions if m.end <= pos]
    return before[-1] if before else None


def _usable(mentions: list[Mention], norm: str) -> list[Mention]:
    """Drop launch sites ("fired from X"): a place fired from is not the target."""
    kept = []
    # Every match of _OWNER holds one of these: most sentences are spared its regex.
    owners = " by " in norm or "belonging" in norm or "ستخدم" in norm or "دير" in norm
    for m in mentions:
        prefix = norm[max(0, m.start - 30) : m.start]
        if _ORIGIN.search(prefix) and not _DISTANCE.search(prefix):
            continue
        if owners and m.landmark is not None and _OWNER.search(prefix):
            continue
        kept.append(m)
    return kept


def dated_now(norm: str, published: datetime) -> bool:
    """True when the sentence names a recent day ("on Monday", "last night", "today")."""
    return any(
        f.kind in _DAY_KINDS and not is_past(f, published) for f in find_dates(norm, published)
    )


def _outside_festivities(norm: str, weapon: re.Match[str]) -> re.Match[str] | None:
    """The first weapon word outside fireworks and celebratory fire ("stray bullets")."""
    festive = lx.CELEBRATORY.finditer(norm)
    if not festive:
        return weapon
    for m in festive:
        norm = norm[: m.start()] + " " * (m.end() - m.start()) + norm[m.end() :]
    # "Projectiles fell on cars" after stray bullets are the same bullets.
    return lx.ANY_WEAPON.search(norm)


_SPEAKER_GAP = re.compile(r"[^,;:.\"()]{0,30}")


def _not_condemners(mentions: list[Mention], norm: str) -> list[Mention]:
    """Drop a zone place that is the subject of "condemned" (the embassy speaks, not suffers)."""
    verbs = lx.CONDEMN.finditer(norm) if mentions else []
    if not verbs:
        return mentions
    kept = []
    for m in mentions:
        speaks = any(
            (m.end <= v.start() and _SPEAKER_GAP.fullmatch(norm, m.end, v.start()))
            or (v.end() <= m.start <= v.end() + 3)
            for v in verbs
        )
        if not speaks or m.kind == "elsewhere":
            kept.append(m)
    return kept


def _foreign(mentions: list[Mention], after: int) -> list[Mention]:
    """The mentions, with every zone place named after `after` turned into another place."""
    return [
        Mention("elsewhere", m.start, m.end) if m.kind != "elsewhere" and m.start > after else m
        for m in mentions
    ]


def _negated(norm: str, clause_start: int, pos: int) -> bool:
    return lx.NEGATION.search(norm[clause_start:pos]) is not None


def _is_background(norm: str, spans: list[tuple[int, int]], clause: tuple[int, int],
                   published: datetime, found: list[Found]) -> bool:  # fmt: skip
    pieces = [clause]
    opener = spans[0]
    if clause != opener and not lx.PREDICATE.search(norm[opener[0] : opener[1]]):
        pieces.append(opener)
    # Dates are found once in the whole sentence, then placed in the clauses that hold them.
    past = [f for f in found if is_past(f, published)]
    recent = any(f.kind in _DAY_KINDS and not is_past(f, published) for f in found)
    for start, end in pieces:
        piece = norm[start:end]
        if (
            lx.BACKGROUND.search(piece)
            or lx.HABIT_OR_TRIAL.search(piece)
            or lx.RECURRENT.search(piece)
            or lx.JUDICIAL.search(piece)
            or lx.RETROSPECTIVE.search(piece)
            or (not recent and lx.ARREST.search(piece))
        ):
            return True
        if any(start <= f.start < end for f in past):
            return True
    # A past date or retrospective cue in any other clause, when nothing dates the sentence now.
    if recent:
        return False
    return bool(past) or lx.PAST_CUE.search(norm) is not None


def read_sentence(
    sentence: Sentence,
    zm: ZoneMatcher,
    published: datetime,
    *,
    city: bool,
    embassy: bool,
    own: Mapping[str, Landmark] | None = None,
    rival: bool = False,
) -> Reading:
    """Classify one sentence (without inheritance).

    `city` is false when the article is not about the zone's city; `rival` is true when the
    article names another city with a zone of its own, so each sentence is checked for one.
    """
    norm = sentence.norm
    mentions = _usable(zm.mentions(norm, embassy, own), norm)
    if not city:
        mentions = _foreign(mentions, -1)
    elif rival and mentions and zm.names_rival(norm):
        at = zm.rival_start(norm)
        if at is not None:
            # "Rockets hit central Kabul, some landing in the Green Zone": Kabul's zone.
            mentions = _foreign(mentions, at)
        # "The Green Zone in the Afghan capital": the name that follows owns it.
        mentions = [
            Mention("elsewhere", m.start, m.end) if zm.owned_by_rival(norm, m.end) else m
            for m in mentions
        ]
    weapon = lx.ANY_WEAPON.search(norm) or lx.VOLLEY.search(norm)
    if not mentions:
        # No place, so no predicate has a target: only the quiet kinds are possible.
        kind = _quiet_kind(norm, mentions, published)
        if weapon and _foiled(norm):
            kind = "foiled"
        return Reading(sentence, kind, 0.0, (), ())
    best: tuple[float, int, int, Mention, str] | None = None
    elsewhere = False
    triggers = [(m.start(), m.end(), "pred") for m in lx.PREDICATE.finditer(norm)]
    triggers += [(m.start(), m.end(), "blast") for m in lx.BLAST.finditer(norm)]
    if triggers:
        # Only a sentence with a predicate can make a place a target; the rest skip these.
        mentions = _not_condemners(mentions, norm)
        if weapon is not None:
            weapon = _outside_festivities(norm, weapon)
    spans: list[tuple[int, int]] = []
    for start, end, kind in triggers:
        target = _target(mentions, start, end)
        if target is None:
            continue
        if target.kind == "elsewhere":
            elsewhere = elsewhere or bool(weapon) or kind == "pred"
            continue
        if kind == "blast":
            strength = BLAST
        elif weapon:
            strength = STRONG
        elif lx.ATTACK_NOUN.search(norm) and not lx.OTHER_EVENT.search(norm):
            strength = ATTACK_REF
        else:
            continue
        if target.kind == "near":
            strength *= NEAR
        spans = spans or clauses(norm)
        clause = _clause_of(spans, start)
        if _negated(norm, clause[0], start) or (
            weapon and _negated(norm, clause[0], weapon.start()) and weapon.start() >= clause[0]
        ):
            continue
        if best is None or strength > best[0]:
            best = (strength, start, end, target, kind)
    if best is None:
        kind = "elsewhere" if elsewhere else _quiet_kind(norm, mentions, published)
        if kind != "elsewhere" and weapon and _foiled(norm):
            kind = "foiled"
        return Reading(sentence, kind, 0.0, (), tuple(mentions))
    strength, start, _end, _, trigger = best
    spans = spans or clauses(norm)
    clause = _clause_of(spans, start)
    every = tuple(mentions)
    if _foiled(norm):
        return Reading(sentence, "foiled", 0.0, (), every)
    if lx.DRILL.search(norm):
        return Reading(sentence, "drill", 0.0, (), every)
    if lx.DENIAL.search(norm) or _denied(norm, start):
        return Reading(sentence, "negated", 0.0, (), every)
    if (
        lx.HYPOTHETICAL.search(norm[clause[0] : clause[1]])
        or _conditional(norm, spans)
        or _threatened(norm, start)
    ):
        return Reading(sentence, "hypothetical", 0.0, (), every)
    if _ceased(norm, start):
        return Reading(sentence, "negated", 0.0, (), every)
    found = find_dates(norm, published)
    if _is_background(norm, spans, clause, published, found):
        return Reading(sentence, "background", 0.0, (), every)
    targets = _targets(mentions, norm)
    past = tuple(
        span
        for span in spans
        if span != clause
        and any(span[0] <= f.start < span[1] and is_past(f, published) for f in found)
    )
    return Reading(sentence, "event", strength, targets, every, "event", clause, trigger, past)


def _denied(norm: str, pos: int) -> bool:
    """A denial ("denied reports that", نفت ... سقوط) governs the predicate at `pos`: it comes
    before it with no other clause in between."""
    for m in lx.DENIED.finditer(norm):
        if m.start() < pos and not lx.DENIAL_BREAK.search(norm, m.end(), max(m.end(), pos)):
            return True
    return False


def debunk_hearsay(readings: list[Reading]) -> list[Reading]:
    """In an article whose lead denies an attack or calls it a test, the attack that social
    media or rumour reported is the one denied."""
    lead = [r for r in readings if r.sentence.part != "text" or r.sentence.paragraph == 0]
    if any(r.kind == "event" for r in lead) or not any(
        r.kind in ("negated", "drill") for r in lead
    ):
        return readings
    return [
        replace(r, kind="negated", weight=0.0)
        if r.kind == "event" and lx.HEARSAY.search(r.sentence.norm)
        else r
        for r in readings
    ]


_EARLIER = re.compile(r"\s(?:after|since)\s$")


def _conditional(norm: str, spans: list[tuple[int, int]]) -> bool:
    """A condition or warning anywhere in the sentence, unless told as what came before
    ("..., a week after the embassy warned of attacks")."""
    for m in lx.CONDITIONAL.finditer(norm):
        start = _clause_of(spans, m.start())[0]
        if not _EARLIER.search(norm[max(0, start - 8) : start]):
            return True
    return False


def _threatened(norm: str, pos: int) -> bool:
    """A threat, warning or fear that governs the attack at `pos` from before it, in its clause
    (quote marks and brackets inside the clause do not break it)."""
    # The whole sentence first: most have no such cue, and then no clause need be found.
    if lx.THREAT.search(norm) is None:
        return False
    start, end = _clause_of(clauses(norm, _CLAUSE_IN_QUOTES), pos)
    m = lx.THREAT.search(norm[start:end])
    if m is None or start + m.start() > pos:
        return False
    # "An alert for incoming fire sounded as rockets hit the embassy": something did strike.
    return lx.FIRED.search(norm[start + m.end() : end]) is None


def _ceased(norm: str, pos: int) -> bool:
    """The attack at `pos` is said to have stopped ("the rockets stopped falling", توقفت ... عن)."""
    if lx.CESSATION.search(norm) is None:
        return False
    start, end = _clause_of(clauses(norm, _LINKED_CLAUSE), pos)
    return lx.CESSATION.search(norm[start:end]) is not None


def has_impact(norm: str) -> bool:
    """True when a predicate says something was fired, fell or struck (not only aimed)."""
    return any(not lx.INTENT.match(m.group(0)) for m in lx.PREDICATE.finditer(norm))


def _foiled(norm: str) -> bool:
    """Prevented: defused or never launched, or found or seized with nothing fired.

    "Foiled" or "failed" with something fired, shot down or hit in the same sentence is an
    attack that missed its purpose, not one that was stopped.
    """
    if lx.FOILED.search(norm):
        spans = [m.span() for m in lx.FOILED.finditer(norm)]
        rest = norm
        for start, end in spans:
            rest = rest[:start] + " " * (end - start) + rest[end:]
        if not lx.FIRED.search(rest):
            return True
    return lx.FOUND.search(norm) is not None and not has_impact(norm)


_FICTION_WORDS = 3
_FICTION_MEDIA = (
    "film", "movie", "thriller", "novel", "episode", "sitcom", "documentary", "video game",
    "series", "book", "فيلم", "افلام", "مسلسل", "سينما", "وثائقي", "الدراما", "روايه",
)  # fmt: skip
_FICTION_DETERMINER = re.compile(
    r"^(?:among\s+)?(?:(?:the|its|a|his|her|debut|this)\s+|(?:tv|drama|mini)\s*|\d+\s+)"
)


def is_fiction(norm: str, lead: str) -> bool:
    """A film review, novel or game: several different words of the genre in one article.

    `lead` is the headline and opening: such a text names its medium there.
    """
    if not any(word in lead for word in _FICTION_MEDIA):
        return False
    # Fewer than three of the gate's words present: three different matches are impossible.
    anchors = lx.FICTION.latin_anchors if norm.isascii() else lx.FICTION.anchors
    if sum(anchor in norm for anchor in anchors) < _FICTION_WORDS:
        return False
    keys = {_FICTION_DETERMINER.sub("", m.group(0))[:4] for m in lx.FICTION.finditer(norm)}
    return len(keys) >= _FICTION_WORDS


def framed_as_past(readings: list[Reading]) -> bool:
    """The headline or lead frames the article as a look back or a court/arrest story.

    Only a lead sentence that reports no new attack of its own frames the article.
    """
    for r in readings:
        if r.sentence.part == "text" and r.sentence.paragraph > 0:
            break
        if r.kind == "event":
            continue
        norm = r.sentence.norm
        if lx.RETROSPECTIVE.search(norm) or lx.JUDICIAL.search(norm) or lx.ARREST.search(norm):
            return True
    return False


def demote_undated(readings: list[Reading], published: datetime) -> list[Reading]:
    """In an article framed as past, an event sentence that names no recent day is background."""
    if not any(r.kind == "event" for r in readings) or not framed_as_past(readings):
        return readings
    return [
        replace(r, kind="background", weight=0.0)
        if r.kind == "event" and not dated_now(r.sentence.norm, published)
        else r
        for r in readings
    ]


def foiled_only(readings: list[Reading]) -> bool:
    """The article stops a launch and none of its event sentences says anything was fired."""
    if not any(r.kind == "foiled" for r in readings):
        return False
    return not any(has_impact(r.sentence.norm) for r in readings if r.kind == "event")


def _targets(mentions: list[Mention], norm: str) -> tuple[Mention, ...]:
    """Zone places the sentence's predicates point at (every predicate, not only the best)."""
    found: list[Mention] = []
    for m in lx.PREDICATE.finditer(norm):
        target = _target(mentions, m.start(), m.end())
        if target is not None and target.kind != "elsewhere" and target not in found:
            found.append(target)
    return tuple(found)


def _quiet_kind(norm: str, mentions: list[Mention], published: datetime) -> str:
    """A sentence with no attack of its own: does it open another topic, or continue?"""
    if lx.DRILL.search(norm):
        return "drill"
    # Cheapest test first: the three tests are alternatives, so their order changes nothing.
    if any(m.kind == "elsewhere" for m in mentions) and not any(
        m.kind in ("zone", "landmark") for m in mentions
    ):
        return "other"
    if lx.OTHER_EVENT.search(norm) or lx.BACKGROUND.search(norm):
        return "other"
    if any(is_past(found, published) for found in find_dates(norm, published)):
        return "other"
    # Last: only a sentence that would otherwise continue the story pays for this.
    if lx.DENIAL.search(norm):
        return "negated"
    return "neutral"


def inherit(readings: list[Reading]) -> list[Reading]:
    """Give each sentence a scope: this incident's, or another story's."""
    result: list[Reading] = []
    scope = "event"
    for reading in readings:
        if reading.kind == "event":
            scope = "event"
        elif reading.kind not in ("neutral", "foiled"):
            # A launch that failed ("three more rockets were found on their rails") is part of
            # the story around it: what follows still belongs to that story.
            scope = "other"
        result.append(
            Reading(
                reading.sentence,
                reading.kind,
                reading.weight,
                reading.targets,
                reading.mentions,
                scope,
                reading.clause,
                reading.trigger,
                reading.past,
            )
        )
    return result


def combine(readings: list[Reading]) -> float:
    """Noisy-or of the event sentences' weights, each scaled by where it stands."""
    miss = 1.0
    for reading in readings:
        if reading.kind == "event":
            miss *= 1.0 - reading.weight * reading.position
    return round(1.0 - miss, 4)
