"""The .mobileconfig and the ADMX/ADML templates in docs/managed-policy/: parsed as macOS and Windows
read them, and held to the extension's managed schema: every setting they write is a schema key with a
value (or every enum choice) the schema accepts, and every schema key has a Windows policy."""

from __future__ import annotations

import json
import plistlib
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "managed-policy"
SCHEMA = json.loads((ROOT / "extension" / "managed_schema.json").read_text())
EXTENSION_ID = (ROOT / "extension" / "EXTENSION_ID.txt").read_text().split()[0]
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
POLICY_KEY = rf"Software\Policies\Google\Chrome\3rdparty\extensions\{EXTENSION_ID}\policy"
PAYLOAD_KEYS = {"PayloadType", "PayloadVersion", "PayloadIdentifier", "PayloadUUID", "PayloadDisplayName"}


def test_the_mobileconfig_is_a_profile_whose_payload_fits_the_schema():
    profile = plistlib.loads((EXAMPLES / "macos-chrome.mobileconfig").read_bytes())
    assert profile["PayloadType"] == "Configuration" and profile["PayloadVersion"] == 1
    (payload,) = profile["PayloadContent"]
    assert payload["PayloadType"] == f"com.google.Chrome.extensions.{EXTENSION_ID}"
    uuids = [profile["PayloadUUID"], payload["PayloadUUID"]]
    assert len({uuid.UUID(u) for u in uuids}) == 2                      # well-formed and distinct
    settings = {k: v for k, v in payload.items() if k not in PAYLOAD_KEYS}
    assert set(settings) <= set(SCHEMA["properties"])
    jsonschema.validate(settings, SCHEMA)
    # the same settings as the plain plist payload and the Linux file
    assert settings == plistlib.loads((EXAMPLES / "macos-chrome.plist").read_bytes())


def admx():
    return ET.parse(EXAMPLES / "windows-admx" / "postguard.admx").getroot()


def adml():
    return ET.parse(EXAMPLES / "windows-admx" / "en-US" / "postguard.adml").getroot()


def test_every_admx_policy_writes_a_schema_key_with_values_it_accepts():
    written = {}
    for policy in admx().iterfind(".//p:policies/p:policy", NS):
        assert policy.get("key") == POLICY_KEY, policy.get("name")
        prop = SCHEMA["properties"][policy.get("name")]                 # KeyError: not a schema key
        name = policy.get("name")
        if policy.get("valueName"):                                     # a boolean: DWORD 1 / 0
            assert policy.get("valueName") == name and prop["type"] == "boolean"
            on = policy.find("p:enabledValue/p:decimal", NS).get("value")
            off = policy.find("p:disabledValue/p:decimal", NS).get("value")
            assert (on, off) == ("1", "0")
            written[name] = "boolean"
            continue
        (element,) = list(policy.find("p:elements", NS))
        kind = element.tag.split("}")[1]
        if kind == "decimal":
            assert prop["type"] == "integer" and element.get("valueName") == name
            assert (int(element.get("minValue")), int(element.get("maxValue"))) == (prop["minimum"], prop["maximum"])
        elif kind == "enum":
            values = [i.find("p:value/p:string", NS).text for i in element.iterfind("p:item", NS)]
            assert element.get("valueName") == name and values == prop["enum"]
        elif kind == "list":                                            # Chrome: a subkey of values 1, 2, …
            assert prop["type"] == "array" and element.get("key") == POLICY_KEY + "\\" + name
            assert element.get("valuePrefix") == ""
        elif kind == "text":
            assert prop["type"] == "string" and element.get("valueName") == name
            assert int(element.get("maxLength")) == 128 and re.search(r"\{43,128\}", prop["pattern"])
        else:
            raise AssertionError(f"{name}: unexpected element {kind}")
        written[name] = kind
    assert set(written) == set(SCHEMA["properties"]), set(SCHEMA["properties"]) ^ set(written)


def test_every_string_and_presentation_the_admx_names_is_in_the_adml():
    text = (EXAMPLES / "windows-admx" / "postguard.admx").read_text()
    strings = {s.get("id") for s in adml().iterfind(".//p:stringTable/p:string", NS)}
    presentations = {p.get("id"): p for p in adml().iterfind(".//p:presentationTable/p:presentation", NS)}
    assert set(re.findall(r"\$\(string\.([A-Za-z_]+)\)", text)) <= strings
    named = set(re.findall(r"\$\(presentation\.([A-Za-z_]+)\)", text))
    assert named <= set(presentations)
    for policy in admx().iterfind(".//p:policies/p:policy", NS):         # each element has its control
        ids = {e.get("id") for e in policy.iterfind("p:elements/*", NS)}
        if ids:
            shown = {c.get("refId") for c in presentations[policy.get("name")]}
            assert ids == shown, policy.get("name")


def test_the_enum_items_cover_the_schema_and_the_schema_has_enums():
    assert SCHEMA["properties"]["role"]["enum"] == ["employee", "champion"]
    assert SCHEMA["properties"]["disabledSites"]["items"]["enum"] == ["x", "facebook", "linkedin", "instagram"]
