"""The compiled-pack cache (companion/packcache.py) with real files: it is used, it is checked before
use, what it gives is what compiling gives, signatures are still verified, and a reload serves the
old pack until the new one is ready. Speed is measured in bench/run-coldstart, never asserted here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import io
import json
import logging
import shutil
import threading
import time
import weakref
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import synth
from bench.workload import make_pack
from companion import packcache, packstate
from companion.engine.check import CheckRequest, check
from companion.engine.kinds.confidential import ConfidentialTerms
from companion.engine.termindex import TermIndex
from companion.pack.compiled import build_pack
from companion.pack.errors import PackError
from companion.pack.signing import generate_keypair, parse_public_key, sig_path, sign
from companion.pack.sources import FileSource, Layer
from companion.packcache import PackCache
from companion.packstate import PackHolder
from companion_process import EXAMPLE_PACK, CompanionProcess
from support import TODAY

TERMS = synth.code_names(3000, 7)


def synthetic_pack(path: Path, n: int = 3000, revision: int = 1, extra: list[dict] = ()) -> Path:
    data = make_pack(TERMS[:n])
    data["revision"] = revision
    data["confidential"] += list(extra)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def layers_of(path: Path) -> list[Layer]:
    return FileSource(path).fetch(force=True)


def findings(pack, text: str, platform: str = "facebook") -> list[dict]:
    return [dataclasses.asdict(f) for f in check(pack, CheckRequest(text, platform, today=TODAY)).findings]


def index_of(pack) -> TermIndex:
    return next(r.index for r in pack.rules if isinstance(r, ConfidentialTerms))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example pack compiled fresh, and read back from a cache."""
    folder = tmp_path_factory.mktemp("cache")
    layers = layers_of(EXAMPLE_PACK)
    PackCache(folder).build(layers)
    cache = PackCache(folder)
    cached = cache.build(layers)
    assert cache.stats["hits"] == 1
    return build_pack(layers), cached


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """3,000 synthetic code names (with context-gated ordinary words) compiled fresh and from a cache."""
    root = tmp_path_factory.mktemp("synth")
    layers = layers_of(synthetic_pack(root / "pack.yaml"))
    PackCache(root / "cache").build(layers)
    cache = PackCache(root / "cache")
    cached = cache.build(layers)
    assert cache.stats["hits"] == 1
    return build_pack(layers), cached


# -- the cache is used -----------------------------------------------------------------------------
def test_a_second_start_reads_the_compiled_pack_from_the_cache(tmp_path, caplog):
    pack = synthetic_pack(tmp_path / "pack.yaml", n=500)
    cache_dir = tmp_path / "state" / "compiled"
    first = PackHolder(FileSource(pack), cache=PackCache(cache_dir), clock=lambda: TODAY)
    assert first.load() is True
    assert first.cache.stats == {"hits": 0, "misses": 1, "rejected": 0, "written": 1, "write_failed": 0,
                                 "compiled_apart": 0}
    caplog.set_level(logging.INFO, logger="postguard.pack")
    second = PackHolder(FileSource(pack), cache=PackCache(cache_dir), clock=lambda: TODAY)
    assert second.load() is True
    assert second.cache.stats["hits"] == 1 and second.cache.stats["written"] == 0
    assert "compiled copy read from the cache" in caplog.text
    assert second.pack.sha256 == first.pack.sha256 and second.pack.revision == 1
    # Private like the last good pack: the entries name unreleased products.
    entry = cache_dir / first.pack.sha256
    assert cache_dir.stat().st_mode & 0o777 == 0o700 and entry.stat().st_mode & 0o777 == 0o700
    assert {f.stat().st_mode & 0o777 for f in entry.iterdir()} == {0o600}
    # the rule objects are the one pickle; the index's arrays are plain .npy files, never pickled arrays
    assert (entry / "objects.pickle").is_file()
    assert all(np.load(f, allow_pickle=False).dtype != object for f in entry.glob("*.npy"))


def test_the_same_bytes_from_another_path_hit_the_cache_and_name_the_new_path(tmp_path):
    data = synthetic_pack(tmp_path / "a.yaml", n=50).read_bytes()    # no examples: one warning per term
    (tmp_path / "b.yaml").write_bytes(data)
    cache = PackCache(tmp_path / "cache")
    a = cache.build(layers_of(tmp_path / "a.yaml"))
    b = cache.build(layers_of(tmp_path / "b.yaml"))
    assert cache.stats["hits"] == 1
    assert b.source == str(tmp_path / "b.yaml") and b.layers[0]["name"] == str(tmp_path / "b.yaml")
    assert len(b.warnings) == len(a.warnings) == 50
    assert [w.file for w in b.warnings] == [str(tmp_path / "b.yaml")] * 50
    assert [dataclasses.replace(w, file="") for w in b.warnings] == [dataclasses.replace(w, file="") for w in a.warnings]


def test_without_a_folder_nothing_is_cached(tmp_path):
    cache = PackCache(None)
    cache.build(layers_of(synthetic_pack(tmp_path / "p.yaml", n=20)))
    assert not any(cache.stats.values())


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path, caplog):
    (tmp_path / "compiled").write_text("a file where the folder should be")
    cache = PackCache(tmp_path / "compiled")
    pack = cache.build(layers_of(synthetic_pack(tmp_path / "p.yaml", n=20)))
    assert pack.id == "bench" and cache.stats["write_failed"] == 1
    assert "cannot cache the compiled pack" in caplog.text


def test_old_entries_are_pruned(tmp_path):
    cache = PackCache(tmp_path / "cache")
    for rev in range(1, 6):
        cache.build(layers_of(synthetic_pack(tmp_path / f"p{rev}.yaml", n=20, revision=rev)))
    (tmp_path / "cache" / ".tmp-crashed").mkdir()
    entries = [p for p in (tmp_path / "cache").iterdir() if not p.name.startswith(".")]
    assert len(entries) == packcache.KEEP
    newest = build_pack(layers_of(tmp_path / "p5.yaml")).sha256
    assert (tmp_path / "cache" / newest).is_dir()


# -- the pack's own examples: once a day per code and pack ---------------------------------------------
QUILLON = {"id": "conf.quillon", "term": "Quillon Vantaberg", "reason": "unannounced",
           "examples": {"flag": ["Quillon Vantaberg ships in May"], "pass": ["a quill and some ink"]}}


@pytest.fixture
def example_runs(monkeypatch):
    """The days on which a PackHolder ran a pack's examples (they still run for real)."""
    days = []
    real = packstate.run_examples
    monkeypatch.setattr(packstate, "run_examples", lambda pack, day: days.append(day) or real(pack, day))
    return days


def test_examples_that_passed_run_again_only_on_another_day_or_under_other_code(tmp_path, monkeypatch,
                                                                                example_runs):
    pack = synthetic_pack(tmp_path / "pack.yaml", n=50, extra=[QUILLON])
    day = [TODAY]

    def load() -> PackHolder:
        holder = PackHolder(FileSource(pack), cache=PackCache(tmp_path / "compiled"), clock=lambda: day[0])
        assert holder.load() is True and holder.status.error is None
        return holder

    first = load()
    kept = tmp_path / "compiled" / first.pack.sha256 / packcache.EXAMPLES_FILE
    assert json.loads(kept.read_text())["day"] == TODAY.isoformat() and kept.stat().st_mode & 0o777 == 0o600
    load()
    assert example_runs == [TODAY]                       # the same pack, code and day: kept
    day[0] = TODAY + dt.timedelta(days=1)
    load()
    load()
    assert example_runs == [TODAY, day[0]]               # a new day: once more
    monkeypatch.setattr(packcache, "code_fingerprint", lambda: "another version of the code")
    load()
    assert example_runs == [TODAY, day[0], day[0]]       # other code: the entry is rebuilt, they run again


def test_examples_that_fail_are_never_kept_and_run_at_every_load(tmp_path, example_runs):
    wrong = {**QUILLON, "examples": {"flag": ["nothing secret in here"]}}
    pack = synthetic_pack(tmp_path / "pack.yaml", n=50, extra=[wrong])
    for _ in range(2):
        holder = PackHolder(FileSource(pack), cache=PackCache(tmp_path / "compiled"), clock=lambda: TODAY)
        holder.load()
        assert "nothing secret in here" in str(holder.status.error)
        assert not (tmp_path / "compiled" / holder.pack.sha256 / packcache.EXAMPLES_FILE).exists()
    assert example_runs == [TODAY, TODAY]


# -- checked before use ------------------------------------------------------------------------------
def _flip_a_byte(entry: Path) -> None:
    path = entry / "key_hash.npy"
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x40
    path.write_bytes(bytes(data))


def _truncate(name: str):
    def damage(entry: Path) -> None:
        path = entry / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return damage


def _delete(name: str):
    return lambda entry: (entry / name).unlink()


def _rewrite_manifest(**changes):
    def damage(entry: Path) -> None:
        manifest = json.loads((entry / "manifest.json").read_text())
        manifest.update(changes)
        (entry / "manifest.json").write_text(json.dumps(manifest))
    return damage


def _replace_file(name: str, blob: bytes, entry: Path) -> None:
    """Swap in another file and make the manifest agree with it: only the content checks can tell."""
    (entry / name).write_bytes(blob)
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["files"][name] = [len(blob), __import__("hashlib").sha256(blob).hexdigest()]
    (entry / "manifest.json").write_text(json.dumps(manifest))


def _npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


def _foreign_ids(entry: Path) -> None:       # ids past the end of the occurrence table
    ids = np.load(entry / "key_ids.npy")
    _replace_file("key_ids.npy", _npy(ids + 10**6), entry)


def _unsorted_hashes(entry: Path) -> None:
    _replace_file("key_hash.npy", _npy(np.load(entry / "key_hash.npy")[::-1].copy()), entry)


def _object_array(entry: Path) -> None:      # a pickled array must never be loaded
    _replace_file("entry.npy", _npy(np.array([{"x": 1}] * 3, dtype=object), allow_pickle=True), entry)


def _two_dimensional(entry: Path) -> None:
    _replace_file("occ_pos.npy", _npy(np.zeros((2, 2), dtype=np.int8)), entry)


def _other_terms(entry: Path) -> None:       # a whole index of another pack, consistent in itself
    other = TermIndex([["Falcon Ridge"], ["Quiet Harbor"]])
    arrays, text = other.to_parts()
    for part, array in arrays.items():
        _replace_file(f"{part}.npy", _npy(np.ascontiguousarray(array)), entry)
    _replace_file("index.json", json.dumps(text).encode(), entry)


def _not_json(entry: Path) -> None:
    _replace_file("pack.json", b"{not json", entry)


class _Calling:
    """Pickles as a call of `target(*args)` (any global pickle can name): what the unpickler must refuse."""

    def __init__(self, target, *args):
        self.target, self.args = target, args

    def __reduce__(self):
        return self.target, self.args


def _foreign_callable(entry: Path) -> None:     # unpickled, it would call os.system
    import os
    import pickle
    _replace_file("objects.pickle", pickle.dumps(_Calling(os.system, f"touch {entry.parent.parent / 'called'}")), entry)


def _another_packs_objects(entry: Path) -> None:   # objects of another pack, whole and consistent in themselves
    from companion import packsnapshot
    other = build_pack(layers_of(synthetic_pack(entry.parent.parent / "other.yaml", n=800, revision=2)))
    _replace_file("objects.pickle", packsnapshot.dump(other, index_of(other)), entry)


def _objects_lose_their_index(entry: Path) -> None:    # the manifest no longer names the arrays
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["index"] = False
    manifest["files"] = {k: v for k, v in manifest["files"].items() if not k.endswith(".npy")}
    (entry / "manifest.json").write_text(json.dumps(manifest))


DAMAGE = {
    "a flipped byte": _flip_a_byte,
    "truncated pack.json": _truncate("pack.json"),
    "truncated array": _truncate("key_ids.npy"),
    "truncated manifest": _truncate("manifest.json"),
    "missing array": _delete("occ_form.npy"),
    "missing warnings": _delete("warnings.json"),
    "empty array file": lambda entry: (entry / "key_len.npy").write_bytes(b""),
    "another code version": _rewrite_manifest(code="0" * 64),
    "another cache format": _rewrite_manifest(format=packcache.CODE_FORMAT + 1),
    "another pack": _rewrite_manifest(pack_sha256="f" * 64),
    "a file outside the entry": _rewrite_manifest(files={"../../pack.json": [1, "0" * 64]}),
    "ids out of range": _foreign_ids,
    "unsorted hashes": _unsorted_hashes,
    "pickled objects": _object_array,
    "a 2-d array": _two_dimensional,
    "another pack's index": _other_terms,
    "pack.json not JSON": _not_json,
    "truncated objects": _truncate("objects.pickle"),
    "objects calling a foreign function": _foreign_callable,
    "another pack's objects": _another_packs_objects,
    "objects without their index": _objects_lose_their_index,
}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """An 800-term pack compiled fresh into a cache folder, once for all the kinds of damage below."""
    root = tmp_path_factory.mktemp("written")
    layers = layers_of(synthetic_pack(root / "p.yaml", n=800))
    return layers, PackCache(root / "cache").build(layers), root / "cache"


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_or_foreign_entry_is_detected_and_rebuilt(tmp_path, written, damage, caplog):
    layers, fresh, folder = written
    shutil.copytree(folder, tmp_path / "cache")      # each kind of damage to its own copy of the entry
    entry = tmp_path / "cache" / fresh.sha256
    DAMAGE[damage](entry)
    cache = PackCache(tmp_path / "cache")
    rebuilt = cache.build(layers)
    assert cache.stats["rejected"] == 1 and cache.stats["hits"] == 0 and cache.stats["written"] == 1, caplog.text
    assert "cached copy not used" in caplog.text
    assert not (tmp_path / "called").exists()
    text = f"{TERMS[5]} and {TERMS[17].upper()} #{TERMS[40].replace(' ', '')} soon"
    assert findings(rebuilt, text) == findings(fresh, text) != []
    again = PackCache(tmp_path / "cache")
    assert findings(again.build(layers), text) == findings(fresh, text)
    assert again.stats["hits"] == 1                       # rewritten whole


def test_a_format_bump_makes_every_entry_stale(tmp_path, monkeypatch):
    layers = layers_of(synthetic_pack(tmp_path / "p.yaml", n=50))
    PackCache(tmp_path / "cache").build(layers)
    monkeypatch.setattr(packcache, "CODE_FORMAT", packcache.CODE_FORMAT + 1)
    cache = PackCache(tmp_path / "cache")
    cache.build(layers)
    assert cache.stats["rejected"] == 1 and cache.stats["written"] == 1


def test_a_code_change_makes_every_entry_stale(tmp_path, monkeypatch):
    layers = layers_of(synthetic_pack(tmp_path / "p.yaml", n=50))
    PackCache(tmp_path / "cache").build(layers)
    monkeypatch.setattr(packcache, "code_fingerprint", lambda: "changed")
    cache = PackCache(tmp_path / "cache")
    cache.build(layers)
    assert cache.stats["rejected"] == 1


def test_the_code_fingerprint_covers_the_source_files(tmp_path, monkeypatch):
    packcache.code_fingerprint.cache_clear()
    before = packcache.code_fingerprint()
    fake = tmp_path / "companion"
    fake.mkdir()
    (fake / "__init__.py").write_text("__version__ = '0.1.0'\n")
    monkeypatch.setattr(packcache.companion, "__file__", str(fake / "__init__.py"))
    packcache.code_fingerprint.cache_clear()
    try:
        one = packcache.code_fingerprint()
        (fake / "normalize.py").write_text("# changed\n")
        packcache.code_fingerprint.cache_clear()
        two = packcache.code_fingerprint()
        assert two != one != before
        (fake / "data").mkdir()   # the second opinion's weights decide what the pack's examples find
        (fake / "data" / "second-opinion.npz").write_bytes(b"weights")
        packcache.code_fingerprint.cache_clear()
        assert packcache.code_fingerprint() != two
    finally:
        monkeypatch.undo()
        packcache.code_fingerprint.cache_clear()
    assert packcache.code_fingerprint() == before


# -- the same results -------------------------------------------------------------------------------
def test_the_cached_pack_is_the_compiled_pack(example, synthetic):
    for fresh, cached in (example, synthetic):
        assert json.dumps(cached.data, sort_keys=True) == json.dumps(fresh.data, sort_keys=True)
        assert list(cached.warnings) == list(fresh.warnings)
        assert (cached.sha256, cached.source, cached.layers, cached.limits) == (fresh.sha256, fresh.source, fresh.layers, fresh.limits)
        assert [type(r).__name__ for r in cached.rules] == [type(r).__name__ for r in fresh.rules]
        a, b = index_of(fresh).to_parts(), index_of(cached).to_parts()
        assert a[1] == b[1]
        assert all(np.array_equal(a[0][k], b[0][k]) and a[0][k].dtype == b[0][k].dtype for k in a[0])


def _drafts():
    term = st.sampled_from(TERMS)

    def vary(args):
        t, kind, seed = args
        import random
        return synth.variant(t, kind, random.Random(seed))

    variant = st.tuples(term, st.sampled_from(synth.VARIANTS), st.integers(0, 10**6)).map(vary)
    words = st.sampled_from(["the", "launch", "project", "beta", "river", "store", "tonight", "alone", "🚀",
                             "#", "-", "Falcon", "Ridge", "call", "me", "at", "+49 221 1234567", "dana@example.com",
                             "we", "promise", "refund", "\u200b", "Гроза", "our", "new", "release", "roadmap"])
    return st.lists(st.one_of(variant, words, st.text(max_size=6)), max_size=30).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_drafts(), platform=st.sampled_from(["x", "facebook", "linkedin", "instagram"]))
def test_checks_give_the_same_answers_with_and_without_the_cache(synthetic, example, text, platform):
    for fresh, cached in (synthetic, example):
        assert findings(cached, text, platform) == findings(fresh, text, platform)


def test_the_example_packs_own_examples_give_the_same_answers(example):
    fresh, cached = example
    for ex in fresh.rule_examples():
        for text in [*ex.flag, *ex.passes]:
            assert findings(cached, text) == findings(fresh, text)


def test_the_example_companys_labelled_drafts_get_the_same_answers_from_the_kept_objects(example):
    """Every rule kind of the base policy and the example pack, read back from the pickled objects
    (packsnapshot.py), on the example company's labelled drafts: replies, accounts and all."""
    from tests.quality import load_drafts
    fresh, cached = example
    assert cached.rules[0] is not fresh.rules[0] and {type(r) for r in cached.rules} == {type(r) for r in fresh.rules}
    for d in load_drafts(Path(__file__).parent / "data" / "labelled_drafts.yaml"):
        req = dict(text=d["text"], platform=d["platform"], surface=d["surface"], replying_to=d.get("replying_to"),
                   account=d.get("account"), today=TODAY)
        got, want = (check(p, CheckRequest(**req), every_finding=True) for p in (cached, fresh))
        assert (got.to_dict(), got.truncated) == (want.to_dict(), want.truncated), d["text"]


def test_the_objects_unpickler_resolves_only_engine_classes_and_the_functions_a_pack_holds():
    import os
    import pickle

    from companion import packsnapshot
    from companion.engine.language import worddata
    from companion.engine.language.anchors import Needs
    from companion.engine.referral_model import ReferralModel
    # a foreign function, an engine method (it writes a file), an engine function no pack holds (it
    # writes the word data): each is refused by name, before anything is called
    for target in (os.getcwd, ReferralModel.save, worddata.install):
        blob = pickle.dumps(("sha", _Calling(target)))
        refused = f"names {target.__module__}.{target.__qualname__}, which a compiled pack never holds"
        with pytest.raises(packsnapshot.SnapshotError, match=refused.replace(".", r"\.")):
            packsnapshot.load(blob, "0" * 64, None)
    # an engine class by its plain name is resolved (and then the shape is refused: not a pack's objects)
    with pytest.raises(packsnapshot.SnapshotError, match="not a compiled pack's objects"):
        packsnapshot.load(pickle.dumps(Needs(frozenset({"falcon"}))), "0" * 64, None)


def test_objects_that_cannot_be_kept_leave_an_entry_whose_rules_compile_at_each_read(tmp_path, monkeypatch, caplog):
    import pickle

    from companion import packsnapshot

    def refuse(pack, index):
        raise pickle.PicklingError("Can't pickle <function <lambda>>")
    layers = layers_of(synthetic_pack(tmp_path / "p.yaml", n=200))
    monkeypatch.setattr(packsnapshot, "dump", refuse)
    fresh = PackCache(tmp_path / "cache").build(layers)
    assert "its compiled objects cannot be kept in the cache (PicklingError" in caplog.text
    assert not (tmp_path / "cache" / fresh.sha256 / "objects.pickle").exists()
    monkeypatch.undo()
    cache = PackCache(tmp_path / "cache")
    text = f"{TERMS[5]} and {TERMS[17].upper()} soon"
    assert findings(cache.build(layers), text) == findings(fresh, text) != []
    assert cache.stats["hits"] == 1 and cache.stats["rejected"] == 0


# -- signatures are verified on every load ------------------------------------------------------------
def test_a_cached_signed_pack_is_verified_again(tmp_path):
    key, pub = generate_keypair(tmp_path / "keys", "it")
    pub = parse_public_key(pub.read_text())
    path = synthetic_pack(tmp_path / "p.yaml", n=30)
    data = path.read_bytes()
    issued = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    sig_path(path).write_text(json.dumps(sign(data, "bench", 1, key.read_bytes(), issued + dt.timedelta(days=30))))
    layers = layers_of(path)
    cache = PackCache(tmp_path / "cache")
    assert cache.build(layers, [pub], now=issued).signature is not None
    assert cache.build(layers, [pub], now=issued).signature["key_id"] == build_pack(layers, [pub], now=issued).signature["key_id"]
    assert cache.stats["hits"] == 1
    with pytest.raises(PackError, match="expired"):
        cache.build(layers, [pub], now=issued + dt.timedelta(days=31))
    _, other = generate_keypair(tmp_path / "other", "x")
    with pytest.raises(PackError, match="does not trust"):
        cache.build(layers, [parse_public_key(other.read_text())], now=issued)
    with pytest.raises(PackError, match="not signed"):
        cache.build([Layer(layers[0].name, layers[0].data, None)], [pub], now=issued)
    # Refused from the entry itself (it was found each time: one miss only, nothing rejected or rewritten).
    assert cache.stats == {"hits": 1, "misses": 1, "rejected": 0, "written": 1, "write_failed": 0, "compiled_apart": 0}


# -- reloads and the collector --------------------------------------------------------------------------
@pytest.fixture
def every_reload_apart(monkeypatch):
    """The child process for packs of any size: these synthetic packs are under packcompile's threshold."""
    monkeypatch.setattr("companion.packcompile.APART_FROM_BYTES", 0)


def test_a_small_reload_compiles_here_and_a_big_one_in_a_child_process(tmp_path, monkeypatch):
    path = synthetic_pack(tmp_path / "p.yaml", n=50)
    holder = PackHolder(FileSource(path), cache=PackCache(tmp_path / "cache"), clock=lambda: TODAY)
    assert holder.load() is True
    synthetic_pack(path, n=50, revision=2)
    assert holder.load() is True and holder.pack.revision == 2
    assert holder.cache.stats["compiled_apart"] == 0 and holder.cache.stats["written"] == 2
    monkeypatch.setattr("companion.packcompile.APART_FROM_BYTES", path.stat().st_size)    # this pack is "big" now
    synthetic_pack(path, n=50, revision=3)
    assert holder.load() is True and holder.pack.revision == 3
    assert holder.cache.stats["compiled_apart"] == 1 and holder.cache.stats["written"] == 2


@pytest.mark.usefixtures("every_reload_apart")
def test_a_reload_serves_the_old_pack_until_the_new_one_is_ready(tmp_path, monkeypatch):
    path = synthetic_pack(tmp_path / "p.yaml", n=200)
    holder = PackHolder(FileSource(path), cache=PackCache(tmp_path / "cache"), clock=lambda: TODAY)
    assert holder.load() is True
    new_term = {"id": "conf.new", "term": "Quillon Vantaberg", "reason": "new"}
    synthetic_pack(path, n=200, revision=2, extra=[new_term])
    compiling, release = threading.Event(), threading.Event()
    real = PackCache.build

    def slow_build(self, layers, *args, **kwargs):       # hold the compile of revision 2 half way
        compiling.set()
        assert release.wait(30)
        return real(self, layers, *args, **kwargs)

    monkeypatch.setattr(PackCache, "build", slow_build)
    reload = threading.Thread(target=holder.load, kwargs={"force": False})
    reload.start()
    assert compiling.wait(30)
    for _ in range(20):                                   # checks go on, with revision 1
        assert holder.pack.revision == 1
        assert findings(holder.pack, "Quillon Vantaberg is coming") == []
    release.set()
    reload.join(120)
    assert holder.pack.revision == 2
    assert holder.cache.stats["compiled_apart"] == 1 and holder.cache.stats["hits"] == 1
    assert [f["rule"] for f in findings(holder.pack, "Quillon Vantaberg is coming")] == ["conf.new"]


@pytest.mark.usefixtures("every_reload_apart")
def test_a_reload_compiled_apart_is_refused_as_one_compiled_here(tmp_path):
    path = synthetic_pack(tmp_path / "p.yaml", n=50)
    holder = PackHolder(FileSource(path), cache=PackCache(tmp_path / "cache"), clock=lambda: TODAY)
    assert holder.load() is True
    path.write_text(path.read_text().replace('"company"', '"compnay"', 1))
    with pytest.raises(PackError) as here:
        build_pack(layers_of(path))
    assert holder.load() is False and holder.pack.revision == 1
    assert holder.status.error == str(here.value) and "unknown key" in holder.status.error
    assert holder.cache.stats["compiled_apart"] == 0 and holder.cache.stats["written"] == 1


@pytest.mark.usefixtures("every_reload_apart")
def test_a_signed_reload_compiled_apart_is_verified(tmp_path):
    key, pub = generate_keypair(tmp_path / "keys", "it")
    pub = parse_public_key(pub.read_text())
    path = synthetic_pack(tmp_path / "p.yaml", n=50)

    def sign_pack(revision, days=30):
        sig_path(path).write_text(json.dumps(sign(path.read_bytes(), "bench", revision, key.read_bytes(),
                                                  dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days))))

    sign_pack(1)
    holder = PackHolder(FileSource(path), trusted_keys=[pub], cache=PackCache(tmp_path / "cache"), clock=lambda: TODAY)
    assert holder.load() is True and holder.pack.signature
    synthetic_pack(path, n=50, revision=2)
    sign_pack(2)
    path.write_text(path.read_text().replace("Project Sparrow", "Project Swallow"))     # tampered after signing
    assert holder.load() is False and "differ from what was signed" in holder.status.error
    synthetic_pack(path, n=50, revision=2)
    sign_pack(2)
    assert holder.load() is True and holder.pack.revision == 2 and holder.pack.signature
    assert holder.cache.stats["compiled_apart"] == 1


@pytest.mark.usefixtures("every_reload_apart")
def test_without_a_child_process_the_reload_compiles_here(tmp_path, monkeypatch, caplog):
    path = synthetic_pack(tmp_path / "p.yaml", n=50)
    holder = PackHolder(FileSource(path), cache=PackCache(tmp_path / "cache"), clock=lambda: TODAY)
    assert holder.load() is True
    synthetic_pack(path, n=50, revision=2)
    monkeypatch.setattr("sys.executable", str(tmp_path / "no-python"))
    assert holder.load() is True and holder.pack.revision == 2
    assert holder.cache.stats["compiled_apart"] == 0 and holder.cache.stats["written"] == 2
    assert "compiling it here" in caplog.text


def test_a_pack_is_frozen_out_of_full_collections_and_the_old_one_is_freed(tmp_path):
    path = synthetic_pack(tmp_path / "p.yaml", n=200)
    holder = PackHolder(FileSource(path), cache=PackCache(tmp_path / "cache"), clock=lambda: TODAY)
    try:
        assert holder.load() is True
        assert gc.get_freeze_count() > 0
        old = weakref.ref(holder.pack)
        old_index = weakref.ref(index_of(holder.pack))
        synthetic_pack(path, n=200, revision=2)
        gc.disable()                          # only reference counting may free the old pack
        assert holder.load() is True
        assert holder.pack.revision == 2 and old() is None and old_index() is None
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_real_companion_starts_from_the_cache_and_keeps_answering_through_a_reload(tmp_path):
    pack = synthetic_pack(tmp_path / "pack.yaml", n=2000)
    import urllib.request

    def ask(proc, token):
        req = urllib.request.Request(f"{proc.base}/v1/check", method="POST",
                                     data=json.dumps({"text": "Quillon Vantaberg soon", "platform": "x"}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    first = CompanionProcess(tmp_path, pack=pack)
    try:
        token = first.token()
        assert ask(first, token)["pack"]["revision"] == 1
    finally:
        first.stop()
    assert "compiled in" in first.log_path.read_text() and "and cached" in first.log_path.read_text()
    second = CompanionProcess(tmp_path, pack=pack)
    try:
        assert ask(second, token)["pack"]["revision"] == 1
        log = second.log_path.read_text()
        assert "compiled copy read from the cache" in log and "compiled in" not in log
        synthetic_pack(pack, n=2000, revision=2, extra=[{"id": "conf.new", "term": "Quillon Vantaberg", "reason": "new"}])
        seen = []
        deadline = time.monotonic() + 120     # a bound on a loaded machine, not a speed test
        while time.monotonic() < deadline:    # every check is answered, by revision 1 until revision 2 is ready
            answer = ask(second, token)
            seen.append(answer["pack"]["revision"])
            if seen[-1] == 2:
                assert [f["rule"] for f in answer["findings"]] == ["conf.new"]
                break
        assert seen[-1] == 2 and seen == sorted(seen)
    finally:
        second.stop()
