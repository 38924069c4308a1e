"""Headline values derived from each report's own values by the documented rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.incidents.headline import (
    Headline,
    ReportValues,
    changed_fields,
    derive_headline,
    headline_from_json,
    headline_to_json,
)
from bot.records import Location

T0 = datetime(2021, 11, 7, 1, 0, tzinfo=UTC)
SPECIFIC = frozenset({"us embassy", "pm residence", "parliament", "union iii"})


def report(hours: float, **values: object) -> ReportValues:
    return ReportValues(published=T0 + timedelta(hours=hours), **values)  # type: ignore[arg-type]


def test_counts_take_the_most_stated_value_and_ties_go_to_the_latest() -> None:
    head = derive_headline(
        [report(0, projectiles=1), report(3, projectiles=3), report(9, projectiles=3)]
    )
    assert head.projectiles == 3
    tie = derive_headline([report(0, intercepted=2), report(5, intercepted=1)])
    assert tie.intercepted == 1


def test_casualties_come_from_the_latest_report_that_states_them() -> None:
    head = derive_headline(
        [report(0, injured=6, killed=0), report(20, injured=7), report(30, weapon="drone")]
    )
    assert (head.killed, head.injured) == (0, 7)


def test_order_of_arrival_does_not_matter() -> None:
    reports = [report(20, injured=7), report(0, injured=6), report(10, injured=None)]
    assert derive_headline(reports).injured == 7


def test_claim_from_any_report_that_attributes_one() -> None:
    head = derive_headline([report(0), report(4, claimed_by="Usbat al-Thaireen"), report(8)])
    assert head.claimed_by == "Usbat al-Thaireen"


def test_date_by_majority_then_earliest() -> None:
    majority = derive_headline(
        [
            report(0, date=date(2021, 11, 7)),
            report(1, date=date(2021, 11, 6)),
            report(2, date=date(2021, 11, 7)),
        ]
    )
    assert majority.date == date(2021, 11, 7)
    tie = derive_headline([report(0, date=date(2021, 11, 7)), report(1, date=date(2021, 11, 6))])
    assert tie.date == date(2021, 11, 6)


def test_undated_reports_take_the_baghdad_day_of_the_first() -> None:
    # 22:00 UTC on the 6th is 01:00 on the 7th in Baghdad.
    late = ReportValues(published=datetime(2021, 11, 6, 22, 0, tzinfo=UTC))
    assert derive_headline([late]).date == date(2021, 11, 7)


def test_target_is_the_most_specific_landmark() -> None:
    head = derive_headline(
        [
            report(0, target="Green Zone"),
            report(1, target="US embassy"),
            report(2, target="Green Zone"),
        ],
        specific_targets=SPECIFIC,
    )
    assert head.target == "US embassy"
    assert derive_headline([report(0, target="Green Zone")]).target == "Green Zone"


def test_weapon_prefers_a_specific_type_over_unknown() -> None:
    head = derive_headline([report(0, weapon="unknown"), report(2, weapon="rocket")])
    assert head.weapon == "rocket"
    assert derive_headline([report(0, weapon="unknown")]).weapon == "unknown"


def test_location_follows_the_headline_target() -> None:
    embassy = Location("US embassy", 33.299, 44.396)
    palace = Location("Republican Palace", 33.313, 44.398)
    head = derive_headline(
        [
            report(0, target="US embassy", location=embassy),
            report(1, target="Green Zone", location=palace),
        ],
        specific_targets=SPECIFIC,
    )
    assert head.location == embassy


def test_changed_fields_and_json_round_trip() -> None:
    old = Headline(date=date(2023, 12, 8), weapon="rocket", projectiles=3)
    new = Headline(date=date(2023, 12, 8), weapon="rocket", projectiles=3, killed=0, injured=0)
    assert changed_fields(None, new) == ()
    assert changed_fields(old, new) == ("killed", "injured")
    assert changed_fields(new, new) == ()
    located = Headline(date=date(2023, 12, 8), location=Location("Union III", 33.301, 44.399))
    assert headline_from_json(headline_to_json(located)) == located
