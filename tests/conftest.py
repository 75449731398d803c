"""Shared fixtures: the example pack, a fixed date, a Flask test client, a real companion process."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from companion_process import CompanionProcess  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PACK = ROOT / "policy_packs" / "example" / "nimbusco.yaml"
TODAY = dt.date(2026, 11, 23)   # pinned: public_after dates in the example pack must not drift the tests


@pytest.fixture(autouse=True, scope="session")
def memory_keyring():
    import keyring
    import keyring.backend

    class _Memory(keyring.backend.KeyringBackend):
        priority = -1     # never chosen on its own; set explicitly below

        def __init__(self):
            super().__init__()
            self.data = {}

        def get_password(self, service, username):
            return self.data.get((service, username))

        def set_password(self, service, username, password):
            self.data[(service, username)] = password

        def delete_password(self, service, username):
            self.data.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(_Memory())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def pack():
    from companion.pack.compiled import load_pack

    return load_pack(EXAMPLE_PACK)


@pytest.fixture
def today():
    return TODAY


def make_client(pack_path=EXAMPLE_PACK, paired=True, **kw):
    """A Flask test client (already sending the pairing token unless paired=False) and the pack holder."""
    import tempfile

    from companion.api.app import create_app
    from companion.packstate import PackHolder

    holder = PackHolder(pack_path)
    holder.load()
    app = create_app(holder, Path(tempfile.mkdtemp(prefix="pg-state-")), clock=lambda: TODAY, **kw)
    client = app.test_client()
    store = app.config["POSTGUARD_TOKENS"].store
    if paired:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {store.rotate()}"
    else:
        import keyring

        keyring.delete_password("postguard", "companion-token")   # the in-memory keyring is shared by tests
    client.application = app
    return client, holder


@pytest.fixture
def client():
    c, _ = make_client()
    return c


@pytest.fixture
def companion(tmp_path):
    c = CompanionProcess(tmp_path)
    yield c
    c.stop()
