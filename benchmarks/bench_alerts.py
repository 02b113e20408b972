"""`make bench` entry point for the alerts benchmark (benchmarks/alerts_bench.py): same options."""

import sys

from benchmarks.alerts_bench import main

if __name__ == "__main__":
    sys.exit(main())
