"""E-mail addresses, as typed and as people write them to dodge scrapers ("dana [at] mail [dot] com")."""

from __future__ import annotations

from companion.engine.personal.span import Span
from companion.engine.regex import compile_pattern

_PLAIN = compile_pattern(
    r"[\pL\pN._%+'-]+@(?:[\pL\pN](?:[\pL\pN-]*[\pL\pN])?\.)+\pL{2,24}")
_SPELT = compile_pattern(
    r"[\pL\pN._+-]+\s*[\[(<{]\s*(?:at|@)\s*[\])>}]\s*[\pL\pN-]+"
    r"(?:\s*[\[(<{]\s*(?:dot|\.)\s*[\])>}]\s*[\pL\pN-]+)+")
# "logo@2x.png" is an image file, not an address.
_FILE_ENDINGS = {"png", "jpg", "jpeg", "gif", "svg", "webp", "heic", "pdf", "mp4", "mov", "zip"}


def find(text: str, regions: tuple[str, ...] = ()) -> list[Span]:
    out = []
    for rx in (_PLAIN, _SPELT):
        for m in rx.finditer(text):
            start, end = m.start(), m.end()
            while text[start] in ".'-_":         # "...dana@x.com": the dots are punctuation
                start += 1
            if text[end:end + 1].isalnum() or text[end:end + 1] == "@":
                continue
            if m.group().rpartition(".")[2].lower() in _FILE_ENDINGS:
                continue
            out.append(Span(start, end, "email"))
    return out
