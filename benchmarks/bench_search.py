"""`make bench` entry point for the search benchmark (benchmarks/search_bench.py): same options."""

import sys

from benchmarks.search_bench import main

if __name__ == "__main__":
    sys.exit(main())
