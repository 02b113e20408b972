"""`make bench` entry point for the stock benchmark (benchmarks/stock_bench.py): same options."""

import sys

from benchmarks.stock_bench import main

if __name__ == "__main__":
    sys.exit(main())
