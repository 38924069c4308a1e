"""Armed groups known to claim attacks on the zone, with the names outlets write them by.

A claim is stored under one name per group, whatever the report's language or spelling, so
that "claimed by" filters and counts see one group where outlets wrote several names, and each
chat reads the name in its own language. Groups not listed here are quoted as the report wrote
them: a new faction's name is news in itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.classifier.normalize import normalize


@dataclass(frozen=True, slots=True)
class Claimant:
    """A group: its name in English (the stored one), in Arabic, and other spellings."""

    name: str
    arabic: str
    aliases: tuple[str, ...] = ()


KNOWN: tuple[Claimant, ...] = (
    Claimant("Islamic Resistance in Iraq", "المقاومة الإسلامية في العراق"),
    Claimant(
        "Kataib Hezbollah",
        "كتائب حزب الله",
        ("Kata'ib Hezbollah", "Kataib Hizballah", "Kata'ib Hizballah", "Hezbollah Brigades"),
    ),
    Claimant(
        "Asaib Ahl al-Haq", "عصائب أهل الحق", ("Asa'ib Ahl al-Haq", "League of the Righteous")
    ),
    Claimant("Harakat al-Nujaba", "حركة النجباء", ("al-Nujaba", "Nujaba Movement")),
    Claimant("Kataib Sayyid al-Shuhada", "كتائب سيد الشهداء", ("Kata'ib Sayyid al-Shuhada",)),
    Claimant("Ashab al-Kahf", "أصحاب الكهف", ("Ashab al-Kahaf", "Companions of the Cave")),
    Claimant("Saraya Awliya al-Dam", "سرايا أولياء الدم", ("Guardians of the Blood Brigade",)),
    Claimant(
        "Usbat al-Thaireen", "عصبة الثائرين", ("Usbat al-Thairin", "League of Revolutionaries")
    ),
    Claimant("Qasim al-Jabbarin", "قاصم الجبارين", ("Qassim al-Jabbarin",)),
    Claimant("Saraya Thar al-Muhandis", "سرايا ثأر المهندس", ("Saraya Tha'r al-Muhandis",)),
)


def _key(name: str) -> str:
    """A spelling-blind form: normalised, without punctuation, "the" or the article."""
    text = re.sub(r"[^\w\s]", " ", normalize(name).replace("'", ""))
    text = re.sub(r"\b(?:the|al)\b|(?<!\S)ال(?=\S)", " ", text)
    return " ".join(text.split())


_BY_KEY: dict[str, Claimant] = {
    _key(spelling): group
    for group in KNOWN
    for spelling in (group.name, group.arabic, *group.aliases)
}


def canonical_claimant(name: str) -> str:
    """The stored name for a claimant: a known group's English name, else the name as written."""
    key = _key(name)
    group = _BY_KEY.get(key)
    if group is None:
        # "Factions of the Islamic Resistance in Iraq" is still that group.
        group = next(
            (g for k, g in _BY_KEY.items() if re.search(rf"(?<!\S){re.escape(k)}(?!\S)", key)),
            None,
        )
    return group.name if group is not None else name


def claimant_in(name: str, lang: str) -> str:
    """A stored claimant's name for a reader of `lang` ("ar" reads known groups in Arabic)."""
    if lang != "ar":
        return name
    group = _BY_KEY.get(_key(name))
    return group.arabic if group is not None else name
