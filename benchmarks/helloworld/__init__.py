"""Django's hello-world: `django-admin startproject` with one view, the page benchmark's
reference (benchmarks/pages_bench.py serves it with the same gunicorn set-up as the project)."""
