"""What the bot says in chats, in English and Arabic (Telegram HTML; values arrive escaped)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from bot.alerts import esc
from bot.queries import MonthCount, ServiceStats
from bot.timeutil import ARABIC_MONTHS, BAGHDAD
from feeds.status import FeedStatus

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "start": (
            "<b>Green Zone Watch</b>\n"
            "I watch news feeds for reports of attacks on Baghdad's Green Zone (International "
            "Zone) and send one alert per incident, updated in place as facts arrive.\n\n"
            "/subscribe: get alerts in this chat\n"
            "/unsubscribe: stop them\n"
            "/settings: filters (weapons, casualties, projectiles), quiet hours, language\n"
            "/latest: the last attack\n"
            "/recent [N | N days]: recent attacks\n"
            "/incident ID and /sources ID: one incident and its reports\n"
            "/search TEXT: search the reports\n"
            "/stats [period]: attacks per month, with a chart\n\n"
            "Or ask: <i>when was the last attack?</i>, <i>how many attacks last month?</i>, "
            "<i>drone attacks since 2022</i>, <i>كم هجوم هذا الأسبوع؟</i>"
        ),
        "you_are_subscribed": "This chat is subscribed to alerts.",
        "you_are_not_subscribed": "This chat is not subscribed: send /subscribe to get alerts.",
        "subscribed": "Subscribed. Alerts will arrive here; /settings to filter them.",
        "already_subscribed": "This chat is already subscribed. /settings to filter alerts.",
        "unsubscribed": "Unsubscribed. No more alerts here; /subscribe to come back.",
        "not_subscribed": "This chat was not subscribed.",
        "settings": (
            "<b>Settings for this chat</b>\n"
            "Weapons: {weapons}\n"
            "Only incidents with casualties: {casualties}\n"
            "Minimum projectiles: {min}\n"
            "Quiet hours (alerts arrive silently): {quiet}\n"
            "Time zone: {tz}\n"
            "Language: {language}\n\n"
            "Change with e.g. <code>/settings weapons rocket,drone</code>, "
            "<code>/settings casualties on</code>, <code>/settings min 2</code>, "
            "<code>/settings quiet 23:00-07:00</code>, <code>/settings tz Europe/London</code>, "
            "<code>/settings lang ar</code>, or the buttons."
        ),
        "settings_error": "Settings not changed: {error}",
        "saved": "✅ Saved.",
        "casualties_button": "Casualties only: {state}",
        "all_weapons": "All weapons",
        "quiet_off": "No quiet hours",
        "all": "all",
        "on": "on",
        "off": "off",
        "admins_only": "Sorry, this command is only for the bot's administrators.",
        "group_admins_only": "Only this group's administrators can change its alerts.",
        "unknown_command": "I don't know /{command}. Send /start to see what I can do.",
        "slow_down": "You are sending messages too fast. Please wait {seconds} s and try again.",
        "error": "Sorry, something went wrong answering that. Please try again later.",
        "no_incidents": "No attacks recorded yet.",
        "not_found": "No incident with that number.",
        "no_match": "No attack matches that question.",
        "no_match_in": "No attacks recorded ({filters}).",
        "usage_incident": "Usage: /incident ID (the number shown as #ID in lists and alerts).",
        "usage_sources": "Usage: /sources ID (the number shown as #ID in lists and alerts).",
        "usage_recent": "Usage: /recent, /recent 20 (last 20 attacks) or /recent 7 days.",
        "usage_search": "Usage: /search TEXT (at least 2 characters), e.g. /search embassy",
        "usage_stats": (
            "I could not read the period “{text}”. Try /stats, /stats 2023, "
            "/stats last month, /stats since 2022 or /stats December 2023."
        ),
        "sources_of": "<b>Sources for incident #{id}</b> ({what})",
        "no_sources": "No sources recorded.",
        "recent_n": "<b>The last {n} attacks</b>",
        "recent_days": "<b>Attacks in the last {days} days</b>",
        "search_results": "<b>Incidents matching “{text}”</b>",
        "search_none": "No incidents match “{text}”.",
        "prev": "« Previous",
        "next": "Next »",
        "stale_button": "That button no longer works. Send the command again.",
        "testalert_private": "Send /testalert in a private chat with me: it goes to you only.",
        "all_time": "all time",
        "since": "since {day}",
        "until": "until {day}",
        "projectiles_n": "{n} projectiles",
        "claimed_by": "claimed by {who}",
        "claimed": "claimed",
        "with_casualties": "with casualties",
        "count": "<b>{n}</b> ({filters}).",
        "list_header": "<b>Attacks ({filters})</b>: {first}–{last} of {total}",
        "stats_header": "<b>Attacks on the Green Zone, {period}</b>: {total}",
        "stats_weapons": "By weapon: {weapons}",
        "stats_months": "By month:",
        "stats_none": "No attacks recorded ({period}).",
        "service": (
            "<b>Service</b>\n"
            "Incidents: {incidents} ({recent} in the last 30 days)\n"
            "Articles: {articles}\n"
            "Chats receiving alerts: {chats} ({inactive} deactivated)\n"
            "Deliveries: {deliveries}\n"
            "Feeds: {feeds_active} active of {feeds_total}; last fetch {last_fetch}"
        ),
        "feeds_header": "<b>Feeds</b> ({n})",
        "feeds_none": "No feeds in the store yet.",
        "feed_ok": "✅",
        "feed_failing": "⚠️",
        "feed_off": "⛔",
        "feed_line": "{mark} <b>{name}</b>: last success {success}; {entries} entries{failures}",
        "feed_failures": "; {n} failures in a row: {error}",
        "never": "never",
        "hint": (
            "I can answer questions like:\n"
            "• <i>When was the last attack?</i>\n"
            "• <i>Attacks this week</i>, <i>last month</i>, <i>in December 2023</i>, "
            "<i>since 2022</i>, <i>in the last 7 days</i>\n"
            "• <i>How many attacks last year?</i>\n"
            "• <i>Attacks with casualties</i>, <i>drone attacks</i>, "
            "<i>attacks claimed by …</i>\n"
            "Or use /latest, /recent, /search, /stats. In Arabic too: <i>آخر هجوم</i>, "
            "<i>كم هجوم في الشهر الماضي؟</i>"
        ),
    },
    "ar": {
        "start": (
            "<b>مراقب المنطقة الخضراء</b>\n"
            "أتابع الأخبار بحثاً عن تقارير الهجمات على المنطقة الخضراء في بغداد وأرسل تنبيهاً "
            "واحداً لكل حادث، يُحدَّث كلما وردت معلومات جديدة.\n\n"
            "/subscribe: تلقي التنبيهات هنا\n"
            "/unsubscribe: إيقافها\n"
            "/settings: المرشحات وساعات الهدوء واللغة\n"
            "/latest: آخر هجوم\n"
            "/recent [N | N days]: الهجمات الأخيرة\n"
            "/incident ID و /sources ID: حادث واحد ومصادره\n"
            "/search نص: البحث في التقارير\n"
            "/stats [فترة]: الهجمات شهرياً مع رسم بياني\n\n"
            "أو اسأل: <i>متى كان آخر هجوم؟</i>، <i>كم هجوم في الشهر الماضي؟</i>"
        ),
        "you_are_subscribed": "هذه المحادثة مشتركة في التنبيهات.",
        "you_are_not_subscribed": "هذه المحادثة غير مشتركة: أرسل /subscribe لتلقي التنبيهات.",
        "subscribed": "تم الاشتراك. ستصل التنبيهات هنا؛ /settings لتصفيتها.",
        "already_subscribed": "هذه المحادثة مشتركة بالفعل. /settings لتصفية التنبيهات.",
        "unsubscribed": "تم إلغاء الاشتراك. لن تصل تنبيهات بعد الآن؛ /subscribe للعودة.",
        "not_subscribed": "هذه المحادثة لم تكن مشتركة.",
        "settings": (
            "<b>إعدادات هذه المحادثة</b>\n"
            "الأسلحة: {weapons}\n"
            "الحوادث التي فيها ضحايا فقط: {casualties}\n"
            "الحد الأدنى للمقذوفات: {min}\n"
            "ساعات الهدوء (تصل التنبيهات بصمت): {quiet}\n"
            "المنطقة الزمنية: {tz}\n"
            "اللغة: {language}\n\n"
            "للتغيير مثلاً: <code>/settings weapons rocket,drone</code>، "
            "<code>/settings casualties on</code>، <code>/settings quiet 23:00-07:00</code>، "
            "<code>/settings lang en</code>، أو استخدم الأزرار."
        ),
        "settings_error": "لم تتغير الإعدادات: {error}",
        "saved": "✅ تم الحفظ.",
        "casualties_button": "الضحايا فقط: {state}",
        "all_weapons": "كل الأسلحة",
        "quiet_off": "بدون ساعات هدوء",
        "all": "الكل",
        "on": "مفعّل",
        "off": "متوقف",
        "admins_only": "عذراً، هذا الأمر مخصص لمشرفي البوت فقط.",
        "group_admins_only": "تغيير تنبيهات هذه المجموعة متاح لمشرفيها فقط.",
        "unknown_command": "لا أعرف الأمر /{command}. أرسل /start لمعرفة ما يمكنني فعله.",
        "slow_down": "ترسل الرسائل بسرعة كبيرة. يرجى الانتظار {seconds} ثانية ثم المحاولة.",
        "error": "عذراً، حدث خطأ أثناء الإجابة. يرجى المحاولة لاحقاً.",
        "no_incidents": "لا توجد هجمات مسجلة بعد.",
        "not_found": "لا يوجد حادث بهذا الرقم.",
        "no_match": "لا يوجد هجوم يطابق هذا السؤال.",
        "no_match_in": "لا توجد هجمات مسجلة ({filters}).",
        "usage_incident": "الاستخدام: /incident رقم الحادث",
        "usage_sources": "الاستخدام: /sources رقم الحادث",
        "usage_recent": "الاستخدام: /recent أو /recent 20 أو /recent 7 days",
        "usage_search": "الاستخدام: /search نص (حرفان على الأقل)",
        "usage_stats": "لم أفهم الفترة «{text}». جرّب /stats أو /stats 2023 أو /stats منذ 2022.",
        "sources_of": "<b>مصادر الحادث #{id}</b> ({what})",
        "no_sources": "لا توجد مصادر مسجلة.",
        "recent_n": "<b>آخر {n} هجمات</b>",
        "recent_days": "<b>الهجمات في آخر {days} يوماً</b>",
        "search_results": "<b>الحوادث المطابقة لـ «{text}»</b>",
        "search_none": "لا توجد حوادث تطابق «{text}».",
        "prev": "« السابق",
        "next": "التالي »",
        "stale_button": "هذا الزر لم يعد يعمل. أرسل الأمر من جديد.",
        "testalert_private": "أرسل /testalert في محادثة خاصة معي.",
        "all_time": "كل الفترات",
        "since": "منذ {day}",
        "until": "حتى {day}",
        "projectiles_n": "{n} مقذوفات",
        "claimed_by": "تبنته {who}",
        "claimed": "تم تبنيها",
        "with_casualties": "مع ضحايا",
        "count": "<b>{n}</b> ({filters}).",
        "list_header": "<b>الهجمات ({filters})</b>: {first}–{last} من {total}",
        "stats_header": "<b>الهجمات على المنطقة الخضراء، {period}</b>: {total}",
        "stats_weapons": "حسب السلاح: {weapons}",
        "stats_months": "حسب الشهر:",
        "stats_none": "لا توجد هجمات مسجلة ({period}).",
        "hint": (
            "يمكنني الإجابة عن أسئلة مثل:\n"
            "• <i>متى كان آخر هجوم؟</i>\n"
            "• <i>هجمات هذا الأسبوع</i>، <i>الشهر الماضي</i>، <i>في كانون الأول 2023</i>، "
            "<i>منذ 2022</i>، <i>خلال آخر 7 أيام</i>\n"
            "• <i>كم هجوم في العام الماضي؟</i>\n"
            "• <i>الهجمات التي أسفرت عن ضحايا</i>، <i>هجمات الطائرات المسيرة</i>\n"
            "أو استخدم /latest و /recent و /search و /stats."
        ),
    },
}

_WEAPONS = {
    "en": {
        "rocket": "rocket",
        "drone": "drone",
        "mortar": "mortar",
        "missile": "missile",
        "ied": "bomb",
        "gunfire": "gunfire",
        "unknown": "unknown weapon",
    },
    "ar": {
        "rocket": "صواريخ",
        "drone": "طائرات مسيرة",
        "mortar": "هاون",
        "missile": "صاروخ باليستي",
        "ied": "عبوات ناسفة",
        "gunfire": "إطلاق نار",
        "unknown": "سلاح غير معروف",
    },
}
_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "ar": ARABIC_MONTHS,
}


def _lang(lang: str) -> str:
    return "ar" if lang == "ar" else "en"


def t(lang: str, key: str, **values: object) -> str:
    """The message `key` in `lang` (English when not translated), with escaped values filled in."""
    template = _TEXT[_lang(lang)].get(key) or _TEXT["en"][key]
    return template.format(**values) if values else template


def attacks_count(n: int, lang: str) -> str:
    """ "1 attack", "3 attacks"; in Arabic with the number agreement Arabic needs."""
    if _lang(lang) == "en":
        return f"{n} attack" if n == 1 else f"{n} attacks"
    if n == 1:
        return "هجوم واحد"
    if n == 2:
        return "هجومان"
    return f"{n} هجمات" if 3 <= n <= 10 else f"{n} هجوماً"


def weapon_name(weapon: str, lang: str) -> str:
    return _WEAPONS[_lang(lang)].get(weapon, esc(weapon, 20))


def month_name(month: int, year: int, lang: str) -> str:
    return f"{_MONTHS[_lang(lang)][month - 1]} {year}"


def language_name(code: str) -> str:
    return "العربية" if code == "ar" else "English"


def _when(moment: datetime | None, lang: str) -> str:
    if moment is None:
        return t(lang, "never")
    return moment.astimezone(BAGHDAD).strftime("%Y-%m-%d %H:%M") + " (Baghdad)"


def stats_text(counts: Sequence[MonthCount], period: str, lang: str, *, limit: int) -> str:
    """Totals by weapon and by month, the most recent months first, within `limit` characters."""
    total = sum(c.count for c in counts)
    if total == 0:
        return t(lang, "stats_none", period=period)
    by_weapon: dict[str, int] = defaultdict(int)
    by_month: dict[tuple[int, int], int] = defaultdict(int)
    for c in counts:
        by_weapon[c.weapon] += c.count
        by_month[(c.year, c.month)] += c.count
    weapons = ", ".join(
        f"{weapon_name(w, lang)} {n}" for w, n in sorted(by_weapon.items(), key=lambda x: -x[1])
    )
    lines = [
        t(lang, "stats_header", period=period, total=total),
        t(lang, "stats_weapons", weapons=weapons),
        t(lang, "stats_months"),
    ]
    for (year, month), n in sorted(by_month.items(), reverse=True):
        line = f"{year}-{month:02d}: {n}"
        if len("\n".join([*lines, line])) > limit - 2:
            lines.append("…")
            break
        lines.append(line)
    return "\n".join(lines)


def service_stats_text(stats: ServiceStats, lang: str) -> str:
    deliveries = ", ".join(f"{esc(s, 12)} {n}" for s, n in stats.deliveries_by_status) or "0"
    return t(
        lang,
        "service",
        incidents=stats.incidents,
        recent=stats.incidents_30_days,
        articles=stats.articles,
        chats=stats.chats_subscribed,
        inactive=stats.chats_inactive,
        deliveries=deliveries,
        feeds_active=stats.feeds_active,
        feeds_total=stats.feeds_total,
        last_fetch=_when(stats.last_fetch_at, lang),
    )


def feeds_text(rows: Sequence[FeedStatus], lang: str) -> str:
    if not rows:
        return t(lang, "feeds_none")
    lines = [t(lang, "feeds_header", n=len(rows))]
    for row in rows:
        mark = (
            "feed_off"
            if not row.active
            else "feed_failing"
            if row.consecutive_failures
            else "feed_ok"
        )
        failures = (
            t(
                lang,
                "feed_failures",
                n=row.consecutive_failures,
                error=esc(row.last_error or "", 120),
            )
            if row.consecutive_failures
            else ""
        )
        lines.append(
            t(
                lang,
                "feed_line",
                mark=t(lang, mark),
                name=esc(row.name, 80),
                success=_when(row.last_success, lang),
                entries=row.entries,
                failures=failures,
            )
        )
    return "\n".join(lines)
