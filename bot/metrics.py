"""Prometheus metrics: one registry for the process, named and labelled once here.

Modules import the metric they update (`metrics.POLLS.labels(outcome="not_modified").inc()`);
`/metrics` serves the registry. A registry of our own keeps tests independent of the
client library's process-wide default registry.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

POLLS = Counter(
    "greenzone_polls",
    "Feed polls by outcome (new, unchanged, not_modified, failed).",
    ["outcome"],
    registry=REGISTRY,
)
BYTES_FETCHED = Counter(
    "greenzone_fetched_bytes", "Response body bytes read from feeds.", registry=REGISTRY
)
ARTICLES = Counter(
    "greenzone_articles", "Articles stored, by kind (new, edited).", ["kind"], registry=REGISTRY
)
ATTACKS = Counter(
    "greenzone_attacks_detected", "Articles classified as attack reports.", registry=REGISTRY
)
INCIDENTS = Counter(
    "greenzone_incidents",
    "Incident versions written, by kind (new, updated).",
    ["kind"],
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "greenzone_deliveries",
    "Outbox deliveries finished, by outcome (sent, failed, skipped).",
    ["outcome"],
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge("greenzone_outbox_depth", "Deliveries waiting to be sent.", registry=REGISTRY)
DETECTION_TO_SEND = Histogram(
    "greenzone_detection_to_send_seconds",
    "From an article being stored to its alert's first send.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
    registry=REGISTRY,
)
FEED_STALENESS = Gauge(
    "greenzone_feed_staleness_seconds",
    "Seconds since a feed's last successful poll.",
    ["feed"],
    registry=REGISTRY,
)


def render() -> bytes:
    """The registry in Prometheus' text exposition format."""
    return generate_latest(REGISTRY)
