"""`make bench` entry point for the suggested-transfers and buying-report benchmark
(benchmarks/suggestions_bench.py)."""

import sys

from benchmarks.suggestions_bench import main

if __name__ == "__main__":
    sys.exit(main())
