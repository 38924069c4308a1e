"""`greenzone-bot classify [--json] INPUT...` and `greenzone-bot eval FILE.jsonl...`.

`classify` prints one verdict per article, in input order; `eval` compares verdicts with the
labels of a corpus (the dev format, or the seeds' labels.jsonl with a `file` per record) and
prints detection precision/recall/F1, per-field accuracy on true positives, and every error.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.commands import CommandContext, Subparsers, add_command
from bot.inputs import (
    InputProblem,
    article_from_record,
    parse_published,
    read_articles,
    read_jsonl,
    read_text_article,
)
from bot.records import FACT_FIELDS, Article, Classification

JSON_KEYS = ("id", "attack", "score", *FACT_FIELDS, "evidence")


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers, "classify", classify, "classify articles: is each a Green Zone attack report?"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per article")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .jsonl, or - (stdin)")
    parser = add_command(
        subparsers, "eval", evaluate, "measure the classifier on labelled articles"
    )
    parser.add_argument("files", nargs="+", metavar="FILE.jsonl", help="dev corpus or labels")


def verdict_json(article_id: str, verdict: Classification) -> dict[str, Any]:
    """The public JSON shape of one verdict (keys in contract order; facts null if no attack)."""
    facts = verdict.attack
    return {
        "id": article_id,
        "attack": verdict.attack,
        "score": round(verdict.score, 4),
        "date": verdict.date.isoformat() if facts and verdict.date else None,
        "weapon": verdict.weapon if facts else None,
        "projectiles": verdict.projectiles if facts else None,
        "intercepted": verdict.intercepted if facts else None,
        "killed": verdict.killed if facts else None,
        "injured": verdict.injured if facts else None,
        "target": verdict.target if facts else None,
        "claimed_by": verdict.claimed_by if facts else None,
        "evidence": list(verdict.evidence),
    }


def _readable(article_id: str, verdict: Classification) -> str:
    if not verdict.attack:
        return f"{article_id}: no attack (score {verdict.score:.2f})"
    row = verdict_json(article_id, verdict)
    facts = ", ".join(f"{k} {row[k]}" for k in FACT_FIELDS if row[k] is not None)
    lines = [f"{article_id}: ATTACK (score {verdict.score:.2f}) {facts}"]
    if verdict.location:
        loc = verdict.location
        lines.append(f"  location: {loc.name} ({loc.lat:.4f}, {loc.lon:.4f})")
    if verdict.damage:
        lines.append(f"  damage: {verdict.damage}")
    lines += [f"  evidence: {sentence}" for sentence in verdict.evidence]
    return "\n".join(lines)


def classify(args: argparse.Namespace, context: CommandContext) -> int:
    from bot.classifier import classify as run

    settings = context.settings().classifier
    zones, threshold = settings.all_zones(), settings.threshold
    for item in read_articles(args.inputs):
        if isinstance(item, InputProblem):
            print(f"greenzone-bot: {item}", file=sys.stderr)
            continue
        verdict = run(item, zones=zones, threshold=threshold)
        if args.json:
            print(json.dumps(verdict_json(item.id, verdict), ensure_ascii=False), flush=True)
        else:
            print(_readable(item.id, verdict), flush=True)
    return 0


@dataclass(frozen=True, slots=True)
class Labelled:
    article: Article
    label: dict[str, Any]


def _labelled_record(path: str, record: Any) -> Labelled:
    if not isinstance(record, dict) or not isinstance(record.get("label"), dict):
        raise ValueError("expected an object with a 'label' object")
    if "file" in record:
        text_path = str(Path(path).parent / str(record["file"]))
        published = parse_published(record.get("published"))
        article = read_text_article(text_path, published)
        if isinstance(article, InputProblem):
            raise ValueError(str(article))
        return Labelled(article, record["label"])
    return Labelled(article_from_record(record), record["label"])


def read_labelled(paths: list[str]) -> Iterator[Labelled | InputProblem]:
    """Labelled articles from dev-format files and seeds-style labels files."""
    for path in paths:
        yield from read_jsonl(path, functools.partial(_labelled_record, path))


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def evaluate(args: argparse.Namespace, context: CommandContext) -> int:
    from bot.classifier import classify as run

    settings = context.settings().classifier
    tp = fp = fn = tn = 0
    field_hits = dict.fromkeys(FACT_FIELDS, 0)
    errors: list[str] = []
    for item in read_labelled(args.files):
        if isinstance(item, InputProblem):
            print(f"greenzone-bot: {item}", file=sys.stderr)
            continue
        verdict = verdict_json(
            item.article.id,
            run(item.article, zones=settings.all_zones(), threshold=settings.threshold),
        )
        expected = bool(item.label.get("attack"))
        if verdict["attack"] != expected:
            fp, fn = fp + (not expected), fn + expected
            errors.append(
                f"{item.article.id} attack: expected {json.dumps(expected)}, produced "
                f"{json.dumps(verdict['attack'])} (score {verdict['score']:.2f})"
            )
            continue
        if not expected:
            tn += 1
            continue
        tp += 1
        for name in FACT_FIELDS:
            want, got = item.label.get(name), verdict[name]
            if want == got:
                field_hits[name] += 1
            else:
                errors.append(
                    f"{item.article.id} {name}: expected {json.dumps(want, ensure_ascii=False)}, "
                    f"produced {json.dumps(got, ensure_ascii=False)}"
                )
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = _ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0
    print(f"articles: {tp + fp + fn + tn} ({tp + fn} labelled attacks)")
    print(
        f"detection: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
        f"(TP {tp}, FP {fp}, FN {fn}, TN {tn})"
    )
    print(f"fields on {tp} true positives (exact match, null = null):")
    for name in FACT_FIELDS:
        print(f"  {name:<12} {_ratio(field_hits[name], tp):.3f}  ({field_hits[name]}/{tp})")
    print(f"errors: {len(errors)}")
    for line in errors:
        print(f"  {line}")
    return 0
