"""`seed_demo` steps for the catalog app: brands, categories, products, sizes and pictures."""

import zlib
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify

from catalog.models import Brand, Category, Product, ProductImage, ProductLine, Variant
from catalog.validators import ean13_check_digit

from .context import SeedContext
from .data.products import BRANDS, CATEGORIES, MODELS
from .data.sizes import CHARTS
from .data.spellings import BRAND_SPELLINGS, CATEGORY_SPELLINGS, LINES
from .images import sneaker_png


def seed_catalog(ctx: SeedContext) -> None:
    """Brands, categories, model lines, products (one per colourway) and their sizes."""
    brands = {}
    for row in BRANDS:
        brands[row.slug], _ = Brand.objects.update_or_create(
            slug=row.slug,
            defaults={
                "name": row.name,
                "website": row.website,
                "spellings": BRAND_SPELLINGS.get(row.slug, ""),
            },
        )
    categories = {}
    for slug, name_he, name_en, position in CATEGORIES:
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name_he": name_he,
                "name_en": name_en,
                "position": position,
                "spellings": CATEGORY_SPELLINGS.get(slug, ""),
            },
        )
    lines: dict[tuple[str, str], ProductLine] = {}
    for line in LINES:
        product_line, _ = ProductLine.objects.update_or_create(
            brand=brands[line.brand], name=line.name, defaults={"spellings": line.spellings}
        )
        for model_name in line.models:
            lines[line.brand, model_name] = product_line

    ctx.products = []
    for model in MODELS:
        brand = brands[model.brand]
        for colour in model.colourways:
            product, _ = Product.objects.update_or_create(
                style_code=colour.style_code,
                defaults={
                    "brand": brand,
                    "line": lines.get((model.brand, model.name)),
                    "category": categories[model.category],
                    "name": model.name,
                    "slug": _slug(brand.name, model.name, colour.en),
                    "colourway_he": colour.he,
                    "colourway_en": colour.en,
                    "description_he": model.description_he,
                    "description_en": model.description_en,
                    "specs_he": model.specs.lines("he"),
                    "specs_en": model.specs.lines("en"),
                    "price": Decimal(model.price),
                    "gender": model.gender,
                    "release_date": date.fromisoformat(model.released),
                    "is_active": True,
                },
            )
            ctx.products.append((model, colour, product))
    _seed_variants(ctx)
    ctx.summary.append(
        f"{len(brands)} brands, {len(ctx.products)} products, "
        f"{Variant.objects.filter(product__in=[p for _, _, p in ctx.products]).count()} sizes"
    )


def _slug(*parts: str) -> str:
    # "MB.04" and "Fuse 3.0" keep their dots as dashes; "Black/White" its slash.
    return slugify(" ".join(parts).replace("/", " ").replace(".", " "))


def _seed_variants(ctx: SeedContext) -> None:
    prefixes = {row.slug: row.barcode_prefix for row in BRANDS}
    wanted: list[Variant] = []
    barcodes: set[str] = set()
    for model, colour, product in ctx.products:
        for eu, us, uk in CHARTS[model.gender].rows():
            sku = f"{colour.style_code}-{eu.normalize():f}"
            wanted.append(
                Variant(
                    product=product,
                    eu_size=eu,
                    us_label=us,
                    uk_label=uk,
                    sku=sku,
                    barcode=_barcode(prefixes[model.brand], sku, barcodes),
                )
            )
    existing = {v.sku: v for v in Variant.objects.filter(sku__in=[v.sku for v in wanted])}
    fields = ["product_id", "eu_size", "us_label", "uk_label", "barcode"]
    new, changed = [], []
    for variant in wanted:
        current = existing.get(variant.sku)
        if current is None:
            new.append(variant)
        elif any(getattr(current, f) != getattr(variant, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(variant, f))
            changed.append(current)
    Variant.objects.bulk_create(new, batch_size=500)
    Variant.objects.bulk_update(changed, ["product", *fields[1:]], batch_size=500)


def _barcode(prefix: str, sku: str, taken: set[str]) -> str:
    """A valid EAN-13 under the brand's company prefix, stable for a SKU."""
    item = zlib.crc32(sku.encode()) % 1_000_000
    while True:
        body = f"{prefix}{item:06d}"
        code = body + str(ean13_check_digit(body))
        if code not in taken:
            taken.add(code)
            return code
        item = (item + 1) % 1_000_000


def seed_images(ctx: SeedContext) -> None:
    """One generated picture per product; kept if it is already there."""
    made = 0
    products = {p.pk: p for _, _, p in ctx.products}
    images = {
        img.product_id: img
        for img in ProductImage.objects.filter(product__in=products.values(), position=0)
    }
    for model, colour, product in ctx.products:
        image = images.get(product.pk)
        if image is not None and image.image.name and default_storage.exists(image.image.name):
            continue
        name = f"products/{product.slug}.png"
        if not default_storage.exists(name):
            png = sneaker_png(
                palette=colour.palette,
                kind=model.kind,
                brand=product.brand.name,
                model=f"{model.name} · {colour.en}",
            )
            name = default_storage.save(name, ContentFile(png))
            made += 1
        alt_he = f"{product.brand.name} {model.name} בצבע {colour.he}"
        alt_en = f"{product.brand.name} {model.name} in {colour.en}"
        if image is None:
            ProductImage.objects.create(
                product=product, image=name, alt_he=alt_he, alt_en=alt_en, position=0
            )
        else:
            image.image.name = name
            image.save(update_fields=["image"])
    if made:
        ctx.summary.append(f"{made} product pictures drawn")
