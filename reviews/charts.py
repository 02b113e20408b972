"""Small server-side SVG charts: no script, no CDN, readable in both directions.

Each function returns an SVG string marked safe for templates. Numbers are laid out
left-to-right (time runs that way in both languages); labels are plain text, so the
page's language shows through.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 640, 220, 32


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
        parts.append(f'<polyline class="chart-line {escape(s.css_class)}" fill="none" '
                     f'points="{coords}"><title>{escape(s.label)}</title></polyline>')
    every = max(points // 8, 1)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(f'<text class="chart-label" x="{PAD + i * x_step:.1f}" y="{HEIGHT - 8}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    parts.append(_legend(series))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def bar_chart(*, labels: Sequence[str], values: Sequence[float], title: str,
              css_class: str = "chart-bar") -> SafeString:
    """Bars with their value on top: a funnel or a distribution."""
    peak = max(values, default=0)
    y_unit = _scale(peak)
    slot = (WIDTH - 2 * PAD) / max(len(values), 1)
    bar = slot * 0.6
    parts = [_open(title), _axis(peak)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = PAD + i * slot + (slot - bar) / 2
        h = value * y_unit
        y = HEIGHT - PAD - h
        parts.append(f'<rect class="{escape(css_class)}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                     f'height="{h:.1f}"><title>{escape(label)}: {value:g}</title></rect>')
        parts.append(f'<text class="chart-value" x="{x + bar / 2:.1f}" y="{y - 4:.1f}" '
                     f'text-anchor="middle">{value:g}</text>')
        parts.append(f'<text class="chart-label" x="{x + bar / 2:.1f}" y="{HEIGHT - 8}" '
                     f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def _open(title: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" direction="ltr">'
            f"<title>{escape(title)}</title>")


def _axis(peak: float) -> str:
    base = HEIGHT - PAD
    return (f'<line class="chart-axis" x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}"/>'
            f'<text class="chart-label" x="4" y="{PAD}">{peak:g}</text>')


def _legend(series: Sequence[Series]) -> str:
    items = []
    for i, s in enumerate(series):
        x = PAD + i * 150
        items.append(f'<rect class="{escape(s.css_class)} chart-key" x="{x}" y="4" width="12" '
                     f'height="12"/><text class="chart-label" x="{x + 16}" y="14">'
                     f"{escape(s.label)}</text>")
    return "".join(items)
