"""Parsing and normalising fixture feeds: formats, bozo policy, hostile markup, dates, URLs."""

from __future__ import annotations

import resource
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import InputError, ParseError
from feeds.files import read_feed_file
from feeds.normalise import Entry, canonical_url, content_hash, detect_language, normalise
from feeds.parse import parse_feed
from tests.feedserver import DATA, fixture

FETCHED = datetime(2023, 12, 8, 12, 0, tzinfo=UTC)
XML = {"content-type": "application/rss+xml"}


def entries(
    name: str,
    *,
    url: str = "https://host.example/feed",
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> list[Entry]:
    parsed = parse_feed(fixture(name), url=url, headers=headers or XML)
    return normalise(parsed, fetched_at=FETCHED, language=language, outlet="Outlet")


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [
        ("rss20.xml", "rss20", 2),
        ("rss10.rdf", "rss10", 1),
        ("rss091.xml", "rss091n", 1),
        ("atom10.xml", "atom10", 1),
        ("atom03.xml", "atom03", 1),
        ("feed.json", "json11", 2),
    ],
)
def test_every_format_parses(name: str, kind: str, count: int) -> None:
    parsed = parse_feed(fixture(name), url="https://host.example/feed", headers=XML)
    assert parsed.kind == kind
    assert len(parsed.entries) == count


def test_rss_entry_is_normalised() -> None:
    first, second = entries("rss20.xml", url="https://wire.example/rss")
    assert first.entry_id == "wire-1"
    # Relative link resolved against the feed; utm_* and the fragment dropped, id kept.
    assert first.url == "https://wire.example/world/rockets-baghdad?id=7"
    assert first.title == "Rockets hit near US embassy in Baghdad"
    assert first.summary == "Two rockets struck the Green Zone early on Friday."
    assert (
        first.text
        == "Two rockets struck the Green Zone early on Friday.\n\nNo casualties were reported."
    )
    assert first.has_content
    assert first.published == datetime(2023, 12, 8, 6, 0, tzinfo=UTC)
    assert first.lang == "en"  # feed's en-us
    assert second.text == "Stocks rose on Friday."
    assert not second.has_content
    article = first.to_article("17")
    assert (article.id, article.outlet, article.url) == ("17", "Outlet", first.url)


def test_atom_arabic_html_title_and_offset_date() -> None:
    (entry,) = entries("atom10.xml", url="https://atom.example/feed.atom")
    assert entry.title == "صواريخ تستهدف المنطقة الخضراء"
    assert entry.url == "https://atom.example/articles/1"
    assert entry.lang == "ar"
    assert entry.published == datetime(2023, 12, 8, 5, 0, tzinfo=UTC)
    assert entry.text == "سقطت ثلاثة صواريخ.\n\nلا إصابات."


def test_json_feed_skips_bad_item_and_keeps_rest() -> None:
    parsed = parse_feed(fixture("feed.json"), url="https://json.example/feed.json", headers={})
    assert any("item 1 skipped" in w for w in parsed.warnings)
    first, second = normalise(parsed, fetched_at=FETCHED, language=None, outlet="J")
    assert first.title == "Embassy sirens in Baghdad"
    assert first.url == "https://json.example/stories/1?page=2"
    assert "alert" not in first.text
    assert first.text == "Sirens sounded at the embassy."
    assert first.published == datetime(2023, 12, 8, 3, 30, tzinfo=UTC)
    assert second.entry_id == "2"
    assert second.title == ""
    assert second.text == "Plain text only story"
    assert second.published == FETCHED  # unparseable date -> fetch time


def test_titles_with_html_and_script_come_out_harmless() -> None:
    first, second = entries("html_titles.xml")
    assert first.title == "Breaking: rockets & drones hit Baghdad"
    assert first.summary == "Text & more here"
    assert second.title == "Title with éntity — dash"
    for entry in (first, second):
        for text in (entry.title, entry.summary, entry.text):
            assert "<" not in text
            assert "alert" not in text
            assert "steal" not in text


def test_missing_and_future_dates_become_fetch_time() -> None:
    none, future, garbage = entries("dates.xml")
    assert none.published == FETCHED
    assert future.published == FETCHED
    assert garbage.published == FETCHED


def test_slightly_future_date_is_kept() -> None:
    fetched = datetime(2098, 12, 31, 12, 0, tzinfo=UTC)
    parsed = parse_feed(fixture("dates.xml"), url="https://d.example/", headers=XML)
    future = normalise(parsed, fetched_at=fetched, language=None, outlet="D")[1]
    assert future.published == datetime(2099, 1, 1, tzinfo=UTC)


def test_duplicate_guids_are_both_normalised_with_the_same_id() -> None:
    # feedparser reads a permalink guid as a URL and resolves it against the feed.
    ids = [e.entry_id for e in entries("dup_guids.xml")]
    assert ids == ["https://host.example/same"] * 2 + ["https://host.example/other"]


def test_configured_language_wins_then_detection() -> None:
    assert {e.lang for e in entries("rss20.xml", language="ar")} == {"ar"}
    assert detect_language("سقوط صواريخ على بغداد Baghdad") == "ar"
    assert detect_language("Rockets hit Baghdad") == "en"


def test_wrong_declared_encoding_is_repaired() -> None:
    parsed = parse_feed(fixture("wrong_encoding.xml"), url="https://cp.example/", headers=XML)
    assert any("windows-1256" in w for w in parsed.warnings)
    (entry,) = normalise(parsed, fetched_at=FETCHED, language=None, outlet="cp")
    assert entry.title == "سقوط صواريخ على المنطقة الخضراء في بغداد"
    assert entry.lang == "ar"


def test_non_xml_content_type_is_tolerated() -> None:
    parsed = parse_feed(
        fixture("rss20.xml"), url="https://x.example/", headers={"Content-Type": "text/html"}
    )
    assert len(parsed.entries) == 2
    assert any("tolerated" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (fixture("rss20.xml")[:400], "malformed feed"),
        (fixture("page.html"), "HTML page"),
        (b"   \n", "empty body"),
        (b'{"version": "nope", "items": []}', "not a JSON Feed"),
        (b"{not json", "invalid JSON"),
        (b"<?xml version='1.0'?><note>hello</note>", "not an RSS, Atom or JSON feed"),
    ],
)
def test_unreadable_bodies_fail_with_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_feed(body, url="https://x.example/", headers={"content-type": "text/html"})
    assert reason in caught.value.reason


def test_entity_expansion_bomb_is_refused_without_memory_growth() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ParseError, match="entity"):
        parse_feed(fixture("entity_bomb.xml"), url="https://bomb.example/", headers=XML)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 50_000


def test_canonical_url_rules() -> None:
    assert canonical_url("HTTPS://Example.COM:443/a?b=1&utm_source=x&fbclid=y#frag") == (
        "https://example.com/a?b=1"
    )
    assert canonical_url("/p?x=1", "http://h.example:8080/feed") == "http://h.example:8080/p?x=1"
    assert canonical_url("javascript:alert(1)") == ""
    assert canonical_url("") == ""


def test_content_hash_ignores_case_punctuation_and_spacing() -> None:
    assert content_hash("Same words, other URL", "Identical body text syndicated everywhere.") == (
        content_hash("Same words,   OTHER url!", "Identical body text — syndicated everywhere.")
    )
    assert content_hash("a", "b") != content_hash("a", "c")


def test_read_feed_file(tmp_path: Path) -> None:
    found = read_feed_file(DATA / "rss20.xml", now=FETCHED)
    assert [e.entry_id for e in found] == ["wire-1", "https://wire.example/markets/close"]
    assert found[0].outlet == "Example Wire"
    with pytest.raises(InputError, match="HTML page"):
        read_feed_file(DATA / "page.html", now=FETCHED)
    with pytest.raises(InputError, match="cannot read"):
        read_feed_file(tmp_path / "missing.xml", now=FETCHED)
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match="cap"):
        read_feed_file(big, now=FETCHED, max_bytes=1024)


def test_entry_without_any_text_is_skipped_not_fatal() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><guid>empty</guid></item><item><title>kept</title></item></channel></rss>"
    )
    parsed = parse_feed(body, url="https://x.example/", headers=XML)
    found = normalise(parsed, fetched_at=FETCHED, language=None, outlet="x")
    assert [e.title for e in found] == ["kept"]
    assert found[0].entry_id.startswith("hash:")
    assert found[0].published == FETCHED
    assert timedelta(0) == found[0].fetched_at - FETCHED
