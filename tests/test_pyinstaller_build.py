"""The self-contained build: PyInstaller makes a one-folder `postguard` with its own Python runtime
from packaging/pyinstaller/postguard.spec, built once for this module (about half a minute; marked
slow). The built program then runs with no Python of ours on its PATH: --version, a real check of the
example pack giving the same findings as the installed companion, a real serve answering /v1/health,
and the child process a pack update is compiled in (companion/packcompile.py runs
`sys.executable -m companion.packcompile`, which the frozen program dispatches itself).

PyInstaller comes with the test extra; without it the test fails with the reason, or is skipped where
POSTGUARD_ALLOW_SKIP_E2E=1 (a developer machine). The same spec builds on Windows and macOS runners;
that is not tested here (docs/it-guide.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "pyinstaller" / "postguard.spec"
EXAMPLE = ROOT / "policy_packs" / "example" / "nimbusco.yaml"
DRAFT = "Can't wait for Projct Falcn Ridge 🚀 — alone in the parking lot at 4 am"

pytestmark = pytest.mark.slow


def unavailable(reason: str):
    if os.environ.get("POSTGUARD_ALLOW_SKIP_E2E") == "1":
        pytest.skip(reason)
    pytest.fail(f"self-contained build prerequisites missing: {reason}\n(set POSTGUARD_ALLOW_SKIP_E2E=1 to skip "
                "instead; CI must not)", pytrace=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """dist/postguard/postguard, built from the spec in a temp folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        unavailable("PyInstaller is not installed: pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("pyinstaller")
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                           "--distpath", str(out / "dist"), "--workpath", str(out / "build"), str(SPEC)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-4000:]
    exe = out / "dist" / "postguard" / "postguard"
    assert exe.is_file() and os.access(exe, os.X_OK)
    return exe


def frozen_env(home: Path) -> dict:
    """No venv, no PYTHONPATH: only what the build holds. HOME and the state folder in `home`."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, "PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"), "XDG_DATA_HOME": str(home / "data"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_the_build_carries_its_own_python(built):
    internal = built.parent / "_internal"
    assert list(internal.glob("libpython3*.so*")), sorted(p.name for p in internal.iterdir())[:40]
    assert (internal / "companion" / "data" / "base-policy.yaml").is_file()


def test_the_build_holds_the_decoded_word_data_and_no_data_it_never_reads(built):
    """The word data decoded at build time where the frozen program looks for it (its sys.prefix is
    _internal), so no start decodes it again; of simplemma's and wordfreq's data only the languages the
    companion reads, and none of phonenumbers' geocoder, carrier or time-zone modules."""
    from companion.engine.language import worddata

    internal = built.parent / "_internal"
    data = internal / "share" / "postguard" / worddata.cache_file().name
    assert worddata._read(data) is not None, sorted(p.name for p in data.parent.glob("*"))
    dictionaries = internal / "simplemma" / "strategies" / "dictionaries" / "data"
    assert sorted(p.stem for p in dictionaries.iterdir()) == sorted(worddata.LANGUAGES)
    lists = [p.name for p in (internal / "wordfreq" / "data").iterdir()]
    assert "large_en.msgpack.gz" in lists and "small_bg.msgpack.gz" in lists
    assert {name.split(".")[0].split("_")[1] for name in lists} == set(worddata.LANGUAGES), lists
    # the modules are in the PYZ archive, listed in the build's table of contents
    modules = (built.parent.parent.parent / "build" / "postguard" / "PYZ-00.toc").read_text()
    assert "'phonenumbers.data.region_BG'" in modules and "'phonenumbers.phonenumbermatcher'" in modules
    assert "'phonenumbers.geodata" not in modules and "'phonenumbers.carrier" not in modules
    assert "'phonenumbers.timezone'" not in modules and "'phonenumbers.tzdata" not in modules


def test_version_and_a_real_check_give_what_the_installed_companion_gives(built, tmp_path):
    env = frozen_env(tmp_path)
    version = subprocess.run([str(built), "--version"], capture_output=True, text=True, env=env, timeout=60)
    assert version.returncode == 0 and version.stdout.strip() == "postguard 0.1.0", version.stderr
    frozen = subprocess.run([str(built), "check", "--json", "--pack", str(EXAMPLE), DRAFT],
                            capture_output=True, text=True, env=env, timeout=120)
    installed = subprocess.run([sys.executable, "-m", "companion", "check", "--json", "--pack", str(EXAMPLE), DRAFT],
                               capture_output=True, text=True, env={**os.environ, "HOME": str(tmp_path / "other")}, timeout=120)
    assert frozen.returncode == installed.returncode == 1, frozen.stderr
    got, want = json.loads(frozen.stdout), json.loads(installed.stdout)
    assert [(f["rule"], f["start"], f["end"]) for f in got["findings"]] == \
        [(f["rule"], f["start"], f["end"]) for f in want["findings"]]
    assert "conf.falcon-ridge" in {f["rule"] for f in got["findings"]}


def test_serve_answers(built, tmp_path):
    ready = tmp_path / "ready.json"
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(built), "serve", "--port", "0", "--ready-file", str(ready), "--pack", str(EXAMPLE)],
                                env=frozen_env(tmp_path), stdout=out, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            if ready.is_file() and ready.read_text().strip() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert proc.poll() is None, log.read_text()
        port = json.loads(ready.read_text())["port"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=10) as r:
            health = json.load(r)
        assert health["status"] == "ok" and health["pack"]["id"] == "nimbusco-social-policy"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "PostGuard companion on http://127.0.0.1" in log.read_text()


def test_a_pack_update_compiles_in_the_frozen_child(built, tmp_path, monkeypatch):
    """compile_apart as the serving companion calls it, with the frozen program as sys.executable."""
    from companion.pack.sources import Layer
    from companion.packcompile import compile_apart

    monkeypatch.setattr(sys, "executable", str(built))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert compile_apart(tmp_path / "cache", [Layer(EXAMPLE.name, EXAMPLE.read_bytes(), None)], None, None) is True
    assert [p.name for p in (tmp_path / "cache").iterdir()]                # the child wrote the cache entry
