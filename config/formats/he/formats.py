"""Hebrew pages: Django's own Hebrew formats, with thousands grouped ("3,699.30 ₪"), as
Israeli shops and banks write amounts. https://docs.djangoproject.com/en/5.2/topics/i18n/formatting/
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
