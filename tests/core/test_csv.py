import io

import pytest

from core.csv import csv_cell, write_csv
from core.text import clean_text


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_cell_neutralises_formulas(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Great shoes", "", 5, -3, None, "a=b"])
def test_csv_cell_leaves_data_alone(value):
    assert csv_cell(value) == value


def test_write_csv_makes_every_cell_safe():
    out = io.StringIO()
    write_csv(out, [["comment", "score"], ["=1+1", 4]])
    assert out.getvalue().splitlines() == ["comment,score", "'=1+1,4"]


def test_clean_text_strips_bidi_controls_and_nul():
    assert clean_text("a\u202eb\u2066c\u2069d\x00e\u200f") == "abcde\u200f"
