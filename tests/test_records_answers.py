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
