"""Champions' answers in the local records: the reply_answered event (conversation URL only as a
salted hash, the customer's message time and the answer time, minutes to answer, the pack's target for
its kind), the salt file, the schema, and the report's response section."""

import datetime as dt
import json
import stat

import pytest

from companion.pack.compiled import load_pack
from companion.records import RecordWriter, open_records, parse_events, store
from companion.records.events import EventError, response_targets, target_minutes
from companion.records.salt import SALT_FILE, ConversationHasher
from support import EXAMPLE_PACK, TODAY, make_client

PACK = load_pack(EXAMPLE_PACK)
REPLY = PACK.canned_replies[0].id
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)
URL = "https://x.com/acme/status/1#2026-11-30T10:00:00.000Z"


def answer(**kw):
    return {"event": "reply_answered", "reply_id": REPLY, "conversation": URL, "kind": "complaint",
            "posted_at": "2026-11-30T10:00:00.000Z", "answered_at": "2026-11-30T11:35:20.000Z", **kw}


def parse(*events, hasher=None):
    return parse_events({"events": list(events)}, PACK, hasher or (lambda url: f"h({len(url)})"), now=NOW)


def test_targets_are_read_from_the_pack():
    assert response_targets(PACK) == {"complaint": 120, "question": 240, "review": 1440}
    assert [target_minutes(w) for w in ("15m", "2 hours", "1 business day", "3d", "soon", None)] == \
        [15, 120, 1440, 4320, None, None]


def test_an_answer_parses_to_hash_times_and_minutes():
    (e,) = parse(answer())
    assert e.event == "reply_answered" and e.key == REPLY
    a = e.answer
    assert (a.conversation, a.kind, a.target_minutes) == (f"h({len(URL)})", "complaint", 120)
    assert (a.posted_at, a.answered_at, a.minutes) == ("2026-11-30T10:00:00Z", "2026-11-30T11:35:20Z", 95)
    (other_zone,) = parse(answer(posted_at="2026-11-30T11:00:00+01:00"))
    assert other_zone.answer.posted_at == "2026-11-30T10:00:00Z"


@pytest.mark.parametrize("change, where", [
    ({"conversation": "x.com/acme/status/1"}, "conversation"),
    ({"conversation": "https://x.com/a b"}, "conversation"),
    ({"conversation": "https://x.com/" + "a" * 2100}, "conversation"),
    ({"kind": "gossip"}, "kind"),
    ({"posted_at": "Zqx7 yesterday"}, "posted_at"),
    ({"posted_at": "2026-11-30T10:00:00"}, "zone"),
    ({"answered_at": "2026-11-20T10:00:00Z", "posted_at": "2026-11-20T09:00:00Z"}, "within a day of now"),
    ({"posted_at": "2026-11-30T11:50:00Z"}, "before answered_at"),
    ({"posted_at": "2025-10-01T10:00:00Z"}, "a year"),
    ({"text": "Zqx7"}, "unknown field"),
    ({"reply_id": "Zqx7"}, "reply_id"),
])
def test_bad_answers_are_refused_without_quoting_them(change, where):
    with pytest.raises(EventError) as e:
        parse(answer(**change))
    assert where in str(e.value)
    assert "Zqx7" not in str(e.value) and "x.com" not in str(e.value)


def test_a_hand_typed_answer_is_recorded_under_the_fixed_word_typed():
    (e,) = parse(answer(reply_id="typed", kind="question"))
    assert e.key == "typed" and (e.answer.kind, e.answer.target_minutes, e.answer.minutes) == ("question", 240, 95)
    with pytest.raises(EventError, match="reply_id"):    # "typed" is an answer's word, not a canned reply's
        parse({"event": "reply_used", "reply_id": "typed"})


def test_a_message_kind_the_pack_sets_no_target_for_is_kept_without_a_target():
    from companion_process import TEST_PACK

    pack = load_pack(TEST_PACK)     # complaint and question only
    assert "review" not in response_targets(pack)
    (e,) = parse_events({"events": [answer(reply_id="typed", kind="review")]}, pack, lambda u: "h", now=NOW)
    assert (e.answer.kind, e.answer.target_minutes) == ("review", None)


def test_a_few_minutes_of_clock_skew_between_site_and_machine_count_as_zero():
    (e,) = parse(answer(posted_at="2026-11-30T11:40:00Z"))
    assert e.answer.minutes == 0


def test_answers_cannot_be_recorded_without_a_hasher():
    with pytest.raises(EventError, match="cannot be recorded"):
        parse_events({"events": [answer()]}, PACK, None, now=NOW)


def test_the_salt_is_made_once_for_the_user_alone_and_the_hash_hides_the_url(tmp_path):
    path = tmp_path / "state" / SALT_FILE
    h = ConversationHasher(path)
    first = h(URL)
    assert len(first) == 32 and URL not in first and first == h(URL) != h(URL + "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(path.read_bytes()) == 32
    assert ConversationHasher(path)(URL) == first                    # the same salt next time
    assert ConversationHasher(tmp_path / "other" / SALT_FILE)(URL) != first   # another user's salt, another hash


def test_answers_are_stored_as_rows_with_the_hash_never_the_url(tmp_path):
    conn = open_records(tmp_path / "records.sqlite")
    hasher = ConversationHasher(tmp_path / SALT_FILE)
    store.add(conn, [(TODAY, parse(answer(), answer(answered_at="2026-11-30T11:50:00Z"), hasher=hasher))])
    rows = conn.execute("SELECT day, conversation, reply_id, kind, target_minutes, minutes FROM answers").fetchall()
    assert rows == [(TODAY.isoformat(), hasher(URL), REPLY, "complaint", 120, 95),
                    (TODAY.isoformat(), hasher(URL), REPLY, "complaint", 120, 110)]
    assert store.forget(conn, TODAY + dt.timedelta(days=1)) == 2


def test_the_route_hashes_the_conversation_with_the_salt_beside_the_records(tmp_path):
    writer = RecordWriter(tmp_path / "records.sqlite", clock=lambda: TODAY, flush_every=0.05)
    client, _ = make_client(records=writer)
    now = dt.datetime.now(dt.timezone.utc)
    body = answer(posted_at=(now - dt.timedelta(minutes=30)).isoformat(), answered_at=now.isoformat())
    r = client.post("/v1/records", json={"events": [body]})
    assert r.status_code == 202, r.get_json()
    assert writer.flush()
    writer.close()
    conn = open_records(tmp_path / "records.sqlite")
    ((conversation, minutes),) = conn.execute("SELECT conversation, minutes FROM answers").fetchall()
    assert conversation == ConversationHasher(tmp_path / SALT_FILE)(URL) and minutes == 30
    cells = json.dumps([list(r) for r in conn.execute("SELECT * FROM answers")])
    assert "x.com" not in cells and "acme" not in cells


# ---- the report's response section ----------------------------------------------------------------

def seeded_answers(tmp_path):
    """Two weeks of answers; conversation c1 answered twice (its first answer counts)."""
    from companion.records.events import Answer, Event

    conn = open_records(tmp_path / "records.sqlite")

    def a(conv, minutes, target=120, kind="complaint", at="2026-11-16T10:00:00Z"):
        return Event("reply_answered", REPLY, answer=Answer(conv, kind, target, "2026-11-16T08:00:00Z", at, minutes))
    store.add(conn, [
        (dt.date(2026, 11, 16), [a("c1", 30), a("c1", 400, at="2026-11-16T18:00:00Z"), a("c2", 90), a("c3", 200),
                                 a("q1", 300, target=240, kind="question")]),
        (dt.date(2026, 11, 24), [a("c4", 10), a("r1", 50, target=None, kind="press")]),
    ])
    return conn


def test_the_report_counts_each_conversation_once_with_median_p90_and_share_in_target(tmp_path):
    from companion.records import report as records_report
    from companion.records.responses import nearest_rank

    r = records_report.build(seeded_answers(tmp_path), dt.date(2026, 11, 1), dt.date(2026, 11, 29))["responses"]
    # first answers: c1 30, c2 90, c3 200, q1 300, c4 10, r1 50 (no target)
    assert (r["answered"], r["median_minutes"], r["p90_minutes"]) == (6, 50, 300)
    assert (r["within_target"], r["within_target_share"]) == (3, 0.6)
    assert [(w["week"], w["answered"], w["median_minutes"], w["within_target_share"]) for w in r["weeks"]] == \
        [("2026-W47", 4, 90, 0.5), ("2026-W48", 2, 10, 1.0)]
    assert r["kinds"]["question"]["within_target"] == 0 and r["kinds"]["press"]["within_target_share"] is None
    assert nearest_rank([], 0.5) is None and nearest_rank([5], 0.9) == 5 and nearest_rank(list(range(1, 11)), 0.9) == 9


def test_the_response_section_in_text_and_csv(tmp_path):
    from companion.records import report as records_report

    r = records_report.build(seeded_answers(tmp_path), dt.date(2026, 11, 1), dt.date(2026, 11, 29))
    lines = "\n".join(records_report.text(r, tmp_path / "records.sqlite"))
    assert "answered conversations 6: median 50 min, p90 5 h 00 min, within target 3 (60%)" in lines
    assert "2026-W47" in lines and "question" in lines
    records_report.write_csv(r, tmp_path / "csv")
    rows = (tmp_path / "csv" / "weekly_responses.csv").read_text().splitlines()
    assert rows == ["week,answered,median_minutes,p90_minutes,within_target,within_target_share",
                    "2026-W47,4,90,300,2,0.5", "2026-W48,2,10,50,1,1.0"]


def test_a_real_companion_records_an_answer_and_report_json_shows_it(tmp_path):
    from support import CompanionProcess

    c = CompanionProcess(tmp_path)
    try:
        now = dt.datetime.now(dt.timezone.utc)
        body = {"events": [answer(posted_at=(now - dt.timedelta(minutes=75)).isoformat(), answered_at=now.isoformat())]}
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=10)
        conn.request("POST", "/v1/records", body=json.dumps(body), headers={
            "Host": f"127.0.0.1:{c.port}", "Content-Type": "application/json", "Authorization": f"Bearer {c.token()}"})
        assert conn.getresponse().status == 202
    finally:
        c.stop()
    r = json.loads(c.cli("report", "--json", "--since", "2d"))["responses"]
    assert (r["answered"], r["median_minutes"], r["within_target"]) == (1, 75, 1)
    assert "answered conversations 1: median 1 h 15 min" in c.cli("report", "--since", "2d")


# ---- GET /v1/records/week: the side panel's "Your week" ----------------------------------------------

def test_the_week_route_needs_the_token_and_sums_the_last_seven_days(tmp_path):
    writer = RecordWriter(tmp_path / "records.sqlite", clock=lambda: TODAY, flush_every=0.05)
    unpaired, _ = make_client(paired=False, records=writer)   # first: it clears the tests' shared keyring
    assert unpaired.get("/v1/records/week").status_code == 401
    client, _ = make_client(records=writer)
    empty = client.get("/v1/records/week").get_json()
    assert empty["findings"]["shown"] == 0 and empty["responses"]["answered"] == 0
    assert (empty["since"], empty["until"]) == ((TODAY - dt.timedelta(days=6)).isoformat(), TODAY.isoformat())

    conn = open_records(tmp_path / "records.sqlite")
    from companion.records.events import Event
    old = TODAY - dt.timedelta(days=7)
    store.add(conn, [(old, [Event("shown", "conf.falcon-ridge", "confidential")] * 5)])   # outside the week
    conn.close()
    now = dt.datetime.now(dt.timezone.utc)
    events = [{"event": "shown", "rule": "conf.falcon-ridge", "category": "confidential"}] * 4 + [
        {"event": "ignored", "rule": "conf.falcon-ridge", "category": "confidential"},
        {"event": "reply_used", "reply_id": REPLY},
        answer(posted_at=(now - dt.timedelta(minutes=45)).isoformat(), answered_at=now.isoformat())]
    assert client.post("/v1/records", json={"events": events}).status_code == 202
    week = client.get("/v1/records/week").get_json()     # the route waits for the queued batch
    writer.close()
    assert (week["findings"]["shown"], week["findings"]["ignored"], week["findings"]["rates"]["ignored"]) == (4, 1, 0.25)
    assert week["noisiest"] == [{"rule": "conf.falcon-ridge", "category": "confidential", "shown": 4, "noise": 1}]
    assert week["responses"] == {"answered": 1, "median_minutes": 45, "p90_minutes": 45, "within_target": 1,
                                 "within_target_share": 1.0}
    assert week["replies_used"] == 1
