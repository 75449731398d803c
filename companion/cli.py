"""The `postguard` command.

    serve      run the companion on 127.0.0.1          check      check a draft from the terminal
    config     the effective configuration             pair       a one-time code for the extension
    token      print this install's token              service    start the companion at log-on
    report     what the local records say (no text)    forget     delete the local records
    pairing-secret   IT: a zero-touch pairing secret for one user on one machine
    pack lint | test | keygen | sign | verify | diff | explain | publish | rollback    work with policy packs

`postguard --help` and `postguard COMMAND --help` describe each one.
"""

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
    argv = list(sys.argv[1:] if argv is None else argv)
    serve_args = None
    if argv[:1] == ["service"] and "--" in argv:
        cut = argv.index("--")
        argv, serve_args = argv[:cut], argv[cut + 1:]
    args = _parser().parse_args(argv)
    if serve_args is not None:
        args.serve_args = serve_args
    if not getattr(args, "func", None):
        _parser().print_help()
        return EXIT_BAD_INPUT
    return args.func(args)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="postguard", description="Check social-media drafts against your company's policy pack, locally.")
    p.add_argument("--version", action="version", version=f"postguard {__version__}")
    sub = p.add_subparsers(metavar="COMMAND")

    s = sub.add_parser("serve", help="run the companion service on 127.0.0.1",
                       description="Flags override the config files (see `postguard config`).")
    s.add_argument("--pack", help="pack file, folder (pack.yaml + overlays/) or https:// URL (default: bundled example)")
    s.add_argument("--overlay", action="append", dest="overlays", help="overlay file on top of --pack (repeat, in order)")
    s.add_argument("--port", type=int, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    s.add_argument("--trust-key", action="append", dest="trusted_keys", metavar="ed25519:KEY",
                   help="only load packs signed with this public key (repeat for several); unmanaged installs "
                        "only: with a system config, IT's trusted_keys decide")
    s.add_argument("--ca-bundle", help="CA certificates for an https:// pack source")
    s.add_argument("--poll", dest="poll_interval", help="how often to poll an https:// source, e.g. 5m")
    s.add_argument("--ready-file", metavar="FILE",
                   help='once listening, write {"port": N, "pid": N} to FILE (with --port 0: any free port)')
    s.add_argument("-v", "--verbose", action="store_true",
                   help="also log every successful check (route, status, time, finding count; never the text)")
    s.add_argument("--log-file", metavar="FILE", help="log to FILE instead of stderr (~ and environment variables "
                                                      "expanded; rotated at 1 MB, 3 kept), for services with no journal")
    s.set_defaults(func=_serve)

    cfg = sub.add_parser("config", help="show the effective configuration and where it came from")
    cfg.add_argument("--json", action="store_true",
                     help="one JSON object for MDM scripts: version, pack, signature expiry, refused updates")
    cfg.set_defaults(func=_config)

    pr = sub.add_parser("pair", help="show a one-time code that pairs the browser extension with this companion")
    pr.add_argument("--reset", action="store_true", help="make a new token first: the old one is refused at once")
    pr.set_defaults(func=_pair)
    tk = sub.add_parser("token", help="print this install's token, for IT scripts on the same account")
    tk.set_defaults(func=_token)
    ps = sub.add_parser("pairing-secret", help="IT: a zero-touch pairing secret for one user on one machine "
                                               "(random, or derived from a fleet key)")
    ps.add_argument("--make-fleet-key", metavar="FILE", help="write a new fleet key to FILE (mode 0600) and stop")
    ps.add_argument("--fleet-key", metavar="FILE", help="derive the secret from this fleet key (needs --machine, --user)")
    ps.add_argument("--machine", help="the machine's name as IT's inventory knows it")
    ps.add_argument("--user", help="the account name on that machine")
    ps.set_defaults(func=_pairing_secret)

    svc = sub.add_parser("service", help="run the companion in the background at log-on (per user, or for every user)",
                         usage="postguard service {install,uninstall,show} [--all-users] [--no-start] [-- SERVE ARGS]")
    svc.add_argument("action", choices=("install", "uninstall", "show"))
    svc.add_argument("--no-start", action="store_true", help="write (or remove) the unit/agent file only: don't "
                                                              "enable, start or stop it")
    svc.add_argument("--all-users", action="store_true", help="as root/administrator, for every user: a systemd "
                     "user unit in /etc/systemd/user, an agent in /Library/LaunchAgents, a task for BUILTIN\\Users")
    # the arguments for `postguard serve` come after `--` only (main() splits them off), so an option
    # before it is the service command's own: --no-start used to land in the unit as `serve --no-start`
    svc.set_defaults(serve_args=[])
    svc.set_defaults(func=_service)

    rp = sub.add_parser("report", help="what happened with PostGuard's warnings, per week and rule (counts only, never text)")
    rp.add_argument("--since", default="30d", help="30d, 12w or a date YYYY-MM-DD (default 30d)")
    rp.add_argument("--json", action="store_true", help="print the report as JSON")
    rp.add_argument("--csv", metavar="DIR", help="also write the tables as CSV files into DIR")
    rp.add_argument("--html", metavar="FILE", help="also write one offline HTML file with charts (needs the report extra)")
    rp.add_argument("--preview-push", action="store_true",
                    help="print what the push to IT's OpenTelemetry Collector sends now (OTLP as JSON); sends nothing")
    rp.set_defaults(func=_report)
    fg = sub.add_parser("forget", help="delete the local records")
    which = fg.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every record")
    which.add_argument("--before", type=_date, metavar="DATE", help="the records of days before DATE (YYYY-MM-DD)")
    fg.set_defaults(func=_forget)

    c = sub.add_parser("check", help="check a draft from the terminal")
    c.add_argument("text", help="the draft, or - to read it from standard input")
    c.add_argument("--pack", help="pack file, folder, bundle or https:// URL (default: the configured pack, "
                                  "as `postguard config` shows; without one, the bundled example pack)")
    c.add_argument("--overlay", action="append", dest="overlays", default=[], help="overlay on top of --pack (repeat)")
    c.add_argument("--platform", choices=PLATFORMS, default="facebook", help="default: facebook")
    c.add_argument("--surface", choices=SURFACES, default="post", help="default: post")
    c.add_argument("--replying-to", help="the message the draft answers (chooses referrals, finds escalations)")
    c.add_argument("--account", help="the posting account's handle (official accounts may speak for the company)")
    c.add_argument("--date", type=_date, help="check as of this date, YYYY-MM-DD (default: today)")
    c.add_argument("--lang", type=_lang, help="texts in this language where the pack translates them, e.g. bg "
                                              "(default: the pack's own language)")
    c.add_argument("--json", action="store_true", help="print the /v1/check response body")
    c.set_defaults(func=_check)

    pk = sub.add_parser("pack", help="work with policy packs").add_subparsers(metavar="ACTION")
    lint = pk.add_parser("lint", help="validate a pack (or a folder with overlays): errors name file, line and key")
    _layer_args(lint)
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.set_defaults(func=_lint)
    test = pk.add_parser("test", help="run every rule's examples (of a pack file, folder, bundle, or an overlay on its base)")
    _layer_args(test)
    test.add_argument("--date", type=_date, help="test as of this date (default: today)")
    test.set_defaults(func=_test)
    kg = pk.add_parser("keygen", help="make an Ed25519 signing key pair (NAME.key stays with IT, NAME.pub goes to companions)")
    kg.add_argument("--out", default=".", help="folder for the key files (default: here)")
    kg.add_argument("--name", default="postguard-signing", help="file name stem (default: postguard-signing)")
    kg.set_defaults(func=_keygen)
    sg = pk.add_parser("sign", help="lint, test and sign a pack, an overlay (on its base) or every layer of a "
                                    "folder; writes FILE.sig.json beside each")
    sg.add_argument("path", help="pack file, overlay file or folder")
    sg.add_argument("--base", help="for an overlay: its base pack (default: the pack.yaml above its overlays/ folder)")
    sg.add_argument("--key", required=True, help="the private key file from `pack keygen`")
    sg.add_argument("--expires", default="90d", help="how long the signature is valid: 90d, or a date YYYY-MM-DD (default 90d)")
    sg.set_defaults(func=_sign)
    vf = pk.add_parser("verify", help="check a pack's signature the way the companion does")
    vf.add_argument("path")
    vf.add_argument("--trust-key", action="append", required=True, dest="trusted_keys", metavar="ed25519:KEY|FILE")
    vf.set_defaults(func=_verify)
    df = pk.add_parser("diff", help="what changed between two packs: terms, rules, replies, referrals, URLs")
    df.add_argument("old", help="pack file, folder, bundle or https:// URL")
    df.add_argument("new", help="pack file, folder, bundle or https:// URL")
    df.set_defaults(func=_diff)
    ex = pk.add_parser("explain", help="every rule that looked at a text, and why it fired or not")
    ex.add_argument("path", help="pack file, folder, bundle, or an overlay (on its base)")
    ex.add_argument("text")
    ex.add_argument("--overlay", action="append", dest="overlays", default=[], help="overlay on top (repeat)")
    ex.add_argument("--base", help="when PATH is an overlay: its base pack")
    ex.add_argument("--platform", choices=PLATFORMS, default="facebook")
    ex.add_argument("--surface", choices=SURFACES, default="post")
    ex.add_argument("--replying-to", help="the message the draft answers")
    ex.add_argument("--account", help="the posting account's handle")
    ex.add_argument("--date", type=_date)
    ex.set_defaults(func=_explain)
    pb = pk.add_parser("publish", help="lint and test a pack with its overlays, sign every layer, and write one "
                                       "bundle file to upload (companions read it whole: no half-published state)")
    pb.add_argument("path", help="pack file (with --overlay) or folder with pack.yaml and overlays/")
    pb.add_argument("--overlay", action="append", dest="overlays", default=[], help="overlay on top (repeat, in order)")
    pb.add_argument("--key", required=True, help="the private key file from `pack keygen`")
    pb.add_argument("--expires", default="90d", help="signature validity: 90d, or a date YYYY-MM-DD (default 90d)")
    pb.add_argument("--out", required=True, help="the bundle to write, NAME.bundle.json")
    pb.set_defaults(func=_publish)
    rb = pk.add_parser("rollback", help="publish the content of an older pack as a new revision (companions "
                                        "never go back a revision), as a signed bundle")
    rb.add_argument("old", help="the pack to go back to: file, folder, bundle or https:// URL")
    rb.add_argument("--current", required=True, help="what is published now (file, folder, bundle or URL): "
                                                     "the new revisions are above its revisions")
    rb.add_argument("--key", required=True, help="the private key file from `pack keygen`")
    rb.add_argument("--expires", default="90d", help="signature validity: 90d, or a date YYYY-MM-DD (default 90d)")
    rb.add_argument("--out", required=True, help="the bundle to write, NAME.bundle.json")
    rb.set_defaults(func=_rollback)
    return p


def _layer_args(p) -> None:
    p.add_argument("path", help="pack file, folder, bundle or https:// URL, or an overlay (on its base)")
    p.add_argument("--overlay", action="append", dest="overlays", default=[], help="overlay on top (repeat, in order)")
    p.add_argument("--base", help="when PATH is an overlay: its base pack (default: the pack.yaml above its overlays/ folder)")


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {s!r} (use YYYY-MM-DD)") from None


def _lang(s: str) -> str:
    from companion.engine.wording import LANGUAGE_TAG

    if not LANGUAGE_TAG.fullmatch(s):
        raise argparse.ArgumentTypeError(f"not a language tag: {s!r} (e.g. en, bg, pt-BR)")
    return s


def _compiled(layers, trusted_keys: list[bytes] | None = None, now=None):
    """compiled.build_pack through this user's compiled-pack cache: a pack the companion or an earlier
    command compiled is read back (a check against the serving pack, or IT's `explain` after `lint`, takes
    a fraction of a second instead of a compile). The commands keep what they compile in a folder of their
    own beside the companion's, which they only read: IT's edit-and-lint rounds never push out of the cache
    what the companion serves. Problems with the cache cost only time, so they are not printed."""
    import logging
    from pathlib import Path

    from companion.packcache import PackCache
    from companion.settings import SettingsError, default_state_dir, load_settings

    try:
        state = Path(load_settings({}).state_dir)
    except SettingsError:
        state = default_state_dir()
    cache_log = logging.getLogger("postguard.pack")
    level = cache_log.level
    cache_log.setLevel(logging.CRITICAL)
    try:
        return PackCache(state / "compiled-tools", read_also=state / "compiled").build(layers, trusted_keys, now)
    finally:
        cache_log.setLevel(level)


def _load(path: str | None, overlays: list[str] = (), base: str | None = None):
    """The pack of a file, folder, bundle, URL or overlay on its base (unverified: for IT's own
    review), or None with the reason on stderr."""
    from companion.pack.compiled import pack_layers
    from companion.pack.errors import PackError
    from companion.pack.publish import gather

    try:
        return _compiled(gather(path, overlays, base) if path else pack_layers())
    except PackError as e:
        print(f"postguard: the pack cannot be used:\n{e}", file=sys.stderr)
    except ValueError as e:
        print(f"postguard: {e}", file=sys.stderr)
    return None


def _configured_pack():
    """The pack this machine is configured with (verified with its trusted keys, as the companion
    would), else the last good copy the companion saved; the bundled example when nothing is configured."""
    from pathlib import Path

    from companion.pack.compiled import pack_layers
    from companion.pack.errors import PackError
    from companion.pack.saved import LastGoodStore
    from companion.pack.signing import SignatureError, parse_public_key
    from companion.pack.sources import source_for

    settings = _settings({})
    if settings is None:
        return None
    if not settings.pack:
        return _compiled(pack_layers())
    try:
        keys = [parse_public_key(k) for k in settings.trusted_keys]
        return _compiled(source_for(settings.pack, settings.overlays, settings.ca_bundle).fetch(force=True), keys)
    except (PackError, SignatureError, ValueError) as e:
        problem = e.problems[0] if isinstance(e, PackError) and e.problems else e
        try:
            saved = LastGoodStore(Path(settings.state_dir) / "last-good").load()
            if saved is None:
                raise ValueError("nothing saved")
            pack = _compiled(saved[0], keys, now=saved[1])
        except (PackError, SignatureError, ValueError):
            print(f"postguard: the configured pack ({settings.pack}) cannot be used: {problem}", file=sys.stderr)
            return None
        print(f"postguard: the configured pack cannot be used ({problem}); checking with the last good pack "
              f"saved on this machine: {pack.id} revision {pack.revision}", file=sys.stderr)
        return pack


def _settings(flags: dict):
    from companion.settings import SettingsError, load_settings

    try:
        return load_settings(flags)
    except SettingsError as e:
        print(f"postguard: configuration: {e}", file=sys.stderr)
        return None


def _serve(args) -> int:
    from companion.server import serve
    from companion.settings import load_settings

    flags = {k: getattr(args, k) for k in ("pack", "overlays", "port", "trusted_keys", "ca_bundle", "poll_interval")}
    settings = _settings(flags)
    if settings is None:
        return EXIT_BAD_INPUT
    return serve(settings, verbose=args.verbose, ready_file=args.ready_file, reread=lambda: load_settings(flags),
                 log_file=args.log_file)


def _config(args) -> int:
    import dataclasses

    from companion.settings import system_paths, user_paths

    settings = _settings({})
    if settings is None:
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(_config_facts(settings), indent=2))
        return EXIT_OK
    print(f"config files looked for: system {', '.join(map(str, system_paths()))}; user {', '.join(map(str, user_paths()))}")
    print(f"read: {', '.join(settings.files) or 'none'}")
    print("managed: the system config sets the pack, trusted keys and state folder" if settings.managed
          else "not managed: no system config, so the user's config and flags decide everything")
    for key, value in dataclasses.asdict(settings).items():
        if key not in ("files", "managed"):
            print(f"  {key} = {value!r}")
    _print_pack_state(settings)
    return EXIT_OK


def _print_pack_state(settings) -> None:
    """The last good pack saved on disk, and the running companion's health in full (asked with this
    install's token, after the companion proved it knows the token, as the extension does)."""
    from pathlib import Path

    from companion.pack.saved import LastGoodStore

    state = Path(settings.state_dir)
    try:
        saved = LastGoodStore(state / "last-good").summary()
    except ValueError as e:
        print(f"saved last good pack: cannot be used: {e}")
    else:
        if saved is None:
            print("saved last good pack: none yet")
        else:
            layers = " + ".join(f"{layer['id']} revision {layer['revision']}" for layer in saved["layers"])
            print(f"saved last good pack: {layers}, accepted {saved['accepted_at'][:19]}Z, "
                  f"{_expiry_words(saved['expires_at'], settings.expiry_warning_days)}")
    health, why_not = _companion_health(settings.port, state)
    if health is None:
        print(f"running companion: {why_not}")
        return
    reasons = f" ({', '.join(health['reasons'])})" if health.get("reasons") else ""
    print(f"running companion on 127.0.0.1:{settings.port}: {health['status']}{reasons}")
    pack = health.get("pack")
    if pack:
        layers = " + ".join(f"{layer['id']} revision {layer['revision']}" for layer in pack["layers"])
        signature = pack.get("signature")
        print(f"  serving {layers}, " + (_expiry_words(signature["expires_at"], settings.expiry_warning_days)
                                         if signature else "unsigned"))
    problem = health.get("pack_error")
    if problem:
        print(f"  problem: {problem['message']}")
        for line in problem.get("problems", ()):
            print(f"    {line}")
        if "problems" not in problem:
            print("  the details need this install's token: run `postguard token` (or pair) as the companion's user")


def _config_facts(settings) -> dict:
    """What an MDM script needs about this machine, as one JSON object: the version, the pack serving
    (from the running companion, else the saved last good copy), its signature expiry, health status
    and reasons, and why the last update was refused (in full: this install's token is used)."""
    import dataclasses
    from pathlib import Path

    from companion.pack.saved import LastGoodStore

    state = Path(settings.state_dir)
    try:
        saved, saved_error = LastGoodStore(state / "last-good").summary(), None
    except ValueError as e:
        saved, saved_error = None, str(e)
    health, why_not = _companion_health(settings.port, state)
    pack = (health or {}).get("pack")
    if pack:
        serving = {"from": "companion", "id": pack["id"], "revision": pack["revision"],
                   "layers": [{"id": x["id"], "revision": x["revision"]} for x in pack["layers"]],
                   "signed": pack["signed"], "expires_at": (pack.get("signature") or {}).get("expires_at")}
    elif saved and health is None:
        serving = {"from": "saved", "id": saved["layers"][0]["id"], "revision": saved["layers"][0]["revision"],
                   "layers": [{"id": x["id"], "revision": x["revision"]} for x in saved["layers"]],
                   "signed": all(x["signed"] for x in saved["layers"]), "expires_at": saved["expires_at"]}
    else:
        serving = None
    expires = serving and serving["expires_at"]
    left = (dt.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
            - dt.datetime.now(dt.timezone.utc)) if expires else None
    return {
        "version": __version__,
        "managed": settings.managed,
        "config_files": settings.files,
        "status": health["status"] if health else "not_running",
        "reasons": health.get("reasons", []) if health else [],
        "companion_error": why_not,
        "pack": serving,
        "pack_id": serving and serving["id"],
        "pack_revision": serving and serving["revision"],
        "signature_expires_at": expires or None,
        "signature_days_left": left.days if left is not None else None,
        "signature_expires_soon": bool(left is not None and left <= dt.timedelta(days=settings.expiry_warning_days)),
        "update_refused": (health or {}).get("pack_error"),
        "refused_updates": (health or {}).get("refused_updates"),
        "saved_pack": ({k: saved[k] for k in ("source", "accepted_at", "expires_at", "layers")} if saved else None),
        "saved_pack_error": saved_error,
        "settings": {k: v for k, v in dataclasses.asdict(settings).items() if k not in ("files", "managed")},
    }


def _expiry_words(expires_at: str | None, warn_days: int) -> str:
    if not expires_at:
        return "unsigned"
    expires = dt.datetime.strptime(expires_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    left = expires - dt.datetime.now(dt.timezone.utc)
    if left <= dt.timedelta(0):
        return f"signature EXPIRED at {expires_at}: re-sign and publish the pack"
    if left <= dt.timedelta(days=warn_days):
        return f"signature expires at {expires_at}, in {left.days} day(s): re-sign and publish the pack soon"
    return f"signed until {expires_at}"


def _companion_health(port: int, state) -> tuple[dict | None, str | None]:
    import hmac
    import http.client
    import secrets

    from companion.auth import TokenStore, hello_proof

    token = TokenStore(state).get()

    def call(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read() or b"null")
        finally:
            conn.close()

    try:
        if token:   # never hand the token to something else squatting on the port
            nonce = secrets.token_hex(16)
            status, answer = call("POST", "/v1/hello", json.dumps({"nonce": nonce}), {"Content-Type": "application/json"})
            expected = hello_proof(token, nonce, port)
            if status != 200 or not isinstance(answer, dict) or not hmac.compare_digest(str(answer.get("proof")), expected):
                return None, f"what answers on 127.0.0.1:{port} is not this install's companion; the token was not sent"
        status, health = call("GET", "/v1/health", headers={"Authorization": f"Bearer {token}"} if token else None)
    except (OSError, ValueError):
        return None, f"nothing answers on 127.0.0.1:{port}"
    if status != 200 or not isinstance(health, dict):
        return None, f"127.0.0.1:{port} answered HTTP {status}"
    return health, None


def _check(args) -> int:
    from companion.api.validation import MAX_TEXT
    from companion.engine.answer import answer
    from companion.engine.check import CheckRequest

    text = sys.stdin.read() if args.text == "-" else args.text
    if len(text) > MAX_TEXT:
        print(f"postguard: the draft is longer than {MAX_TEXT} characters", file=sys.stderr)
        return EXIT_BAD_INPUT
    pack = _load(args.pack, args.overlays) if args.pack else _configured_pack()
    if pack is None:
        return EXIT_BAD_INPUT
    result = answer(pack, CheckRequest(text, args.platform, args.surface, args.replying_to, args.account, args.date,
                                       lang=args.lang))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_report(text, result.report)
    worst = result.report.worst
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
    if d.get("match") == "follows":      # a hand-off on the words another finding flagged
        return f"on the words of {d['follows']}"
    if d.get("match") == "second_opinion":
        return (f"the text model, probability {d['probability']:.2f}, resembling "
                + ", ".join(f"“{r}”" for r in d["resembles"]))
    how = f"“{d.get('matched')}”"
    if d.get("context"):
        how += " near " + ", ".join(f"“{c}”" for c in d["context"])
    return how


def _lint(args) -> int:
    from companion.pack.errors import PackError
    from companion.pack.practice_lint import practice_problems
    from companion.pack.publish import gather
    from companion.pack.reply_lint import reply_problems

    try:
        layers = gather(args.path, args.overlays, args.base)
        pack = _compiled(layers)
        blocked = reply_problems(pack, layers)   # a reply its own topic's rule would block: the panel could not use it
        blocked += practice_problems(pack, layers)   # a role-play scenario its own reply is not suggested for
        if blocked:
            raise PackError(blocked)
    except ValueError as e:
        print(f"error: {e}")
        return EXIT_BAD_INPUT
    except PackError as e:
        for p in e.problems:
            print(f"error: {p}")
        print(f"{len(e.problems)} error(s): the pack cannot be used.")
        return EXIT_FINDINGS
    for w in pack.warnings:
        print(f"warning: {w}")
    layers = f" with {len(pack.layers) - 1} overlay(s)" if len(pack.layers) > 1 else ""
    print(f"{args.path}: ok — pack {pack.id} revision {pack.revision}{layers}, {pack.term_count} confidential terms, "
          f"{pack.own_rule_count} rules of its own + {len(pack.base_rules)} from the base policy, "
          f"{len(pack.warnings)} warning(s)")
    return EXIT_FINDINGS if args.strict and pack.warnings else EXIT_OK


def _test(args) -> int:
    from companion.pack.examples import run_examples

    pack = _load(args.path, args.overlays, args.base)
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


def _keygen(args) -> int:
    from pathlib import Path

    from companion.pack.signing import generate_keypair

    try:
        key, pub = generate_keypair(Path(args.out), args.name)
    except FileExistsError:
        print(f"postguard: {args.out}/{args.name}.key exists already; not overwriting it", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"private key: {key} (keep it offline; mode 0600)")
    print(f"public key:  {pub}: {pub.read_text().strip()}")
    print("Give companions the public key: trusted_keys in the system config (serve --trust-key on unmanaged machines).")
    return EXIT_OK


def _expiry(text: str, now: dt.datetime) -> dt.datetime:
    if text.endswith("d") and text[:-1].isdigit():
        expires = now + dt.timedelta(days=int(text[:-1]))
    else:
        expires = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.timezone.utc)
    if expires <= now:
        raise ValueError(f"--expires {text} is not in the future: every companion would refuse "
                         f"the signature (use 90d, or a later date)")
    return expires


def _signed(layers, key: str, expires: str, only=None):
    """(checked pack, layers signed), or an exit code with the reason on stderr: the merged pack is linted
    and its examples run first, overlays included, so nothing is signed that a companion would refuse."""
    from pathlib import Path

    from companion.pack.errors import PackError
    from companion.pack.publish import check_whole, sign_layers
    from companion.pack.signing import SignatureError

    try:
        pack = check_whole(layers, dt.date.today(), build=_compiled)
    except PackError as e:
        print(f"postguard: not signed: the pack with its overlays does not pass lint and its examples:\n{e}",
              file=sys.stderr)
        return EXIT_FINDINGS
    now = dt.datetime.now(dt.timezone.utc)
    try:
        return pack, sign_layers(layers, pack, Path(key).read_bytes(), _expiry(expires, now), now, only)
    except (ValueError, OSError, SignatureError) as e:
        print(f"postguard: not signed: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _sign(args) -> int:
    from pathlib import Path

    from companion.pack.bundle import is_bundle_name
    from companion.pack.errors import PackError
    from companion.pack.publish import gather
    from companion.pack.signing import sig_path

    if is_bundle_name(args.path) or args.path.startswith("https://"):
        print("postguard: sign files or a folder; `postguard pack publish` makes a bundle", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        layers = gather(args.path, base=args.base)
    except (PackError, ValueError) as e:
        print(f"postguard: not signed:\n{e}", file=sys.stderr)
        return EXIT_FINDINGS
    folder = Path(args.path).is_dir()
    only = None if folder else {len(layers) - 1}   # a file: that file alone (an overlay is the last layer)
    done = _signed(layers, args.key, args.expires, only)
    if isinstance(done, int):
        return done
    pack, signed = done
    for i, (layer, meta) in enumerate(zip(signed, pack.layers)):
        if only is None or i in only:
            out = sig_path(layer.name)
            out.write_bytes(layer.signature)
            envelope = json.loads(layer.signature)
            print(f"signed {meta['id']} revision {meta['revision']} with key {envelope['key_id']}, valid until "
                  f"{envelope['expires_at']}: {out}")
    return EXIT_OK


def _publish(args) -> int:
    from companion.pack.errors import PackError
    from companion.pack.publish import gather

    try:
        layers = gather(args.path, args.overlays)
    except (PackError, ValueError) as e:
        print(f"postguard: not published:\n{e}", file=sys.stderr)
        return EXIT_FINDINGS
    return _write_bundle(layers, args)


def _rollback(args) -> int:
    from companion.pack.errors import PackError
    from companion.pack.publish import as_new_revisions, gather

    try:
        old, current = gather(args.old), gather(args.current)
        layers, said = as_new_revisions(old, current)
    except (PackError, ValueError) as e:
        print(f"postguard: no rollback:\n{e}", file=sys.stderr)
        return EXIT_FINDINGS
    for line in said:
        print(line)
    return _write_bundle(layers, args)


def _write_bundle(layers, args) -> int:
    """Sign every layer, write the bundle whole, and read it back as a companion would."""
    from pathlib import Path

    from companion.atomicfile import write_atomically
    from companion.pack.bundle import BUNDLE_SUFFIX
    from companion.pack.errors import PackError
    from companion.pack.publish import bundle_bytes, reread
    from companion.pack.signing import parse_public_key, public_key_text

    out = Path(args.out)
    if not out.name.endswith(BUNDLE_SUFFIX):
        print(f"postguard: --out must end in {BUNDLE_SUFFIX}: that is how companions know a bundle", file=sys.stderr)
        return EXIT_BAD_INPUT
    done = _signed(layers, args.key, args.expires)
    if isinstance(done, int):
        return done
    pack, signed = done
    try:
        write_atomically(out, bundle_bytes(signed))
        key = parse_public_key(public_key_text(_public_of(Path(args.key).read_bytes())))
        _compiled(reread(out), [key])
    except (PackError, OSError) as e:
        print(f"postguard: not published: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    expires = json.loads(signed[0].signature)["expires_at"]
    layers_said = " + ".join(f"{m['id']} revision {m['revision']}" for m in pack.layers)
    print(f"wrote {out}: {layers_said}, signed until {expires}. Upload this one file "
          f"(companions read it whole; nothing else to upload).")
    return EXIT_OK


def _public_of(key_pem: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(key_pem, password=None)
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _trusted(values) -> list[bytes]:
    from pathlib import Path

    from companion.pack.signing import parse_public_key

    return [parse_public_key(Path(v).read_text() if not v.startswith("ed25519:") and Path(v).is_file() else v)
            for v in values]


def _verify(args) -> int:
    from companion.pack.errors import PackError
    from companion.pack.signing import SignatureError

    try:
        pack = _build_signed(args.path, _trusted(args.trusted_keys))
    except (PackError, SignatureError, ValueError) as e:
        print(f"refused:\n{e}")
        return EXIT_FINDINGS
    print(f"ok: {pack.id} revision {pack.revision}, signed by {pack.signature['key_id']}, "
          f"valid until {pack.signature['expires_at']}")
    return EXIT_OK


def _build_signed(path, keys):
    from companion.pack.sources import source_for

    return _compiled(source_for(path).fetch(force=True), keys)


def _diff(args) -> int:
    from companion.pack.diff import diff_packs

    old, new = _load(args.old), _load(args.new)   # folders and bundles: compared merged, overlays included
    if old is None or new is None:
        return EXIT_BAD_INPUT
    lines = diff_packs(old, new)
    print("\n".join(lines) if lines else "No differences in policy content.")
    return EXIT_OK


def _explain(args) -> int:
    from companion.engine.check import CheckRequest
    from companion.pack.explain import explain

    pack = _load(args.path, args.overlays, args.base)
    if pack is None:
        return EXIT_BAD_INPUT
    req = CheckRequest(args.text, args.platform, args.surface, args.replying_to, args.account,
                       args.date or dt.date.today())
    for line in explain(pack, req):
        print(line)
    return EXIT_OK


def _service(args) -> int:
    import subprocess

    from companion import service

    extra = args.serve_args
    try:
        _parser().parse_args(["serve", *extra])   # a typo fails here, not at every log-in
    except SystemExit:
        print("postguard: service: the arguments after -- are not valid for `postguard serve`", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        if args.action == "show":
            print(service.render(service.command(extra), all_users=args.all_users, start=not args.no_start))
        elif args.action == "install":
            print(service.install(extra, start=not args.no_start, all_users=args.all_users))
        else:
            print(service.uninstall(start=not args.no_start, all_users=args.all_users))
    except (OSError, ValueError, subprocess.CalledProcessError) as e:
        print(f"postguard: service {args.action} failed: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _token_store():
    from pathlib import Path

    from companion.auth import TokenStore

    settings = _settings({})
    if settings is None:
        return None
    return TokenStore(Path(settings.state_dir))


def _pair(args) -> int:
    from companion.auth import CODE_ATTEMPTS, CODE_TTL, PairingCodes

    store = _token_store()
    if store is None:
        return EXIT_BAD_INPUT
    if args.reset:
        store.rotate()
        print("New token made: the old one no longer works. Pair the extension again with this code.")
    code = PairingCodes(store.state_dir).new_code()
    print(f"Pairing code: {code}   (valid {CODE_TTL // 60} minutes, {CODE_ATTEMPTS} attempts)")
    print("Type it into PostGuard's options page in your browser (toolbar icon → Options → Pair).")
    if store.storage != "keyring":
        print(f"Note: {store.fallback_reason}; the token is kept in {store.file}, readable by you alone.",
              file=sys.stderr)
    return EXIT_OK


def _token(args) -> int:
    store = _token_store()
    if store is None:
        return EXIT_BAD_INPUT
    print(store.ensure())
    if store.storage != "keyring":
        print(f"Note: {store.fallback_reason}; the token is kept in {store.file}, readable by you alone.",
              file=sys.stderr)
    return EXIT_OK


def _pairing_secret(args) -> int:
    import base64
    import os

    from companion.zerotouch import derive_secret, new_secret

    if args.make_fleet_key:
        try:
            fd = os.open(args.make_fleet_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as e:
            print(f"error: {args.make_fleet_key}: {e.strerror or e}", file=sys.stderr)
            return EXIT_BAD_INPUT
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(new_secret() + "\n")
        print(f"wrote {args.make_fleet_key}: keep it with IT, never on employee machines")
        return EXIT_OK
    if not args.fleet_key:
        if args.machine or args.user:
            print("error: --machine and --user need --fleet-key", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(new_secret())
        return EXIT_OK
    if not (args.machine and args.user):
        print("error: --fleet-key needs --machine and --user", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        text = open(args.fleet_key, encoding="ascii").read().strip()
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        print(derive_secret(key, args.machine, args.user))
    except (OSError, ValueError) as e:
        print(f"error: {args.fleet_key}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _records_path():
    from pathlib import Path

    from companion.records import RECORDS_FILE

    settings = _settings({})
    if settings is None:
        return None
    return Path(settings.state_dir) / RECORDS_FILE


def _report(args) -> int:
    import sqlite3

    from companion.records import open_records, report

    if args.preview_push:
        return _preview_push()
    path = _records_path()
    if path is None:
        return EXIT_BAD_INPUT
    today = dt.date.today()
    try:
        since = report.parse_since(args.since, today)
    except ValueError as e:
        print(f"postguard: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not path.exists():
        body = None
    else:
        try:
            conn = open_records(path)
        except (sqlite3.Error, OSError, RuntimeError) as e:
            print(f"postguard: cannot read the records in {path}: {e}", file=sys.stderr)
            return EXIT_BAD_INPUT
        try:
            body = report.build(conn, since, today)
        finally:
            conn.close()
    if body is None:
        if args.json:
            print(json.dumps({"since": since.isoformat(), "until": today.isoformat(), "records": None}))
        else:
            print(f"No records yet ({path} does not exist).")
        return EXIT_OK
    if args.csv:
        from pathlib import Path

        for written in report.write_csv(body, Path(args.csv)):
            print(f"wrote {written}", file=sys.stderr)
    if args.html:
        from pathlib import Path

        from companion.records import html_report

        try:
            Path(args.html).write_text(html_report.render(body), encoding="utf-8")
        except ImportError as e:
            print(f"postguard: {e}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except OSError as e:
            print(f"postguard: cannot write {args.html}: {e.strerror or e}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"wrote {args.html}", file=sys.stderr)
    print(json.dumps(body, indent=2) if args.json else "\n".join(report.text(body, path)))
    return EXIT_OK


def _preview_push() -> int:
    """The payload the running companion pushes (companion/telemetry/), built the same way from the
    same facts: the records' counts and `config --json`'s fleet facts. Only service.instance.id
    (random at each start) and the times differ from a real push."""
    from pathlib import Path

    from companion.records import RECORDS_FILE
    from companion.telemetry import fleet_points, program_points
    from companion.telemetry.otlp import (
        Metrics,
        MissingPackages,
        as_json,
        new_instance_id,
        request,
        resource_attributes,
    )

    settings = _settings({})
    if settings is None:
        return EXIT_BAD_INPUT
    now = dt.datetime.now(dt.timezone.utc)
    points = program_points(Path(settings.state_dir) / RECORDS_FILE, now.astimezone().date())
    points += fleet_points(_config_facts(settings), now)
    try:
        metrics = Metrics(resource_attributes(settings, new_instance_id()))
    except MissingPackages as e:
        print(f"postguard: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(as_json(request(metrics.collect(points))), indent=2))
    if settings.telemetry_endpoint:
        print(f"postguard: the companion sends this to {settings.telemetry_endpoint} every "
              f"{settings.telemetry_interval:g} s (service.instance.id and the times differ)", file=sys.stderr)
    else:
        print("postguard: the push is off on this computer (no telemetry_endpoint): nothing is sent", file=sys.stderr)
    return EXIT_OK


def _forget(args) -> int:
    import sqlite3

    from companion.records import open_records
    from companion.records.store import forget

    path = _records_path()
    if path is None:
        return EXIT_BAD_INPUT
    if not path.exists():
        print(f"Nothing to forget: {path} does not exist.")
        return EXIT_OK
    try:
        conn = open_records(path)
        try:
            deleted = forget(conn, None if args.all else args.before)
            conn.execute("VACUUM")   # deleted counts do not linger in free pages
        finally:
            conn.close()
    except (sqlite3.Error, OSError, RuntimeError) as e:
        print(f"postguard: cannot change the records in {path}: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    what = "every record" if args.all else f"the records of days before {args.before.isoformat()}"
    print(f"Deleted {what}: {deleted} rows of counts, from {path}.")
    return EXIT_OK
