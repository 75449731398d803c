"""Re-read the configuration while the companion runs: on SIGHUP, and when a config file changes.

What decides the pack takes effect at once, without a restart: the pack source (pack, overlays,
ca_bundle, personal_overlay), trusted_keys, min_revisions, check_examples, expiry_warning_days and
poll_interval; the pack is then fetched again and tried under the new settings. So do the
telemetry_* keys (the push to IT's collector: companion/telemetry/). port,
allowed_origins and state_dir are bound when the companion starts: a change to them is logged as
needing a restart. A configuration that cannot be used (a syntax error, a system file someone else
could write, a bad key) changes nothing: the running settings stay, and the log says why.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path

from companion.settings import Settings, SettingsError, system_paths, user_paths

log = logging.getLogger("postguard.config")

CHECK_EVERY = 2.0   # seconds between looks at the config files (a stat each)
AT_START_ONLY = ("port", "allowed_origins", "state_dir")


def _stamp() -> tuple:
    out = []
    for p in [*system_paths(), *user_paths()]:
        try:
            st = os.stat(p)
            out.append((str(p), st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append((str(p), None))
    return tuple(out)


class ConfigWatch:
    def __init__(self, settings: Settings, reread, holder, on_change=None):
        self.settings, self.reread, self.holder, self.on_change = settings, reread, holder, on_change
        self.wake = threading.Event()
        self._stamp = _stamp()

    def run(self) -> None:
        while True:
            hup = self.wake.wait(CHECK_EVERY)
            self.wake.clear()
            stamp = _stamp()
            if not hup and stamp == self._stamp:
                continue
            self._stamp = stamp
            try:
                self.apply("SIGHUP" if hup else "a config file changed")
            except Exception as e:   # never let the watcher die; the reason is logged
                log.error("configuration not re-read: %s", type(e).__name__)

    def apply(self, why: str) -> bool:
        """Re-read the settings and hand them to the pack holder; False when they cannot be used."""
        from companion.pack.signing import SignatureError
        from companion.server import holder_parts, poll_interval

        try:
            new = self.reread()
            parts = holder_parts(new)
        except (SettingsError, SignatureError, ValueError, OSError) as e:
            log.error("configuration re-read (%s) and refused, the running settings stay: %s", why, e)
            return False
        for key in AT_START_ONLY:
            if getattr(new, key) != getattr(self.settings, key):
                log.warning("configuration: %s changed; it takes effect when the companion restarts", key)
        self.holder.reconfigure(**parts, poll_interval=poll_interval(new, parts["source"]))
        log.info("configuration re-read (%s) from %s; fetching the pack again", why, ", ".join(new.files) or "no file")
        for key in AT_START_ONLY:   # what only a restart changes stays as the running companion has it
            setattr(new, key, getattr(self.settings, key))
        self.settings = new
        if self.on_change is not None:
            self.on_change(new)   # the telemetry push (companion/telemetry/push.py)
        self.holder.load()
        if new.pack:
            self.holder.watch(poll_interval(new, parts["source"]))
        return True


def watch_config(settings: Settings, reread, holder, on_change=None) -> ConfigWatch:
    """Start watching; SIGHUP wakes the watcher at once (where the OS has it: not on Windows).
    `on_change(settings)` is called with every configuration accepted."""
    watch = ConfigWatch(settings, reread, holder, on_change)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda signum, frame: watch.wake.set())
    threading.Thread(target=watch.run, name="config-watch", daemon=True).start()
    log.info("configuration is re-read on SIGHUP and when %s changes",
             " or ".join(str(Path(p)) for p in [*system_paths(), *user_paths()]))
    return watch
