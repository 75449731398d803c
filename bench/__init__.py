"""PostGuard's benchmark suite: the term matcher against a naive baseline (see bench/README.md)."""
