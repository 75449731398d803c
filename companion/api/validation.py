"""Strict request validation: known fields only, right types, bounded sizes."""

from __future__ import annotations

from typing import Any

from flask import request

from companion.api.errors import ApiError

MAX_TEXT = 70_000          # characters; Facebook's limit is 63,206


def json_body() -> dict[str, Any]:
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send JSON with Content-Type: application/json")
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise ApiError(400, "bad_json", "the JSON is nested too deeply") from None
    if body is None:
        raise ApiError(400, "bad_json", "the body is not valid JSON")
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "the body must be a JSON object")
    return body


def fields(body: dict[str, Any], spec: dict[str, tuple]) -> dict[str, Any]:
    """spec: name → (type, required, extra) where extra is a set of allowed values or a max length."""
    unknown = sorted(set(body) - set(spec))
    if unknown:
        raise ApiError(400, "unknown_field", f"unknown field '{unknown[0]}'")
    out: dict[str, Any] = {}
    for name, (typ, required, extra) in spec.items():
        value = body.get(name)
        if value is None:
            if required:
                raise ApiError(400, "missing_field", f"'{name}' is required")
            continue
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise ApiError(400, "bad_field", f"'{name}' must be {_type_name(typ)}")
        if isinstance(extra, (set, frozenset, tuple)) and value not in extra:
            raise ApiError(400, "bad_field", f"'{name}' must be one of {', '.join(sorted(extra))}")
        if isinstance(extra, int) and len(value) > extra:
            status = 413 if name == "text" else 400
            raise ApiError(status, "too_long", f"'{name}' is longer than {extra} characters")
        out[name] = value
    return out


def string_map(value: Any, name: str, max_items: int = 50, max_len: int = 2000) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > max_items:
        raise ApiError(400, "bad_field", f"'{name}' must be an object of at most {max_items} strings")
    for k, v in value.items():
        if not isinstance(v, str) or len(v) > max_len:
            raise ApiError(400, "bad_field", f"'{name}.{k}' must be a string of at most {max_len} characters")
    return value


def _type_name(typ) -> str:
    return {str: "a string", int: "an integer", dict: "an object", list: "a list", bool: "true or false"}.get(typ, str(typ))
