"""`make bench` entry point for the page benchmark (benchmarks/pages_bench.py): same options."""

import sys

from benchmarks.pages_bench import main

if __name__ == "__main__":
    sys.exit(main())
