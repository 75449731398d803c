"""Shared fixtures: the example pack, a fixed date, a Flask test client, a real companion process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from companion_process import CompanionProcess  # noqa: E402
from support import EXAMPLE_PACK, TODAY, make_client  # noqa: E402,F401


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


@pytest.fixture
def client():
    c, _ = make_client()
    return c


@pytest.fixture
def companion(tmp_path):
    c = CompanionProcess(tmp_path)
    yield c
    c.stop()
