"""Defaults shared by the CLI and the server."""

DEFAULT_PORT = 7311
# The extension's ID is fixed by the `key` in extension/manifest.json (see extension/EXTENSION_ID.txt).
EXTENSION_ID = "miangmhmallhfcpliiohpmjilaiflllc"
DEFAULT_ORIGINS = (f"chrome-extension://{EXTENSION_ID}",)
# Health, the log and `postguard config` warn this many days before a pack's signature expires.
DEFAULT_EXPIRY_WARNING_DAYS = 14
# Local records (companion/records/) are deleted after this many days unless IT sets records_retention_days.
DEFAULT_RECORDS_RETENTION_DAYS = 90
# The push to IT's OpenTelemetry Collector (companion/telemetry/), when IT turns it on: every hour.
DEFAULT_TELEMETRY_INTERVAL = 3600.0
