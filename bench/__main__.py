"""python -m bench: see bench/cli.py (or bench/run --help)."""

import sys

from bench.cli import main

sys.exit(main())
