"""The order the test files run in under pytest-xdist (tests/conftest.py applies it)."""

from __future__ import annotations

# The test files that take longest, longest first, from the per-file totals a run prints with
# --durations ("slowest test files", tests/conftest.py). pytest-xdist hands each worker one file at a time,
# in the order collected here (scripts/test passes --no-loadscope-reorder); by default it would start the
# files with the most tests first, and a file of one long test (a package build) would start last and end
# the run minutes after the others. Files not named here follow, the ones with more tests first, and
# test_quality.py comes last.
LONGEST_FILES = (
    "tests/e2e/test_extension_sites.py", "tests/e2e/test_extension_failclosed.py",
    "tests/e2e/test_extension_resilience.py", "tests/e2e/test_extension_edges.py", "tests/test_packcache.py",
    "tests/test_pack_fleet.py", "tests/e2e/test_sidepanel.py", "tests/test_pyinstaller_build.py",
    "tests/test_pack_bundle.py", "tests/e2e/test_fixture_sites.py", "tests/e2e/test_learn.py",
    "tests/test_bench_adversarial.py", "tests/test_deb_package.py", "tests/test_it_guide_walkthrough.py",
    "tests/test_telemetry_process.py", "tests/test_bench_coldstart.py", "tests/test_config_reload.py",
    "tests/e2e/test_accessibility.py", "tests/test_security.py", "tests/e2e/test_firefox.py",
    "tests/test_quality_prefetch.py", "tests/test_managed_config.py", "tests/e2e/test_extension_zero_touch.py",
    "tests/e2e/test_your_week.py", "tests/e2e/test_typed_answer.py", "tests/test_zero_touch.py",
    "tests/e2e/test_handoff_card.py", "tests/test_pack_lifecycle.py", "tests/test_bench_quick.py",
    "tests/test_cli.py", "tests/test_it_tools.py", "tests/e2e/test_extension_pairing.py",
    "tests/e2e/test_response_clock.py",
)


def longest_files_first(items: list) -> list:
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)
    rank = {name: i for i, name in enumerate(LONGEST_FILES)}
    rest = len(LONGEST_FILES)
    # last of all (after the files with the most tests, not among them): it reads what was checked in the
    # background, and a worker that reached it earlier waited there while the other files waited for it
    rank["tests/test_quality.py"] = rest + 1
    order = sorted(by_file, key=lambda f: (rank.get(f, rest), -len(by_file[f])))
    return [item for f in order for item in by_file[f]]
