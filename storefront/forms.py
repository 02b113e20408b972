from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Brand, Category, Product
from catalog.selectors import MAX_QUERY_LENGTH, Sort, catalog_sizes
from core.language import current_language
from inventory.models import Store

from .selectors import ProductFilters


def size_label(size: Decimal) -> str:
    return f"{size.normalize():f}"


def _size(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, ValueError):
        return None


class StoreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.city})" if str(obj.city) not in str(obj.name) else str(obj.name)


class ProductFilterForm(forms.Form):
    """The catalog list's query string. A value that does not parse is dropped, never an error
    page: `filters()` keeps only what validated."""

    SORT_CHOICES = [
        (Sort.RELEVANCE, _("Best match")),
        (Sort.NEWEST, _("Newest")),
        (Sort.PRICE_ASC, _("Price: low to high")),
        (Sort.PRICE_DESC, _("Price: high to low")),
        (Sort.NAME, _("Name")),
    ]

    q = forms.CharField(label=_("Search within results"), required=False, strip=True)
    brand = forms.ModelChoiceField(
        label=_("Brand"),
        queryset=Brand.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All brands"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )
    gender = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[("", _("Everyone")), *Product.Gender.choices],
    )
    size = forms.TypedChoiceField(
        label=_("Size (EU)"), required=False, coerce=_size, empty_value=None
    )
    store = StoreChoiceField(
        label=_("In stock at"),
        queryset=Store.objects.for_customers(),
        to_field_name="code",
        required=False,
        empty_label=_("Any store"),
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    price_min = forms.DecimalField(
        label=_("Price from (₪)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": _("From")}),
    )
    price_max = forms.DecimalField(
        label=_("Price up to (₪)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": _("Up to")}),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            # A NUL character cannot reach PostgreSQL: drop any value that carries one.
            data = data.copy()
            for key, values in list(data.lists()):
                data.setlist(key, [v for v in values if "\x00" not in v])
        super().__init__(data, *args, **kwargs)
        name = f"name_{current_language()}"
        fields = self.fields
        fields["q"].widget.attrs.update(
            {
                "type": "search",
                "placeholder": _("Model, brand or style code"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        )
        fields["category"].queryset = Category.objects.order_by("position", name)  # type: ignore[attr-defined]
        fields["store"].queryset = Store.objects.for_customers().order_by(name)  # type: ignore[attr-defined]
        sizes = catalog_sizes()
        fields["size"].choices = [  # type: ignore[attr-defined]
            ("", _("All sizes")),
            *((size_label(s), size_label(s)) for s in sizes),
        ]

    @property
    def choice_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("brand", "category", "gender", "size", "store")]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data.get("q", "").split())[:MAX_QUERY_LENGTH]

    def filters(self) -> ProductFilters:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ProductFilters(
            q=data.get("q") or "",
            brand=data.get("brand"),
            category=data.get("category"),
            gender=data.get("gender") or "",
            size=data.get("size"),
            store=data.get("store"),
            in_stock=bool(data.get("in_stock")),
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            sort=data.get("sort") or "",
        )

    @property
    def active_count(self) -> int:
        """How many filters narrow the list (for the "Filters (2)" toggle on a phone)."""
        f = self.filters()
        chosen = [f.brand, f.category, f.gender, f.size, f.store, f.in_stock]
        return sum(1 for x in chosen if x) + (f.price_min is not None or f.price_max is not None)
