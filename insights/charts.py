"""Small server-side SVG charts: no script, no CDN, readable in both directions.

Each function returns an SVG string marked safe for templates. A trend runs left-to-right
(time runs that way on charts in both languages); a funnel follows the page's reading
direction (`rtl`: its first step on the right). Labels are plain text, so the page's language
shows through. The drawing is phone-sized (360 units wide) with 15-unit labels, so on a phone
the text stays at least 12 px; the stylesheet caps how large a chart grows on a desktop.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 360, 220, 34
LINE = 17  # a label line's height; a bar's label wraps to at most three lines
LABEL_CHARS = 9  # characters that fit a line under a bar (of a five-bar chart)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]
    css_class: str


def _scale(maximum: float) -> float:
    return (HEIGHT - 2 * PAD) / maximum if maximum > 0 else 0.0


def line_chart(*, labels: Sequence[str], series: Sequence[Series], title: str) -> SafeString:
    """A trend over time: one polyline per series, x labels thinned to stay legible."""
    points = max((len(s.values) for s in series), default=0)
    peak = max((max(s.values, default=0) for s in series), default=0)
    y_unit = _scale(peak)
    x_step = (WIDTH - 2 * PAD) / max(points - 1, 1)
    parts = [_open(title)]
    parts.append(_axis(peak))
    for s in series:
        coords = " ".join(
            f"{PAD + i * x_step:.1f},{HEIGHT - PAD - v * y_unit:.1f}"
            for i, v in enumerate(s.values)
        )
        parts.append(
            f'<polyline class="chart-line {escape(s.css_class)}" fill="none" '
            f'points="{coords}"><title>{escape(s.label)}</title></polyline>'
        )
    every = max(-(-points // 5), 1)  # at most five dates under the axis
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text class="chart-label" x="{PAD + i * x_step:.1f}" y="{HEIGHT - 8}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(_legend(series))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def bar_chart(
    *,
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    css_class: str = "chart-bar",
    rtl: bool = False,
) -> SafeString:
    """Bars with their value on top: a funnel or a distribution. With `rtl` the first bar is
    on the right, as a right-to-left reader expects a funnel's first step."""
    lines = [_wrap(label) for label in labels]
    depth = max((len(parts) for parts in lines), default=1)
    bottom = 10 + depth * LINE  # room under the axis for the labels
    height = HEIGHT - PAD + bottom
    peak = max(values, default=0)
    y_unit = _scale(peak)
    count = max(len(values), 1)
    slot = (WIDTH - 2 * PAD) / count
    bar = slot * 0.6
    parts = [_open(title, height), _axis(peak)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        place = count - 1 - i if rtl else i
        x = PAD + place * slot + (slot - bar) / 2
        h = value * y_unit
        y = HEIGHT - PAD - h
        parts.append(
            f'<rect class="{escape(css_class)}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
            f'height="{h:.1f}"><title>{escape(label)}: {value:g}</title></rect>'
        )
        parts.append(
            f'<text class="chart-value" x="{x + bar / 2:.1f}" y="{y - 4:.1f}" '
            f'text-anchor="middle">{value:g}</text>'
        )
        centre = f"{x + bar / 2:.1f}"
        spans = "".join(
            f'<tspan x="{centre}" dy="{LINE if n else 0}">{escape(text)}</tspan>'
            for n, text in enumerate(lines[i])
        )
        parts.append(
            f'<text class="chart-label" x="{centre}" y="{HEIGHT - PAD + LINE + 2}" '
            f'text-anchor="middle">{spans}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def _wrap(label: str) -> list[str]:
    """A bar's label as up to three short lines, broken between words."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:2] + [" ".join(lines[2:])] if len(lines) > 3 else lines or [""]


def _open(title: str, height: int = HEIGHT) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" direction="ltr">'
        f"<title>{escape(title)}</title>"
    )


def _axis(peak: float) -> str:
    base = HEIGHT - PAD
    return (
        f'<line class="chart-axis" x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}"/>'
        f'<text class="chart-label" x="4" y="{PAD}">{peak:g}</text>'
    )


def _legend(series: Sequence[Series]) -> str:
    items = []
    for i, s in enumerate(series):
        x = PAD + i * 150
        items.append(
            f'<rect class="{escape(s.css_class)} chart-key" x="{x}" y="4" width="12" '
            f'height="12"/><text class="chart-label" x="{x + 16}" y="14">'
            f"{escape(s.label)}</text>"
        )
    return "".join(items)
