"""Find a zone's names, landmarks, look-alikes and other places in normalised text.

Zones are data (bot.zones); this module compiles each zone's names into patterns once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from bot.classifier.bilingual import Bilingual, bilingual
from bot.classifier.lexicon import gated
from bot.classifier.normalize import normalize
from bot.classifier.numbers import trie_regex
from bot.zones import Landmark, Zone

# Places that are never the zone whatever the zone is: where attacks elsewhere land.
_GENERIC_ELSEWHERE = gated(
    r"\b(?:air\s?bases?|bases?|airports?|airfields?|consulates?|convoys?|outposts?|oil\s?fields?"
    r"|gas\s?fields?|garrisons?|positions|camps?)\b(?!\s+(?:of|for)\s+operations)",
    r"(?:قاعده|قواعد)(?!\s+(?:ال)?اطلاق)|مطار|القنصليه|رتل|ارتال|معسكر",
    "base airport airfield consulate convoy outpost field garrison position camp قاعده قواعد مطار "
    "القنصليه رتل ارتال معسكر",
)
# The prime minister's home is named in many ways; it is found by shape, not by a list.
_PM_HOME_LATIN = (
    r"(?:the\s+)?(?:iraqi\s+)?(?:prime\s+minister|premier|\bpm)(?:'s)?(?:\s+[\w']+){0,3}?"
    r"\s+(?:official\s+)?(?:residence|home|house)\b"
    r"|(?:residence|home|house)\s+of\s+(?:the\s+)?(?:iraqi\s+)?(?:prime\s+minister|premier)"
)
_PM_HOME_ARABIC = (
    r"(?:منزل|مقر\s+اقام\w*|مسكن|بيت|مقر)\s+(?:\S+\s+){0,2}?رئيس\s+(?:مجلس\s+)?الوزراء"
)
_HIS_HOME = bilingual(
    r"\b(?:his|her)\s+(?:[\w']+\s+){0,3}?(?:official\s+)?(?:residence|home|house)\b",
    r"مقر\s+اقامته|منزله",
)
_PM = bilingual(r"prime\s+minister|premier|\bpm\b", r"رئيس\s+(?:مجلس\s+)?الوزراء")
_HOME_WORD = re.compile(r"residence|home|house|منزل|مقر|مسكن|بيت")
_BARE_EMBASSY = gated(
    r"\bembassy\b", r"السفاره(?!\s+\S*(?:الايراني|البريطاني|التركي|الفرنسي))", "embassy السفاره"
)


_OWN_NOUN_GATE = re.compile(r"\b(?:base|compound|camp)\b")
# Arabic puts the noun first: قاعده يونيون 3, then القاعده.
_OWN_NOUN_ARABIC = re.compile(r"(?<![\u0621-\u064a])(?:قاعده|معسكر|مجمع)\s+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a sentence: `kind` is zone, landmark, near or elsewhere."""

    kind: str
    start: int
    end: int
    landmark: Landmark | None = None


def _key(alias: str) -> str:
    return " ".join(normalize(alias).split())


def _trie(words: list[str]) -> str:
    return trie_regex(words, r"\s+")


def _names_pattern(keys: list[str]) -> Bilingual:
    latin = [k for k in keys if k.isascii()]
    definite = [k[2:] for k in keys if not k.isascii() and k.startswith("ال")]
    other = [k for k in keys if not k.isascii() and not k.startswith("ال")]
    # Non-ASCII keys (Arabic ones and any other) need a non-ASCII letter to match.
    return bilingual(
        rf"(?<![a-z0-9])(?P<en>{_trie(latin)})(?![a-z0-9])",
        rf"(?<![\u0621-\u064a])(?:[وبفك]?ال|لل)(?P<def>{_trie(definite)})"
        rf"|(?<![\u0621-\u064a])[وبفل]?(?P<ar>{_trie(other)})",
    )


@dataclass(frozen=True, slots=True)
class ZoneMatcher:
    """Compiled patterns for one zone: every name in one trie, looked up by its text."""

    zone: Zone
    pattern: Bilingual
    lookup: dict[str, tuple[str, Landmark | None]]
    city: re.Pattern[str] | None
    rival: re.Pattern[str] | None
    # A rival right after a zone name owns it: "the Green Zone in the Afghan capital".
    rival_tail: re.Pattern[str] | None
    rival_keys: tuple[str, ...]
    rival_latin: tuple[str, ...]
    pm_landmark: Landmark | None
    embassy_landmark: Landmark | None

    def _kind(self, match: re.Match[str]) -> tuple[str, Landmark | None] | None:
        # The only groups are the three named ones and exactly one of them matched; the Latin
        # pattern has no "def" or "ar" group at all.
        group = match.lastgroup or "en"
        key = " ".join(match.group(group).split())
        return self.lookup.get("ال" + key if group == "def" else key)

    def mentions(
        self, norm: str, article_has_embassy: bool, own: Mapping[str, Landmark] | None = None
    ) -> list[Mention]:
        """Every place in a sentence; earlier passes claim their span first.

        `own` maps generic nouns the article gave a landmark ("the Union III base") to it, so
        that "the base" later in the article is that landmark, not some base elsewhere.
        """
        found: list[Mention] = []
        taken = bytearray(len(norm))

        def add(kind: str, start: int, end: int, landmark: Landmark | None = None) -> None:
            if any(taken[start:end]):
                return
            taken[start:end] = b"\x01" * (end - start)
            found.append(Mention(kind, start, end, landmark))

        if self.pm_landmark is not None and _HOME_WORD.search(norm):
            for m in _PM_HOME.finditer(norm):
                add("landmark", m.start(), m.end(), self.pm_landmark)
            if _PM.search(norm):
                for m in _HIS_HOME.finditer(norm):
                    add("landmark", m.start(), m.end(), self.pm_landmark)
        for m in self.pattern.finditer(norm):
            kind = self._kind(m)
            if kind is not None:
                add(kind[0], m.start(), m.end(), kind[1])
        if self.embassy_landmark is not None and article_has_embassy:
            for m in _BARE_EMBASSY.finditer(norm):
                add("landmark", m.start(), m.end(), self.embassy_landmark)
        for m in _GENERIC_ELSEWHERE.finditer(norm):
            if any(
                f.kind != "elsewhere"
                and (not norm[f.end : m.start()].strip() or not norm[m.end() : f.start].strip())
                for f in found
            ):
                continue  # "Union III base", قاعده يونيون 3: the noun is part of the name
            landmark = own.get(m.group(0).rstrip("s")) if own else None
            if landmark is not None and (
                norm[max(0, m.start() - 4) : m.start()] == "the "
                or norm[max(0, m.start() - 2) : m.start()] in ("ال", "لل")
            ):
                add("landmark", m.start(), m.end(), landmark)
            else:
                add("elsewhere", m.start(), m.end())
        found.sort(key=lambda mention: mention.start)
        return found

    def has_city(self, norm: str) -> bool:
        return self.city is None or self.city.search(norm) is not None

    def names_rival(self, norm: str) -> bool:
        # Substring tests first: most texts name no rival, and the regex costs far more.
        keys = self.rival_keys if not norm.isascii() else self.rival_latin
        if not any(key in norm for key in keys):
            return False
        return self.rival is not None and self.rival.search(norm) is not None

    def owned_by_rival(self, norm: str, end: int) -> bool:
        """True when the place named up to `end` is placed in a rival city right after it."""
        return self.rival_tail is not None and self.rival_tail.match(norm, end) is not None

    def rival_start(self, norm: str) -> int | None:
        """Where another city with a zone of its own is first named, if this city is not."""
        if self.rival is None or self.city is None or not self.names_rival(norm):
            return None
        m = self.rival.search(norm)
        if m is None or self.city.search(norm) is not None:
            return None
        return m.start()

    def scan(self, norm: str) -> tuple[bool, dict[str, Landmark]]:
        """Whether an article names the embassy, and which generic nouns follow a landmark's
        name in it ("Union III base"), so that "the base" later means that landmark."""
        embassy = self.has_embassy_alias(norm)
        own: dict[str, Landmark] = {}
        for noun in _OWN_NOUN_GATE.finditer(norm):
            # Only the few nouns are looked at: is a landmark's name right before one?
            before = norm[max(0, noun.start() - 40) : noun.start()].rstrip()
            names = [m for m in self.pattern.finditer(before) if m.end() == len(before)]
            kind = self._kind(names[-1]) if names else None
            if kind is not None and kind[1] is not None:
                own.setdefault(noun.group(0), kind[1])
        if not norm.isascii() and ("قاعده" in norm or "معسكر" in norm or "مجمع" in norm):
            for noun in _OWN_NOUN_ARABIC.finditer(norm):
                # Is a landmark's name right after the noun?
                after = norm[noun.end() : noun.end() + 40]
                m = self.pattern.match(after)
                kind = self._kind(m) if m is not None else None
                if kind is not None and kind[1] is not None:
                    own.setdefault(noun.group(0).strip(), kind[1])
        return embassy, own

    def has_embassy_alias(self, norm: str) -> bool:
        return any(
            self._kind(m) == ("landmark", self.embassy_landmark)
            for m in self.pattern.finditer(norm)
        )


# One group around both halves, as the pattern was first written.
_PM_HOME = Bilingual(f"(?:{_PM_HOME_LATIN})", f"(?:{_PM_HOME_LATIN}|{_PM_HOME_ARABIC})")


@lru_cache(maxsize=64)
def matcher(zone: Zone) -> ZoneMatcher:
    """The compiled patterns of a zone (cached: zones are immutable)."""
    lookup: dict[str, tuple[str, Landmark | None]] = {}
    # Later entries do not override earlier ones: landmarks, then names, near, excluded.
    for lm in zone.landmarks:
        for alias in lm.aliases or (lm.name,):
            lookup.setdefault(_key(alias), ("landmark", lm))
    for alias in (*zone.aliases, zone.name):
        lookup.setdefault(_key(alias), ("zone", None))
    for alias in zone.near:
        lookup.setdefault(_key(alias), ("near", None))
    for alias in zone.excluded:
        lookup.setdefault(_key(alias), ("elsewhere", None))
    city = (
        re.compile("|".join(re.escape(normalize(c)) for c in zone.city_aliases))
        if zone.city_aliases
        else None
    )
    latin = [normalize(r) for r in zone.rivals if r.isascii()]
    arabic = [normalize(r) for r in zone.rivals if not r.isascii()]
    names = "|".join(
        ([rf"(?<![a-z])(?:{_trie(latin)})"] if latin else []) + ([_trie(arabic)] if arabic else [])
    )
    rival = re.compile(names) if zone.rivals else None
    tail = (
        re.compile(
            rf"\s*,?\s*(?:in|of|inside)\s+(?:the\s+)?(?:[a-z']+\s+)?(?:{names})"
            rf"|\s+(?:في|داخل)\s+(?:\S+\s+){{0,2}}?(?:[وب]?ال|[وب])?(?:{names})"
        )
        if zone.rivals
        else None
    )
    pm = next((lm for lm in zone.landmarks if lm.target == "PM residence"), None)
    embassy = next((lm for lm in zone.landmarks if lm.target == "US embassy"), None)
    return ZoneMatcher(
        zone,
        _names_pattern(list(lookup)),
        lookup,
        city,
        rival,
        tail,
        tuple(latin + arabic),
        tuple(latin),
        pm,
        embassy,
    )
