"""A hostile page in real headless Chromium attacks the companion: cross-origin fetch, a no-cors
"simple" POST, a form POST, and DNS rebinding. None gets a check result or the pack.

evil.example resolves to 127.0.0.1 here, so Chromium's Local Network Access rules do not step in:
the requests really reach the companion, and what stops them is the companion's own defences.
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import harness  # noqa: E402
from companion_process import TEST_PACK, CompanionProcess  # noqa: E402

ATTACKS = """async (base) => {
  const out = {};
  const body = JSON.stringify({text: 'Falcon Ridge', platform: 'x'});
  const attempt = async (name, fn) => {
    try { out[name] = await fn(); } catch (e) { out[name] = 'error: ' + e.name; }
  };
  await attempt('cors_get_pack', async () => (await fetch(base + '/v1/pack')).text());
  await attempt('cors_post_json', async () => (await fetch(base + '/v1/check',
      {method: 'POST', headers: {'Content-Type': 'application/json'}, body})).text());
  await attempt('cors_post_with_guessed_token', async () => (await fetch(base + '/v1/check',
      {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: 'Bearer guess'}, body})).text());
  await attempt('nocors_simple_post', async () => {
    const r = await fetch(base + '/v1/check', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body});
    return 'opaque:' + r.type + ':' + (await r.text());
  });
  await attempt('form_post', async () => new Promise((resolve) => {
    const frame = document.createElement('iframe'); frame.name = 'sink'; document.body.appendChild(frame);
    const form = document.createElement('form');
    form.method = 'POST'; form.action = base + '/v1/check'; form.target = 'sink'; form.enctype = 'text/plain';
    const input = document.createElement('input'); input.name = '{"text":"Falcon Ridge","platform":"x","x":"'; input.value = '"}';
    form.appendChild(input); document.body.appendChild(form);
    frame.onload = () => { let t; try { t = frame.contentDocument.body.innerText; } catch (e) { t = 'unreadable: ' + e.name; } resolve(t); };
    form.submit();
  }));
  return out;
}"""


@pytest.fixture
def victim(tmp_path):
    c = CompanionProcess(tmp_path, pack=TEST_PACK, extra_args=["--verbose"])   # so a served check would show
    yield c
    c.stop()


def test_a_hostile_page_gets_no_result_and_no_pack(victim, make_browser_context, fixture_sites):
    rules = fixture_sites.host_resolver_rules() + ", MAP rebind.example 127.0.0.1"
    ctx = make_browser_context(extra_args=[f"--host-resolver-rules={rules}"])
    page = harness.open_site(ctx, "https://evil.example/")
    results = page.evaluate(ATTACKS, f"http://127.0.0.1:{victim.port}")

    # DNS rebinding: the attacker's own name now points at 127.0.0.1, so the page would be same-origin
    # with the companion. The Host header gives it away.
    rebind = ctx.new_page()
    rebind.goto(f"http://rebind.example:{victim.port}/v1/pack")
    rebound = rebind.inner_text("body")

    everything = json.dumps(results) + rebound
    assert "Falcon" not in everything and "findings" not in everything and "replies" not in everything, everything
    assert results["cors_get_pack"].startswith("error: TypeError")
    assert results["cors_post_json"].startswith("error: TypeError")
    assert results["cors_post_with_guessed_token"].startswith("error: TypeError")
    assert results["nocors_simple_post"] == "opaque:opaque:"
    assert "bad_origin" in results["form_post"] or results["form_post"].startswith("unreadable")
    assert "bad_host" in rebound

    log = victim.log()
    lines = [line for line in log.splitlines() if "postguard.access" in line]
    # What the companion saw: refusals only — never a check or the pack served.
    assert lines, log
    assert not [line for line in lines if (" /v1/check 200" in line or " /v1/pack 200" in line)], lines
    assert any(" 403 " in line for line in lines) and any(" 400 " in line for line in lines)
