"""Find a zone's names, landmarks, look-alikes and other places in normalised text.

Zones are data (bot.zones); this module compiles each zone's names into patterns once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.classifier.normalize import normalize
from bot.zones import Landmark, Zone

# Places that are never the zone whatever the zone is: where attacks elsewhere land.
_GENERIC_ELSEWHERE = (
    r"\b(?:air\s?bases?|bases?|airports?|airfields?|consulates?|convoys?|outposts?|oil\s?fields?"
    r"|gas\s?fields?|garrisons?|positions|camps?)\b(?!\s+(?:of|for)\s+operations)"
    r"|(?:قاعده|قواعد)(?!\s+(?:ال)?اطلاق)|مطار|القنصليه|رتل|ارتال|معسكر"
)
# The prime minister's home is named in many ways; it is found by shape, not by a list.
_PM_HOME = (
    r"(?:(?:the\s+)?(?:iraqi\s+)?(?:prime\s+minister|premier|\bpm)(?:'s)?(?:\s+[\w']+){0,3}?"
    r"\s+(?:official\s+)?(?:residence|home|house)\b"
    r"|(?:residence|home|house)\s+of\s+(?:the\s+)?(?:iraqi\s+)?(?:prime\s+minister|premier)"
    r"|(?:منزل|مقر\s+اقام\w*|مسكن|بيت|مقر)\s+(?:\S+\s+){0,2}?رئيس\s+(?:مجلس\s+)?الوزراء)"
)
_HIS_HOME = r"\b(?:his|her)\s+(?:[\w']+\s+){0,3}?(?:official\s+)?(?:residence|home|house)\b|مقر\s+اقامته|منزله"
_PM = r"prime\s+minister|premier|\bpm\b|رئيس\s+(?:مجلس\s+)?الوزراء"
_BARE_EMBASSY = r"\bembassy\b|السفاره(?!\s+\S*(?:الايراني|البريطاني|التركي|الفرنسي))"


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a sentence: `kind` is zone, landmark, near or elsewhere."""

    kind: str
    start: int
    end: int
    landmark: Landmark | None = None


def _alias_pattern(alias: str) -> str:
    norm = " ".join(normalize(alias).split())
    words = [re.escape(w) for w in norm.split()]
    if words and words[0].startswith("ال"):
        # Arabic: the article merges with a preposition (لل-) and takes و/ب/ف prefixes.
        words[0] = r"(?:[وبف]?ال|لل)" + words[0][2:]
    body = r"\s+".join(words).replace(r"\.", r"\.?")
    if norm.isascii():
        return rf"(?<![a-z0-9]){body}(?![a-z0-9])"
    return rf"(?<![\u0621-\u064a]){body}"


def _compile(aliases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not aliases:
        return None
    ordered = sorted(set(aliases), key=len, reverse=True)
    return re.compile("|".join(f"(?:{_alias_pattern(a)})" for a in ordered))


@dataclass(frozen=True, slots=True)
class ZoneMatcher:
    """Compiled patterns for one zone."""

    zone: Zone
    names: re.Pattern[str]
    landmarks: tuple[tuple[Landmark, re.Pattern[str]], ...]
    near: re.Pattern[str] | None
    excluded: re.Pattern[str] | None
    city: re.Pattern[str] | None
    pm_landmark: Landmark | None
    embassy_landmark: Landmark | None

    def mentions(self, norm: str, article_has_embassy: bool) -> list[Mention]:
        """Every place in a sentence, landmarks first claiming their span."""
        found: list[Mention] = []
        taken = bytearray(len(norm))

        def add(kind: str, start: int, end: int, landmark: Landmark | None = None) -> None:
            if any(taken[start:end]):
                return
            taken[start:end] = b"\x01" * (end - start)
            found.append(Mention(kind, start, end, landmark))

        for landmark, pattern in self.landmarks:
            for m in pattern.finditer(norm):
                add("landmark", m.start(), m.end(), landmark)
        if self.pm_landmark is not None:
            for m in re.finditer(_PM_HOME, norm):
                add("landmark", m.start(), m.end(), self.pm_landmark)
            if re.search(_PM, norm):
                for m in re.finditer(_HIS_HOME, norm):
                    add("landmark", m.start(), m.end(), self.pm_landmark)
        if self.embassy_landmark is not None and article_has_embassy:
            for m in re.finditer(_BARE_EMBASSY, norm):
                add("landmark", m.start(), m.end(), self.embassy_landmark)
        for m in self.names.finditer(norm):
            add("zone", m.start(), m.end())
        for pattern, kind in ((self.near, "near"), (self.excluded, "elsewhere")):
            if pattern is not None:
                for m in pattern.finditer(norm):
                    add(kind, m.start(), m.end())
        for m in re.finditer(_GENERIC_ELSEWHERE, norm):
            add("elsewhere", m.start(), m.end())
        found.sort(key=lambda mention: mention.start)
        return found

    def has_city(self, norm: str) -> bool:
        return self.city is None or self.city.search(norm) is not None

    def has_embassy_alias(self, norm: str) -> bool:
        if self.embassy_landmark is None:
            return False
        pattern = dict((lm.name, p) for lm, p in self.landmarks).get(self.embassy_landmark.name)
        return pattern is not None and pattern.search(norm) is not None


@lru_cache(maxsize=64)
def matcher(zone: Zone) -> ZoneMatcher:
    """The compiled patterns of a zone (cached: zones are immutable)."""
    landmarks = tuple(
        (lm, pattern)
        for lm in zone.landmarks
        if (pattern := _compile(lm.aliases or (lm.name,))) is not None
    )
    names = _compile(zone.aliases + (zone.name,))
    assert names is not None
    city = (
        re.compile("|".join(re.escape(normalize(c)) for c in zone.city_aliases))
        if zone.city_aliases
        else None
    )
    pm = next((lm for lm in zone.landmarks if lm.target == "PM residence"), None)
    embassy = next((lm for lm in zone.landmarks if lm.target == "US embassy"), None)
    return ZoneMatcher(
        zone, names, landmarks, _compile(zone.near), _compile(zone.excluded), city, pm, embassy
    )
