"""`postguard report --html` opened in real headless Chromium: twelve weeks of a champion's records
(the example pack's rule and reply ids) in a real file, the CLI writes the HTML, the browser loads it
from file:// and asks for nothing but the file itself (the charts are data: URIs), and the three charts
are drawn at their size. A full-page screenshot is saved (to docs/screenshots/ with
POSTGUARD_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys

import pytest

from harness import SCREENSHOT_DIR

pytest.importorskip("matplotlib", reason="the report extra: pip install -e '.[report]' (scripts/test installs it)")

RULES = [("conf.falcon-ridge", "confidential", 9), ("base.safety.alone-at-work", "safety", 7),
         ("base.safety.night-place", "safety", 5), ("base.speak.commitment", "speaking_for_company", 6),
         ("base.disclosure.mention", "disclosure", 4), ("builtin.phone", "personal_data", 5),
         ("base.tone.hostile", "tone", 3), ("base.escalate.legal", "escalation", 2), ("conf.kestrel", "confidential", 3)]
REPLIES = ["repair-referral", "unhappy-customer", "refund-request", "bad-review"]


def twelve_weeks(state_dir, today):
    from companion.records import RECORDS_FILE, open_records, store
    from companion.records.events import Answer, Event

    rng = random.Random(15)
    conn = open_records(state_dir / RECORDS_FILE)
    conv = 0
    for back in range(84):
        day = today - dt.timedelta(days=back)
        events = []
        for rule, cat, rate in RULES:
            for _ in range(rng.randrange(rate + 1)):
                events.append(Event("shown", rule, cat))
                r = rng.random()
                noisy = rule in ("base.safety.night-place", "base.tone.hostile")   # the pack's noisy ones
                if r < (0.15 if noisy else 0.45):
                    events.append(Event("fixed", rule, cat))
                elif r < (0.55 if noisy else 0.6):
                    events.append(Event("ignored", rule, cat))
                elif r < (0.65 if noisy else 0.63):
                    events.append(Event("wrong", rule, cat, rng.choice(["not_a_problem", "wrong_words", "none"])))
                elif r < 0.68:
                    events.append(Event("overridden", rule, cat))
        for _ in range(rng.randrange(3, 9)):
            conv += 1
            kind, target = rng.choice([("complaint", 120), ("question", 240), ("review", 1440)])
            minutes = int(rng.lognormvariate(4.4 - back / 84, 0.8))   # answers got faster over the quarter
            reply = rng.choice(REPLIES)
            events += [Event("reply_used", reply), Event("reply_answered", reply, answer=Answer(
                f"{conv:032x}", kind, target, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", minutes))]
        store.add(conn, [(day, events)])
    conn.close()


def test_the_html_report_loads_offline_in_chromium_with_its_charts(browser_context, tmp_path):
    state = tmp_path / "state" / "postguard"
    state.mkdir(parents=True)
    twelve_weeks(state, dt.date.today())
    out = tmp_path / "report.html"
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "companion", "report", "--since", "12w", "--html", str(out)],
                   env=env, check=True, capture_output=True, timeout=120)

    page = browser_context.new_page()
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert [u for u in asked if not u.startswith(("file://", "data:"))] == []
    charts = page.evaluate("() => [...document.querySelectorAll('figure img')].map((i) => ({w: i.naturalWidth,"
                           " h: i.naturalHeight, complete: i.complete, src: i.src.slice(0, 26)}))")
    assert len(charts) == 3, charts
    assert all(c["complete"] and c["w"] > 300 and c["h"] > 100 and c["src"] == "data:image/svg+xml;base64," for c in charts)
    text = page.evaluate("() => document.body.innerText")
    assert "base.safety.night-place" in text and "conversations answered" in text
    page.screenshot(path=str(SCREENSHOT_DIR / "report.png"), full_page=True)
    page.close()
