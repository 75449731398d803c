"""What the machine was doing during a run: CPU model, load average, and CPU time stolen by the hypervisor.

On a shared virtual machine other guests take the physical CPU away ("steal" in /proc/stat); the
figures of a 1 ms round trip swing 2x with it, so the report says how much was taken.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_times() -> list[int] | None:
    """The machine-wide CPU counters of /proc/stat (user nice system idle iowait irq softirq steal ...)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            return [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None


def stolen_percent(before: list[int] | None, after: list[int] | None) -> float | None:
    """Share of all CPU time between two cpu_times() readings that the hypervisor gave to someone else."""
    if not before or not after or len(before) < 8 or len(after) < 8:
        return None
    delta = [b - a for a, b in zip(before, after)]
    total = sum(delta[:8])          # guest time is already counted in user/nice
    return round(100 * delta[7] / total, 1) if total > 0 else None
