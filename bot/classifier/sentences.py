"""Split an article into sentences that remember where they stood (headline, lead, body)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.classifier.normalize import normalize

_BOUNDARY = re.compile(r"(?<=[.!?؟])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9\u0600-\u06ff])")
# A full stop after these is not the end of a sentence.
_ABBREVIATIONS = frozenset(
    {
        "u.s",
        "a.m",
        "p.m",
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "st",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "corp",
        "inc",
        "ltd",
        "vs",
        "etc",
        "brig",
        "adm",
        "gov",
        "sen",
        "rep",
        "prof",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
    }
)
# "BAGHDAD —", "05:12 —", "بغداد –": a dateline or live-blog stamp, not part of the sentence.
# A wire dateline may carry the day ("BAGHDAD, May 19 -"): its number is not a count.
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z .'’]{1,40}(?:,\s*[A-Z][A-Za-z]+)?"
    r"|\d{1,2}:\d{2}(?:\s*[A-Za-z .]{0,20})?|[\u0600-\u06ff]{2,15})"
    r"(?:,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?\s+\d{1,2}"
    r"(?:,?\s+\d{4})?|,?\s+\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}"
    r"(?:\s+\d{4})?)?"
    r"\s*(?:\([^)]{0,30}\)\s*)?[—–-]{1,2}\s+"
)
_PARAGRAPHS = re.compile(r"\s*\n\s*")
# A paragraph that opens a list of links to other stories ("Related coverage:", "Read more:").
_TRAILER = re.compile(
    r"\s*(?:related(?:\s+(?:coverage|stories|articles|news|reading|content))?|read\s+(?:more|also)"
    r"|see\s+also|more\s+on\s+this(?:\s+story)?|also\s+read|you\s+may\s+also\s+like"
    r"|اقرا\s+(?:ايضا|المزيد)|اخبار\s+ذات\s+صله|مواضيع\s+ذات\s+صله)\s*(?::|$)"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: original text for evidence, normalised text for rules, and its place."""

    index: int
    text: str
    norm: str
    part: str  # "title", "summary" or "text"
    paragraph: int  # paragraph number within its part
    # The normalised dateline stripped from the start of its paragraph ("kabul (agency)").
    dateline: str = ""


def _split_paragraph(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip("\"'”’)]")
        last_word = (
            before.rsplit(None, 1)[-1].lower().rstrip(".").lstrip("(\"'“‘[")
            if before.split()
            else ""
        )
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        pieces.append(paragraph[start : match.start()].strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


def _strip_dateline(paragraph: str) -> tuple[str, str]:
    """The paragraph without its dateline, and the dateline (empty when there is none)."""
    match = _DATELINE.match(paragraph)
    if match and len(match.group(0).split()) <= 8:
        return paragraph[match.end() :], match.group(0)
    return paragraph, ""


def split_sentences(title: str, summary: str, text: str) -> list[Sentence]:
    """Headline, summary and body as sentences, skipping ones already seen (summary = lead)."""
    sentences: list[Sentence] = []
    seen: set[str] = set()
    for part, body in (("title", title), ("summary", summary), ("text", text)):
        paragraphs = [p for p in _PARAGRAPHS.split(body) if p.strip()]
        for number, paragraph in enumerate(paragraphs):
            if part == "text" and len(paragraph) < 48 and _TRAILER.match(normalize(paragraph)):
                break  # links to other stories follow: none of them is this report
            body_text, dateline = _strip_dateline(paragraph)
            stamp = normalize(dateline) if dateline else ""
            for piece in _split_paragraph(body_text):
                norm = normalize(piece)
                key = " ".join(norm.split())
                if key in seen:
                    continue
                seen.add(key)
                sentences.append(Sentence(len(sentences), piece, norm, part, number, stamp))
                stamp = ""
    return sentences
