"""Django set up for the stock benchmark's modules: import this before any model.

Run as `python benchmarks/stock_bench.py`, the entry point has already put the project root on
sys.path; run as `python -m benchmarks.bench_stock`, it is the working directory.
"""

import os
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "benchmarks" / "results"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()
