"""Alert messages: one Telegram-HTML message per incident, in English or Arabic.

Every piece of feed text is escaped here and nowhere else; the message stays within Telegram's
4,096 characters (counted after entity parsing, in UTF-16 units as Telegram counts them).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.classifier.claimants import claimant_in
from bot.records import IncidentView, Location, SourceRef
from bot.timeutil import ARABIC_MONTHS, BAGHDAD, as_utc
from bot.zones import DEFAULT_ZONES

MAX_MESSAGE = 4096
# Feed text longer than this in one field is cut: a headline value is a phrase, not an article.
MAX_FIELD = 300
MAX_OUTLET = 80

_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "test": "🧪 TEST ALERT: not a real incident",
        "attack_on": "{weapon} attack on the {zone}",
        "attack": "Attack on the {zone}",
        "when": "When",
        "when_value": "{date} (Baghdad date); first reported {local} Baghdad time ({utc} UTC)",
        "projectiles": "Projectiles",
        "intercepted": "Intercepted",
        "not_reported": "not reported",
        "casualties": "Casualties",
        "no_casualties": "no casualties reported",
        "casualties_unknown": "casualties unknown",
        "killed": "killed",
        "injured": "injured",
        "unknown": "unknown",
        "target": "Target",
        "map": "map",
        "claimed": "Claimed by",
        "no_claim": "no claim of responsibility reported",
        "damage": "Damage",
        "sources": "Sources",
        "more": "+{n} more",
        "footer": "Incident #{id} · update {version}",
        "update": "🔔 Update on incident #{id}",
        "update_claim": "Claimed by: {claim}",
        "update_casualties": "Casualties now: {casualties}",
    },
    "ar": {
        "test": "🧪 تنبيه تجريبي: ليس حادثاً حقيقياً",
        "attack_on": "{weapon} على {zone}",
        "attack": "هجوم على {zone}",
        "when": "الوقت",
        "when_value": "{date} (بتوقيت بغداد)؛ أول خبر {local} بتوقيت بغداد ({utc} UTC)",
        "projectiles": "المقذوفات",
        "intercepted": "تم اعتراضها",
        "not_reported": "غير مذكور",
        "casualties": "الضحايا",
        "no_casualties": "لم ترد تقارير عن إصابات",
        "casualties_unknown": "الضحايا غير معروفين",
        "killed": "قتلى",
        "injured": "جرحى",
        "unknown": "غير معروف",
        "target": "الهدف",
        "map": "الخريطة",
        "claimed": "تبنّته",
        "no_claim": "لم تعلن أي جهة مسؤوليتها",
        "damage": "الأضرار",
        "sources": "المصادر",
        "more": "+{n} أخرى",
        "footer": "الحادث #{id} · التحديث {version}",
        "update": "🔔 تحديث على الحادث #{id}",
        "update_claim": "تبنّته: {claim}",
        "update_casualties": "الضحايا الآن: {casualties}",
    },
}

_WEAPON: dict[str, dict[str, str]] = {
    "en": {
        "rocket": "Rocket",
        "drone": "Drone",
        "mortar": "Mortar",
        "missile": "Missile",
        "ied": "Bomb",
        "gunfire": "Gunfire",
    },
    "ar": {
        "rocket": "هجوم صاروخي",
        "drone": "هجوم بطائرة مسيّرة",
        "mortar": "هجوم بقذائف الهاون",
        "missile": "هجوم بصاروخ",
        "ied": "هجوم بعبوة ناسفة",
        "gunfire": "هجوم بإطلاق نار",
    },
}

_ZONE_AR = {"baghdad-iz": "المنطقة الخضراء"}


def _lang(lang: str) -> str:
    return "ar" if lang == "ar" else "en"


def esc(text: str, limit: int = MAX_FIELD) -> str:
    """Feed text made safe for Telegram HTML, cut at `limit` characters."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=True)


def _safe_url(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(url.strip(), quote=True)


def visible_length(message: str) -> int:
    """Length as Telegram counts it: text after entity parsing, in UTF-16 code units."""
    text = html.unescape(_TAG.sub("", message))
    return len(text.encode("utf-16-le")) // 2


def zone_name(key: str, lang: str = "en") -> str:
    if _lang(lang) == "ar" and key in _ZONE_AR:
        return _ZONE_AR[key]
    for zone in DEFAULT_ZONES:
        if zone.key == key:
            return zone.name
    return key.replace("-", " ").title()


def headline(view: IncidentView, lang: str = "en") -> str:
    """E.g. "Rocket attack on the Green Zone" (plain text, not escaped)."""
    t = _TEXT[_lang(lang)]
    zone = zone_name(view.zone, lang)
    weapon = _WEAPON[_lang(lang)].get(view.weapon or "")
    return (
        t["attack_on"].format(weapon=weapon, zone=zone) if weapon else t["attack"].format(zone=zone)
    )


def _date(day: int, month: int, year: int, lang: str) -> str:
    if _lang(lang) == "ar":
        return f"{day} {ARABIC_MONTHS[month - 1]} {year}"
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{day} {names[month - 1]} {year}"


def _when(view: IncidentView, lang: str) -> str:
    t = _TEXT[_lang(lang)]
    local = view.first_published.astimezone(BAGHDAD)
    utc = as_utc(view.first_published)
    local_text = local.strftime("%H:%M")
    if local.date() != view.date:
        local_text = f"{_date(local.day, local.month, local.year, lang)} {local_text}"
    return t["when_value"].format(
        date=_date(view.date.day, view.date.month, view.date.year, lang),
        local=local_text,
        utc=utc.strftime("%H:%M"),
    )


def _count(value: int | None, lang: str) -> str:
    return str(value) if value is not None else _TEXT[_lang(lang)]["not_reported"]


def casualties_text(killed: int | None, injured: int | None, lang: str = "en") -> str:
    """Never a made-up zero: both 0 is "no casualties", both unknown is "unknown"."""
    t = _TEXT[_lang(lang)]
    if killed == 0 and injured == 0:
        return t["no_casualties"]
    if killed is None and injured is None:
        return t["casualties_unknown"]
    k = str(killed) if killed is not None else t["unknown"]
    i = str(injured) if injured is not None else t["unknown"]
    return f"{k} {t['killed']}, {i} {t['injured']}"


def osm_link(location: Location) -> str:
    lat, lon = f"{location.lat:.5f}", f"{location.lon:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"


def _target(view: IncidentView, lang: str) -> str | None:
    t = _TEXT[_lang(lang)]
    name = view.target or (view.location.name if view.location else None)
    if name is None:
        return None
    line = f"<b>{t['target']}:</b> {esc(name)}"
    if view.location is not None:
        link = html.escape(osm_link(view.location), quote=True)
        label = t["map"]
        if view.location.name != name:
            label = f"{esc(view.location.name)}, {label}"
        line += f' (<a href="{link}">{label}</a>)'
    return line


def _source_link(source: SourceRef) -> str:
    name = source.outlet or urlsplit(source.url).netloc or source.title or "source"
    url = _safe_url(source.url)
    label = esc(name, MAX_OUTLET)
    return f'<a href="{url}">{label}</a>' if url else label


def _unique_sources(sources: Sequence[SourceRef]) -> list[SourceRef]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for source in sources:
        key = (source.outlet, source.url)
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


def _sources_line(body: str, sources: Sequence[SourceRef], footer: str, lang: str) -> str:
    """The sources line, trimmed to what fits, with "+N more" for the rest."""
    t = _TEXT[_lang(lang)]
    links = [_source_link(s) for s in _unique_sources(sources)]
    if not links:
        return ""
    prefix = f"<b>{t['sources']}:</b> "
    for shown in range(len(links), -1, -1):
        parts = links[:shown]
        if shown < len(links):
            parts.append(t["more"].format(n=len(links) - shown))
        line = prefix + ", ".join(parts)
        if visible_length(f"{body}\n{line}\n\n{footer}") <= MAX_MESSAGE:
            return line
    return ""


def render_alert(view: IncidentView, *, lang: str = "en", test: bool = False) -> str:
    """The alert for an incident as Telegram HTML, within 4,096 characters."""
    lang = _lang(lang)
    t = _TEXT[lang]
    lines: list[str] = []
    if test:
        lines.append(f"<b>{t['test']}</b>")
    lines.append(f"🚨 <b>{esc(headline(view, lang))}</b>")
    lines.append(f"<b>{t['when']}:</b> {_when(view, lang)}")
    lines.append(f"<b>{t['projectiles']}:</b> {_count(view.projectiles, lang)}")
    lines.append(f"<b>{t['intercepted']}:</b> {_count(view.intercepted, lang)}")
    lines.append(f"<b>{t['casualties']}:</b> {casualties_text(view.killed, view.injured, lang)}")
    if (target := _target(view, lang)) is not None:
        lines.append(target)
    claim = esc(claimant_in(view.claimed_by, lang)) if view.claimed_by else t["no_claim"]
    lines.append(f"<b>{t['claimed']}:</b> {claim}")
    if view.damage:
        lines.append(f"<b>{t['damage']}:</b> {esc(view.damage)}")
    body = "\n".join(lines)
    footer = f"<i>{t['footer'].format(id=view.id, version=view.version)}</i>"
    if test:
        footer = f"<i>{t['test']}</i>\n{footer}"
    sources = _sources_line(body, view.sources, footer, lang)
    return f"{body}\n{sources}\n\n{footer}" if sources else f"{body}\n\n{footer}"


def render_update(view: IncidentView, changed: Sequence[str], *, lang: str = "en") -> str:
    """The short reply to an alert that tells a chat of a claim or new casualty figures."""
    lang = _lang(lang)
    t = _TEXT[lang]
    lines = [f"<b>{t['update'].format(id=view.id)}</b>", esc(headline(view, lang))]
    if "claimed_by" in changed and view.claimed_by:
        lines.append(t["update_claim"].format(claim=esc(claimant_in(view.claimed_by, lang))))
    if "killed" in changed or "injured" in changed:
        casualties = casualties_text(view.killed, view.injured, lang)
        lines.append(t["update_casualties"].format(casualties=casualties))
    return "\n".join(lines)


def render_plain(html_text: str) -> str:
    """Telegram HTML as readable console text: links become "name (url)", tags go."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", html_text)
    return html.unescape(_TAG.sub("", text))
