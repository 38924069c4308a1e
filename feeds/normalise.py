"""Raw feed entries to frozen `Entry` records: ids, canonical URLs, plain text, UTC times."""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bot.records import Article
from bot.timeutil import as_utc
from feeds.parsed import ParsedFeed, RawEntry

log = logging.getLogger(__name__)

_FUTURE_SLACK = timedelta(days=1)
_MAX_ID = 500
_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "ocid",
        "cmpid",
        "smid",
        "at_medium",
        "at_campaign",
        "guccounter",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Elements whose content is never text a reader sees.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "head"})
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "figure",
        "figcaption",
        "hr",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One normalised feed entry: what is stored as an Article and its ArticleSource."""

    entry_id: str
    url: str
    link: str
    title: str
    summary: str
    text: str
    published: datetime
    lang: str
    outlet: str
    content_hash: str
    fetched_at: datetime
    # True when `text` is the feed's full content, not just the summary again.
    has_content: bool = False

    def to_article(self, id: str) -> Article:
        """The classifier's view of this entry, under the given article id."""
        return Article(
            id=id,
            title=self.title,
            summary=self.summary,
            text=self.text,
            published=self.published,
            lang=self.lang,
            url=self.url or self.link,
            outlet=self.outlet,
        )


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _paragraphs(markup: str) -> list[str]:
    if "<" not in markup and "&" not in markup:
        raw = markup
    else:
        extractor = _TextExtractor()
        extractor.feed(markup)
        extractor.close()
        raw = "".join(extractor.parts)
    raw = _CONTROL.sub("", unicodedata.normalize("NFC", raw))
    lines = (_SPACE.sub(" ", line).strip() for line in re.split(r"\n\s*\n|\n", raw))
    return [line for line in lines if line]


def html_to_text(markup: str) -> str:
    """Plain one-line text: tags and scripts dropped, entities decoded, whitespace folded."""
    return " ".join(_paragraphs(markup))


def html_to_paragraphs(markup: str) -> str:
    """Plain text keeping paragraph breaks (blank lines), for article bodies."""
    return "\n\n".join(_paragraphs(markup))


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(link: str, base: str = "") -> str:
    """Absolute http(s) URL without fragment, default port or tracking parameters; else ""."""
    link = link.strip()
    if not link:
        return ""
    parts = urlsplit(urljoin(base, link) if base else link)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        return ""
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if not _is_tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def content_hash(title: str, body: str) -> str:
    """Hash of the normalised title and body: equal for a story syndicated under other URLs."""

    def norm(text: str) -> str:
        return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()

    return hashlib.sha256(f"{norm(title)}\n{norm(body)}".encode()).hexdigest()


def detect_language(text: str) -> str:
    """Arabic when Arabic letters dominate the letters, else English."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    arabic = sum("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in letters)
    return "ar" if arabic / len(letters) >= 0.3 else "en"


def _short_language(code: str | None) -> str | None:
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _published(raw: RawEntry, fetched_at: datetime) -> datetime:
    stamp = raw.published or raw.updated
    if stamp is None:
        return fetched_at
    stamp = as_utc(stamp)
    return fetched_at if stamp > fetched_at + _FUTURE_SLACK else stamp


def _entry_id(raw: RawEntry, link: str, title: str, published: datetime | None) -> str:
    ident = raw.guid.strip() or link
    if not ident:
        stamp = published.isoformat() if published else ""
        ident = "hash:" + hashlib.sha256(f"{title}\n{stamp}".encode()).hexdigest()
    if len(ident) > _MAX_ID:
        ident = "sha256:" + hashlib.sha256(ident.encode()).hexdigest()
    return ident


def normalise_entry(
    raw: RawEntry, feed: ParsedFeed, *, fetched_at: datetime, language: str | None, outlet: str
) -> Entry:
    """One entry; raises ValueError when it carries nothing a reader could use."""
    title = html_to_text(raw.title)
    summary = html_to_text(raw.summary)
    body = html_to_paragraphs(raw.content) if raw.content else ""
    if not (title or summary or body):
        raise ValueError("entry has no title, summary or content")
    link = urljoin(feed.url, raw.link.strip()) if raw.link.strip() else ""
    text = body or summary or title
    lang = (
        _short_language(language)
        or _short_language(raw.language)
        or _short_language(feed.language)
        or detect_language(f"{title} {summary} {body[:2000]}")
    )
    return Entry(
        entry_id=_entry_id(raw, link, title, raw.published or raw.updated),
        url=canonical_url(link),
        link=link,
        title=title,
        summary=summary or (body[:500] if body else ""),
        text=text,
        published=_published(raw, fetched_at),
        lang=lang,
        outlet=outlet,
        content_hash=content_hash(title, text),
        fetched_at=fetched_at,
        has_content=bool(body),
    )


def normalise(
    parsed: ParsedFeed, *, fetched_at: datetime, language: str | None, outlet: str
) -> list[Entry]:
    """Every usable entry of `parsed`; a bad entry is logged and skipped, never fatal.

    `language` is the configured feed language (wins over the feed's own); `fetched_at` must
    be aware and is the publication time of entries without a usable date.
    """
    fetched_at = as_utc(fetched_at)
    entries: list[Entry] = []
    for index, raw in enumerate(parsed.entries):
        try:
            entries.append(
                normalise_entry(
                    raw, parsed, fetched_at=fetched_at, language=language, outlet=outlet
                )
            )
        except (ValueError, TypeError, OverflowError) as exc:
            log.info("feed %s: entry %d skipped: %s", parsed.url, index, exc)
    return entries
