"""Watched zones as data: names, landmarks with coordinates, and look-alikes to refuse.

The default zone is Baghdad's International Zone. Operators add more in the TOML file
(`[[classifier.zones]]`); the classifier reads nothing but these records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Landmark:
    """A place inside a zone; `target` is the label an attack on it is recorded under."""

    name: str
    target: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Zone:
    """A watched area: its names, what is inside it, and what must not be mistaken for it."""

    key: str
    name: str
    aliases: tuple[str, ...]
    landmarks: tuple[Landmark, ...]
    lat: float
    lon: float
    # Places often named in the same reports that are *not* this zone.
    excluded: tuple[str, ...] = ()
    # Places just outside the zone where fire aimed at it often lands (still an attack on it).
    near: tuple[str, ...] = ()
    # The city the zone is in: a bare "green zone" only counts when the text is about this city.
    city_aliases: tuple[str, ...] = ()
    # Other cities and countries with a fortified zone of their own: a sentence, or an
    # article's lead, that names one of them and not this city owns its bare "Green Zone".
    rivals: tuple[str, ...] = ()


BAGHDAD_IZ = Zone(
    key="baghdad-iz",
    name="Green Zone",
    aliases=(
        "Green Zone",
        "International Zone",
        "IZ",
        "fortified zone",
        "fortified district",
        "government district",
        "المنطقة الخضراء",
        "المنطقة الدولية",
        "المنطقة الرئاسية",
        "المنطقة المحصنة",
    ),
    landmarks=(
        Landmark(
            "US embassy",
            "US embassy",
            33.2990,
            44.3960,
            (
                "US embassy",
                "U.S. embassy",
                "American embassy",
                "US mission",
                "embassy compound",
                "embassy complex",
                "embassy grounds",
                "mission compound",
                "Baghdad embassy",
                "السفارة الأمريكية",
                "السفارة الأميركية",
                "السفارة الامريكية",
            ),
        ),
        Landmark(
            "Union III",
            "Union III",
            33.3010,
            44.3990,
            ("Union III", "Union 3", "يونيون 3", "يونيون ثري"),
        ),
        Landmark(
            "Parliament",
            "parliament",
            33.3110,
            44.3860,
            (
                "parliament",
                "Council of Representatives",
                "legislature",
                "parliament building",
                "مجلس النواب",
                "مبنى البرلمان",
                "البرلمان",
            ),
        ),
        Landmark(
            "Prime Minister's residence",
            "PM residence",
            33.3060,
            44.3920,
            (
                "prime minister's residence",
                "PM's residence",
                "residence of Prime Minister",
                "prime minister's home",
                "منزل رئيس الوزراء",
                "مقر إقامة رئيس الوزراء",
            ),
        ),
        Landmark(
            "Republican Palace",
            "Green Zone",
            33.3130,
            44.3980,
            ("Republican Palace", "القصر الجمهوري"),
        ),
        Landmark(
            "Celebrations Square",
            "Green Zone",
            33.3057,
            44.3830,
            (
                "Celebrations Square",
                "Victory Arch",
                "Unknown Soldier",
                "ساحة الاحتفالات",
                "نصب الجندي المجهول",
            ),
        ),
        # A conference venue where parliament often sits: naming it does not say that
        # parliament was the target.
        Landmark(
            "Convention Center",
            "Green Zone",
            33.3110,
            44.3860,
            ("Convention Center", "Convention Centre", "قصر المؤتمرات"),
        ),
        Landmark(
            "al-Rasheed Hotel",
            "Green Zone",
            33.3080,
            44.3890,
            ("al-Rasheed Hotel", "Rasheed Hotel", "فندق الرشيد"),
        ),
    ),
    lat=33.3076,
    lon=44.3903,
    excluded=(
        "Baghdad airport",
        "Baghdad International Airport",
        "Victory Base",
        "al-Faw Palace",
        "Ain al-Asad",
        "Ain al-Assad",
        "Ayn al-Asad",
        "Erbil",
        "Harir",
        "Camp Taji",
        "Balad",
        "Conoco",
        "al-Omar",
        "al-Tanf",
        "Tower 22",
        "Kabul",
        "Afghanistan",
        "Syria",
        "Jordan",
        "Kirkuk",
        "Anbar",
        "Babil province",
        "Babylon province",
        "Diwaniyah",
        "Mosul",
        "Basra",
        "Kurdistan",
        "Sadr City",
        "Mashtal",
        "Gaza",
        "Israel",
        "Saudi",
        "Yemen",
        "Tel Aviv",
        "مطار بغداد",
        "عين الأسد",
        "أربيل",
        "التاجي",
        "كابل",
        "سوريا",
        "كركوك",
        "الانبار",
        "محافظة بابل",
        "إقليم كردستان",
        "غزة",
        "إسرائيل",
        "الأردن",
    ),
    near=(
        "Jadriya",
        "Karrada",
        "Medical City",
        "Babel Hotel",
        "Babylon Hotel",
        "Iraqi Airways",
        "Mansour",
        "الجادرية",
        "الكرادة",
    ),
    city_aliases=("Baghdad", "بغداد", "Iraq", "العراق"),
    rivals=(
        "Kabul",
        "Afghanistan",
        "Afghan",
        "Mogadishu",
        "Somalia",
        "كابل",
        "أفغانستان",
        "الأفغانية",
        "الأفغاني",
        "مقديشو",
        "الصومال",
    ),
)

DEFAULT_ZONES: tuple[Zone, ...] = (BAGHDAD_IZ,)
