"""`make bench` entry point for the dashboard benchmark (benchmarks/dashboard_bench.py)."""

import sys

from benchmarks.dashboard_bench import main

if __name__ == "__main__":
    sys.exit(main())
