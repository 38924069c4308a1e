"""Reading articles from .txt, .jsonl and stdin, with problems reported and reading going on."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.classifier import classify
from bot.inputs import InputProblem, parse_published, read_articles
from bot.records import Article


def test_txt_with_date_marker(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(" date 2021-12-19 Breaking\n\nTwo rockets fell.\n", encoding="utf-8")
    [article] = list(read_articles([str(path)]))
    assert isinstance(article, Article)
    assert article.id == str(path)
    assert article.title == "Breaking"
    assert article.text == "Two rockets fell."
    assert article.published == datetime(2021, 12, 19, 9, 0, tzinfo=UTC)  # 12:00 in Baghdad


def test_txt_without_marker_uses_written_date_then_mtime(tmp_path: Path) -> None:
    dated = tmp_path / "dated.txt"
    dated.write_text("Title\nPhoto taken in Baghdad, Sept. 24, 2019. Rockets fell.\n", "utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Title\nRockets fell.\n", encoding="utf-8")
    os.utime(plain, (1_600_000_000, 1_600_000_000))
    first, second = list(read_articles([str(dated), str(plain)]))
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.published == datetime(2019, 9, 24, 9, 0, tzinfo=UTC)
    assert second.published == datetime.fromtimestamp(1_600_000_000, UTC)


def test_txt_without_full_date_uses_the_latest_year_it_names(tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text(
        "Embassy attack\nAttacks have come near-daily since mid-October 2023, after the 2021"
        " pact. A rocket attack hit the US embassy in Baghdad's Green Zone on 8 December.\n",
        encoding="utf-8",
    )
    (article,) = list(read_articles([str(path)]))
    assert isinstance(article, Article)
    assert article.published == datetime(2023, 12, 8, 9, 0, tzinfo=UTC)
    verdict = classify(article)
    assert verdict.attack
    assert verdict.date == date(2023, 12, 8)


def test_jsonl_problems_name_file_and_line(tmp_path: Path) -> None:
    good = {
        "id": "a", "published": "2023-12-08T07:30:00Z", "title": "T", "summary": "S",
        "text": "", "url": "u", "lang": "en", "outlet": "O", "label": {"attack": True},
    }  # fmt: skip
    path = tmp_path / "x.jsonl"
    path.write_text(
        "\n".join([json.dumps(good), "{not json", json.dumps({"id": "b"}), "", json.dumps(good)]),
        encoding="utf-8",
    )
    items = list(read_articles([str(path)]))
    assert [type(i).__name__ for i in items] == [
        "Article",
        "InputProblem",
        "InputProblem",
        "Article",
    ]
    first = items[0]
    assert isinstance(first, Article)
    assert (first.text, first.outlet) == ("S", "O")  # empty text falls back to the summary
    problem = items[1]
    assert isinstance(problem, InputProblem)
    assert (problem.path, problem.line) == (str(path), 2)
    assert str(items[2]).startswith(f"{path}:3: ")


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    items = list(read_articles([str(tmp_path / "none.jsonl"), str(bad)]))
    assert all(isinstance(i, InputProblem) for i in items)
    assert "cannot read" in str(items[0])
    assert "UTF-8" in str(items[1])


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    line = json.dumps({"id": "s", "published": "2020-01-01T00:00:00+03:00", "title": "T"})
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    [article] = list(read_articles(["-"]))
    assert isinstance(article, Article)
    assert article.published == datetime(2019, 12, 31, 21, 0, tzinfo=UTC)


def test_parse_published_forms() -> None:
    assert parse_published("2021-12-19") == datetime(2021, 12, 19, 9, 0, tzinfo=UTC)
    assert parse_published("2021-12-19T10:00:00") == datetime(2021, 12, 19, 10, tzinfo=UTC)
    with pytest.raises(ValueError, match="ISO-8601"):
        parse_published("yesterday")
