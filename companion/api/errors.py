"""API errors: always {"error": {"code", "message"}} with a fitting status, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("postguard.api")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 415: "unsupported_media_type", 429: "too_many_requests", 503: "no_pack"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str):
    resp = jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    return resp


def install(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(e: ApiError):
        return error_response(e.status, e.code, e.message)

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        status = e.code or 500
        message = {413: "request body too large", 415: "send JSON with Content-Type: application/json",
                   405: "method not allowed", 404: "no such endpoint"}.get(status, e.description or e.name)
        return error_response(status, CODES.get(status, "error"), message)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        # The message may quote the draft: log only the type.
        log.error("internal error: %s", type(e).__name__)
        return error_response(500, "internal", "internal error")
