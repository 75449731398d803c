"""Which countries' formats a check reads: the pack's `company.regions`, and later a region sent by the
browser, else a default set of large English-speaking and European markets."""

from __future__ import annotations

from typing import Iterable

# With no regions named, national phone numbers are read as these countries write them, and English
# street addresses and UK postcodes are found. A pack that names its regions gets exactly those.
DEFAULT_REGIONS = ("US", "GB", "CA", "AU", "IN", "DE", "FR")
ALIASES = {"UK": "GB", "EL": "GR"}   # the codes people (and the EU) use besides ISO 3166's
MAX_REGIONS = 8                      # each region is one more parse per phone candidate


def resolve_regions(*lists: Iterable[str] | None) -> tuple[str, ...]:
    """The first lists win: resolve_regions(browser_regions, pack_regions). Unique, upper case, capped."""
    out: list[str] = []
    for regions in lists:
        for r in regions or ():
            code = ALIASES.get(r.strip().upper(), r.strip().upper())
            if len(code) == 2 and code.isalpha() and code not in out:
                out.append(code)
    return tuple(out[:MAX_REGIONS]) or DEFAULT_REGIONS
