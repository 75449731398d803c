"""A pack bundle: the base pack, its overlays and every layer's signature in one file, one upload.

`acme.bundle.json`:
    {"format": "postguard/bundle-v1",
     "layers": [{"name": "pack.yaml", "yaml": "<the layer's exact text>", "signature": {<sig-v1 envelope>}},
                {"name": "overlays/10-support.yaml", "yaml": "…", "signature": {…}}]}

Base first, then the overlays in the order they apply. Each layer keeps its own signature (so each
overlay's revision is still honoured on its own), and a companion reads the file whole, so it never
sees a pack with the wrong signature or half of a set of overlays. The pack text is kept as text,
not base64, so a bundle can be reviewed; its UTF-8 bytes are the bytes that were signed.
"""

from __future__ import annotations

import json

from companion.pack.errors import PackError, PackProblem
from companion.pack.layer import Layer
from companion.pack.loader import MAX_PACK_BYTES

BUNDLE_FORMAT = "postguard/bundle-v1"
BUNDLE_SUFFIX = ".bundle.json"


def is_bundle_name(name: str) -> bool:
    return name.split("?", 1)[0].endswith(BUNDLE_SUFFIX)


def write_bundle(layers: list[Layer], names: list[str]) -> bytes:
    """The bundle of `layers` (base first), each shown under its name in `names`."""
    out = []
    for layer, name in zip(layers, names):
        try:
            text = layer.data.decode("utf-8")
        except UnicodeDecodeError:
            raise PackError([PackProblem(layer.name, 0, 0, "", "not UTF-8 text: cannot go in a bundle")]) from None
        out.append({"name": name, "yaml": text,
                    "signature": json.loads(layer.signature) if layer.signature is not None else None})
    return (json.dumps({"format": BUNDLE_FORMAT, "layers": out}, indent=1, ensure_ascii=False) + "\n").encode()


def read_bundle(data: bytes, name: str) -> list[Layer]:
    """The layers of a bundle, named `name#layer`; raises PackError saying what is wrong with the file."""
    def bad(message: str) -> PackError:
        return PackError([PackProblem(name, 0, 0, "", message)])

    if len(data) > MAX_PACK_BYTES:
        raise bad(f"the bundle is over {MAX_PACK_BYTES} bytes")
    try:
        record = json.loads(data)
    except ValueError as e:
        raise bad(f"not a pack bundle: not JSON ({e})") from None
    if not isinstance(record, dict) or record.get("format") != BUNDLE_FORMAT:
        raise bad(f"not a pack bundle: its format is not {BUNDLE_FORMAT}")
    layers = record.get("layers")
    if not isinstance(layers, list) or not layers:
        raise bad("the bundle has no layers")
    out = []
    for i, item in enumerate(layers):
        if not (isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("yaml"), str)
                and isinstance(item.get("signature"), (dict, type(None)))):
            raise bad(f"layer {i + 1} needs a name, the pack text as 'yaml' and a 'signature' (an object or null)")
        signature = item["signature"]
        out.append(Layer(f"{name}#{item['name']}", item["yaml"].encode("utf-8"),
                         json.dumps(signature).encode() if signature is not None else None))
    return out
