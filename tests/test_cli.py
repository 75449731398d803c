"""The postguard command: exit codes scripts can rely on, --json equal to the API, pack lint/test."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support import EXAMPLE_PACK, cli_here, make_client


def cli(*args, stdin=None):
    """The `postguard` command as a process: exit codes and stdin as a script sees them. The other
    tests here run the same main() in this process (cli_here), which compiles the pack once."""
    return subprocess.run([sys.executable, "-m", "companion", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)


def test_check_exit_codes():
    assert cli("check", "Lovely day for a walk").returncode == 0
    r = cli("check", "--date", "2026-11-23", "Projct Falcn Ridge 🚀 is coming")
    assert r.returncode == 1
    assert "»Projct Falcn Ridge«" in r.stdout and "close to “Project Falcon Ridge” (2 typos)" in r.stdout
    assert cli("check", "--platform", "myspace", "hi").returncode == 2
    assert cli("check", "--pack", "/nonexistent.yaml", "hi").returncode == 2


def test_a_text_model_finding_says_how_it_matched():
    """The second opinion's card says what the draft resembled, each passage once, not "None"."""
    r = cli_here("check", "--date", "2026-11-23", "lol the geniuses who park across two bays deserve a clamp each 🙄")
    assert "[base.model.tone]" in r.stdout
    how = next(line for line in r.stdout.splitlines() if line.strip().startswith("how:"))
    assert re.search(r"the text model, probability [01]\.[0-9]{2}, resembling", how) and "“geniuses”" in how and how.count("“geniuses”") == 1


def test_a_finding_that_follows_another_says_which():
    """A hand-off raised on the words of a rude answer names the finding it follows, not "None"."""
    r = cli_here("check", "--date", "2026-11-23", "--surface", "reply", "--replying-to", "worst blender ever, total rip off",
            "calm down mate, nobody cares")
    block = r.stdout.split("[base.escalate.rude-reply-to-critic]")[1]
    how = next(line for line in block.splitlines() if line.strip().startswith("how:"))
    assert "None" not in how and re.search(r"on the words of base\.", how), how


def test_info_only_findings_exit_zero(tmp_path):
    # a pack that lowers promises to info (official accounts get no such finding at all any more)
    minimal = (Path(__file__).resolve().parent.parent / "policy_packs" / "minimal" / "acme-freight.yaml").read_text()
    pack = tmp_path / "info.yaml"
    pack.write_text(minimal + "base:\n  base.speak.commitment: info\n  base.speak.answering-as-company: info\n", encoding="utf-8")
    r = cli_here("check", "--pack", str(pack), "--platform", "x", "--surface", "reply", "We will refund you")
    assert r.returncode == 0 and "INFO" in r.stdout


def test_json_output_is_the_api_body():
    text = "I'm in the parking lot at 4 am 🚗 thinking about FalconRidge"
    r = cli_here("check", "--json", "--platform", "x", "--date", "2026-11-23", text)
    body = json.loads(r.stdout)
    client, _ = make_client()
    api = client.post("/v1/check", json={"text": text, "platform": "x"}).get_json()
    body.pop("elapsed_ms")
    api.pop("elapsed_ms")
    assert body == api and len(body["findings"]) == 2


def test_reads_stdin():
    r = cli("check", "--json", "-", stdin="Call me on +44 20 7946 0958")
    assert [f["rule"] for f in json.loads(r.stdout)["findings"]] == ["builtin.phone"]


def test_pack_lint_and_test(tmp_path):
    assert cli_here("pack", "lint", str(EXAMPLE_PACK)).returncode == 0
    r = cli_here("pack", "test", str(EXAMPLE_PACK), "--date", "2026-11-23")
    assert r.returncode == 0 and " 0 failed" in r.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text(EXAMPLE_PACK.read_text(encoding="utf-8").replace("    severity: critical\n", "    severity: loud\n", 1))
    r = cli_here("pack", "lint", str(broken))
    assert r.returncode == 1
    assert f"{broken}:" in r.stdout and ".severity: 'loud' is not one of" in r.stdout


def test_pack_test_reports_a_failing_example(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(EXAMPLE_PACK.read_text(encoding="utf-8").replace(
        'pass: ["Saw a kestrel hovering over the field today"]', 'pass: ["Project Kestrel is in the lab"]'))
    r = cli_here("pack", "test", str(pack), "--date", "2026-11-23")
    assert r.returncode == 1
    assert "FAIL conf.kestrel: expected it to pass: 'Project Kestrel is in the lab'" in r.stdout



def test_the_module_docstring_names_every_command():
    import re

    import companion.cli as module

    def names(parser):
        return list(parser._subparsers._group_actions[0].choices)

    parser = module._parser()
    pack = parser._subparsers._group_actions[0].choices["pack"]
    listed = set(re.findall(r"[a-z][a-z-]*", module.__doc__))
    assert not [n for n in names(parser) + names(pack) if n not in listed]


def test_commands_read_the_companions_compiled_pack_and_keep_their_own_apart(tmp_path, monkeypatch):
    """A check against the pack the companion serves reads the companion's compiled copy instead of
    compiling it; what the commands compile themselves (IT's lint, test, explain) is kept in a folder of
    their own, so IT's rounds never push the companion's entries out of its cache."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    state = tmp_path / "state" / "postguard"
    draft = ("check", "--date", "2026-11-23", "Projct Falcn Ridge 🚀 is coming")
    first = cli_here(*draft)
    (entry,) = (state / "compiled-tools").iterdir()          # the bundled pack, compiled once and kept
    (state / "compiled").mkdir()
    shutil.move(entry, state / "compiled" / entry.name)      # as a companion serving it would have it
    again = cli_here(*draft)
    assert again.returncode == first.returncode == 1 and again.stdout == first.stdout and again.stderr == ""
    assert list((state / "compiled-tools").iterdir()) == []  # read from the companion's folder, nothing compiled
    minimal = (Path(__file__).resolve().parent.parent / "policy_packs" / "minimal" / "acme-freight.yaml").read_text()
    for revision in range(2, 6):                             # IT's edit-and-lint rounds: four packs
        pack = tmp_path / f"r{revision}.yaml"
        pack.write_text(minimal.replace("revision: 1", f"revision: {revision}", 1), encoding="utf-8")
        assert cli_here("pack", "lint", str(pack)).returncode == 0
    assert len(list((state / "compiled-tools").iterdir())) == 3    # its own three most recent
    assert (state / "compiled" / entry.name / "manifest.json").is_file()   # the companion's, untouched
    # what the commands keep is packs, never a draft
    assert cli_here("check", "marmalade otter 4711 says hello").returncode == 0
    kept = [f.read_bytes() for f in state.rglob("*") if f.is_file()]
    assert kept and not [b for b in kept if b"marmalade otter" in b]
