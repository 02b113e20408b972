"""Demo data for `manage.py seed_demo`: a believable importer with stores across Israel.

The data tables (`stores`, `products`, `sizes`) are plain Python so they read like a
spreadsheet; `steps` turns them into rows. This is the one place that writes to every app
at once, which is why it lives beside the command rather than inside any single app's code.
"""
