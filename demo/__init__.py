"""Demo data for `manage.py seed_demo`: a believable importer with stores across Israel.

The data tables (`data/`: stores, products, sizes) are plain Python so they read like a
spreadsheet; one module per app (`catalog`, `inventory`, `reviews`) turns them into that app's
rows. It sits above every app because it writes to all of them; no app imports it.
"""
