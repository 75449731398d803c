"""The push to IT's OpenTelemetry Collector, in this process: its settings (off by default, IT's alone
on a managed machine), the counts it takes from a real records file (none below 5), and real OTLP
requests made by the official SDK and exporter, received by a local OTLP/HTTP receiver that decodes
them with opentelemetry-proto. The running companion's push is tests/test_telemetry_process.py."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import socket

import pytest

from companion import __version__
from companion.packstate import PackHolder
from companion.records import open_records
from companion.records.events import Event
from companion.records.store import add
from companion.settings import Settings, SettingsError, SystemPlace, load_settings
from companion.telemetry import MIN_COUNT, Point, fleet_facts, fleet_points, program_points
from companion.telemetry.otlp import Metrics, as_json, request, resource_attributes
from companion.telemetry.push import TelemetryPush
from otlp_receiver import OtlpReceiver
from support import EXAMPLE_PACK

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def receiver():
    r = OtlpReceiver()
    yield r
    r.stop()


def shown(rule: str, category: str, n: int, event: str = "shown", reason: str = "") -> list[Event]:
    return [Event(event, rule, category, reason)] * n


@pytest.fixture
def records(tmp_path):
    """A real records file: this week's counts, some below 5, and older ones outside the 7 days."""
    path = tmp_path / "records.sqlite"
    conn = open_records(path)
    add(conn, [
        (TODAY, shown("conf.falcon-ridge", "confidential", 6) + shown("conf.falcon-ridge", "confidential", 4, "ignored")
         + shown("base.safety.night-place", "safety", 3)
         + shown("conf.falcon-ridge", "confidential", 5, "wrong", "wrong_words")
         + [Event("reply_used", "repair-referral")] * 7 + [Event("site_paused", "x")] * 2),
        (TODAY - dt.timedelta(days=6), shown("base.safety.night-place", "safety", 2)),   # 3 + 2: 5 in the week
        (TODAY - dt.timedelta(days=7), shown("conf.falcon-ridge", "confidential", 50)),  # before the week
    ])
    conn.close()
    return path


def test_counts_below_five_are_left_out_and_only_the_last_seven_days_count(records):
    points = {(p.metric, p.attributes): p.value for p in program_points(records, TODAY)}
    assert points == {
        ("postguard.rule.events", (("postguard.rule", "conf.falcon-ridge"), ("postguard.category", "confidential"),
                                   ("postguard.event", "shown"))): 6,
        ("postguard.rule.events", (("postguard.rule", "conf.falcon-ridge"), ("postguard.category", "confidential"),
                                   ("postguard.event", "wrong"))): 5,
        ("postguard.rule.events", (("postguard.rule", "base.safety.night-place"), ("postguard.category", "safety"),
                                   ("postguard.event", "shown"))): 5,
        ("postguard.category.events", (("postguard.category", "confidential"), ("postguard.event", "shown"))): 6,
        ("postguard.category.events", (("postguard.category", "confidential"), ("postguard.event", "wrong"))): 5,
        ("postguard.category.events", (("postguard.category", "safety"), ("postguard.event", "shown"))): 5,
        ("postguard.wrong.reasons", (("postguard.rule", "conf.falcon-ridge"), ("postguard.reason", "wrong_words"))): 5,
        ("postguard.reply.uses", (("postguard.reply_id", "repair-referral"),)): 7,
    }   # ignored 4 and site_paused 2: below 5; the 50 of eight days ago: outside the week
    assert MIN_COUNT == 5
    assert program_points(records.with_name("none.sqlite"), TODAY) == []   # nothing recorded yet


def test_a_first_version_records_file_gives_its_counts_and_is_not_changed(tmp_path):
    path = tmp_path / "records.sqlite"
    conn = open_records(path, upto=1)
    conn.execute("INSERT INTO rule_events VALUES (?, 'conf.falcon-ridge', 'confidential', 'shown', 9)",
                 (TODAY.isoformat(),))
    conn.close()
    assert [p.value for p in program_points(path, TODAY)] == [9, 9]   # per rule and per category
    conn = open_records(path, upto=1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1   # read only: not migrated by the push
    conn.close()


def test_fleet_points_are_the_facts_of_config_json():
    facts = {"version": "1.2.3", "status": "degraded", "reasons": ["update_refused", "pack_expires_soon"],
             "pack_id": "acme", "pack_revision": 12, "signature_expires_at": "2026-11-24T12:00:00Z",
             "refused_updates": 2}
    assert {(p.metric, p.attributes): p.value for p in fleet_points(facts, NOW)} == {
        ("postguard.companion.info", (("postguard.version", "1.2.3"),)): 1,
        ("postguard.health", (("postguard.health.status", "degraded"), ("postguard.health.reason", "update_refused"))): 1,
        ("postguard.pack.revision", (("postguard.pack.id", "acme"),)): 12,
        ("postguard.pack.signature.expiry", (("postguard.pack.id", "acme"),)): 86400,
        ("postguard.pack.updates.refused", ()): 2,
    }
    no_pack = {**facts, "status": "no_pack", "reasons": [], "pack_id": None, "pack_revision": None,
               "signature_expires_at": None, "refused_updates": None}
    assert [(p.metric, p.value) for p in fleet_points(no_pack, NOW)] == [
        ("postguard.companion.info", 1), ("postguard.health", 1), ("postguard.pack.updates.refused", 0)]


def holder() -> PackHolder:
    h = PackHolder(EXAMPLE_PACK, clock=lambda: TODAY)
    h.load()
    return h


@pytest.fixture
def pushes():
    """TelemetryPush threads started by a test, stopped after it (they would go on pushing)."""
    started: list[TelemetryPush] = []
    yield started
    for p in started:
        p.stop()


@pytest.fixture
def push_for(pushes):
    def make(endpoint: str | None, records, **kw) -> TelemetryPush:
        push = TelemetryPush(Settings(telemetry_endpoint=endpoint, **kw), holder(), records, clock=lambda: NOW)
        pushes.append(push)
        return push
    return make


def test_a_push_is_real_otlp_with_the_counts_and_the_fleet_health_and_no_user_or_host(receiver, records, monkeypatch,
                                                                                      push_for):
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", f"user.name={getpass.getuser()},host.name={socket.gethostname()}")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "someone-else")   # the SDK's variables do not reach the resource
    push = push_for(receiver.url, records)
    assert push.push_once()
    [got] = receiver.received
    assert got.path == "/v1/metrics" and got.headers["content-type"] == "application/x-protobuf"
    assert not receiver.bad
    points = got.points()
    assert points[("postguard.rule.events", (("postguard.category", "confidential"), ("postguard.event", "shown"),
                                             ("postguard.rule", "conf.falcon-ridge")))] == 6
    assert not [k for k in points if ("postguard.event", "ignored") in k[1] or ("postguard.site", "x") in k[1]]
    assert points[("postguard.companion.info", (("postguard.version", __version__),))] == 1
    assert points[("postguard.health", (("postguard.health.reason", "none"), ("postguard.health.status", "ok")))] == 1
    assert points[("postguard.pack.revision", (("postguard.pack.id", "nimbusco-social-policy"),))] >= 1
    assert points[("postguard.pack.updates.refused", ())] == 0
    assert not [k for k in points if k[0] == "postguard.pack.signature.expiry"]   # the example pack is unsigned
    resource = got.resource()
    assert set(resource) == {"service.name", "service.version", "service.instance.id"}
    assert (resource["service.name"], resource["service.version"]) == ("postguard-companion", __version__)
    for who in (getpass.getuser(), socket.gethostname(), socket.getfqdn()):
        assert who not in resource.values()
    # the preview's encoding of the same points (companion/cli.py) is what went over the wire
    metrics = Metrics(resource_attributes(push.settings, push.instance_id))
    assert without_times(as_json(request(metrics.collect(push.points())))) == without_times(got.json())


def without_times(payload):
    """The payload with its time stamps blanked: each collection has its own."""
    if isinstance(payload, dict):
        return {k: "0" if k.endswith("imeUnixNano") else without_times(v) for k, v in payload.items()}
    if isinstance(payload, list):
        return [without_times(v) for v in payload]
    return payload


def test_it_names_the_machine_only_when_it_says_so(receiver, records, push_for):
    push = push_for(receiver.url, records, telemetry_host_name=True,
                    telemetry_attributes={"host.id": "LAPTOP-0042", "deployment.environment": "emea"})
    assert push.push_once()
    resource = receiver.received[0].resource()
    assert (resource["host.name"], resource["host.id"], resource["deployment.environment"]) == (
        socket.gethostname(), "LAPTOP-0042", "emea")


def test_off_by_default_and_nothing_is_sent_without_an_endpoint(receiver, records, monkeypatch, push_for):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url.removesuffix("/v1/metrics"))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", receiver.url)   # the SDK's own variables: not used
    assert Settings().telemetry_endpoint is None
    push = push_for(None, records)
    assert push.push_once() is False
    assert receiver.received == [] and receiver.bad == []
    push.reconfigure(Settings(telemetry_endpoint=receiver.url))   # IT turns it on: the config is re-read
    assert push.push_once() and len(receiver.received) == 1


def test_a_collector_that_refuses_costs_one_log_line_until_it_works_again(receiver, records, caplog, push_for):
    caplog.set_level(logging.INFO, logger="postguard.telemetry")
    push = push_for(receiver.url, records, telemetry_interval=1)
    receiver.refuse_with = 404
    assert not push.push_once() and not push.push_once() and not push.push_once()
    receiver.refuse_with = None
    assert push.push_once()
    lines = [r.getMessage() for r in caplog.records if r.name == "postguard.telemetry"]
    failed = [m for m in lines if "failed" in m]
    assert len(failed) == 1 and "404" in failed[0] and receiver.url in failed[0], lines
    assert lines[-1] == f"telemetry: the push to {receiver.url} works again"
    assert len(receiver.received) == 1


def test_on_a_managed_machine_the_user_cannot_turn_it_on_nor_move_it(tmp_path, monkeypatch):
    system = tmp_path / "system.toml"
    system.write_text('telemetry_endpoint = "https://otel.corp.example:4318"\n')
    user = tmp_path / "user.toml"
    monkeypatch.setenv("POSTGUARD_CONFIG", str(user))
    place = SystemPlace(system, frozenset({__import__("os").geteuid(), 0}), test=True)
    s = load_settings(place=place)
    assert s.managed and s.telemetry_endpoint == "https://otel.corp.example:4318/v1/metrics"
    assert s.telemetry_interval == 3600
    for line in ('telemetry_endpoint = "http://127.0.0.1:9/v1/metrics"', 'telemetry_interval = "1s"',
                 'telemetry_attributes = {"user.name" = "me"}', "telemetry_host_name = true"):
        user.write_text(line + "\n")
        with pytest.raises(SettingsError, match="can only be set in the system-wide config"):
            load_settings(place=place)
    # unmanaged (no system config): the user's own file decides, as for everything else
    user.write_text('telemetry_endpoint = "http://127.0.0.1:4318/"\ntelemetry_interval = "5m"\n')
    s = load_settings(place=SystemPlace(tmp_path / "none.toml", frozenset({0}), test=True))
    assert (s.managed, s.telemetry_endpoint, s.telemetry_interval) == (False, "http://127.0.0.1:4318/v1/metrics", 300)


@pytest.mark.parametrize("line, error", [
    ('telemetry_endpoint = "otel.corp.example:4318"', "is not the http\\(s\\)://"),
    ('telemetry_endpoint = "ftp://otel.corp.example"', "is not the http\\(s\\)://"),
    ('telemetry_interval = "0s"', "telemetry_interval"),
    ('telemetry_interval = "soon"', "telemetry_interval"),
    ('telemetry_headers = {"x-api-key" = 12}', "telemetry_headers"),
    ("telemetry_host_name = 1", "telemetry_host_name"),
])
def test_bad_telemetry_settings_are_clear_errors(tmp_path, line, error):
    system = tmp_path / "system.toml"
    system.write_text(line + "\n")
    with pytest.raises(SettingsError, match=error):
        load_settings(place=SystemPlace(system, frozenset({__import__("os").geteuid(), 0}), test=True))


def test_fleet_facts_come_from_health():
    h = holder()
    facts = fleet_facts(h.health(details=False), __version__, h.refused_updates)
    assert (facts["status"], facts["pack_id"], facts["refused_updates"]) == ("ok", "nimbusco-social-policy", 0)


def test_metrics_come_in_one_order_whatever_had_values_first():
    """A running companion's first push may have no counts yet; later pushes list the metrics as a
    fresh `--preview-push` does."""
    counts = [Point("postguard.rule.events", 6, (("postguard.rule", "r"),))]
    fleet = fleet_points({"version": "1", "status": "ok", "reasons": [], "pack_id": None}, NOW)
    running = Metrics({"service.name": "postguard-companion"})
    running.collect(fleet)
    fresh = Metrics({"service.name": "postguard-companion"})

    def names(metrics):
        return [m["name"] for m in as_json(request(metrics.collect(counts + fleet)))["resourceMetrics"][0]
                ["scopeMetrics"][0]["metrics"]]
    assert names(running) == names(fresh) == ["postguard.rule.events", "postguard.companion.info", "postguard.health",
                                              "postguard.pack.updates.refused"]


def test_refused_updates_count_each_refused_update_once(tmp_path):
    from companion.pack.saved import LastGoodStore, RevisionStore
    from companion.pack.sources import FileSource

    pack = tmp_path / "pack.yaml"
    pack.write_bytes(EXAMPLE_PACK.read_bytes())
    h = PackHolder(FileSource(pack), clock=lambda: TODAY)
    h.load()
    pack.write_text("format: postguard/pack-v1\nid: acme\nrevision: 2\nconfidential: [Grey Heron\n")
    h.load()
    h.load()
    assert h.refused_updates == 1 and h.health(details=False)["refused_updates"] == 1
    h.reconfigure(FileSource(pack), [], RevisionStore(None), LastGoodStore(None), True, 14, 2.0)   # a config re-read
    h.load()
    assert h.refused_updates == 1
    pack.write_text("format: postguard/pack-v1\nid: acme\nrevision: 3\nconfidential: [Grey Heron\n")
    h.load()
    assert h.refused_updates == 2
