"""Cost of the built-in personal-data detectors per draft: a 280-character post and 70,000-character
digit-heavy drafts (the worst a paste can bring). Prints a table; asserts nothing.

    .venv/bin/python -m bench.personal_data            # regions BG, GB, US, DE (4 parses per candidate)
    .venv/bin/python -m bench.personal_data --regions TR PH CN IN GR BR FR IL
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from companion.engine.personal import DETECTORS, resolve_regions

POST = ("Hi Dana, so sorry about the jug! We'll send a new one to 14 Elm Grove, Leeds LS6 2AB; call "
        "0113 496 0123 or mail dana.smith@example.com if it's late. Order NC-482-119305, paid £49.99 on "
        "12.03.2026 at 10:30 with card 4111 1111 1111 1111. Tracking 1Z999AA10123456784, v2.14.1 🚀")
CLEAN_POST = ("Loved the launch event today! The new blender is quieter than the old one and the smoothie "
              "bar was packed from 10:00 to 17:30. Thanks to everyone who came by the stand, see you at "
              "the next one in March. Photos coming soon, follow along for more #kitchen #smoothies ok")


def long_drafts(size: int = 70_000) -> dict[str, str]:
    rnd = random.Random(7)

    def fill(make) -> str:
        parts, n = [], 0
        while n < size:
            parts.append(make())
            n += len(parts[-1]) + 1
        return " ".join(parts)[:size]

    return {
        "one run of digits": "".join(rnd.choice("0123456789") for _ in range(size)),
        "groups of 4 digits": fill(lambda: f"{rnd.randrange(10_000):04d}"),
        "phone-shaped": fill(lambda: f"0888 {rnd.randrange(1000):03d} {rnd.randrange(1000):03d}"),
        "card-shaped": fill(lambda: "4111 1111 1111 1111"),
        "dates, prices, times": fill(lambda: f"12.03.{rnd.randrange(1990, 2030)} ${rnd.randrange(9999)},99 "
                                             f"{rnd.randrange(24):02d}:{rnd.randrange(60):02d}"),
        "digits and punctuation": fill(lambda: "".join(rnd.choice("0123456789 -./()+") for _ in range(40))),
    }


def timed(fn, repeat: int) -> tuple[float, float]:
    """Fastest and median run in ms: on a shared machine the fastest is the detector's own cost."""
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return min(samples), statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", nargs="*", default=["BG", "GB", "US", "DE"])
    ap.add_argument("--repeat", type=int, default=200, help="runs per 280-character draft (long ones: a tenth)")
    args = ap.parse_args()
    regions = resolve_regions(args.regions)
    drafts = {"280 chars, personal data": POST[:280], "280 chars, clean": CLEAN_POST[:280]}
    drafts |= {f"70k: {k}": v for k, v in long_drafts().items()}
    for kind in DETECTORS:     # warm up: imports, RE2 programs, the phone library's metadata
        DETECTORS[kind](POST, regions)
    print(f"regions {' '.join(regions)}; milliseconds per draft, fastest / median")
    print(f"{'draft':34} " + " ".join(f"{k:>13}" for k in DETECTORS) + f" {'all four':>13}")
    for name, text in drafts.items():
        repeat = args.repeat if len(text) <= 280 else max(5, args.repeat // 10)
        cells = [timed(lambda k=k, text=text: DETECTORS[k](text, regions), repeat) for k in DETECTORS]
        total = timed(lambda text=text: [DETECTORS[k](text, regions) for k in DETECTORS], repeat)
        print(f"{name:34} " + " ".join(f"{low:6.3f}/{mid:6.3f}" for low, mid in cells + [total]))


if __name__ == "__main__":
    main()
