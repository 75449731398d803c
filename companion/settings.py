"""The companion's configuration for IT: a system-wide file, a per-user file, then command-line flags.

Locations:
  system:  /etc/postguard/config.toml (Linux), /Library/Application Support/PostGuard/config.toml (macOS),
           <ProgramData>\\PostGuard\\config.toml (Windows, the known folder, not %PROGRAMDATA%)
  user:    $POSTGUARD_CONFIG, $XDG_CONFIG_HOME/postguard/config.toml or ~/.config/postguard/config.toml (Linux),
           ~/Library/Application Support/PostGuard/config.toml (macOS), %APPDATA%\\PostGuard\\config.toml (Windows)

A machine with a system config is *managed*. Then what decides the policy in force comes from that
file only, and the file must be IT's (see `check_system_file`): the trusted keys, the pack source
(pack, overlays, ca_bundle), the state folder (the anti-rollback record lives there) and the
revision floors (min_revisions). Setting any of them in the user file, or `serve --trust-key`,
`--pack`, `--overlay`, `--ca-bundle`, is an error that says so; the rest (port, poll interval, ...)
the user may change. IT may let users add one unsigned overlay of their own (allow_personal_overlay
= true, then personal_overlay in the user file); it can only add to IT's pack. Without a system
config (a developer, an unmanaged machine) the user file and flags decide everything.

Test mode: with POSTGUARD_TEST_MODE=1, POSTGUARD_SYSTEM_CONFIG=FILE plays the system config (a file
of the user running the tests is accepted as its owner), and the state folder follows HOME and
XDG_STATE_HOME. Both variables are ignored on a managed machine (a system config exists at the fixed
path), so they cannot take a policy away from IT; on an unmanaged machine they give nothing that
`serve --trust-key` would not.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from companion.config import (
    DEFAULT_EXPIRY_WARNING_DAYS,
    DEFAULT_ORIGINS,
    DEFAULT_PORT,
    DEFAULT_RECORDS_RETENTION_DAYS,
    DEFAULT_TELEMETRY_INTERVAL,
)

# The opt-in push of counts and fleet health to IT's OpenTelemetry Collector (companion/telemetry/).
TELEMETRY = {"telemetry_endpoint", "telemetry_interval", "telemetry_headers", "telemetry_ca_bundle",
             "telemetry_attributes", "telemetry_host_name"}
KNOWN = {"port", "pack", "overlays", "pack_url", "ca_bundle", "poll_interval", "trusted_keys",
         "allowed_origins", "check_examples", "state_dir", "expiry_warning_days", "min_revisions",
         "allow_personal_overlay", "personal_overlay", "records_retention_days", *TELEMETRY}
SYSTEM_ONLY = {"trusted_keys", "min_revisions", "allow_personal_overlay"}   # never in a user file
MANAGED = SYSTEM_ONLY | {"pack", "pack_url", "overlays", "ca_bundle", "state_dir",   # IT's alone when managed
                         "records_retention_days", *TELEMETRY}
USER_ONLY = {"personal_overlay"}
FLAGS = {"pack": "--pack", "overlays": "--overlay", "trusted_keys": "--trust-key", "ca_bundle": "--ca-bundle"}
TEST_MODE = "POSTGUARD_TEST_MODE"


class SettingsError(ValueError):
    pass


@dataclass
class Settings:
    port: int = DEFAULT_PORT
    pack: str | None = None              # a file, a folder (pack.yaml + overlays/) or an https:// URL
    overlays: list[str] = field(default_factory=list)
    ca_bundle: str | None = None
    poll_interval: float = 300.0         # seconds between checks of a URL source; files are checked every 2 s
    trusted_keys: list[str] = field(default_factory=list)
    allowed_origins: list[str] = field(default_factory=lambda: list(DEFAULT_ORIGINS))
    check_examples: bool = True
    state_dir: str | None = None         # token fallback, pairing code, accepted revisions, the last good pack
    expiry_warning_days: int = DEFAULT_EXPIRY_WARNING_DAYS   # warn this long before a pack's signature expires
    min_revisions: dict[str, int] = field(default_factory=dict)   # layer id -> lowest revision ever accepted
    allow_personal_overlay: bool = False
    personal_overlay: str | None = None  # one unsigned overlay of the user's, when IT allows it
    records_retention_days: int = DEFAULT_RECORDS_RETENTION_DAYS   # local records (companion/records/) older than this are deleted
    telemetry_endpoint: str | None = None   # IT's collector, OTLP/HTTP: set, it turns the push on (off by default)
    telemetry_interval: float = DEFAULT_TELEMETRY_INTERVAL   # seconds between pushes
    telemetry_headers: dict[str, str] = field(default_factory=dict)      # e.g. the collector's API key
    telemetry_ca_bundle: str | None = None  # CA certificates for an https:// collector (default: the system's)
    telemetry_attributes: dict[str, str] = field(default_factory=dict)   # resource attributes IT adds
    telemetry_host_name: bool = False       # send the machine's host name as host.name
    managed: bool = False                # a system config decides keys, source and state folder
    files: list[str] = field(default_factory=list)   # which config files were read


@dataclass(frozen=True)
class SystemPlace:
    """Where the system config is looked for, and which owners (uids) it and its folders may have."""
    path: Path
    owners: frozenset[int]
    test: bool = False


def fixed_system_path() -> Path:
    if sys.platform == "win32":
        return _windows_folder("ProgramData") / "PostGuard" / "config.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/PostGuard/config.toml")
    return Path("/etc/postguard/config.toml")


def system_place() -> SystemPlace:
    fixed = fixed_system_path()
    if os.environ.get(TEST_MODE) == "1" and os.environ.get("POSTGUARD_SYSTEM_CONFIG") and not _exists(fixed):
        return SystemPlace(Path(os.environ["POSTGUARD_SYSTEM_CONFIG"]), frozenset({0, _uid()}), test=True)
    return SystemPlace(fixed, frozenset({0}))


def system_paths() -> list[Path]:
    return [system_place().path]


def user_paths() -> list[Path]:
    if os.environ.get("POSTGUARD_CONFIG"):
        return [Path(os.environ["POSTGUARD_CONFIG"])]
    if sys.platform == "win32":
        return [Path(os.environ.get("APPDATA", _home() / "AppData" / "Roaming")) / "PostGuard" / "config.toml"]
    if sys.platform == "darwin":
        return [_home() / "Library" / "Application Support" / "PostGuard" / "config.toml"]
    return [Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config") / "postguard" / "config.toml"]


def default_state_dir(trust_env: bool = True) -> Path:
    """The per-user state folder. On a managed machine (`trust_env` False) it is found from the
    account, not from HOME, XDG_STATE_HOME or LOCALAPPDATA, which the user sets per process."""
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") if trust_env else None
        return Path(local or _windows_folder("LocalAppData")) / "PostGuard"
    home = _home() if trust_env else _account_home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "PostGuard"
    state = os.environ.get("XDG_STATE_HOME") if trust_env else None
    return Path(state or home / ".local" / "state") / "postguard"


def check_system_file(path: Path, owners: frozenset[int]) -> None:
    """Refuse a system config that someone other than IT could have written: the file and every
    folder above it (of the path as given and as resolved through links) must belong to one of
    `owners` and be writable by nobody else. A sticky folder (/tmp) may be world-writable: others
    cannot rename or delete what is not theirs in it. Windows: the ACL IT sets on the folder decides
    (the companion does not read ACLs; see docs/security.md)."""
    if sys.platform == "win32":
        return
    real = path.resolve()
    for p in dict.fromkeys([real, *real.parents, *path.absolute().parents]):
        st = os.stat(p)
        who = "the file" if p == real else f"the folder {p}"
        if st.st_uid not in owners:
            raise SettingsError(f"{path}: {who} belongs to uid {st.st_uid}, not to root; the system config must be "
                                f"IT's (sudo chown root {p}); refusing to start")
        sticky_dir = stat.S_ISDIR(st.st_mode) and st.st_mode & stat.S_ISVTX
        if st.st_mode & 0o022 and not sticky_dir:
            raise SettingsError(f"{path}: {who} can be written by others (mode {stat.S_IMODE(st.st_mode):o}); "
                                f"the system config must be IT's alone (sudo chmod go-w {p}); refusing to start")


def parse_duration(value: Any, key: str = "poll_interval") -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    m = re.fullmatch(r"\s*(\d+)\s*(s|m|h)?\s*", str(value))
    if not m or not int(m.group(1)):
        raise SettingsError(f"{key}: {value!r} is not a duration like 30s, 5m or 1h")
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, None: 1}[m.group(2)]


def _read(path: Path, home: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{path}: {e}") from None
    except OSError as e:
        raise SettingsError(f"{path}: cannot read it: {e.strerror or e}") from None
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise SettingsError(f"{path}: unknown setting '{unknown[0]}' (known: {', '.join(sorted(KNOWN))})")
    base = path.parent
    for key in ("pack", "ca_bundle", "state_dir", "personal_overlay", "telemetry_ca_bundle"):   # relative to the config file
        if isinstance(data.get(key), str) and not data[key].startswith("https://"):
            data[key] = str(base / _expand(data[key], home))
    if "overlays" in data:
        if not isinstance(data["overlays"], list) or not all(isinstance(o, str) for o in data["overlays"]):
            raise SettingsError(f"{path}: overlays is a list of files")
        data["overlays"] = [str(base / _expand(o, home)) for o in data["overlays"]]
    if "pack_url" in data:
        data["pack"] = data.pop("pack_url")
    return data


def load_settings(flags: dict[str, Any] | None = None, place: SystemPlace | None = None) -> Settings:
    place = place or system_place()
    flags = {k: v for k, v in (flags or {}).items() if v not in (None, [], ())}
    s = Settings()
    merged: dict[str, Any] = {}
    if _exists(place.path):
        check_system_file(place.path, place.owners)
        s.managed = True
        merged = _read(place.path, _home() if place.test else _account_home())
        if USER_ONLY & set(merged):
            raise SettingsError(f"{place.path}: personal_overlay belongs in a user's config "
                                f"(allow it with allow_personal_overlay = true)")
        s.files.append(str(place.path))
    for path in user_paths():
        if path.is_file():
            data = _read(path, _home())
            taken = sorted((MANAGED if s.managed else SYSTEM_ONLY) & set(data))
            if taken:
                raise SettingsError(f"{path}: '{taken[0]}' can only be set in the system-wide config"
                                    + (f" ({place.path}), which sets it on this computer" if s.managed else ""))
            merged.update(data)
            s.files.append(str(path))
            break
    if s.managed:
        taken = sorted(MANAGED & set(flags))
        if taken:
            raise SettingsError(f"{FLAGS.get(taken[0], taken[0])} is for unmanaged installs only: on this computer IT "
                                f"sets the pack, the trusted keys and the state folder in {place.path}")
    merged.update(flags)
    for key, value in merged.items():
        setattr(s, key, _checked(key, value))
    if s.personal_overlay and s.managed and not s.allow_personal_overlay:
        raise SettingsError(f"personal_overlay: IT does not allow a personal overlay on this computer "
                            f"(allow_personal_overlay in {place.path})")
    if not s.state_dir:
        s.state_dir = str(default_state_dir(trust_env=place.test or not s.managed))
    return s


def _checked(key: str, value: Any) -> Any:
    if key == "poll_interval":
        return parse_duration(value)
    if key == "port" and (type(value) is not int or not 0 <= value <= 65535):   # 0: any free port
        raise SettingsError(f"port: {value!r} is not a port number")
    if key == "expiry_warning_days" and (type(value) is not int or value < 0):
        raise SettingsError(f"expiry_warning_days: {value!r} is not a number of days")
    if key == "trusted_keys" and (not isinstance(value, list) or not all(isinstance(k, str) for k in value)):
        raise SettingsError("trusted_keys: a list of \"ed25519:…\" keys")
    if key == "min_revisions" and (not isinstance(value, dict) or not all(
            type(v) is int and v > 0 for v in value.values())):
        raise SettingsError("min_revisions: a table of layer id = lowest revision, e.g. {acme = 12}")
    if key == "records_retention_days" and (type(value) is not int or not 1 <= value <= 3660):
        raise SettingsError(f"records_retention_days: {value!r} is not a number of days from 1 to 3660")
    if key == "allow_personal_overlay" and type(value) is not bool:
        raise SettingsError("allow_personal_overlay: true or false")
    if key.startswith("telemetry_"):
        return _telemetry(key, value)
    return value


def _telemetry(key: str, value: Any) -> Any:
    if key == "telemetry_endpoint":
        url = urlsplit(value) if isinstance(value, str) else None
        if url is None or url.scheme not in ("https", "http") or not url.hostname or url.query or url.fragment:
            raise SettingsError(f"telemetry_endpoint: {value!r} is not the http(s):// URL of an OTLP/HTTP collector")
        # the collector's base URL means its standard metrics path, as OTEL_EXPORTER_OTLP_ENDPOINT does
        return value if url.path not in ("", "/") else value.rstrip("/") + "/v1/metrics"
    if key == "telemetry_interval":
        return parse_duration(value, key)
    if key in ("telemetry_headers", "telemetry_attributes"):
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise SettingsError(f"{key}: a table of names and text values, e.g. {{\"deployment.environment\" = \"emea\"}}")
        return value
    if key == "telemetry_host_name" and type(value) is not bool:
        raise SettingsError("telemetry_host_name: true or false")
    return value


def _expand(path: str, home: Path) -> str:
    """`~` is the home of the account (managed) or $HOME (not managed, tests)."""
    if path == "~" or path.startswith("~/"):
        return str(home) + path[1:]
    return path


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


def _uid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


def _home() -> Path:
    return Path(os.environ.get("HOME") or Path.home())


def _account_home() -> Path:
    if sys.platform == "win32":
        return _windows_folder("Profile")
    import pwd

    return Path(pwd.getpwuid(os.getuid()).pw_dir)


def _windows_folder(name: str) -> Path:
    """A known folder (ProgramData, LocalAppData, Profile) from the shell, not from the environment."""
    import ctypes
    import uuid
    from ctypes import wintypes

    ids = {"ProgramData": "62AB5D82-FDC1-4DC3-A9DD-070D1D495D97", "LocalAppData": "F1B32785-6FBA-4FCF-9D55-7B8E7F157091",
           "Profile": "5E6C858F-0E22-4760-9AFE-EA3317B67173"}

    class GUID(ctypes.Structure):
        _fields_ = [("data", ctypes.c_ubyte * 16)]

    folder = GUID()
    folder.data[:] = uuid.UUID(ids[name]).bytes_le
    out = ctypes.c_wchar_p()
    if ctypes.windll.shell32.SHGetKnownFolderPath(ctypes.byref(folder), 0, wintypes.HANDLE(0), ctypes.byref(out)):
        raise SettingsError(f"cannot find the {name} folder")
    try:
        return Path(out.value)
    finally:
        ctypes.windll.ole32.CoTaskMemFree(out)
