"""Claimants: one stored name per known group, whatever the report's language or spelling."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classifier import classify
from bot.classifier.claimants import KNOWN, canonical_claimant, claimant_in
from bot.questions import parse_question
from bot.records import Article

NOW = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("المقاومة الإسلامية في العراق", "Islamic Resistance in Iraq"),
        ("the Islamic Resistance in Iraq", "Islamic Resistance in Iraq"),
        ("فصائل المقاومة الاسلامية في العراق", "Islamic Resistance in Iraq"),
        ("Kata'ib Hizballah", "Kataib Hezbollah"),
        ("كتائب حزب الله", "Kataib Hezbollah"),
        ("أصحاب الكهف", "Ashab al-Kahf"),
        ("Asa'ib Ahl al-Haq", "Asaib Ahl al-Haq"),
        # Unknown groups keep the name the report gave them; a near name is not a known group.
        ("سرايا الغضب الشعبي", "سرايا الغضب الشعبي"),
        ("Hezbollah", "Hezbollah"),
        ("حزب الله", "حزب الله"),
    ],
)
def test_known_groups_get_one_name(written: str, stored: str) -> None:
    assert canonical_claimant(written) == stored


def test_every_known_name_and_alias_reads_back_to_its_group() -> None:
    for group in KNOWN:
        for spelling in (group.name, group.arabic, *group.aliases):
            assert canonical_claimant(spelling) == group.name, spelling
        assert claimant_in(group.name, "ar") == group.arabic
        assert claimant_in(group.name, "en") == group.name


def test_an_arabic_report_stores_the_groups_english_name() -> None:
    article = Article(
        id="claim-ar",
        title="المقاومة الإسلامية في العراق تتبنى قصف المنطقة الخضراء",
        summary="",
        text=(
            "أعلنت المقاومة الإسلامية في العراق، اليوم الأربعاء، مسؤوليتها عن استهداف "
            "السفارة الأمريكية في المنطقة الخضراء ببغداد بثلاثة صواريخ فجر اليوم."
        ),
        published=NOW,
        lang="ar",
    )
    verdict = classify(article)
    assert verdict.attack
    assert verdict.claimed_by == "Islamic Resistance in Iraq"


def test_a_question_in_arabic_filters_by_the_stored_name() -> None:
    query = parse_question("كم هجوم تبنته كتائب حزب الله", NOW)
    assert query is not None
    assert query.claimant == "Kataib Hezbollah"
