"""English pages in Israel: day first and the 24-hour clock, as Israelis write dates.

Django's own "en" formats are American (month first, "p.m."); these follow en_GB with
the week starting on Sunday. https://docs.djangoproject.com/en/5.2/topics/i18n/formatting/
"""

DATE_FORMAT = "j M Y"  # 4 Jun 2021
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y, H:i"  # 4 Jun 2021, 14:30
YEAR_MONTH_FORMAT = "F Y"  # June 2021
MONTH_DAY_FORMAT = "j F"  # 4 June
SHORT_DATE_FORMAT = "d/m/Y"  # 04/06/2021
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 04/06/2021 14:30
FIRST_DAY_OF_WEEK = 0  # Sunday

# Day first when typed; ISO (what <input type="date"> sends) is always accepted too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
