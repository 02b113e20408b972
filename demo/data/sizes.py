"""Size charts: EU size with the US and UK labels printed on the box.

Each chart also names the size most people buy in it (`peak`): stock is deepest there.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SizeChart:
    sizes: tuple[tuple[str, str, str], ...]  # (EU, US, UK)
    peak: float

    def rows(self) -> list[tuple[Decimal, str, str]]:
        return [(Decimal(eu), us, uk) for eu, us, uk in self.sizes]


MEN = SizeChart(
    sizes=(
        ("40", "7", "6"),
        ("40.5", "7.5", "6.5"),
        ("41", "8", "7"),
        ("42", "8.5", "7.5"),
        ("42.5", "9", "8"),
        ("43", "9.5", "8.5"),
        ("44", "10", "9"),
        ("44.5", "10.5", "9.5"),
        ("45", "11", "10"),
        ("46", "12", "11"),
        ("47", "12.5", "11.5"),
    ),
    peak=43,
)

WOMEN = SizeChart(
    sizes=(
        ("36", "5.5", "3"),
        ("36.5", "6", "3.5"),
        ("37.5", "6.5", "4"),
        ("38", "7", "4.5"),
        ("38.5", "7.5", "5"),
        ("39", "8", "5.5"),
        ("40", "8.5", "6"),
        ("40.5", "9", "6.5"),
        ("41", "9.5", "7"),
        ("42", "10", "8"),
    ),
    peak=38.5,
)

UNISEX = SizeChart(
    sizes=(
        ("36", "M4 W5.5", "3.5"),
        ("37", "M5 W6.5", "4"),
        ("38", "M5.5 W7", "5"),
        ("39", "M6.5 W8", "6"),
        ("40", "M7 W8.5", "6.5"),
        ("41", "M8 W9.5", "7"),
        ("42", "M8.5 W10", "7.5"),
        ("43", "M9.5 W11", "8.5"),
        ("44", "M10 W11.5", "9"),
        ("45", "M11 W12.5", "10"),
        ("46", "M12 W13.5", "11"),
        ("47", "M12.5 W14", "11.5"),
    ),
    peak=41.5,
)

KIDS = SizeChart(
    sizes=(
        ("28", "11C", "10"),
        ("29", "11.5C", "11"),
        ("30", "12.5C", "11.5"),
        ("31", "13C", "12.5"),
        ("32", "1Y", "13.5"),
        ("33", "1.5Y", "1"),
        ("34", "2.5Y", "2"),
        ("35", "3Y", "2.5"),
        ("36", "4Y", "3.5"),
        ("37", "4.5Y", "4"),
        ("38", "5.5Y", "5"),
    ),
    peak=33,
)

CHARTS = {"men": MEN, "women": WOMEN, "unisex": UNISEX, "kids": KIDS}
