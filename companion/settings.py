"""The companion's configuration for IT: a system-wide file, a per-user file, then command-line flags.

Locations (the first that exists of each kind is read):
  system:  $POSTGUARD_SYSTEM_CONFIG, /etc/postguard/config.toml (Linux),
           /Library/Application Support/PostGuard/config.toml (macOS), %PROGRAMDATA%\\PostGuard\\config.toml (Windows)
  user:    $POSTGUARD_CONFIG, $XDG_CONFIG_HOME/postguard/config.toml or ~/.config/postguard/config.toml (Linux),
           ~/Library/Application Support/PostGuard/config.toml (macOS), %APPDATA%\\PostGuard\\config.toml (Windows)
The user file and flags override the system file, except for what protects the policy: trusted keys
come from the system file only (or flags given by whoever starts the service), so a user cannot
switch off the signature checks IT turned on. With trusted keys, only signed packs load.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from companion.config import DEFAULT_EXPIRY_WARNING_DAYS, DEFAULT_ORIGINS, DEFAULT_PORT

KNOWN = {"port", "pack", "overlays", "pack_url", "ca_bundle", "poll_interval", "trusted_keys",
         "allowed_origins", "check_examples", "state_dir", "expiry_warning_days"}
SYSTEM_ONLY = {"trusted_keys"}


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
    files: list[str] = field(default_factory=list)   # which config files were read


def _home() -> Path:
    return Path(os.environ.get("HOME") or Path.home())


def system_paths() -> list[Path]:
    if os.environ.get("POSTGUARD_SYSTEM_CONFIG"):
        return [Path(os.environ["POSTGUARD_SYSTEM_CONFIG"])]
    if sys.platform == "win32":
        return [Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "PostGuard" / "config.toml"]
    if sys.platform == "darwin":
        return [Path("/Library/Application Support/PostGuard/config.toml")]
    return [Path("/etc/postguard/config.toml")]


def user_paths() -> list[Path]:
    if os.environ.get("POSTGUARD_CONFIG"):
        return [Path(os.environ["POSTGUARD_CONFIG"])]
    if sys.platform == "win32":
        return [Path(os.environ.get("APPDATA", _home() / "AppData" / "Roaming")) / "PostGuard" / "config.toml"]
    if sys.platform == "darwin":
        return [_home() / "Library" / "Application Support" / "PostGuard" / "config.toml"]
    return [Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config") / "postguard" / "config.toml"]


def default_state_dir() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", _home() / "AppData" / "Local")) / "PostGuard"
    if sys.platform == "darwin":
        return _home() / "Library" / "Application Support" / "PostGuard"
    return Path(os.environ.get("XDG_STATE_HOME") or _home() / ".local" / "state") / "postguard"


def parse_duration(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    m = re.fullmatch(r"\s*(\d+)\s*(s|m|h)?\s*", str(value))
    if not m:
        raise SettingsError(f"poll_interval: {value!r} is not a duration like 30s, 5m or 1h")
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, None: 1}[m.group(2)]


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{path}: {e}") from None
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise SettingsError(f"{path}: unknown setting '{unknown[0]}' (known: {', '.join(sorted(KNOWN))})")
    base = path.parent
    for key in ("pack", "ca_bundle", "state_dir"):     # relative paths are relative to the config file
        if isinstance(data.get(key), str) and not data[key].startswith("https://"):
            data[key] = str((base / data[key]).expanduser())
    if isinstance(data.get("overlays"), list):
        data["overlays"] = [str((base / o).expanduser()) for o in data["overlays"]]
    if "pack_url" in data:
        data["pack"] = data.pop("pack_url")
    return data


def load_settings(flags: dict[str, Any] | None = None) -> Settings:
    s = Settings()
    merged: dict[str, Any] = {}
    for paths, is_system in ((system_paths(), True), (user_paths(), False)):
        for path in paths:
            if path.is_file():
                data = _read(path)
                if not is_system:
                    ignored = SYSTEM_ONLY & set(data)
                    if ignored:
                        raise SettingsError(f"{path}: {', '.join(sorted(ignored))} can only be set in the system-wide config")
                merged.update(data)
                s.files.append(str(path))
                break
    merged.update({k: v for k, v in (flags or {}).items() if v not in (None, [], ())})
    for key, value in merged.items():
        if key == "poll_interval":
            value = parse_duration(value)
        elif key == "port" and (not isinstance(value, int) or not 1 <= value <= 65535):
            raise SettingsError(f"port: {value!r} is not a port number")
        elif key == "expiry_warning_days" and (type(value) is not int or value < 0):
            raise SettingsError(f"expiry_warning_days: {value!r} is not a number of days")
        setattr(s, key, value)
    return s
