"""The classifier's fast paths find exactly what the whole patterns find.

Bilingual patterns (and gated ones) search ASCII text with their Latin alternatives only, and
gated ones look for their ASCII anchors only in ASCII text; speed-ups that must never change a
match. Checked on every
sentence of the seeds and hard cases, and on prefixes and suffixes of them (rules also run on
slices of sentences).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from bot.classifier import dates, extract, lexicon, places
from bot.classifier.bilingual import Bilingual
from bot.classifier.lexicon import Gated
from bot.classifier.places import matcher
from bot.classifier.sentences import split_sentences
from bot.zones import BAGHDAD_IZ

ROOT = Path(__file__).resolve().parent.parent
EXTRA = (
    "two katyusha rockets were fired at the green zone, one was shot down and 3 people wounded",
    "no casualties or damage were reported; the pm's residence was not hit",
    "sirens sounded at the us embassy after a drone attack on tuesday at 3 a.m.",
    "سقط صاروخان من نوع كاتيوشا فجر اليوم داخل المنطقه الخضراء دون وقوع اصابات",
    "the rocket landed near the embassy — اطلاق صاروخ على السفاره الامريكيه",
    "two years after the bombing, the town marks a year of calm; five years on it is quiet",
    "اعترضت الدفاعات صاروخا فوق المنطقه",
    "rocket attacks have mostly targeted the zone, which has long been hit; drones usually strike",
    "a court jailed two men to life in prison; the verdict and the trial of a third, convicted",
    "وغالبا ما تستهدف الصواريخ المنطقه وكثيرا ما حكم عليهم بالسجن المؤبد بعد محاكمه",
    "the thriller opens with a mortar attack, the cast and the film were a box office hit",
    "يبدا الفيلم بمشهد في المسلسل وحقق نجاحا في شباك التذاكر",
    "guards foiled the attack: one drone was shot down and another hit a wall before it was fired",
)


def _texts() -> list[str]:
    raw = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    lines = (ROOT / "tests/data/classifier/cases.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        record = json.loads(line)
        raw.append("\n".join((record["title"], record["summary"], record["text"])))
    sentences = [s.norm for text in raw for s in split_sentences("", "", text)]
    sentences += list(EXTRA)
    texts = set(sentences)
    for norm in sentences:
        cuts = [m.start() for m in re.finditer(r"\s", norm)][::3]
        texts.update(norm[:cut] for cut in cuts)
        texts.update(norm[cut:] for cut in cuts)
    return sorted(texts)


TEXTS = _texts()


def _objects() -> Iterator[tuple[str, Gated | Bilingual]]:
    for module in (lexicon, places, extract, dates):
        for name, value in vars(module).items():
            if isinstance(value, Gated | Bilingual):
                yield f"{module.__name__}.{name}", value
    for name, weapon in lexicon.WEAPONS.items():
        yield f"WEAPONS[{name}]", weapon
    yield "zone names", matcher(BAGHDAD_IZ).pattern


def _found(matches: Iterable[re.Match[str]]) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    return [(m.span(), tuple(g for g in m.groups() if g is not None)) for m in matches]


def _reference(pattern: Gated | Bilingual, text: str) -> list[re.Match[str]]:
    """The whole pattern, behind the whole gate (every anchor, in any script)."""
    if isinstance(pattern, Bilingual):
        return list(pattern.full.finditer(text))
    if any(anchor in text for anchor in pattern.anchors):
        return list(pattern.regex.full.finditer(text))
    return []


@pytest.mark.parametrize(("name", "pattern"), list(_objects()), ids=lambda v: str(v)[:40])
def test_fast_path_matches_the_whole_pattern(name: str, pattern: Gated | Bilingual) -> None:
    for text in TEXTS:
        assert _found(pattern.finditer(text)) == _found(_reference(pattern, text)), (name, text)


def test_the_check_is_not_vacuous() -> None:
    ascii_texts = [t for t in TEXTS if t.isascii()]
    assert len(ascii_texts) > 500
    assert len(TEXTS) - len(ascii_texts) > 20
    assert any(lexicon.PREDICATE.search(t) for t in ascii_texts)
    assert any(lexicon.PREDICATE.search(t) for t in TEXTS if not t.isascii())
    assert any(extract._COUNT.search(t) for t in ascii_texts)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [(n, p) for n, p in _objects() if isinstance(p, Gated)],
    ids=lambda v: str(v)[:40],
)
def test_gate_anchors_cover_every_match(name: str, pattern: Gated) -> None:
    """Each match of the ungated whole pattern contains one of its anchors: the gate is exact."""
    for text in TEXTS:
        for match in pattern.regex.full.finditer(text):
            assert any(a in match.group(0) for a in pattern.anchors), (name, match.group(0))
