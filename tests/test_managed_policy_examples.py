"""Every managed-policy example in docs/managed-policy/ is parsed the way its OS reads it and its
PostGuard settings are validated against the extension's managed schema, which Chrome enforces
(a value that fails it is dropped). The three examples set the same settings."""

from __future__ import annotations

import json
import plistlib
import re
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "managed-policy"
SCHEMA = json.loads((ROOT / "extension" / "managed_schema.json").read_text())
EXTENSION_ID = (ROOT / "extension" / "EXTENSION_ID.txt").read_text().split()[0]
REG_KEY = rf"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome\3rdparty\extensions\{EXTENSION_ID}\policy"


def linux() -> dict:
    return json.loads((EXAMPLES / "linux-chromium.json").read_text())["3rdparty"]["extensions"][EXTENSION_ID]


def macos() -> dict:
    return plistlib.loads((EXAMPLES / "macos-chrome.plist").read_bytes())


def windows() -> dict:
    """The .reg file as Chrome reads it under REG_KEY: a DWORD for a boolean schema property is a
    boolean, a subkey of numbered values is a list."""
    keys: dict[str, dict[str, object]] = {}
    current = None
    for line in (EXAMPLES / "windows-chrome.reg").read_text().splitlines()[1:]:
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("["):
            current = keys.setdefault(line.strip("[]"), {})
            continue
        m = re.fullmatch(r'"([^"]+)"=(?:dword:([0-9a-f]{8})|"([^"]*)")', line)
        assert m and current is not None, f"not a .reg value line: {line!r}"
        current[m.group(1)] = int(m.group(2), 16) if m.group(2) else m.group(3)
    assert set(keys) <= {REG_KEY, REG_KEY + "\\disabledSites"}, keys
    values = dict(keys.get(REG_KEY, {}))
    for name, value in list(values.items()):
        if SCHEMA["properties"].get(name, {}).get("type") == "boolean":
            assert value in (0, 1), (name, value)
            values[name] = bool(value)
    if REG_KEY + "\\disabledSites" in keys:
        sub = keys[REG_KEY + "\\disabledSites"]
        values["disabledSites"] = [sub[k] for k in sorted(sub, key=int)]
    return values


@pytest.mark.parametrize("read", [linux, macos, windows], ids=["linux", "macos", "windows"])
def test_each_example_parses_and_fits_the_managed_schema(read):
    settings = read()
    jsonschema.validate(settings, SCHEMA)
    assert set(settings) <= set(SCHEMA["properties"]), set(settings) - set(SCHEMA["properties"])


def test_the_examples_set_the_same_settings():
    assert linux() == macos() == {**windows(), "disabledSites": windows().get("disabledSites", [])}


def test_the_schema_refuses_typos_in_sites_and_roles():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"disabledSites": ["instagarm"]}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"role": "champoin"}, SCHEMA)
    jsonschema.validate({"disabledSites": ["x", "instagram"], "role": "champion"}, SCHEMA)


def test_the_macos_payload_has_plain_values_not_mcx_wrappers():
    assert not any(isinstance(v, dict) and "state" in v for v in macos().values())
