"""Alert messages and their delivery: a Slack-compatible JSON POST, or the log when unset.

The webhook's URL comes from WAREHOUSE_ALERT_WEBHOOK (the settings) and is never logged; any
endpoint that accepts `{"text": "..."}` works (Slack, Mattermost, Rocket.Chat, a test server).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import requests

WEBHOOK_VARIABLE = "WAREHOUSE_ALERT_WEBHOOK"
TIMEOUT_SECONDS = 10
logger = logging.getLogger("warehouse.alerts")


class AlertDeliveryError(RuntimeError):
    pass


@dataclass(frozen=True)
class TableLoad:
    """What one loader asset reported: its raw table and the rows it added, changed, rejected."""

    table: str
    rows_added: int
    rows_changed: int
    rows_rejected: int

    @property
    def source(self) -> str:
        return self.table.split("__", 1)[0]


def send(text: str, url: str | None, log: logging.Logger | None = None) -> bool:
    """POST `text` to the webhook `url`; returns False (after logging it) when there is none."""
    if not url:
        (log or logger).info("%s is unset; alert not sent:\n%s", WEBHOOK_VARIABLE, text)
        return False
    try:
        response = requests.post(url, json={"text": text}, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
    except requests.RequestException as err:
        # The URL may hold a token: name the variable, never the URL.
        raise AlertDeliveryError(
            f"the alert webhook ({WEBHOOK_VARIABLE}) did not accept the message: "
            f"{type(err).__name__}: {_without_url(str(err), url)}"
        ) from err
    return True


def new_data_message(loads: Iterable[TableLoad], run_id: str, job_name: str) -> str | None:
    """One line per source with rows added, changed and rejected; None when nothing changed."""
    loads = list(loads)
    if not any(load.rows_added or load.rows_changed or load.rows_rejected for load in loads):
        return None
    by_source: dict[str, list[TableLoad]] = defaultdict(list)
    for load in loads:
        by_source[load.source].append(load)
    lines = [f"New data in the warehouse (job {job_name}, run {run_id[:8]}):"]
    for source, group in sorted(by_source.items()):
        added = sum(load.rows_added for load in group)
        changed = sum(load.rows_changed for load in group)
        rejected = sum(load.rows_rejected for load in group)
        tables = f"{len(group)} table{'s' if len(group) != 1 else ''}"
        line = f"• {source}: {added:,} rows added, {changed:,} changed, {rejected:,} rejected"
        lines.append(f"{line} ({tables})")
    if any(load.rows_rejected for load in loads):
        lines.append("Rejected rows are kept in meta.rejected_rows with the reason.")
    return "\n".join(lines)


def failure_message(run_id: str, job_name: str, failures: list[tuple[str, str]]) -> str:
    """`failures`: (step, error message) pairs for the steps that failed."""
    lines = [f"Run failed: job {job_name}, run {run_id[:8]} ({run_id})."]
    for step, error in failures:
        first_line = error.strip().splitlines()[0] if error.strip() else "no error message"
        lines.append(f"• {step}: {first_line}")
    return "\n".join(lines)


def _without_url(message: str, url: str) -> str:
    return message.replace(url, f"${WEBHOOK_VARIABLE}")
