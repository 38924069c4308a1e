"""Articles from files given on the command line: `.txt` reports, `.jsonl` feeds, or stdin.

A `.txt` article is the seeds' format: an optional leading `date YYYY-MM-DD` marker, then the
text; its first line is the title and its id is the path as given. Its publication time is the
marker's date at 12:00 Baghdad time; without a marker, the latest full calendar date written in
the text (a dateline or photo caption, such as "Sept. 24, 2019") at 12:00 Baghdad time, else
the latest day and month it writes ("on 8 December") in the latest earlier year it names (the
year's last day when it writes none), and failing that the file's modification time.
A `.jsonl` line holds `id, published, title, summary, text, url, lang` (and optionally
`outlet`; `label`, `notes` and other keys are ignored). Problems come back as `InputProblem`
records, in order, and reading goes on.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from bot.records import Article
from bot.timeutil import BAGHDAD

_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_FULL_DATES = (
    re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE),
)


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input that could not be read as an article: where, and why."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


def midday_baghdad(day: date) -> datetime:
    """12:00 in Baghdad on `day`, as aware UTC: the publication time of a dated text."""
    return datetime.combine(day, time(12, 0), tzinfo=BAGHDAD).astimezone(UTC)


def parse_published(value: object) -> datetime:
    """An ISO-8601 time (UTC when no offset) or a bare date (12:00 Baghdad), as aware UTC."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected an ISO-8601 time in 'published', found {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return midday_baghdad(date.fromisoformat(text))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"expected an ISO-8601 time in 'published', found {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _latest_written_date(text: str, not_after: date) -> date | None:
    found: list[date] = []
    for pattern in _FULL_DATES:
        for m in pattern.finditer(text):
            a, b, year = m.groups()
            month_name, day = (a, b) if not a.isdigit() else (b, a)
            try:
                found.append(date(int(year), _MONTHS[month_name.lower()], int(day)))
            except ValueError:
                continue
    found = [d for d in found if d <= not_after]
    return max(found) if found else None


_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_DAY_MONTHS = (
    re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})\b(?!,?\s+(?:19|20)\d\d)", re.IGNORECASE),
    re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\b\.?(?!,?\s+(?:19|20)\d\d)", re.IGNORECASE),
)


def _latest_day_month(text: str, year: int) -> date | None:
    """The latest "8 December" / "December 8" written in the text, placed in `year`."""
    found: list[date] = []
    for pattern in _DAY_MONTHS:
        for m in pattern.finditer(text):
            a, b = m.groups()
            month_name, day = (a, b) if not a.isdigit() else (b, a)
            try:
                found.append(date(year, _MONTHS[month_name.lower()], int(day)))
            except ValueError:
                continue
    return max(found) if found else None


def _published_from_text(body: str, fallback: datetime) -> datetime:
    """Best guess of an undated text's publication time (see the module docstring)."""
    today = fallback.astimezone(BAGHDAD).date()
    if written := _latest_written_date(body, today):
        return midday_baghdad(written)
    # News names no year after its own, so the latest year named is the best guess of the
    # text's year; the latest day-month it names in that year ("on 8 December") the best day.
    years = [int(y) for y in _YEAR.findall(body) if int(y) < today.year]
    if not years:
        return fallback
    day = _latest_day_month(body, max(years))
    return midday_baghdad(day if day else date(max(years), 12, 31))


def article_from_text(path: str, raw: str, fallback: datetime) -> Article:
    """A seeds-format text as an Article (see the module docstring for `published`)."""
    body = raw.lstrip("\ufeff")
    marker = _MARKER.match(body)
    if marker:
        published = midday_baghdad(date.fromisoformat(marker.group(1)))
        body = body[marker.end() :]
    else:
        published = _published_from_text(body, fallback)
    lines = body.strip().splitlines()
    title = lines[0].strip() if lines else ""
    text = "\n".join(lines[1:]).strip()
    lang = "ar" if sum("\u0600" <= c <= "\u06ff" for c in body) > len(body) / 4 else "en"
    return Article(id=path, title=title, summary="", text=text, published=published, lang=lang)


def _text_file(path: str, published: datetime | None = None) -> Article | InputProblem:
    try:
        raw = Path(path).read_bytes()
        modified = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    except OSError as exc:
        return InputProblem(path, None, f"cannot read the file ({exc.strerror or exc})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return InputProblem(path, None, "expected UTF-8 text, found undecodable bytes")
    article = article_from_text(path, text, modified)
    if published is not None:
        return Article(
            id=article.id, title=article.title, summary="", text=article.text,
            published=published, lang=article.lang,
        )  # fmt: skip
    return article


def _string(record: dict[str, Any], key: str, required: bool = False) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"expected a string in {key!r}, found {value!r}")
    return value


def article_from_record(record: object) -> Article:
    """One JSONL object as an Article; ValueError says what is wrong."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, found {type(record).__name__}")
    summary = _string(record, "summary")
    text = _string(record, "text") or summary
    title = _string(record, "title")
    if not (title or text):
        raise ValueError("expected a 'title', 'summary' or 'text', found none")
    return Article(
        id=_string(record, "id", required=True),
        title=title,
        summary=summary,
        text=text,
        published=parse_published(record.get("published")),
        lang=_string(record, "lang") or "en",
        url=_string(record, "url"),
        outlet=_string(record, "outlet"),
    )


def read_jsonl_lines(path: str, lines: Iterator[str]) -> Iterator[tuple[int, Any] | InputProblem]:
    """Parsed JSON per non-blank line with its line number, or a problem for that line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputProblem(path, number, f"not valid JSON ({exc.msg} at column {exc.colno})")


def open_lines(path: str) -> Iterator[str] | InputProblem:
    """The lines of a file (or stdin for "-"), or a problem if it cannot be read."""
    if path == "-":
        return iter(sys.stdin)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        return InputProblem(path, None, f"cannot read the file ({exc.strerror or exc})")
    except UnicodeDecodeError:
        return InputProblem(path, None, "expected UTF-8 text, found undecodable bytes")
    return iter(text.splitlines())


def read_jsonl(path: str, convert: Callable[[Any], T]) -> Iterator[T | InputProblem]:
    """Each record of a JSONL file (or "-") through `convert`, in order; a line that cannot be
    read or converted (ValueError) becomes an InputProblem naming the file and line."""
    lines = open_lines(path)
    if isinstance(lines, InputProblem):
        yield lines
        return
    for item in read_jsonl_lines(path, lines):
        if isinstance(item, InputProblem):
            yield item
            continue
        number, record = item
        try:
            yield convert(record)
        except ValueError as exc:
            yield InputProblem(path, number, str(exc))


def read_articles(paths: Sequence[str]) -> Iterator[Article | InputProblem]:
    """Articles from each path in order: `.jsonl` (or "-") line by line, else a `.txt` text."""
    for path in paths:
        if path == "-" or path.endswith((".jsonl", ".ndjson", ".json")):
            yield from read_jsonl(path, article_from_record)
        else:
            yield _text_file(path)


def read_text_article(path: str, published: datetime | None = None) -> Article | InputProblem:
    """One seeds-format text file, optionally with a known publication time."""
    return _text_file(path, published)
