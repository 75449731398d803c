"""The push to IT's OpenTelemetry Collector from a REAL companion process (`postguard serve`, turned on
in a system config as IT would), received by a local OTLP/HTTP receiver that decodes every request
with the official opentelemetry-proto classes: the counts of the local records (none below 5) and
fleet health; `postguard report --preview-push` prints the same payload; marker text sent through
every draft and event path is in no push; a dead collector costs one log line and no check; and
without IT's endpoint nothing is sent at all."""

from __future__ import annotations

import getpass
import http.client
import json
import socket
import time

import pytest

from companion import __version__
from companion_process import EXAMPLE_PACK, CompanionProcess, free_port
from otlp_receiver import OtlpReceiver
from test_pack_fleet import Fleet

MARKER = "Zqx7MarkerTelemetry"
SHOWN = ("postguard.rule.events", (("postguard.category", "confidential"), ("postguard.event", "shown"),
                                   ("postguard.rule", "conf.blue-heron")))


@pytest.fixture
def receiver():
    r = OtlpReceiver()
    yield r
    r.stop()


def call(c: CompanionProcess, method: str, path: str, body=None, headers=None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
    data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
    conn.request(method, path, body=data, headers={"Host": f"127.0.0.1:{c.port}", **(headers or {})})
    status = conn.getresponse().status
    conn.close()
    return status


def normalized(node, metric: str | None = None):
    """A payload with what differs between two collections blanked: the times, the random
    service.instance.id and the seconds left until the signature expires (checked apart)."""
    if isinstance(node, list):
        return [normalized(v, metric) for v in node]
    if not isinstance(node, dict):
        return node
    if node.get("key") == "service.instance.id":
        return {"key": node["key"], "value": "*"}
    metric = node.get("name", metric) if ("gauge" in node or "sum" in node) else metric
    return {k: "*" if k.endswith("imeUnixNano") or (k == "asInt" and metric == "postguard.pack.signature.expiry")
            else normalized(v, metric) for k, v in node.items()}


def diff(a: dict, b: dict) -> str:
    import difflib

    lines = [json.dumps(normalized(x), indent=1, sort_keys=True).splitlines() for x in (a, b)]
    return "\n".join(difflib.unified_diff(*lines, "preview", "pushed", lineterm="", n=2))


def expiry_seconds(payload: dict) -> int:
    [rm] = payload["resourceMetrics"]
    [m] = [m for m in rm["scopeMetrics"][0]["metrics"] if m["name"] == "postguard.pack.signature.expiry"]
    return int(m["gauge"]["dataPoints"][0]["asInt"])


def test_a_running_companion_pushes_the_weeks_counts_and_fleet_health_and_preview_shows_the_same(tmp_path, receiver):
    fleet = Fleet(tmp_path)
    try:
        with open(fleet.system_config, "a") as f:   # IT turns the push on
            f.write(f'telemetry_endpoint = "{receiver.url}"\ntelemetry_interval = "1s"\n')
        fleet.publish_signed(1)
        fleet.start()
        token = fleet.token()
        rule = {"rule": "conf.blue-heron", "category": "confidential"}
        events = ([{"event": "shown", **rule}] * 6 + [{"event": "ignored", **rule}] * 3
                  + [{"event": "site_paused", "site": "x"}] * 5)
        assert fleet.call("POST", "/v1/records", {"events": events}, token=token)[0] == 202
        fleet.publish(data=b"format: postguard/pack-v1\nid: acme\nrevision: 2\nconfidential: [Grey Heron\n")
        fleet.wait_health(lambda h: h["status"] == "degraded")

        got = receiver.wait_for(lambda r: SHOWN in r.points()
                                and r.points()[("postguard.pack.updates.refused", ())] == 1)
        points = got.points()
        assert points[SHOWN] == 6
        assert points[("postguard.category.events", (("postguard.category", "confidential"),
                                                     ("postguard.event", "shown")))] == 6
        assert points[("postguard.site.events", (("postguard.event", "site_paused"), ("postguard.site", "x")))] == 5
        assert not [k for k in points if ("postguard.event", "ignored") in k[1]]   # 3: below 5
        assert points[("postguard.companion.info", (("postguard.version", __version__),))] == 1
        assert points[("postguard.health", (("postguard.health.reason", "update_refused"),
                                            ("postguard.health.status", "degraded")))] == 1
        assert points[("postguard.pack.revision", (("postguard.pack.id", "acme"),))] == 1
        left = points[("postguard.pack.signature.expiry", (("postguard.pack.id", "acme"),))]
        assert 89 * 86400 < left <= 90 * 86400
        resource = got.resource()
        assert set(resource) == {"service.name", "service.version", "service.instance.id"}
        for who in (getpass.getuser(), socket.gethostname(), socket.getfqdn()):
            assert who not in resource.values()
        assert not receiver.bad

        fleet.config()   # the employee's config names the companion's port, as on a real machine
        since = len(receiver.received)
        preview = json.loads(fleet.companion.cli("report", "--preview-push"))
        pushed = receiver.wait_for(lambda r: True, since=since).json()   # the next push
        assert normalized(preview) == normalized(pushed), diff(preview, pushed)
        assert abs(expiry_seconds(preview) - expiry_seconds(pushed)) < 60
        assert "telemetry: pushing counts (none below 5) and fleet health to " + receiver.url in fleet.companion.log()
    finally:
        fleet.close()


def test_marker_text_in_every_draft_and_event_path_is_in_no_push(tmp_path, receiver):
    system = tmp_path / "system-config.toml"
    system.write_text(f'pack = "{EXAMPLE_PACK}"\ntelemetry_endpoint = "{receiver.url}"\ntelemetry_interval = "1s"\n')
    c = CompanionProcess(tmp_path, pack=None, extra_env={"POSTGUARD_SYSTEM_CONFIG": str(system)},
                         extra_args=["--verbose"])
    try:
        auth = {"Authorization": f"Bearer {c.token()}"}
        j = {"Content-Type": "application/json", **auth}
        m = MARKER
        rule = {"rule": "conf.falcon-ridge", "category": "confidential"}
        calls = [
            ("POST", "/v1/check", {"text": f"{m} Falcon Ridge alone in the parking lot at 4 am", "platform": "x"}, j, 200),
            ("POST", "/v1/check", {"text": m, "platform": "x", "replying_to": f"{m} I will sue", "account": m}, j, 200),
            ("POST", f"/v1/check?{m}=1", {"text": m, "platform": "x"}, j, 200),
            ("POST", "/v1/check", {"text": m, "platform": m}, j, 400),
            ("POST", "/v1/replies/render", {"reply_id": "repair-referral", "platform": "x",
                                            "values": {"customer_name": m}}, j, 200),
            ("POST", "/v1/replies/render", {"reply_id": m, "platform": "x"}, j, 404),
            ("POST", "/v1/replies/suggest", {"replying_to": f"{m} my blender broke", "platform": "x"}, j, 200),
            ("POST", "/v1/hello", {"nonce": m * 2}, j, 200),
            ("POST", "/v1/pair", {"code": m[:20]}, j, 401),
            ("GET", f"/v1/{m}", None, auth, 404),
            ("POST", "/v1/records", {"events": [{"event": "shown", **rule}] * 5 + [{"event": "fixed", **rule}] * 5
                                     + [{"event": "wrong", **rule, "reason": "wrong_words"}] * 5
                                     + [{"event": "reply_used", "reply_id": "repair-referral"}] * 5
                                     + [{"event": "site_paused", "site": "x"}] * 5}, j, 202),
            ("POST", "/v1/records", {"events": [{"event": m}]}, j, 400),
            ("POST", "/v1/records", {"events": [{"event": "shown", "rule": m, "category": "confidential"}]}, j, 400),
            ("POST", "/v1/records", {"events": [{"event": "shown", "rule": "conf.falcon-ridge", "category": m}]}, j, 400),
            ("POST", "/v1/records", {"events": [{"event": "wrong", **rule, "reason": m}]}, j, 400),
            ("POST", "/v1/records", {"events": [{"event": "fixed", **rule, "excerpt": m}]}, j, 400),
            ("POST", "/v1/records", {"events": [{"event": "reply_used", "reply_id": m}]}, j, 400),
            ("POST", "/v1/records", {"events": [{"event": "site_resumed", "site": m}]}, j, 400),
            ("POST", "/v1/records", {"events": [{"event": "shown", **rule}], m: m}, j, 400),
        ]
        for method, path, body, headers, status in calls:
            assert call(c, method, path, body, headers) == status, (method, path, body)
        since = len(receiver.received)
        got = receiver.wait_for(lambda r: ("postguard.reply.uses", (("postguard.reply_id", "repair-referral"),))
                                in r.points(), since=since)
        names = {name for name, _ in got.points()}
        assert {"postguard.rule.events", "postguard.category.events", "postguard.wrong.reasons",
                "postguard.reply.uses", "postguard.site.events", "postguard.health"} <= names
        receiver.wait_for(lambda r: True, since=len(receiver.received))   # one more, after everything settled
        user_config = tmp_path / "config" / "postguard" / "config.toml"
        user_config.parent.mkdir(parents=True, exist_ok=True)
        user_config.write_text(f"port = {c.port}\n")
        preview = c.cli("report", "--preview-push")
        assert receiver.received and not receiver.bad
        for r in receiver.received:
            assert m.encode() not in r.body
        assert m not in preview and "conf.falcon-ridge" in preview
        assert m not in c.log()
    finally:
        c.stop()


def test_a_dead_collector_costs_one_log_line_and_no_check(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}/v1/metrics"
    system = tmp_path / "system-config.toml"
    system.write_text(f'pack = "{EXAMPLE_PACK}"\ntelemetry_endpoint = "{dead}"\ntelemetry_interval = "1s"\n')
    c = CompanionProcess(tmp_path, pack=None, extra_env={"POSTGUARD_SYSTEM_CONFIG": str(system)})
    try:
        j = {"Content-Type": "application/json", "Authorization": f"Bearer {c.token()}"}
        deadline = time.monotonic() + 5   # several pushes fail meanwhile (one a second)
        checks = 0
        while time.monotonic() < deadline:
            assert call(c, "POST", "/v1/check", {"text": f"{MARKER} Falcon Ridge", "platform": "x"}, j) == 200
            checks += 1
        lines = [line for line in c.log().splitlines() if "telemetry" in line]
        failed = [line for line in lines if "failed" in line]
        assert len(failed) == 1 and dead in failed[0], lines
        assert checks > 10 and MARKER not in c.log()
    finally:
        c.stop()


def test_without_its_endpoint_nothing_is_sent_and_setting_one_turns_it_on(tmp_path, receiver):
    # an unmanaged machine: the user's own config decides; the SDK's own variables point at the receiver,
    # so anything sent without PostGuard's endpoint would arrive there
    user_config = tmp_path / "config" / "postguard" / "config.toml"
    user_config.parent.mkdir(parents=True)
    user_config.write_text('telemetry_interval = "1s"\n')
    c = CompanionProcess(tmp_path, extra_env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url.removesuffix("/v1/metrics"),
                                              "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": receiver.url})
    try:
        j = {"Content-Type": "application/json", "Authorization": f"Bearer {c.token()}"}
        rule = {"rule": "conf.falcon-ridge", "category": "confidential"}
        assert call(c, "POST", "/v1/records", {"events": [{"event": "shown", **rule}] * 6}, j) == 202
        assert call(c, "POST", "/v1/check", {"text": "Falcon Ridge", "platform": "x"}, j) == 200
        time.sleep(4)   # four intervals
        assert receiver.received == [] and receiver.bad == []
        assert "telemetry" not in c.log()

        user_config.write_text(f'telemetry_interval = "1s"\ntelemetry_endpoint = "{receiver.url}"\n')
        got = receiver.wait_for(lambda r: True)
        assert got.points()[("postguard.rule.events", (("postguard.category", "confidential"),
                                                       ("postguard.event", "shown"),
                                                       ("postguard.rule", "conf.falcon-ridge")))] == 6
    finally:
        c.stop()
