from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .localized import Localized
from .validators import validate_ean13

SPELLINGS_HELP = _(
    "Other ways customers write this name, one a line or separated by commas — Hebrew "
    "spellings (נייקי, נייק), joined or split words, common misspellings. Search also "
    "matches names by how they sound, so only add spellings it misses."
)


def spelling_list(text: str) -> list[str]:
    """The spellings an editor entered, one a line or separated by commas."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class Brand(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    spellings = models.TextField(_("other spellings"), blank=True, help_text=SPELLINGS_HELP)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_he = models.CharField(_("name (Hebrew)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    spellings = models.TextField(_("other words"), blank=True, help_text=SPELLINGS_HELP)

    name = Localized("name")

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return str(self.name)


class ProductLine(models.Model):
    """A model family of a brand ("Pegasus", "Gel-Kayano"): its products are the models and
    colourways customers find under the name, whatever number they carry."""

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="lines", verbose_name=_("brand")
    )
    name = models.CharField(_("name"), max_length=80)
    spellings = models.TextField(_("other spellings"), blank=True, help_text=SPELLINGS_HELP)

    class Meta:
        ordering = ["brand__name", "name"]
        verbose_name = _("model line")
        verbose_name_plural = _("model lines")
        constraints = [
            models.UniqueConstraint(fields=["brand", "name"], name="productline_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"


class ProductQuerySet(models.QuerySet["Product"]):
    def active(self) -> "ProductQuerySet":
        return self.filter(is_active=True)


class Product(models.Model):
    """One style-colour of a shoe: what a customer picks before choosing a size."""

    class Gender(models.TextChoices):
        MEN = "men", _("Men")
        WOMEN = "women", _("Women")
        UNISEX = "unisex", _("Unisex")
        KIDS = "kids", _("Kids")

    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="products", verbose_name=_("brand")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    line = models.ForeignKey(
        ProductLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("model line"),
    )
    name = models.CharField(_("model name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    style_code = models.CharField(_("style code"), max_length=40, unique=True)
    colourway_he = models.CharField(_("colourway (Hebrew)"), max_length=120, blank=True)
    colourway_en = models.CharField(_("colourway (English)"), max_length=120, blank=True)
    description_he = models.TextField(_("description (Hebrew)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # One "label: value" pair a line, e.g. "Drop: 10 mm".
    specs_he = models.TextField(_("tech specs (Hebrew)"), blank=True)
    specs_en = models.TextField(_("tech specs (English)"), blank=True)
    price = models.DecimalField(
        _("price (₪)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNISEX
    )
    release_date = models.DateField(_("release date"), null=True, blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Every name the product is found by, normalised (catalog.search.search_text): kept by
    # save() and by catalog.search when a brand, line or their spellings change.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    colourway = Localized("colourway")
    description = Localized("description")
    specs = Localized("specs")

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["brand__name", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.name} ({self.style_code})"

    def save(self, *args: object, **kwargs: object) -> None:
        from .search import search_text

        self.search_text = search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("storefront:product", kwargs={"slug": self.slug})

    @property
    def spec_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in str(self.specs).splitlines():
            label, sep, value = line.partition(":")
            if sep and label.strip():
                rows.append((label.strip(), value.strip()))
        return rows


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image = models.ImageField(_("image"), upload_to="products/")
    alt_he = models.CharField(_("description (Hebrew)"), max_length=200, blank=True)
    alt_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    alt = Localized("alt")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return f"{self.product.style_code} #{self.position}"


class Variant(models.Model):
    """One size of a product: the unit stock is counted in."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product")
    )
    eu_size = models.DecimalField(_("EU size"), max_digits=4, decimal_places=1)
    us_label = models.CharField(_("US size"), max_length=12, blank=True)
    uk_label = models.CharField(_("UK size"), max_length=12, blank=True)
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    barcode = models.CharField(
        _("barcode (EAN-13)"), max_length=13, unique=True, validators=[validate_ean13]
    )

    class Meta:
        ordering = ["product", "eu_size"]
        verbose_name = _("size")
        verbose_name_plural = _("sizes")
        constraints = [
            models.UniqueConstraint(fields=["product", "eu_size"], name="variant_unique_size"),
            models.CheckConstraint(condition=models.Q(eu_size__gt=0), name="variant_size_gt_0"),
        ]
        indexes = [
            # The stock finder looks a SKU up case-insensitively (sku__iexact); on PostgreSQL
            # migration 0002 also adds a trigram index for searches inside SKUs.
            models.Index(Upper("sku"), name="variant_sku_upper"),
        ]

    def __str__(self) -> str:
        # Every size picker (admin autocompletes, shipment lines) tells two colourways of the
        # same model apart: "Cloud 5 · Black/White · EU 36 · 59.98773".
        colourway = str(self.product.colourway or "")
        parts = [self.product.name, colourway, f"EU {self.size_label}", self.sku]
        return " · ".join(part for part in parts if part)

    @property
    def size_label(self) -> str:
        return f"{self.eu_size.normalize():f}"
