"""The `postguard` command: serve, check, pack lint, pack test."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from companion import __version__
from companion.config import DEFAULT_PORT
from companion.engine.findings import PLATFORMS, SURFACES, severity_rank

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not getattr(args, "func", None):
        _parser().print_help()
        return EXIT_BAD_INPUT
    return args.func(args)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="postguard", description="Check social-media drafts against your company's policy pack, locally.")
    p.add_argument("--version", action="version", version=f"postguard {__version__}")
    sub = p.add_subparsers(metavar="COMMAND")

    s = sub.add_parser("serve", help="run the companion service on 127.0.0.1")
    s.add_argument("--pack", help="policy pack file (default: the bundled example pack)")
    s.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    s.add_argument("--no-watch", action="store_true", help="don't reload the pack when its file changes")
    s.set_defaults(func=_serve)

    c = sub.add_parser("check", help="check a draft from the terminal")
    c.add_argument("text", help="the draft, or - to read it from standard input")
    c.add_argument("--pack", help="policy pack file (default: the bundled example pack)")
    c.add_argument("--platform", choices=PLATFORMS, default="facebook", help="default: facebook")
    c.add_argument("--surface", choices=SURFACES, default="post", help="default: post")
    c.add_argument("--replying-to", help="the message the draft answers (chooses referrals, finds escalations)")
    c.add_argument("--account", help="the posting account's handle (official accounts may speak for the company)")
    c.add_argument("--date", type=_date, help="check as of this date, YYYY-MM-DD (default: today)")
    c.add_argument("--json", action="store_true", help="print the /v1/check response body")
    c.set_defaults(func=_check)

    pk = sub.add_parser("pack", help="work with policy packs").add_subparsers(metavar="ACTION")
    lint = pk.add_parser("lint", help="validate a pack: errors name file, line and key")
    lint.add_argument("path")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.set_defaults(func=_lint)
    test = pk.add_parser("test", help="run every rule's examples")
    test.add_argument("path")
    test.add_argument("--date", type=_date, help="test as of this date (default: today)")
    test.set_defaults(func=_test)
    return p


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {s!r} (use YYYY-MM-DD)") from None


def _load(path: str | None):
    from companion.pack.compiled import load_pack
    from companion.pack.errors import PackError

    try:
        return load_pack(path)
    except PackError as e:
        print(f"postguard: the pack cannot be used:\n{e}", file=sys.stderr)
        return None


def _serve(args) -> int:
    from companion.server import serve

    return serve(args.pack, args.port, watch=not args.no_watch)


def _check(args) -> int:
    import time

    from companion.api.validation import MAX_TEXT
    from companion.engine.check import check

    text = sys.stdin.read() if args.text == "-" else args.text
    if len(text) > MAX_TEXT:
        print(f"postguard: the draft is longer than {MAX_TEXT} characters", file=sys.stderr)
        return EXIT_BAD_INPUT
    pack = _load(args.pack)
    if pack is None:
        return EXIT_BAD_INPUT
    started = time.perf_counter()
    report = check(pack, text, args.platform, args.surface, args.replying_to, args.account, today=args.date)
    if args.json:
        body = report.to_dict()
        body["pack"] = {"id": pack.id, "revision": pack.revision}
        body["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 3)
        print(json.dumps(body, ensure_ascii=False))
    else:
        _print_report(text, report)
    worst = report.worst
    return EXIT_FINDINGS if worst and severity_rank(worst) >= severity_rank("warning") else EXIT_OK


def _print_report(text: str, report) -> None:
    from companion.engine.normalize import utf16_slice

    if not report.findings:
        print("No findings.")
    for f in report.findings:
        print(f"{f.severity.upper():8} {f.category}  [{f.rule}]")
        if f.detail and f.detail.get("source") == "replying_to":
            print(f"  in the message you are answering: “{f.excerpt}”")
        else:
            before = utf16_slice(text, max(0, f.start - 40), f.start).split("\n")[-1]
            after = utf16_slice(text, f.end, f.end + 40).split("\n")[0]
            print(f"  …{before}»{f.excerpt}«{after}…")
        print(f"  {f.message}")
        print(f"  why: {f.why}")
        if f.detail:
            print(f"  how: {_how(f.detail)}")
        for s in f.suggestions:
            print(f"  fix: {s.label}")
        print()
    for r in report.referrals:
        print(f"Refer: {r['title']} — {r['url']} ({r['reason']})")


def _how(d: dict) -> str:
    if d.get("match") == "fuzzy":
        return f"close to “{d['matched']}” ({d['distance']} typo{'s' if d['distance'] != 1 else ''})"
    if d.get("match") == "context":
        return "together: " + ", ".join(f"“{c['text']}” ({c['group']})" for c in d["context"])
    if d.get("match") == "length":
        return f"{d['length']} of {d['limit']} characters"
    if d.get("match") == "pattern":
        return "matched the rule's pattern"
    how = f"“{d.get('matched')}”"
    if d.get("context"):
        how += " near " + ", ".join(f"“{c}”" for c in d["context"])
    return how


def _lint(args) -> int:
    from companion.pack.compiled import load_pack
    from companion.pack.errors import PackError

    try:
        pack = load_pack(args.path)
    except PackError as e:
        for p in e.problems:
            print(f"error: {p}")
        print(f"{len(e.problems)} error(s): the pack cannot be used.")
        return EXIT_FINDINGS
    for w in pack.warnings:
        print(f"warning: {w}")
    terms = len(pack.data.get("confidential", ()))
    print(f"{args.path}: ok — pack {pack.id} revision {pack.revision}, {terms} confidential terms, "
          f"{len(pack.data.get('rules', ()))} rules, {len(pack.warnings)} warning(s)")
    return EXIT_FINDINGS if args.strict and pack.warnings else EXIT_OK


def _test(args) -> int:
    from companion.pack.examples import run_examples

    pack = _load(args.path)
    if pack is None:
        return EXIT_BAD_INPUT
    results = run_examples(pack, args.date or dt.date.today())
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"FAIL {r.rule}: expected it to {'flag' if r.expect_flag else 'pass'}: {r.text!r}")
        if r.found:
            print(f"     it found: {'; '.join(r.found)}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return EXIT_FINDINGS if failed else EXIT_OK
