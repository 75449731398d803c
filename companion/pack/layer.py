"""One layer of a pack as it came from its source: the exact bytes and the signature file's bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    name: str                 # file path or URL, for messages
    data: bytes
    signature: bytes | None
    personal: bool = False    # the user's own unsigned overlay (PersonalOverlay), never verified or saved
