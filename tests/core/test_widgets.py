"""Widgets the pages share: a long select writes what Django's own select writes."""

import pytest
from django import forms

from core.widgets import LongSelect

CHOICES = [
    ("", "All stores"),
    (1, "Tel Aviv <Dizengoff> & co"),
    (2, 'The "Mall"'),
    ("North", [(3, "Haifa"), (4, "עכו")]),
]


@pytest.mark.parametrize("value", [None, 1, "4", ""])
@pytest.mark.parametrize("attrs", [{}, {"id": "id_store", "required": True, "disabled": False}])
def test_long_select_writes_what_djangos_select_writes(value, attrs):
    ours = LongSelect(choices=CHOICES).render("store", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("store", value, attrs=attrs)
    assert ours == django
