"""The stores' till API (django-ninja), mounted at /api/: OpenAPI at /api/openapi.json, docs at
/api/docs.

Every request carries `Authorization: Bearer <till key>`; the key decides the store. Every
error, whatever raised it, answers in one shape:

    {"detail": "...", "errors": [{"line": 3, "field": "quantity", "code": "...", "message": "..."}]}

`line` is the index of the line in the posted batch (from 0), or null for the request as a whole.

`site` makes the API and its key check, `schemas` the shapes it reads and writes, `errors`
the one error shape, `endpoints` the operations. Importing the package registers them all.
"""

from . import endpoints, errors
from .errors import not_found
from .site import api

__all__ = ["api", "endpoints", "errors", "not_found"]
