"""Run the companion: waitress on 127.0.0.1 only, the pack watched for changes."""

from __future__ import annotations

import atexit
import json
import logging
import logging.handlers
import os
import queue
import signal
import sys
from pathlib import Path

from companion.api.app import MAX_BODY, create_app
from companion.atomicfile import write_atomically
from companion.configwatch import watch_config
from companion.httpserver import Server
from companion.logfile import file_handler
from companion.pack.saved import private_dir
from companion.pack.signing import SignatureError, parse_public_key
from companion.pack.sources import PersonalOverlay, UrlSource, source_for
from companion.packcache import PackCache
from companion.packstate import LastGoodStore, PackHolder, RevisionStore
from companion.records import RECORDS_FILE, RecordWriter
from companion.settings import Settings, default_state_dir
from companion.telemetry.push import TelemetryPush
from companion.zerotouch import PairingSecretError, read_secret, secret_path

HOST = "127.0.0.1"   # never 0.0.0.0: the companion is for this machine's browser only


def setup_logging(verbose: bool = False, log_file: str | None = None) -> None:
    """Log to stderr (or `log_file`: companion/logfile.py) from a background thread, so a slow terminal
    or journal never holds up a check. OSError when the log file cannot be written.

    Successful checks are logged at DEBUG (companion/api/app.py): one per typing pause would fill the
    journal with a record of when the user typed. `verbose` shows them.
    """
    handler = file_handler(log_file) if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    lines: queue.SimpleQueue = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(lines, handler)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(logging.handlers.QueueHandler(lines))
    listener.start()
    atexit.register(listener.stop)   # writes what is still queued
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if verbose:
        logging.getLogger("postguard.access").setLevel(logging.DEBUG)   # only ours: libraries stay at INFO


def holder_parts(settings: Settings) -> dict:
    """What a PackHolder takes from the settings (also when they are re-read: companion/configwatch.py)."""
    keys = [parse_public_key(k) for k in settings.trusted_keys]
    source = source_for(settings.pack, settings.overlays, settings.ca_bundle) if settings.pack else None
    if source is not None and settings.personal_overlay:
        source = PersonalOverlay(source, settings.personal_overlay)
    state = _state_dir(settings)
    return {"source": source, "trusted_keys": keys,
            "revisions": RevisionStore(state / "accepted-revisions.json" if keys else None, settings.min_revisions),
            "saved": LastGoodStore(state / "last-good" if source else None),   # the bundled pack needs no copy
            "check_examples": settings.check_examples, "warn_days": settings.expiry_warning_days}


def make_holder(settings: Settings) -> PackHolder:
    return PackHolder(**holder_parts(settings), cache=PackCache(_state_dir(settings) / "compiled"))


def poll_interval(settings: Settings, source) -> float:
    """A URL is polled every poll_interval; files every 2 s (a stat)."""
    it_source = getattr(source, "source", source)   # IT's, under a personal overlay
    return settings.poll_interval if isinstance(it_source, UrlSource) else 2.0


def _state_dir(settings: Settings) -> Path:
    return Path(settings.state_dir or default_state_dir())


def serve(settings: Settings, threads: int = 4, verbose: bool = False, ready_file: str | None = None,
          reread=None, log_file: str | None = None) -> int:
    """`reread()` gives the settings again from the config files (and the same flags): called on
    SIGHUP and when a config file changes."""
    try:
        setup_logging(verbose=verbose, log_file=log_file)
    except OSError as e:
        print(f"postguard: cannot write the log file {log_file}: {e.strerror or e}", file=sys.stderr)
        return 2
    log = logging.getLogger("postguard")
    for f in settings.files:
        log.info("configuration read from %s", f)
    try:
        private_dir(_state_dir(settings))   # 0700 from the start: it will hold the token, the record, the saved pack
        packs = make_holder(settings)
    except (SignatureError, ValueError) as e:
        log.error("cannot start: %s", e)
        return 2
    except OSError as e:
        log.error("cannot start: the state folder %s: %s", _state_dir(settings), e.strerror or e)
        return 2
    packs.load()
    if settings.pack:
        packs.watch(poll_interval(settings, packs.source))
    records = RecordWriter(_state_dir(settings) / RECORDS_FILE, retention_days=settings.records_retention_days)
    atexit.register(records.close)   # writes what is still queued (after SIGTERM too: _exit)
    secret_file = secret_path(settings)
    telemetry = TelemetryPush(settings, packs, _state_dir(settings) / RECORDS_FILE)   # idle unless IT turned it on
    if reread is not None:
        watch_config(settings, reread, packs, on_change=telemetry.reconfigure)
    app = create_app(packs, _state_dir(settings), port=settings.port, origins=settings.allowed_origins,
                     records=records, pairing_secret=secret_file)
    try:
        # waitress refuses bodies over MAX_BODY itself (drained, JSON: companion/httpserver.py)
        server = Server(app, host=HOST, port=settings.port, threads=threads, max_request_body_size=MAX_BODY + 1,
                        ident="postguard", clear_untrusted_proxy_headers=True)
    except OSError as e:
        log.error("cannot listen on %s:%d: %s (is another companion running? try --port)", HOST, settings.port,
                  e.strerror or e)
        return 2
    port = int(server.effective_port)   # the one bound, also with --port 0 (waitress gives a string)
    app.config["POSTGUARD_PORT"] = port
    tokens = app.config["POSTGUARD_TOKENS"]
    if tokens.current() is None:
        log.info("not paired yet: run `postguard pair` and type the code into the extension's options page")
    _log_pairing_secret(log, secret_file)
    log.info("pairing token kept in the %s", tokens.store.storage)
    pack = packs.pack
    log.info("PostGuard companion on http://%s:%d serving %s", HOST, port,
             f"pack {pack.id} revision {pack.revision}" if pack else "no pack (checks answer 503 until a valid pack loads)")
    if ready_file:
        _write_ready(Path(ready_file), port)
    # `kill`, systemd and launchd stop with SIGTERM: stop as on Ctrl-C, so waitress finishes the
    # requests it holds and the lines still queued for the log are written (atexit, above).
    signal.signal(signal.SIGTERM, _exit)
    server.run()
    return 0


def _log_pairing_secret(log: logging.Logger, path: Path | None) -> None:
    """Say whether IT's zero-touch pairing secret for this account is there and usable (never its value)."""
    if path is None:
        return
    try:
        found = read_secret(path)
    except PairingSecretError as e:
        log.error("zero-touch pairing: %s", e)
        return
    log.info("zero-touch pairing: %s", f"IT's pairing secret in {path}" if found else f"no secret at {path} (yet)")


def _write_ready(path: Path, port: int) -> None:
    """{"port", "pid"}, written whole (rename) once the socket is bound: whoever started the
    companion on --port 0 learns where it listens without racing another program for a port."""
    write_atomically(path, json.dumps({"port": port, "pid": os.getpid()}).encode("utf-8"))


def _exit(signum, frame):
    raise SystemExit(0)
