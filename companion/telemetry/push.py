"""The running companion's push: a daemon thread that, once IT has turned it on, sends the points to
the collector every `telemetry_interval`, the first soon after start.

Nothing on the request path waits for it or can fail because of it: it reads the pack holder's
health and the records file (read only) on its own thread. A collector that does not answer costs
one log line, and one more when it answers again; the line holds the endpoint and the exporter's
reason, never a value that was to be sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from pathlib import Path

from companion import __version__
from companion.telemetry import otlp
from companion.telemetry.points import Point, fleet_facts, fleet_points, program_points

log = logging.getLogger("postguard.telemetry")

FIRST_PUSH_AFTER = 60.0   # seconds after start (or a change of the settings), at most the interval


class _LastMessage(logging.Handler):
    """Keeps the exporter's last complaint (it logs each retry) for our one line."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.message: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.message = record.getMessage()[:300]


_complaint = _LastMessage()


def _listen_to_the_exporter() -> None:
    """At every push: a logging.config call elsewhere in the process would undo it."""
    exporter_log = logging.getLogger(otlp.EXPORTER_LOGGER)
    if _complaint not in exporter_log.handlers:
        exporter_log.addHandler(_complaint)
    exporter_log.propagate = False   # its retries would be a line each; ours says it once


def _telemetry(settings) -> tuple:
    return tuple(getattr(settings, k) for k in ("telemetry_endpoint", "telemetry_interval", "telemetry_headers",
                                                "telemetry_ca_bundle", "telemetry_attributes", "telemetry_host_name"))


class TelemetryPush:
    def __init__(self, settings, packs, records: Path, clock=lambda: dt.datetime.now(dt.timezone.utc)):
        self.settings, self.packs, self.records, self.clock = settings, packs, records, clock
        self.instance_id = otlp.new_instance_id()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._metrics = self._exporter = None
        self._failing = False
        self._stopped = False
        self._say_state()
        threading.Thread(target=self._run, name="telemetry-push", daemon=True).start()

    def reconfigure(self, settings) -> None:
        """Settings re-read while running (companion/configwatch.py): a change of any telemetry_* key
        takes effect at once, on or off."""
        if _telemetry(settings) == _telemetry(self.settings):
            self.settings = settings
            return
        with self._lock:
            self.settings = settings
            self._close()
        self._say_state()
        self._wake.set()

    def points(self) -> list[Point]:
        """What goes out now: the records' counts (none when they cannot be read) and the fleet facts."""
        try:
            counts = program_points(self.records, self.clock().astimezone().date())
        except sqlite3.Error as e:
            log.warning("telemetry: the records could not be read (%s); sending fleet health only", type(e).__name__)
            counts = []
        facts = fleet_facts(self.packs.health(details=False), __version__, self.packs.refused_updates)
        return counts + fleet_points(facts, self.clock())

    def push_once(self) -> bool:
        """Collect and send one request; True when the collector took it. Never raises."""
        with self._lock:
            endpoint = self.settings.telemetry_endpoint
            if not endpoint:
                return False
            _listen_to_the_exporter()
            _complaint.message = None
            try:
                if self._exporter is None:
                    self._metrics = otlp.Metrics(otlp.resource_attributes(self.settings, self.instance_id))
                    self._exporter = otlp.exporter(self.settings)
                data = self._metrics.collect(self.points())
                ok = self._exporter.export(data, timeout_millis=otlp.export_timeout(self.settings) * 1000).name == "SUCCESS"
                why = _complaint.message or "the exporter gave no reason"
            except otlp.MissingPackages as e:
                ok, why = False, str(e)
            except Exception as e:   # never let the push thread die, nor say more than the kind of failure
                ok, why = False, type(e).__name__
        if not ok and not self._failing:
            log.warning("telemetry: the push to %s failed (%s); trying again every %ds, said once until it works",
                        endpoint, why, self.settings.telemetry_interval)
        elif ok and self._failing:
            log.info("telemetry: the push to %s works again", endpoint)
        self._failing = not ok
        return ok

    def stop(self) -> None:
        """End the thread (tests; the companion's ends with the process)."""
        self._stopped = True
        self._wake.set()

    def _run(self) -> None:
        first = True
        while not self._stopped:
            interval = self.settings.telemetry_interval
            if not self.settings.telemetry_endpoint:
                self._wake.wait()
            elif not self._wake.wait(min(FIRST_PUSH_AFTER, interval) if first else interval):
                first = False
                self.push_once()
                continue
            self._wake.clear()   # the settings changed: start over, the first push soon
            first = True
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._exporter is not None:
            self._exporter.shutdown()
            self._metrics.close()
        self._metrics = self._exporter = None
        self._failing = False

    def _say_state(self) -> None:
        s = self.settings
        if s.telemetry_endpoint:
            log.info("telemetry: pushing counts (none below 5) and fleet health to %s every %ds",
                     s.telemetry_endpoint, s.telemetry_interval)
