"""`greenzone-bot classify` and `eval` through the real command line entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.classify import JSON_KEYS

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CASES = Path(__file__).resolve().parent / "data" / "classifier" / "cases.jsonl"


@pytest.fixture(autouse=True)
def _no_local_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_classify_json_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    lines = CASES.read_text(encoding="utf-8").splitlines()
    foiled = next(line for line in lines if '"neg-foiled-ar"' in line)
    broken.write_text("\n".join([lines[0], "{oops", foiled]), encoding="utf-8")
    seed = str(SEEDS / "002_a54e27249789115a.txt")
    assert main(["classify", "--json", seed, str(broken)]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert [tuple(row) for row in rows] == [JSON_KEYS] * 3
    assert [row["id"] for row in rows] == [seed, "pos-mortar-en", "neg-foiled-ar"]
    assert rows[0]["attack"] is True
    assert rows[0]["date"] == "2023-12-08"
    assert rows[2]["attack"] is False
    assert rows[2]["weapon"] is None
    assert f"{broken}:2:" in err


def test_classify_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", str(SEEDS / "000_8fd34f389031c615.txt")]) == 0
    out = capsys.readouterr().out
    assert "ATTACK" in out
    assert "evidence:" in out
    assert "projectiles 2" in out


def test_eval_reports_dev_format_and_seed_labels(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    dev = tmp_path / "dev.jsonl"
    rows = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["label"] = row.pop("expect")
    rows[0]["label"]["projectiles"] = 99  # a deliberate wrong label shows up as an error
    dev.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    assert main(["eval", str(dev), str(seeds / "labels.jsonl")]) == 0
    out = capsys.readouterr().out
    assert f"articles: {len(rows) + 5}" in out
    assert "detection: precision 1.000  recall 1.000  F1 1.000" in out
    assert "pos-mortar-en projectiles: expected 99, produced 3" in out
    assert "001_d142974a77022bda.txt target" in out
