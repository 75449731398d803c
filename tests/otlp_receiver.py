"""A local OTLP/HTTP receiver for the telemetry tests: what a company's OpenTelemetry Collector
listens with on :4318/v1/metrics, on 127.0.0.1 (no collector binary can be installed here).

Every body is decoded with the official `opentelemetry-proto` message classes
(ExportMetricsServiceRequest) and must serialize back to the same bytes: whatever arrives is real
OTLP protobuf, or the request is answered 400 and kept as `bad`."""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)


@dataclass
class Received:
    path: str
    headers: dict        # names in lower case
    body: bytes          # the protobuf bytes as sent (decompressed if the sender compressed them)
    request: ExportMetricsServiceRequest

    def points(self) -> dict[tuple[str, tuple], int]:
        """{(metric name, sorted attributes): value} of every data point."""
        out = {}
        for rm in self.request.resource_metrics:
            for sm in rm.scope_metrics:
                for m in sm.metrics:
                    for dp in getattr(m, m.WhichOneof("data")).data_points:
                        attrs = tuple(sorted((kv.key, kv.value.string_value) for kv in dp.attributes))
                        out[(m.name, attrs)] = dp.as_int
        return out

    def resource(self) -> dict[str, str]:
        [rm] = self.request.resource_metrics
        return {kv.key: kv.value.string_value for kv in rm.resource.attributes}

    def json(self) -> dict:
        return MessageToDict(self.request, use_integers_for_enums=True)


class OtlpReceiver:
    def __init__(self):
        self.received: list[Received] = []
        self.bad: list[bytes] = []
        self.refuse_with: int | None = None   # answer every request with this status (a collector that refuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if receiver.refuse_with:
                    self.send_response(receiver.refuse_with)
                    self.end_headers()
                    return
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                try:
                    decoded = ExportMetricsServiceRequest.FromString(body)
                    assert self.headers.get("Content-Type") == "application/x-protobuf"
                    assert decoded.SerializeToString(deterministic=True) == body and decoded.resource_metrics
                except Exception:
                    receiver.bad.append(body)
                    self.send_response(400)
                    self.end_headers()
                    return
                receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, decoded))
                out = ExportMetricsServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/metrics"

    def wait_for(self, predicate, timeout: float = 30, since: int = 0) -> Received:
        """The first request received (from number `since` on) that satisfies `predicate`, waiting for it."""
        deadline = time.monotonic() + timeout
        while True:
            for r in list(self.received)[since:]:
                if predicate(r):
                    return r
            assert time.monotonic() < deadline, f"no such push in {timeout} s; got {[r.points() for r in self.received]}"
            time.sleep(0.1)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
