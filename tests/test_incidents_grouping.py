"""The grouping decision on a table of cases: attach to the right incident, or open a new one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.incidents.grouping import (
    CandidateIncident,
    MemberFacts,
    ReportFacts,
    decide,
    weapons_compatible,
    words_of,
)

WINDOW = timedelta(hours=72)
NOW = datetime(2024, 6, 1, tzinfo=UTC)
ZONE = "baghdad-iz"


def at(text: str) -> datetime:
    """A UTC moment from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def member(
    day: str | None,
    published: str,
    weapon: str | None = "rocket",
    target: str | None = None,
    title: str = "",
) -> MemberFacts:
    return MemberFacts(
        date=date.fromisoformat(day) if day else None,
        weapon=weapon,
        published=at(published),
        target=target,
        landmarks=frozenset({target}) if target and target != "Green Zone" else frozenset(),
        words=words_of(title),
    )


def incident(id: int, *members: MemberFacts, zone: str = ZONE) -> CandidateIncident:
    return CandidateIncident(id, zone, members[0].date or date(2000, 1, 1), tuple(members))


EMBASSY_NIGHT = incident(
    1,
    member(
        "2023-12-08",
        "2023-12-08 02:05",
        "rocket",
        "US embassy",
        "Rockets fired at US embassy in Baghdad",
    ),
)
PM_DRONE = incident(
    2,
    member(
        "2021-11-07",
        "2021-11-07 04:30",
        "drone",
        "PM residence",
        "Drone attack on Iraqi prime minister's residence",
    ),
)
JAN_26 = incident(
    3,
    member("2020-01-26", "2020-01-26 18:40", "rocket", "US embassy", "Rockets hit US embassy"),
)


@dataclass(frozen=True)
class Case:
    name: str
    report: MemberFacts
    candidates: tuple[CandidateIncident, ...]
    expected: int | None
    zone: str = ZONE


CASES = [
    Case("no candidates: new incident", member("2023-12-08", "2023-12-08 03:00"), (), None),
    Case(
        "same night, second salvo, other outlet",
        member("2023-12-08", "2023-12-08 06:40", "rocket", "US embassy", "Second salvo at embassy"),
        (EMBASSY_NIGHT,),
        1,
    ),
    Case(
        "weapon unknown is compatible with rockets",
        member("2023-12-08", "2023-12-08 05:00", "unknown", "US embassy", "Explosions in Baghdad"),
        (EMBASSY_NIGHT,),
        1,
    ),
    Case(
        "'missile' for a Katyusha rocket is still the same attack",
        member("2023-12-08", "2023-12-08 09:00", "missile", None, "Missiles hit Green Zone"),
        (EMBASSY_NIGHT,),
        1,
    ),
    Case(
        "drone vs rocket on the same day: different attacks",
        member("2023-12-08", "2023-12-08 09:00", "drone", "US embassy", "Drone at embassy"),
        (EMBASSY_NIGHT,),
        None,
    ),
    Case(
        "same zone, next evening: a different attack",
        member("2020-01-27", "2020-01-27 19:00", "rocket", "US embassy", "Rockets hit US embassy"),
        (JAN_26,),
        None,
    ),
    Case(
        "two days apart: different attacks even with the same words",
        member("2020-01-28", "2020-01-28 08:00", "rocket", "US embassy", "Rockets hit US embassy"),
        (JAN_26,),
        None,
    ),
    Case(
        "dated by publication day after a late-night attack: same incident",
        # Published 02:58 Baghdad on the 7th, attack late on the 6th.
        member("2021-11-07", "2021-11-06 23:58", "drone", "PM residence", "Drone hits PM home"),
        (
            incident(
                4,
                member("2021-11-06", "2021-11-06 22:30", "drone", "PM residence", "PM home drone"),
            ),
        ),
        4,
    ),
    Case(
        "follow-up the next day says 'yesterday' and adds a claim",
        member("2021-11-07", "2021-11-08 09:00", "drone", "PM residence", "Prime minister drone"),
        (PM_DRONE,),
        2,
    ),
    Case(
        "follow-up published before the first report was polled",
        member("2021-11-07", "2021-11-07 01:00", "drone", None, "Drone attack prime minister"),
        (PM_DRONE,),
        2,
    ),
    Case(
        "report days later, outside the window: new incident",
        member("2021-11-07", "2021-11-12 09:00", "drone", "PM residence", "Drone attack"),
        (PM_DRONE,),
        None,
    ),
    Case(
        "another zone never joins",
        member("2023-12-08", "2023-12-08 06:40", "rocket", "US embassy", "Rockets at embassy"),
        (EMBASSY_NIGHT,),
        None,
        zone="other-zone",
    ),
    Case(
        "undated report early the next morning joins last night's attack",
        member(None, "2023-12-08 05:00", "rocket", "US embassy", "Rockets fired at US embassy"),
        (EMBASSY_NIGHT,),
        1,
    ),
    Case(
        "the best of two candidates wins: same date over adjacent night",
        member("2023-12-08", "2023-12-08 07:00", "rocket", "US embassy", "Rockets US embassy"),
        (
            incident(
                5,
                member("2023-12-07", "2023-12-07 19:00", "rocket", "US embassy", "Rockets embassy"),
            ),
            EMBASSY_NIGHT,
        ),
        1,
    ),
    Case(
        "an undated member's publication day does not outvote the dated members",
        # Next night's attack; the incident's undated report went out after midnight.
        member("2017-03-09", "2017-03-09 23:22", "rocket", "Green Zone", "Rockets Green Zone"),
        (
            incident(
                8,
                member("2017-03-08", "2017-03-08 20:00", "rocket", None, "Rockets Green Zone"),
                member(None, "2017-03-09 01:12", "rocket", None, "Rockets Green Zone"),
            ),
        ),
        None,
    ),
    Case(
        "an undated report needs more than its publication day to join",
        member(None, "2016-12-17 18:51", "rocket", "US embassy", "Explosions heard"),
        (incident(10, member("2016-12-17", "2016-12-17 10:00", "rocket", "PM residence", "")),),
        None,
    ),
    Case(
        "adjacent day, published mid-afternoon: not one night",
        member("2022-09-29", "2022-09-29 12:00", "rocket", "parliament", "Rockets parliament"),
        (
            incident(
                6,
                member("2022-09-28", "2022-09-28 08:00", "rocket", "parliament", "Rockets hit"),
            ),
        ),
        None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_decide(case: Case) -> None:
    report = ReportFacts(key="r", zone=case.zone, facts=case.report)
    decision = decide(report, case.candidates, NOW, window=WINDOW)
    assert decision.incident_id == case.expected, decision.reason
    assert decision.is_new == (case.expected is None)


def test_decision_does_not_depend_on_candidate_order() -> None:
    report = ReportFacts("r", ZONE, member("2023-12-08", "2023-12-08 06:00", "rocket"))
    twin = incident(9, *EMBASSY_NIGHT.members)
    first = decide(report, (EMBASSY_NIGHT, twin), NOW, window=WINDOW)
    second = decide(report, (twin, EMBASSY_NIGHT), NOW, window=WINDOW)
    assert first.incident_id == second.incident_id == 1


def test_future_publication_is_clamped_to_now() -> None:
    # A feed clock a week ahead must not reach an incident a week after `now`.
    future = incident(7, member("2024-06-08", "2024-06-08 10:00"))
    report = ReportFacts("r", ZONE, member("2024-06-08", "2024-06-08 11:00"))
    assert decide(report, (future,), NOW, window=WINDOW).is_new


def test_weapon_compatibility() -> None:
    assert weapons_compatible("unknown", "drone")
    assert weapons_compatible(None, "rocket")
    assert weapons_compatible("rocket", "mortar")
    assert not weapons_compatible("drone", "rocket")
    assert not weapons_compatible("ied", "gunfire")


def test_words_fold_arabic_and_case() -> None:
    assert words_of("السفارة الأمريكية") == words_of("السفاره الامريكيه")
    assert words_of("US Embassy") == words_of("us embassy")
