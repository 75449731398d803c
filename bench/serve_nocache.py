"""`postguard serve` with the compiled-pack cache switched off: the cold-start baseline.

    python -m bench.serve_nocache --pack PACK --port PORT

Every start compiles the pack from its bytes, as every start did before the cache existed. The
same code as `postguard serve` otherwise; only the benchmark starts it (bench/coldstart.py).
"""

from __future__ import annotations

import sys

from companion import cli, server
from companion.packcache import PackCache


def main() -> int:
    server.PackCache = lambda directory: PackCache(None)      # make_holder's cache: none
    return cli.main(["serve", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
