"""The Firefox add-on's origin (`moz-extension://<uuid>`, a UUID Firefox draws per install): it may only
pair until it has redeemed a code; then it is accepted like the Chromium extension's fixed origin, for as
long as the token it paired with lasts. Web pages and other add-ons stay refused."""

from pathlib import Path

from companion.api.app import create_app
from companion.auth import PairedOrigins, TokenStore
from companion.packstate import PackHolder
from support import EXAMPLE_PACK, TODAY

ADDON = "moz-extension://5b2f6a4e-0c1d-4e5f-8a9b-7c6d5e4f3a21"
OTHER_ADDON = "moz-extension://0f6b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
CHECK = {"text": "hello there", "platform": "x"}


def app_over(state_dir: Path):
    holder = PackHolder(EXAMPLE_PACK)
    holder.load()
    return create_app(holder, state_dir, clock=lambda: TODAY)


def pair(client, app, origin, code=None):
    code = code or app.config["POSTGUARD_PAIRING"].new_code()
    return client.post("/v1/pair", json={"code": code}, headers={"Origin": origin})


def calls(client, origin, token):
    """The status of each kind of call from `origin` with the token: check (fast path), pack, hello."""
    h = {"Origin": origin, "Authorization": f"Bearer {token}"}
    return (client.post("/v1/check", json=CHECK, headers=h).status_code,
            client.get("/v1/pack", headers=h).status_code,
            client.post("/v1/hello", json={"nonce": "n" * 32}, headers=h).status_code)


def test_an_addon_that_has_not_paired_is_refused_even_with_the_token(tmp_path):
    app = app_over(tmp_path)
    client = app.test_client()
    token = app.config["POSTGUARD_TOKENS"].store.rotate()
    assert calls(client, ADDON, token) == (403, 403, 403)
    assert client.post("/v1/check", json=CHECK, headers={"Origin": ADDON, "Authorization": f"Bearer {token}"}
                       ).get_json()["error"]["code"] == "bad_origin"


def test_pairing_remembers_the_addon_origin_and_only_that_one(tmp_path):
    app = app_over(tmp_path)
    client = app.test_client()
    r = pair(client, app, ADDON, code="0000-0000")            # a wrong code: refused for the code, not the origin
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "bad_code"
    token = app.config["POSTGUARD_TOKENS"].store.ensure()
    assert calls(client, ADDON, token) == (403, 403, 403)   # a failed pairing remembers nothing

    r = pair(client, app, ADDON)
    assert r.status_code == 200
    token = r.get_json()["token"]
    assert calls(client, ADDON, token) == (200, 200, 200)
    assert calls(client, OTHER_ADDON, token) == (403, 403, 403)
    # no CORS grant is needed (Firefox's add-on fetches are privileged) and none is given to it
    assert "Access-Control-Allow-Origin" not in client.get("/v1/pack", headers={"Origin": ADDON}).headers


def test_web_pages_and_malformed_addon_origins_may_not_even_pair(tmp_path):
    app = app_over(tmp_path)
    client = app.test_client()
    for origin in ("https://evil.example", "null", "moz-extension://not-a-uuid",
                   "moz-extension://5B2F6A4E-0C1D-4E5F-8A9B-7C6D5E4F3A21", ADDON + "/", ADDON + ".evil.example"):
        r = pair(client, app, origin)
        assert r.status_code == 403 and r.get_json()["error"]["code"] == "bad_origin", origin


def test_the_origin_lasts_as_long_as_its_token(tmp_path):
    app = app_over(tmp_path)
    client = app.test_client()
    token = pair(client, app, ADDON).get_json()["token"]
    # a restarted companion over the same state folder still knows it
    again = app_over(tmp_path)
    assert calls(again.test_client(), ADDON, token) == (200, 200, 200)
    # `postguard pair --reset`: a new token voids the remembered origin too
    new = app.config["POSTGUARD_TOKENS"].store.rotate()
    assert calls(client, ADDON, new) == (403, 403, 403)
    assert pair(client, app, ADDON).status_code == 200
    assert calls(client, ADDON, new) == (200, 200, 200)


def test_the_list_is_private_bounded_and_ignores_other_origins(tmp_path):
    store = TokenStore(tmp_path)
    store.rotate()
    origins = PairedOrigins(store)
    origins.remember("chrome-extension://miangmhmallhfcpliiohpmjilaiflllc")   # configured, never remembered
    origins.remember("https://evil.example")
    assert not origins.file.exists()
    many = [f"moz-extension://00000000-0000-4000-8000-{i:012x}" for i in range(20)]
    for o in many:
        origins.remember(o)
    assert origins.file.stat().st_mode & 0o077 == 0
    assert [origins.allows(o) for o in many] == [False] * 4 + [True] * 16
