"""The dashboard's server-side charts: readable on a phone, funnel in reading order."""

import re

from insights import charts


def label_xs(svg: str) -> list[float]:
    return [
        float(x)
        for x in re.findall(
            r'<text class="chart-label" x="([\d.]+)" y="(?:[\d.]+)" '
            r'text-anchor="middle">',
            svg,
        )
    ]


def test_bar_chart_rtl_puts_the_first_step_on_the_right():
    labels, values = ["נרשמו", "זוג נשמר", "נאסף"], [10, 6, 3]
    ltr = label_xs(charts.bar_chart(labels=labels, values=values, title="t"))
    rtl = label_xs(charts.bar_chart(labels=labels, values=values, title="t", rtl=True))
    assert ltr == sorted(ltr)
    assert rtl == sorted(rtl, reverse=True)


def test_bar_chart_long_labels_wrap_between_words():
    svg = charts.bar_chart(
        labels=["Released by staff or customer", "Lapsed"], values=[1, 2], title="t"
    )
    assert svg.count("<tspan") >= 4  # three lines for the long label, one for the short
    assert "Released by" in svg and "Lapsed" in svg


def test_line_chart_phone_sized_drawing_keeps_labels_large():
    # 360 units wide: at a phone's ~310 px, 15-unit labels render at about 13 px.
    svg = charts.line_chart(
        labels=[f"{d:02d}/12" for d in range(1, 31)],
        title="t",
        series=[charts.Series("a", list(range(30)), "series-a")],
    )
    assert 'viewBox="0 0 360 ' in svg
    assert len(label_xs(svg)) <= 6  # dates thinned so they do not collide
