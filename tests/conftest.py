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


@pytest.fixture(scope="session")
def pack():
    from companion.pack.compiled import load_pack

    return load_pack(EXAMPLE_PACK)


@pytest.fixture
def today():
    return TODAY


def make_client(pack_path=EXAMPLE_PACK, **kw):
    from companion.api.app import create_app
    from companion.packstate import PackHolder

    holder = PackHolder(pack_path)
    holder.load()
    app = create_app(holder, clock=lambda: TODAY, **kw)
    return app.test_client(), holder


@pytest.fixture
def client():
    c, _ = make_client()
    return c


@pytest.fixture
def companion(tmp_path):
    c = CompanionProcess(tmp_path)
    yield c
    c.stop()
