"""The grouping decision: does an attack report join an existing incident or open a new one?

Pure: the report's facts, the candidate incidents (each with its member reports) and `now` in,
a decision out. Rules, in order:

1. Hard limits (any one refuses a candidate): another zone; attack dates more than one day
   apart; dates one day apart that cannot be the same night (see `_dates_compatible`);
   incompatible weapons; publication outside the window of every member report.
2. Among the candidates left, a score: same date +2 (+1 when the report or every member states
   no date and a publication day stands in), adjacent night +1, same specific weapon +1, a
   shared landmark or specific target +1, different specific targets -1.5, text similarity
   (Jaccard of title and summary words, best member) x3, published within 12 h of a member +0.5.
3. Among candidates scoring >= `ATTACH_SCORE`, one of the report's own date beats one of the
   adjacent night, then the higher score, the nearest in time, the lowest id; none: a new
   incident.

An attack on one zone on one Baghdad day is one incident (ACLED's one day, one place), so two
salvoes on one night land together while attacks on different days stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.timeutil import BAGHDAD, baghdad_date

ATTACH_SCORE = 2.0
# Reports this close in time about one zone and one date are almost surely the same attack.
_CLOSE_IN_TIME = timedelta(hours=12)
# A report published before this Baghdad hour may carry its publication day as the attack date
# of an attack of the night before.
_MORNING = time(12, 0)

# Indirect fire is often mis-typed by outlets ("Katyusha missiles", "mortar rounds" for rockets).
_WEAPON_FAMILY = {"rocket": "indirect", "missile": "indirect", "mortar": "indirect"}
_UNSPECIFIC = (None, "unknown")
# Targets that name the zone as a whole rather than a site in it.
GENERIC_TARGETS = frozenset({"green zone", "international zone"})


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What grouping needs to know of one report: its own date, weapon, places, words, time."""

    date: date | None
    weapon: str | None
    published: datetime
    target: str | None = None
    landmarks: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """A new attack report to place: its zone and the facts grouping reads."""

    key: str
    zone: str
    facts: MemberFacts


@dataclass(frozen=True, slots=True)
class CandidateIncident:
    """An existing incident of the same zone near in time, with its member reports' facts."""

    id: int
    zone: str
    date: date
    members: tuple[MemberFacts, ...]


@dataclass(frozen=True, slots=True)
class GroupingDecision:
    """Attach to `incident_id`, or open a new incident when it is None; `reason` explains."""

    incident_id: int | None
    score: float
    reason: str

    @property
    def is_new(self) -> bool:
        return self.incident_id is None


_WORD = re.compile(r"\w+")
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})
_STOPWORDS = frozenset(
    """the and for with that this from was were are has have had its said says say not but
    into over after about near late early while when which who what their they them been will
    would could also than then there other more most some reported report reports on in
    of to at by an as is it be or no في من على الى إلى عن ان أن التي الذي مع هذا هذه قال""".split()  # noqa: SIM905
)


def words_of(text: str) -> frozenset[str]:
    """Normalised content words of a text (English and Arabic), for similarity."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _ARABIC_DIACRITICS.sub("", folded).translate(_ARABIC_FOLD)
    return frozenset(
        w for w in _WORD.findall(folded) if len(w) > 2 and w not in _STOPWORDS and not w.isdigit()
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def weapons_compatible(a: str | None, b: str | None) -> bool:
    """Unknown fits anything; indirect-fire types fit each other; the rest only themselves."""
    if a in _UNSPECIFIC or b in _UNSPECIFIC or a == b:
        return True
    family_a, family_b = _WEAPON_FAMILY.get(a or ""), _WEAPON_FAMILY.get(b or "")
    return family_a is not None and family_a == family_b


def _local_time(moment: datetime) -> time:
    return moment.astimezone(BAGHDAD).time()


def _dates_compatible(report: MemberFacts, member: MemberFacts) -> int | None:
    """0 for the same attack date, 1 for an adjacent night, None when apart.

    Dates one day apart are one night only when the later-dated report was published on its
    date before noon: it may have dated the night's attack by its publication day.
    """
    if report.date is None or member.date is None:
        return None
    gap = abs((report.date - member.date).days)
    if gap == 0:
        return 0
    if gap > 1:
        return None
    later = report if report.date > member.date else member
    later_by_morning = (
        baghdad_date(later.published) == later.date and _local_time(later.published) < _MORNING
    )
    return 1 if later_by_morning else None


def _effective(facts: MemberFacts) -> MemberFacts:
    """Undated reports are taken to be about their own publication day in Baghdad."""
    if facts.date is not None:
        return facts
    return MemberFacts(
        date=baghdad_date(facts.published),
        weapon=facts.weapon,
        published=facts.published,
        target=facts.target,
        landmarks=facts.landmarks,
        words=facts.words,
    )


def _places(facts: MemberFacts) -> frozenset[str]:
    places = {p.casefold() for p in facts.landmarks}
    if facts.target and facts.target.casefold() not in GENERIC_TARGETS:
        places.add(facts.target.casefold())
    return frozenset(places)


def _specific_target(facts: MemberFacts) -> str | None:
    target = (facts.target or "").casefold()
    return target if target and target not in GENERIC_TARGETS else None


def _score(
    report: MemberFacts, candidate: CandidateIncident, window: timedelta, *, dated: bool
) -> tuple[int, float] | None:
    """The candidate's date gap and score for the report, or None when a limit refuses it."""
    # Members' own dates decide; a publication day stands in only when no member has a date.
    dated_members = [m for m in candidate.members if m.date is not None]
    gaps = [_dates_compatible(report, _effective(m)) for m in dated_members or candidate.members]
    date_gaps = [g for g in gaps if g is not None]
    if not date_gaps:
        return None
    if not all(weapons_compatible(report.weapon, m.weapon) for m in candidate.members):
        return None
    distances = [abs(report.published - m.published) for m in candidate.members]
    if min(distances) > window:
        return None
    gap = min(date_gaps)
    # A date taken from the publication day is weak evidence: it needs another signal.
    score = 2.0 if gap == 0 and dated and dated_members else 1.0
    weapons = {m.weapon for m in candidate.members}
    if report.weapon not in _UNSPECIFIC and report.weapon in weapons:
        score += 1.0
    places = _places(report)
    if places and any(places & _places(m) for m in candidate.members):
        score += 1.0
    target = _specific_target(report)
    others = {t for m in candidate.members if (t := _specific_target(m))}
    if target and others and target not in others:
        score -= 1.5
    score += 3.0 * max(jaccard(report.words, m.words) for m in candidate.members)
    if min(distances) <= _CLOSE_IN_TIME:
        score += 0.5
    return gap, score


def _nearest(report: MemberFacts, candidate: CandidateIncident) -> timedelta:
    return min(abs(report.published - m.published) for m in candidate.members)


def decide(
    report: ReportFacts,
    candidates: Sequence[CandidateIncident],
    now: datetime,
    *,
    window: timedelta,
) -> GroupingDecision:
    """Attach the report to the best-matching candidate, or open a new incident."""
    facts = report.facts
    if facts.published > now:
        # A feed clock ahead of ours must not stretch the window into the future.
        facts = MemberFacts(
            facts.date, facts.weapon, now, facts.target, facts.landmarks, facts.words
        )
    dated = facts.date is not None
    facts = _effective(facts)
    best: tuple[int, float, timedelta, int] | None = None
    for candidate in candidates:
        if candidate.zone != report.zone or not candidate.members:
            continue
        scored = _score(facts, candidate, window, dated=dated)
        if scored is None or scored[1] < ATTACH_SCORE:
            continue
        # An incident of the report's own date beats one of the adjacent night.
        rank = (scored[0], -scored[1], _nearest(facts, candidate), candidate.id)
        if best is None or rank < best:
            best = rank
    if best is None:
        return GroupingDecision(None, 0.0, "no compatible incident: new")
    return GroupingDecision(best[3], -best[1], f"attached to incident {best[3]}")


def candidate_dates(report_date: date | None, published: datetime) -> Iterable[date]:
    """The incident dates a report could join: its date (or publication day) and a day around."""
    centre = report_date or baghdad_date(published)
    return (centre - timedelta(days=1), centre, centre + timedelta(days=1))
