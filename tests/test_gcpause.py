"""The collector waits while checks run and comes back after the last one (companion/engine/gcpause.py)."""

import gc
import threading

from companion.engine import check as check_module
from companion.engine.check import CheckRequest, check
from companion.engine.gcpause import collector_paused
from companion.pack.compiled import compile_pack

PACK = {"format": "postguard/pack-v1", "id": "p", "revision": 1, "company": {"name": "Acme"},
        "confidential": [{"term": "Project Falcon", "reason": "unreleased"}]}


def test_a_check_runs_with_the_collector_off_and_turns_it_back_on(monkeypatch):
    pack = compile_pack(PACK)
    seen = []
    real = check_module.context_for
    monkeypatch.setattr(check_module, "context_for", lambda p, r: seen.append(gc.isenabled()) or real(p, r))
    assert gc.isenabled()
    report = check(pack, CheckRequest("Project Falcon ships soon", "x"))
    assert [f.category for f in report.findings] == ["confidential"]
    assert seen == [False]
    assert gc.isenabled()


def test_a_failing_check_turns_it_back_on_too(monkeypatch):
    pack = compile_pack(PACK)

    def broken(p, r):
        raise RuntimeError("boom")
    monkeypatch.setattr(check_module, "context_for", broken)
    try:
        check(pack, CheckRequest("hello", "x"))
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_overlapping_checks_on_two_threads_leave_it_off_until_the_last_ends():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    states = {}

    def first():
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        states["after first"] = gc.isenabled()
        first_out.set()

    def second():
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            states["second, first gone"] = gc.isenabled()
        states["after both"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert states == {"after first": False, "second, first gone": False, "after both": True}


def test_a_caller_that_turned_it_off_keeps_it_off():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_check_leaves_nothing_for_the_collector():
    """A check's language views point back at their texts; it drops them at the end, so reference
    counting frees its tokens and the collector has no cycles of it to walk (every base rule on)."""
    from companion.pack.compiled import load_pack
    from tests.quality import ROOT

    pack = load_pack(ROOT / "policy_packs/example/nimbusco.yaml")
    req = CheckRequest("Sorry about that, we will refund you by Friday. I'm alone at the depot till 23:00, "
                       "alarm code 4512.", "facebook", surface="comment",
                       replying_to="My NimbusCo blender broke after two days, I want my money back")
    check(pack, req)            # rules build what they keep on first use
    gc.collect()
    gc.disable()
    try:
        report = check(pack, req)
        found = gc.collect()
    finally:
        gc.enable()
    assert report.findings
    assert found == 0
