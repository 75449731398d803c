"""companion/atomicfile.py: a file is replaced whole or not at all, private from its first byte when asked."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from companion.atomicfile import write_atomically


def test_a_file_is_replaced_whole_and_no_temporary_file_is_left(tmp_path):
    target = tmp_path / "bundle.pgpack"
    target.write_bytes(b"old")
    write_atomically(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.pgpack"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_mode_is_what_was_asked_for(tmp_path):
    write_atomically(tmp_path / "tokens.json", b"{}", 0o600)
    write_atomically(tmp_path / "ready.json", b"{}")
    assert stat.S_IMODE(os.stat(tmp_path / "tokens.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "ready.json").st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "salt"
    target.write_bytes(b"old salt")

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new salt")
    assert target.read_bytes() == b"old salt"
    assert [p.name for p in tmp_path.iterdir()] == ["salt"]
