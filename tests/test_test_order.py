"""tests/file_order.py: the longest test files first, test_quality.py last of all."""

from __future__ import annotations

from types import SimpleNamespace

from file_order import LONGEST_FILES, longest_files_first


def items(counts: dict[str, int]) -> list:
    return [SimpleNamespace(nodeid=f"{name}::test_{i}") for name, n in counts.items() for i in range(n)]


def files_in_order(ordered: list) -> list[str]:
    return list(dict.fromkeys(item.nodeid.split("::")[0] for item in ordered))


def test_the_longest_files_first_then_the_most_tests_and_the_quality_file_last():
    counts = {"tests/test_quality.py": 1182, "tests/test_small.py": 3, "tests/test_many.py": 40,
              LONGEST_FILES[1]: 2, LONGEST_FILES[0]: 5}
    assert files_in_order(longest_files_first(items(counts))) == [
        LONGEST_FILES[0], LONGEST_FILES[1], "tests/test_many.py", "tests/test_small.py", "tests/test_quality.py"]


def test_each_file_keeps_its_tests_in_their_order():
    ordered = longest_files_first(items({"tests/test_a.py": 3, LONGEST_FILES[0]: 2}))
    assert [i.nodeid for i in ordered] == [f"{LONGEST_FILES[0]}::test_0", f"{LONGEST_FILES[0]}::test_1",
                                           "tests/test_a.py::test_0", "tests/test_a.py::test_1", "tests/test_a.py::test_2"]
