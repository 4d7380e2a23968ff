"""Asset-check results that reach people: a message when a check changes state, once.

A check's state after a run is "passed", "ended" (the newest-data check of a publisher that
stopped: said once, as news, not daily), or its failed severity ("WARN", "ERROR"). The last
state of each check is kept in the Dagster instance (its key-value store, shared by `make run`
and the daemon), so a check that stays red is not announced again on every run, one that
recovers is, and one seen passing for the first time is not news. A check matching the mute
list (WAREHOUSE_ALERT_MUTE) still has its state kept, but never sends a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

import dagster as dg

STATE_PREFIX = "warehouse/check_state/"
PASSED, ENDED = "passed", "ended"


@dataclass(frozen=True)
class CheckState:
    check: str  # "<asset key>:<check name>", e.g. "raw/nyt_covid__us:freshness"
    state: str  # PASSED, ENDED, "WARN" or "ERROR"
    description: str


def run_check_states(instance: dg.DagsterInstance, run_id: str) -> list[CheckState]:
    """The state of every check a run evaluated (the last evaluation of each)."""
    states: dict[str, CheckState] = {}
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = entry.get_dagster_event().event_specific_data
        check = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        state_value = evaluation.metadata.get("state")
        if state_value is not None and state_value.value == ENDED:
            state = ENDED
        elif evaluation.passed:
            state = PASSED
        else:
            state = evaluation.severity.value
        states[check] = CheckState(check, state, _description(evaluation))
    return list(states.values())


def is_muted(check: str, mute: tuple[str, ...]) -> bool:
    """`mute` holds patterns (shell wildcards) for `<asset key>:<check name>` or the name."""
    name = check.rsplit(":", 1)[-1]
    return any(fnmatchcase(check, pattern) or fnmatchcase(name, pattern) for pattern in mute)


def changed_states(
    instance: dg.DagsterInstance, states: list[CheckState], mute: tuple[str, ...] = ()
) -> list[tuple[CheckState, str | None]]:
    """The checks whose state differs from the one last kept, with that previous state; keeps
    the new states. A first state of "passed" and muted checks are not returned."""
    if not states:
        return []
    storage = instance.run_storage
    previous = storage.get_cursor_values({STATE_PREFIX + s.check for s in states})
    storage.set_cursor_values({STATE_PREFIX + s.check: s.state for s in states})
    changes = []
    for state in sorted(states, key=lambda s: s.check):
        before = previous.get(STATE_PREFIX + state.check)
        if before == state.state or (before is None and state.state == PASSED):
            continue
        if not is_muted(state.check, mute):
            changes.append((state, before))
    return changes


def check_message(
    changes: list[tuple[CheckState, str | None]], run_id: str, job_name: str
) -> str | None:
    if not changes:
        return None
    lines = [f"Checks changed state (job {job_name}, run {run_id[:8]}):"]
    for state, before in changes:
        if state.state == PASSED:
            lines.append(f"• {state.check}: passing again (was {before})")
        elif state.state == ENDED:
            lines.append(f"• {state.check}: {state.description}")
        else:
            lines.append(f"• {state.check}: failed, {state.state}: {state.description}")
    return "\n".join(lines)


def _description(evaluation) -> str:
    text = (evaluation.description or "").strip()
    if not text:
        value = evaluation.metadata.get("error") or evaluation.metadata.get("status")
        text = str(value.value) if value is not None else "no description"
    return text.splitlines()[0][:300]
