"""A clean side-profile sneaker illustration in a colourway's colours, drawn with Pillow.

Good enough for a demo catalog: every product gets a picture without shipping photos.
The drawing is deterministic (same product, same picture).
"""

import io
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT = 800, 600
SCALE = 2  # drawn at twice the size, then scaled down: smooth edges without anti-aliasing
Point = tuple[float, float]


@dataclass(frozen=True)
class Palette:
    upper: str
    accent: str
    sole: str
    laces: str = "#ffffff"
    outsole: str = "#2b2b2b"


@dataclass(frozen=True)
class Silhouette:
    """How a kind of shoe differs in profile."""

    midsole: float = 46  # midsole height at the heel, in 800×600 pixels
    collar: float = 0  # extra height at the ankle (basketball, high tops)
    lugs: bool = False  # toothed outsole for trail shoes
    flat: bool = False  # cupsole of a court / lifestyle shoe


SILHOUETTES = {
    "running": Silhouette(midsole=58),
    "max-cushion": Silhouette(midsole=78),
    "trail": Silhouette(midsole=54, lugs=True),
    "basketball": Silhouette(midsole=40, collar=70),
    "lifestyle": Silhouette(midsole=34, flat=True),
    "training": Silhouette(midsole=36, flat=True),
    "kids": Silhouette(midsole=44),
}


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 24) -> list[Point]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return out


def _scaled(points: list[Point]) -> list[Point]:
    return [(x * SCALE, y * SCALE) for x, y in points]


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    names = (
        ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"]
        if bold
        else ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"]
    )
    for name in names:
        try:
            return ImageFont.truetype(name, size * SCALE)
        except OSError:
            continue
    return ImageFont.load_default(size=size * SCALE)


def _shade(colour: str, factor: float) -> tuple[int, int, int]:
    """Lighter (factor > 1) or darker (< 1) version of a #rrggbb colour."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    if factor >= 1:
        return tuple(int(c + (255 - c) * (factor - 1)) for c in (r, g, b))  # type: ignore[return-value]
    return tuple(int(c * factor) for c in (r, g, b))  # type: ignore[return-value]


def draw_sneaker(*, palette: Palette, kind: str, brand: str, model: str) -> Image.Image:
    shape = SILHOUETTES.get(kind, SILHOUETTES["running"])
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    img = Image.new("RGB", (w, h), "#f3f1ed")
    draw = ImageDraw.Draw(img)
    # A soft light backdrop: a paler disc behind the shoe.
    draw.ellipse(_box(400, 300, 330, 230), fill="#faf9f6")

    ground = 440.0
    heel_x, toe_x = 130.0, 690.0
    mid_h = shape.midsole
    toe_lift = 10 if shape.flat else 26

    # Floor shadow: blurred on a small layer of its own, just big enough to hold it.
    sx, sy, sw, sh = 60, int(ground) - 52, 700, 120
    shadow = Image.new("L", (sw * SCALE, sh * SCALE), 0)
    ImageDraw.Draw(shadow).ellipse(_box(410 - sx, ground + 8 - sy, 300, 16), fill=110)
    shadow = shadow.filter(ImageFilter.BoxBlur(10 * SCALE))
    img.paste(Image.new("RGB", shadow.size, "#c9c4bb"), (sx * SCALE, sy * SCALE), mask=shadow)

    # Outsole: a thin rubber strip, toe lifted.
    sole_bottom = [(heel_x + 6, ground)] + _bezier(
        (heel_x + 6, ground), (420, ground + 4), (600, ground + 2), (toe_x - 4, ground - toe_lift)
    )
    outsole_top = _bezier(
        (toe_x + 2, ground - toe_lift - 12),
        (600, ground - 10),
        (420, ground - 8),
        (heel_x, ground - 10),
    )
    draw.polygon(_scaled(sole_bottom + outsole_top), fill=palette.outsole)
    if shape.lugs:
        for x in range(int(heel_x) + 22, int(toe_x) - 80, 34):
            y = ground + 2
            draw.rectangle(_scaled([(x, y - 2), (x + 18, y + 9)]), fill=palette.outsole)

    # Midsole: tall at the heel, tapering to the toe.
    mid_top = _bezier(
        (heel_x - 6, ground - 10 - mid_h),
        (330, ground - 8 - mid_h * 0.9),
        (560, ground - 14 - mid_h * 0.55),
        (toe_x + 4, ground - toe_lift - 30),
    )
    draw.polygon(
        _scaled(mid_top + outsole_top),
        fill=palette.sole,
        outline=_shade(palette.sole, 0.8),
        width=2 * SCALE,
    )
    # A shadow line along the midsole gives it some depth.
    draw.line(
        _scaled(
            _bezier(
                (heel_x + 10, ground - 16),
                (330, ground - 15),
                (560, ground - 16),
                (toe_x - 12, ground - toe_lift - 14),
            )
        ),
        fill=_shade(palette.sole, 0.85),
        width=4 * SCALE,
    )

    # Upper: heel counter up to the collar, a dip, the tongue, the throat down to the toe box.
    top = ground - 10 - mid_h
    collar_y = top - 150 - shape.collar
    upper = (
        _bezier(
            (heel_x - 2, top),
            (heel_x - 18, top - 60),
            (heel_x - 6, collar_y + 30),
            (heel_x + 22, collar_y),
        )
        + _bezier(
            (heel_x + 22, collar_y),
            (200, collar_y + 22),
            (250, collar_y + 30),
            (300, collar_y - 18),
        )
        + _bezier(
            (300, collar_y - 18), (318, collar_y - 34), (340, collar_y - 30), (352, collar_y - 8)
        )
        + _bezier((352, collar_y - 8), (430, top - 120), (520, top - 80), (600, top - 58))
        + _bezier(
            (600, top - 58),
            (680, top - 44),
            (toe_x + 22, top - 6),
            (toe_x + 4, ground - toe_lift - 30),
        )
    )
    upper += list(reversed(mid_top))
    draw.polygon(_scaled(upper), fill=palette.upper)
    # Details are drawn on a copy and pasted through the upper's outline, so none spills out.
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).polygon(_scaled(upper), fill=255)
    layer = img.copy()
    pen = ImageDraw.Draw(layer)

    # Toe cap and heel counter.
    toe_cap = _bezier((590, ground), (600, top - 30), (640, top - 52), (toe_x + 30, top - 40))
    pen.polygon(_scaled(toe_cap + [(toe_x + 30, ground)]), fill=_shade(palette.upper, 0.86))
    heel = _bezier(
        (heel_x - 30, top - 140),
        (heel_x + 70, top - 130),
        (heel_x + 80, top - 40),
        (heel_x + 66, top + 10),
    )
    pen.polygon(_scaled(heel + [(heel_x - 30, top + 10)]), fill=palette.accent)

    # The side accent: a sweeping band from the midfoot towards the heel.
    band = _bezier((250, top + 4), (330, top - 70), (450, top - 118), (580, top - 104)) + _bezier(
        (580, top - 104), (470, top - 78), (380, top - 36), (336, top + 4)
    )
    pen.polygon(_scaled(band), fill=palette.accent)

    # Lace panel along the throat, with laces across it and eyelets beside them.
    throat = _bezier((352, collar_y - 8), (430, top - 120), (520, top - 80), (600, top - 58), 60)
    panel = throat[4:52]
    pen.line(
        _scaled([(x, y + 8) for x, y in panel]),
        fill=_shade(palette.upper, 0.78),
        width=26 * SCALE,
        joint="curve",
    )
    for lx, ly in panel[2::7]:
        pen.line(
            _scaled([(lx - 9, ly - 2), (lx + 9, ly + 20)]), fill=palette.laces, width=7 * SCALE
        )
        pen.ellipse(_box(lx + 12, ly + 26, 3.5, 3.5), fill=_shade(palette.upper, 0.55))
    # Collar lining.
    pen.line(
        _scaled(
            _bezier(
                (heel_x + 22, collar_y),
                (200, collar_y + 22),
                (250, collar_y + 30),
                (300, collar_y - 18),
            )
        ),
        fill=_shade(palette.upper, 0.65),
        width=10 * SCALE,
    )
    box = mask.getbbox()
    img.paste(layer.crop(box), box, mask=mask.crop(box))
    draw = ImageDraw.Draw(img)
    # A fine outline keeps a pale upper from melting into the background.
    draw.line(
        _scaled([*upper, upper[0]]),
        fill=_shade(palette.upper, 0.75),
        width=2 * SCALE,
        joint="curve",
    )
    # Pull tab, outside the outline on purpose.
    draw.rounded_rectangle(
        _scaled([(heel_x + 6, collar_y - 24), (heel_x + 24, collar_y + 26)]),
        radius=6 * SCALE,
        fill=_shade(palette.accent, 0.8),
    )

    # Brand and model under the shoe, left-aligned like a catalog card.
    draw.text((60 * SCALE, 500 * SCALE), brand.upper(), font=_font(30), fill="#222222")
    draw.text((60 * SCALE, 540 * SCALE), model, font=_font(22, bold=False), fill="#555555")

    return img.reduce(SCALE)


def _box(cx: float, cy: float, rx: float, ry: float) -> list[float]:
    return [(cx - rx) * SCALE, (cy - ry) * SCALE, (cx + rx) * SCALE, (cy + ry) * SCALE]


def sneaker_png(*, palette: Palette, kind: str, brand: str, model: str) -> bytes:
    buffer = io.BytesIO()
    draw_sneaker(palette=palette, kind=kind, brand=brand, model=model).save(
        buffer, format="PNG", compress_level=6
    )
    return buffer.getvalue()
