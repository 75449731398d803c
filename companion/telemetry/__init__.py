"""The opt-in push to the company's OpenTelemetry Collector: aggregated counts and fleet health, never text.

Off unless IT sets `telemetry_endpoint` (in the system config on a managed machine). Then the
running companion sends, every `telemetry_interval` (1 h) and off the request path, one OTLP/HTTP
(protobuf) request made by the official OpenTelemetry SDK and exporter:

  - the program's numbers from the local records over the last 7 days: per rule, category and
    event, per site, per canned reply and per "this warning is wrong" reason, each count below 5
    left out;
  - fleet health, the facts `postguard config --json` gives: version, pack id and revision,
    seconds until the signature expires, updates refused since start, health status.

The resource says which program sent it (service.name, service.version, a random
service.instance.id made at each start), never who: no user name, no host name unless IT asks for
it (`telemetry_host_name`, `telemetry_attributes`). `postguard report --preview-push` prints the
same payload, decoded as OTLP/JSON.

    points.py  what is sent, as plain numbers: counts from the records (suppressed below 5), fleet facts
    otlp.py    the points through the OpenTelemetry SDK: the request's protobuf, its JSON, the exporter
    push.py    the background thread of the running companion
"""

from companion.telemetry.points import MIN_COUNT, WINDOW_DAYS, Point, fleet_facts, fleet_points, program_points

__all__ = ["MIN_COUNT", "WINDOW_DAYS", "Point", "fleet_facts", "fleet_points", "program_points"]
