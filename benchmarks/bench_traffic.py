"""`make bench` entry point for the traffic benchmark (benchmarks/traffic_bench.py)."""

import sys

from benchmarks.traffic_bench import main

if __name__ == "__main__":
    sys.exit(main())
