"""The points through the official OpenTelemetry SDK and its OTLP/HTTP exporter.

One MeterProvider per push configuration, with an observable instrument per metric of
points.METRICS that reports the points handed to `collect`. The SDK makes the MetricsData; the
exporter encodes it as an OTLP ExportMetricsServiceRequest (protobuf) and posts it. `request` is
that same encoding, which `postguard report --preview-push` prints as OTLP/JSON.

The resource is built here alone (not Resource.create, which would merge OTEL_RESOURCE_ATTRIBUTES
and resource detectors such as process.owner): it names the program, never the person.
"""

from __future__ import annotations

import socket
import threading
import uuid
from collections import defaultdict

from companion import __version__
from companion.telemetry.points import METRICS, Point

SERVICE_NAME = "postguard-companion"
EXPORT_TIMEOUT = 10.0   # seconds for one push, retries included (at most the interval)
EXPORTER_LOGGER = "opentelemetry.exporter.otlp.proto.http.metric_exporter"


class MissingPackages(RuntimeError):
    """The optional OpenTelemetry packages (the `otel` extra) are not installed."""


def _require() -> None:
    try:
        import opentelemetry.exporter.otlp.proto.http  # noqa: F401
        import opentelemetry.sdk.metrics  # noqa: F401
    except ImportError:
        raise MissingPackages("the push to an OpenTelemetry Collector needs the OpenTelemetry packages: "
                              "pip install 'postguard[otel]'") from None


def new_instance_id() -> str:
    """Random, made at each start: lets the collector keep companions apart, says nothing of whose."""
    return str(uuid.uuid4())


def resource_attributes(settings, instance_id: str) -> dict[str, str]:
    attrs = {"service.name": SERVICE_NAME, "service.version": __version__, "service.instance.id": instance_id}
    if settings.telemetry_host_name:
        attrs["host.name"] = socket.gethostname()
    attrs.update(settings.telemetry_attributes)   # IT's own, e.g. host.id or a department
    return attrs


class Metrics:
    """The SDK's view of the points: `collect(points)` gives the MetricsData an exporter takes.
    Kept for the life of a configuration, so a counter's start time is when it began."""

    def __init__(self, resource: dict[str, str]):
        _require()
        from opentelemetry.metrics import Observation
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.resources import Resource

        self._reader = InMemoryMetricReader()
        self._provider = MeterProvider(metric_readers=[self._reader], resource=Resource(resource),
                                       shutdown_on_exit=False)
        meter = self._provider.get_meter("postguard", __version__)
        self._points: dict[str, list[Point]] = {}
        self._lock = threading.Lock()

        def observer(name: str):
            return lambda options: [Observation(p.value, dict(p.attributes)) for p in self._points.get(name, ())]

        for name, (kind, unit, description) in METRICS.items():
            create = meter.create_observable_gauge if kind == "gauge" else meter.create_observable_counter
            create(name, callbacks=[observer(name)], unit=unit, description=description)

    def close(self) -> None:
        self._provider.shutdown()

    def collect(self, points: list[Point]):
        """The SDK's MetricsData for exactly these points (a metric without points is left out)."""
        by_metric: dict[str, list[Point]] = defaultdict(list)
        for p in points:
            by_metric[p.metric].append(p)
        with self._lock:
            self._points = by_metric
            try:
                data = self._reader.get_metrics_data()
            finally:
                self._points = {}
        return _in_table_order(data)


def _in_table_order(data):
    """The metrics in the order of points.METRICS. The SDK lists them in the order they first had a
    value in this provider's life, so a companion whose first push had no counts yet would list them
    differently from `--preview-push`."""
    from dataclasses import replace

    order = {name: i for i, name in enumerate(METRICS)}
    return replace(data, resource_metrics=[
        replace(rm, scope_metrics=[replace(sm, metrics=sorted(sm.metrics, key=lambda m: order[m.name]))
                                   for sm in rm.scope_metrics])
        for rm in data.resource_metrics])


def request(metrics_data):
    """The ExportMetricsServiceRequest the OTLP exporter sends for this data (its own encoder)."""
    from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics

    return encode_metrics(metrics_data)


def as_json(export_request) -> dict:
    """OTLP/JSON: the protobuf's JSON mapping with enums as numbers, as the OTLP specification has it."""
    from google.protobuf.json_format import MessageToDict

    return MessageToDict(export_request, use_integers_for_enums=True)


def export_timeout(settings) -> float:
    return min(EXPORT_TIMEOUT, settings.telemetry_interval)


def exporter(settings):
    """The official OTLP/HTTP (protobuf) exporter, to IT's endpoint alone: OTEL_EXPORTER_OTLP_ENDPOINT
    is not consulted because the endpoint is always given."""
    _require()
    from opentelemetry.exporter.otlp.proto.http import Compression
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

    return OTLPMetricExporter(endpoint=settings.telemetry_endpoint, certificate_file=settings.telemetry_ca_bundle,
                              headers=dict(settings.telemetry_headers), timeout=export_timeout(settings),
                              compression=Compression.NoCompression)
