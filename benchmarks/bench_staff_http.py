"""`make bench` entry point for the staff pages over HTTP (benchmarks/staff_http_bench.py)."""

import sys

from benchmarks.staff_http_bench import main

if __name__ == "__main__":
    sys.exit(main())
