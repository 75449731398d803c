"""Shared fixtures: the example pack, a fixed date, a Flask test client, a real companion process, the
packaged extension (built once per run).

Also, for every test and every companion or CLI process a test starts:
- POSTGUARD_TEST_MODE=1, so POSTGUARD_SYSTEM_CONFIG may play the system config (companion/settings.py);
- XDG_STATE_HOME in a temp folder of the test process's, not the developer's ~/.local/state;
- hypothesis profiles: "ci" (chosen when CI is set, or HYPOTHESIS_PROFILE=ci) runs derandomized, so a
  failure shows up on every run of the same code, and prints the @reproduce_failure blob and the
  seed; "dev" (the default) explores with new random examples each run and prints the blob too;
- --serial-tests=include|exclude|only for the tests marked serial (scripts/test runs the rest on two
  pytest-xdist workers, then these alone; see tests/e2e/README.md);
- under pytest-xdist, the labelled companies checked in the background from the start
  (tests/quality_prefetch.py), for test_quality.py, which runs last.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

os.environ["POSTGUARD_TEST_MODE"] = "1"
# What a test's own `postguard` commands keep (the compiled-pack cache above all) goes to a folder of the
# test process's, never to the developer's ~/.local/state; a test that needs a state folder sets its own.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="pg-test-state-")
atexit.register(shutil.rmtree, os.environ["XDG_STATE_HOME"], True)
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None, database=None)
hypothesis_settings.register_profile("dev", print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from companion_process import CompanionProcess  # noqa: E402
from file_order import longest_files_first  # noqa: E402
from support import EXAMPLE_PACK, TODAY, folder_lock, make_client  # noqa: E402,F401


def pytest_addoption(parser):
    parser.addoption("--serial-tests", choices=("include", "exclude", "only"), default="include",
                     help="tests marked serial (they change what every browser or process on the machine reads, "
                          "or print timings): run them with the rest (default), leave them out, or run only them. "
                          "scripts/test leaves them out of its parallel run (pytest -n 2), then runs them alone")


def pytest_configure(config):
    # A file runs whole on one worker: its tests share its module fixtures, and one after another they may
    # write what every browser of a kind reads (tests/e2e/test_firefox.py).
    if config.getoption("numprocesses", None) and config.getoption("dist", None) != "loadfile":
        raise pytest.UsageError("run the tests on several workers with --dist loadfile (as scripts/test does)")
    if config.getoption("numprocesses", None) and not hasattr(config, "workerinput"):
        config.stash[_quality_prefetch] = {"folder": Path(tempfile.mkdtemp(prefix="pg-quality-"))}


# Under pytest-xdist, the labelled companies are checked in the background from the moment a worker has
# collected the tests (tests/quality_prefetch.py), and test_quality.py, which reads the results, runs last.
_quality_prefetch = pytest.StashKey[dict]()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    from tests import quality_prefetch

    node.workerinput[quality_prefetch.WORKER_INPUT] = str(node.config.stash[_quality_prefetch]["folder"])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    from tests import quality_prefetch

    prefetch = node.config.stash[_quality_prefetch]
    names = sorted({i.split("[", 1)[1].rstrip("]") for i in ids if i.startswith("tests/test_quality.py::") and "[" in i})
    if names and "process" not in prefetch:
        prefetch["process"] = quality_prefetch.start(prefetch["folder"], names)


def pytest_unconfigure(config):
    prefetch = config.stash.get(_quality_prefetch, None)
    if prefetch:
        if "process" in prefetch:
            from tests import quality_prefetch

            quality_prefetch.stop(prefetch["process"])
        shutil.rmtree(prefetch["folder"], ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    which = config.getoption("serial_tests")
    if which != "include":
        keep, drop = [], []
        for item in items:
            (keep if (item.get_closest_marker("serial") is not None) == (which == "only") else drop).append(item)
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
        items[:] = longest_files_first(items)
        if any(i.get_closest_marker("serial") for i in items):
            raise pytest.UsageError("tests marked serial must run with no other test running: add --serial-tests=exclude "
                                    "to a parallel run and run them alone with --serial-tests=only (as scripts/test does)")


def _extension_timings(terminalreporter) -> None:
    """The timings tests/e2e/test_extension_sites.py records (record_property travels from pytest-xdist's
    workers; here, not in tests/e2e/conftest.py, which the controlling process never loads):
    taken beside the other test files, so upper bounds, not benchmarks (those are in bench/)."""
    timings, costs = {}, {}
    for report in terminalreporter.stats.get("passed", []):
        for key, value in getattr(report, "user_properties", ()):
            if key == "keystroke_to_underline_ms":
                timings[value[0]] = value[1]
            elif key == "content_script_cost":
                costs[value[0]] = value[1:]
    if not (timings or costs):
        return
    terminalreporter.write_sep("=", "extension timings (beside the other tests: upper bounds, not benchmarks)")
    if timings:
        vals = sorted(timings.values())
        terminalreporter.write_line(f"keystroke -> underline (the typing pause included): median {vals[len(vals) // 2]:.0f} ms, "
                                    f"max {vals[-1]:.0f} ms")
        for name, ms in sorted(timings.items()):
            terminalreporter.write_line(f"  {name:<11} {ms:6.0f} ms")
    if costs:
        terminalreporter.write_line("content-script cost while typing a long draft (avg render ms, max render ms, "
                                    "avg input-handler ms):")
        for name, (avg, most, inp) in sorted(costs.items()):
            terminalreporter.write_line(f"  {name:<11} {avg:5.2f} {most:6.2f} {inp:5.3f}")


def pytest_terminal_summary(terminalreporter, config):
    """The extension's timings, if those tests ran; with --durations, the test files that took longest, all
    their tests' phases together (what a worker spends on the file), so LONGEST_FILES (tests/file_order.py) can follow them."""
    _extension_timings(terminalreporter)
    if not config.getoption("durations"):
        return
    totals: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for r in reports:
            if getattr(r, "when", None) in ("setup", "call", "teardown"):
                name = r.nodeid.split("::")[0]
                totals[name] = totals.get(name, 0.0) + r.duration
    if totals:
        terminalreporter.write_sep("=", "slowest test files")
        for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:20]:
            terminalreporter.write_line(f"{seconds:8.1f}s  {name}")


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


@pytest.fixture(scope="session")
def extension_package(tmp_path_factory):
    """`scripts/package-extension FLAGS...` run once per variant and test run: extension_package("--store")
    -> the folder holding that package. It runs in a copy of the checkout's script and extension sources
    (no node_modules, no dist/), so npm ci and the build never rewrite the tree the browsers load. The
    first package is built as IT's plain run builds it (npm ci, then esbuild); the other variants package
    that same build (--no-build): one npm ci per run instead of one per packaging test. Under
    pytest-xdist the workers share it (the parent of their temp folders), the first one builds."""
    shared = tmp_path_factory.getbasetemp()
    root = (shared.parent if os.environ.get("PYTEST_XDIST_WORKER") else shared) / "extension-package"
    root.mkdir(exist_ok=True)
    checkout = root / "checkout"

    def package(*flags: str) -> Path:
        out = root / ("".join(flags).replace("-", "") or "plain")
        with folder_lock(root):
            if not checkout.exists():
                (checkout / "scripts").mkdir(parents=True)
                shutil.copy2(ROOT / "scripts" / "package-extension", checkout / "scripts")
                shutil.copytree(ROOT / "extension", checkout / "extension",
                                ignore=shutil.ignore_patterns("node_modules", "dist"))
            if not out.exists():
                build = ["--no-build"] if (checkout / "extension" / "dist").exists() else []
                subprocess.run([sys.executable, str(checkout / "scripts" / "package-extension"), *flags, *build,
                                "--out", str(out.with_suffix(".part"))], check=True, capture_output=True)
                out.with_suffix(".part").rename(out)
        return out

    return package
