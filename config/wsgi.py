"""The web application, as gunicorn (or any WSGI server) loads it.

Once Django and every view are loaded, what they made is frozen out of the garbage
collector's sight (`gc.freeze`): those objects live as long as the process, and a full
collection that walked them all (about a quarter of a million) held up a request for 80–160 ms
every few hundred requests. A request's own objects are short-lived: the youngest generation
is collected after 10,000 new objects rather than 700, so a busy page is not interrupted
dozens of times. https://docs.python.org/3/library/gc.html#gc.freeze
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports every view now, not on the first request)

gc.collect()
gc.freeze()
gc.set_threshold(10_000, 10, 10)
