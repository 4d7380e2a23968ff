"""Alerts reach a Slack-compatible webhook (here a local HTTP receiver) or the log."""

import http.server
import json
import logging
import queue
import threading

import dagster as dg
import pytest

from orchestration.defs.alerts import (
    WEBHOOK_VARIABLE,
    AlertDeliveryError,
    TableLoad,
    new_data_message,
    send,
)
from orchestration.defs.check_alerts import is_muted
from orchestration.defs.resources import Warehouse
from orchestration.defs.sensors import new_data_alert, run_alerts, run_failure_alert
from warehouse.settings import Settings


class Receiver:
    """A local webhook on 127.0.0.1 that records each POST; replies `status`."""

    def __init__(self):
        self.posts: queue.Queue = queue.Queue()
        self.status = 200
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            timeout = 5  # seconds a client may take to send its request

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.put((self.path, self.headers["Content-Type"], body))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/warehouse"

    def next_post(self) -> tuple[str, str, dict]:
        path, content_type, body = self.posts.get(timeout=5)
        return path, content_type, json.loads(body)

    def assert_nothing_posted(self):
        assert self.posts.empty()


@pytest.fixture
def receiver(monkeypatch):
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
    thread.join(timeout=5)


def receiving(receiver: Receiver) -> dict:
    """The resources of a sensor that posts to `receiver`."""
    return {"warehouse": Warehouse(Settings(alert_webhook=receiver.url))}


def test_send_posts_a_slack_compatible_json_body(receiver):
    assert send("hello from the warehouse", receiver.url) is True
    path, content_type, body = receiver.next_post()
    assert path == "/hooks/warehouse"
    assert content_type == "application/json"
    assert body == {"text": "hello from the warehouse"}


def test_send_logs_instead_when_no_webhook_is_set(caplog):
    with caplog.at_level(logging.INFO, logger="warehouse.alerts"):
        assert send("nobody listens", None) is False
    assert "nobody listens" in caplog.text
    assert WEBHOOK_VARIABLE in caplog.text


def test_a_refusing_webhook_is_an_error_that_does_not_reveal_its_url(receiver):
    receiver.status = 500
    with pytest.raises(AlertDeliveryError) as error:
        send("lost", receiver.url)
    assert WEBHOOK_VARIABLE in str(error.value)
    assert receiver.url not in str(error.value)


def test_new_data_message_sums_rows_per_source():
    loads = [
        TableLoad("nyt_covid__us", 10, 2, 0),
        TableLoad("nyt_covid__us_states", 1_500, 0, 3),
        TableLoad("phac_canada__covid19", 0, 0, 0),
    ]
    text = new_data_message(loads, "0123456789abcdef", "refresh_all")
    lines = text.splitlines()
    assert "refresh_all" in lines[0] and "01234567" in lines[0]
    assert "• nyt_covid: 1,510 rows added, 2 changed, 3 rejected (2 tables)" in lines
    assert "• phac_canada: 0 rows added, 0 changed, 0 rejected (1 table)" in lines
    assert "meta.rejected_rows" in lines[-1]


def test_no_message_when_nothing_changed():
    assert new_data_message([TableLoad("nyt_covid__us", 0, 0, 0)], "run", "job") is None
    assert new_data_message([], "run", "job") is None


# A fake load run: two loader assets of one source and a model that is not a loader.
@dg.asset(key=["raw", "cps_covid__district_totals"])
def fake_district_totals():
    return dg.MaterializeResult(metadata={"rows_added": 7, "rows_changed": 1, "rows_rejected": 0})


@dg.asset(key=["raw", "cps_covid__school_locations"])
def fake_school_locations():
    return dg.MaterializeResult(metadata={"rows_added": 5, "rows_changed": 0, "rows_rejected": 2})


@dg.asset(key=["marts", "fct_cases_daily"], deps=[fake_district_totals])
def fake_mart():
    return dg.MaterializeResult(metadata={"rows_added": 1000})


@dg.asset(key=["raw", "nyt_covid__us"])
def broken_loader():
    raise RuntimeError("nyt_covid/us.csv: missing column 'cases'")


def test_new_data_sensor_posts_the_rows_a_run_loaded(receiver):
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            [fake_district_totals, fake_school_locations, fake_mart], instance=instance
        )
        context = dg.build_run_status_sensor_context(
            sensor_name="new_data_alert",
            dagster_event=result.get_run_success_event(),
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            resources=receiving(receiver),
        )
        new_data_alert(context)
    _, _, body = receiver.next_post()
    assert set(body) == {"text"}
    lines = body["text"].splitlines()
    assert result.run_id[:8] in lines[0]
    # 7 + 5 added, 1 changed, 2 rejected; the mart's metadata is not a load.
    assert "• cps_covid: 12 rows added, 1 changed, 2 rejected (2 tables)" in lines
    assert len([line for line in lines if line.startswith("•")]) == 1
    receiver.assert_nothing_posted()


def test_run_failure_sensor_posts_the_failed_step_and_its_error(receiver):
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            [fake_district_totals, broken_loader], instance=instance, raise_on_error=False
        )
        assert not result.success
        context = dg.build_run_status_sensor_context(
            sensor_name="run_failure_alert",
            dagster_event=result.get_run_failure_event(),
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            resources=receiving(receiver),
        ).for_run_failure()
        run_failure_alert(context)
    _, _, failure = receiver.next_post()
    assert result.run_id in failure["text"]
    assert "raw__nyt_covid__us" in failure["text"]
    assert "missing column 'cases'" in failure["text"]
    # The data the run did load before failing is announced too.
    _, _, new_data = receiver.next_post()
    assert "• cps_covid: 7 rows added, 1 changed, 0 rejected (1 table)" in new_data["text"]


@dg.asset(key=["raw", "phac_canada__covid19"])
def unchanged_loader():
    return dg.MaterializeResult(metadata={"rows_added": 0, "rows_changed": 0, "rows_rejected": 0})


def test_an_in_process_run_that_changed_nothing_calls_for_no_message():
    with dg.DagsterInstance.ephemeral() as instance:
        quiet = dg.materialize([unchanged_loader], instance=instance)
        assert run_alerts(instance, quiet.dagster_run) == []
        loaded = dg.materialize([fake_district_totals], instance=instance)
        [message] = run_alerts(instance, loaded.dagster_run)
    assert "• cps_covid: 7 rows added, 1 changed, 0 rejected (1 table)" in message


# Checks that change state between runs: what a failing freshness check or drift test reports.
CHECK_STATES = {"drift": ("passed", None), "freshness": ("passed", None)}


@dg.asset(
    key=["raw", "hhs_hospital__patient_impact_state"],
    check_specs=[
        dg.AssetCheckSpec("freshness", asset=["raw", "hhs_hospital__patient_impact_state"]),
        dg.AssetCheckSpec("drift", asset=["raw", "hhs_hospital__patient_impact_state"]),
        dg.AssetCheckSpec("newest_data", asset=["raw", "hhs_hospital__patient_impact_state"]),
    ],
)
def checked_loader():
    yield dg.MaterializeResult(metadata={"rows_added": 0, "rows_changed": 0, "rows_rejected": 0})
    for name in ("freshness", "drift"):
        outcome, severity = CHECK_STATES[name]
        yield dg.AssetCheckResult(
            check_name=name,
            passed=outcome == "passed",
            severity=severity or dg.AssetCheckSeverity.WARN,
            description=f"{name} is {outcome}",
        )
    yield dg.AssetCheckResult(
        check_name="newest_data",
        passed=True,
        description="ended: hhs_hospital stopped publishing on 2024-05-01; newest data 2020-12-31",
        metadata={"state": "ended"},
    )


def run_checks(instance, receiver, states: dict, mute=()) -> list[str]:
    """Materialize with the check outcomes `states`; the check lines the webhook received."""
    CHECK_STATES.update(states)
    result = dg.materialize([checked_loader], instance=instance)
    context = dg.build_run_status_sensor_context(
        sensor_name="new_data_alert",
        dagster_event=result.get_run_success_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={
            "warehouse": Warehouse(Settings(alert_webhook=receiver.url, alert_mute=tuple(mute)))
        },
    )
    new_data_alert(context)
    if receiver.posts.empty():
        return []
    _, _, body = receiver.next_post()
    receiver.assert_nothing_posted()
    lines = body["text"].splitlines()
    assert (
        lines[0] == f"Checks changed state (job __ephemeral_asset_job__, run {result.run_id[:8]}):"
    )
    return lines[1:]


def test_a_failed_check_alerts_once_per_state_change(receiver):
    key = "raw/hhs_hospital__patient_impact_state"
    warn, error = dg.AssetCheckSeverity.WARN, dg.AssetCheckSeverity.ERROR
    with dg.DagsterInstance.ephemeral() as instance:
        first = run_checks(
            instance, receiver, {"drift": ("passed", None), "freshness": ("passed", None)}
        )
        stale = run_checks(instance, receiver, {"freshness": ("failed", warn)})
        still_stale = run_checks(instance, receiver, {})
        overdue = run_checks(instance, receiver, {"freshness": ("failed", error)})
        drifting_muted = run_checks(
            instance, receiver, {"drift": ("failed", warn)}, mute=[f"{key}:drift"]
        )
        recovered = run_checks(instance, receiver, {"freshness": ("passed", None)})
        by_name = run_checks(instance, receiver, {"freshness": ("failed", warn)}, mute=["fresh*"])

    # A first "passed" is not news; a source that ended is said once, on its first run.
    assert first == [
        f"• {key}:newest_data: ended: hhs_hospital stopped publishing on 2024-05-01; newest "
        "data 2020-12-31"
    ]
    assert stale == [f"• {key}:freshness: failed, WARN: freshness is failed"]
    assert still_stale == []  # the same state again: no message
    assert overdue == [f"• {key}:freshness: failed, ERROR: freshness is failed"]
    assert drifting_muted == []
    assert recovered == [f"• {key}:freshness: passing again (was ERROR)"]
    assert by_name == []


def test_the_mute_list_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("WAREHOUSE_ALERT_MUTE", "raw/*:newest_data, assert_case_sources_agree*")
    mute = Settings.from_env().alert_mute
    assert mute == ("raw/*:newest_data", "assert_case_sources_agree*")
    assert is_muted("raw/nyt_covid__us:newest_data", mute)
    assert is_muted("marts/fct_case_source_reconciliation:assert_case_sources_agree_x", mute)
    assert not is_muted("raw/nyt_covid__us:freshness", mute)
