"""CI runs hypothesis derandomized and prints how to reproduce a failure (tests/conftest.py): the
same code fails the same way on every run, and the output carries the @reproduce_failure blob.
Checked by running pytest on a small failing property, twice, as CI would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

PROPERTY = '''
from hypothesis import given, settings, strategies as st


def test_the_profile():
    assert settings.default.derandomize and settings.default.print_blob


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=3))
def test_a_property_that_fails(xs):
    assert max(xs) < 1000
'''


def run(tmp_path: Path, **env) -> str:
    test = tmp_path / "test_prop.py"
    test.write_text(PROPERTY)
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
                          "--rootdir", str(tmp_path), str(test)], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120, env={**base, "PYTHONPATH": str(TESTS), **env})
    return out.stdout + out.stderr


def falsifying(output: str) -> str:
    m = re.search(r"(Falsifying example|Failing test case): test_a_property_that_fails\(.*?\)\n", output, re.S)
    assert m, output
    return m.group(0)


def test_ci_is_derandomized_and_prints_the_reproduce_blob(tmp_path):
    first, second = run(tmp_path, CI="true"), run(tmp_path, CI="true")
    for output in (first, second):
        assert "1 failed, 1 passed" in output, output
        assert "@reproduce_failure(" in output
    assert falsifying(first) == falsifying(second)
    # without CI the default profile explores with new random examples on each run: not derandomized
    assert "2 failed" in run(tmp_path)
    assert "1 failed, 1 passed" in run(tmp_path, HYPOTHESIS_PROFILE="ci")
