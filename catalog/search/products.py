"""Finding products for a reading, ranking them, keeping their search text, and the closest
names when nothing is found."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from ..models import Product, spelling_list
from ..spelling import normalise
from .reading import Phrase, Reading, query_words, read, size_in
from .vocabulary import (
    AUDIENCE,
    BRAND,
    CATEGORY,
    COLOUR,
    LINE,
    NAME,
    STOP_WORDS,
    Entry,
    lexicon,
)

# --- Finding products ---------------------------------------------------------------------------


def _condition(entry: Entry) -> Q:
    if entry.kind == BRAND:
        return Q(brand_id=entry.ref)
    if entry.kind == LINE:
        return Q(line_id=entry.ref)
    if entry.kind == CATEGORY:
        return Q(category_id=entry.ref)
    if entry.kind == AUDIENCE:
        return Q(gender__in=entry.ref)
    return Q(search_text__contains=str(entry.ref))


def _any_of(phrase: Phrase) -> Q:
    found = Q()
    for entry in phrase.entries:
        found |= _condition(entry)
    return found


def _leftover(word: str) -> Q:
    found = Q(search_text__contains=word)
    # Style codes differ by a digit or two: only a word of letters is matched by similarity.
    if connection.vendor == "postgresql" and len(word) >= 4 and not re.search(r"\d", word):
        # pg_trgm's word similarity (`%>`), served by the trigram index on search_text.
        found |= Q(TrigramWordSimilar(F("search_text"), word))
    return found


@dataclass(frozen=True)
class Found:
    """A search's products (annotated with `search_rank`, ordered best first) and what the
    query was read as."""

    products: QuerySet[Product]
    reading: Reading

    @property
    def size(self) -> Decimal | None:
        return self.reading.size


def find(products: QuerySet[Product], query: str, *, or_also: Q | None = None) -> Found:
    """The products of `products` that `query` asks for (or that match `or_also`), best first
    (see the module's docstring for the rules). The size the query names is read, not applied:
    filtering by stock belongs to the caller (`Found.size`). An empty query keeps every
    product."""
    reading = read(query)
    required = Q()
    for phrase in reading.of_role(BRAND, CATEGORY, AUDIENCE, COLOUR):
        required &= _any_of(phrase)
    for word in reading.leftovers:
        required &= _leftover(word)
    models = reading.of_role(LINE, NAME)
    model = Q()
    for phrase in models:
        model &= _any_of(phrase)
    if not models:
        if or_also is not None:
            required = (required if not reading.is_empty else Q(pk__in=[])) | or_also
        found = products.filter(required).annotate(search_rank=Value(0))
        return Found(found, reading)
    if any(e.kind == LINE or (e.kind == NAME and e.full) for p in models for e in p.entries):
        lines = products.filter(model).exclude(line=None).values("line_id")
        sibling = Q(line_id__in=lines)
    else:  # one word of a name ("trail") names no model line
        sibling = Q(pk__in=[])
    if not reading.of_role(BRAND):
        required &= model | sibling
    rank = Case(
        When(model, then=Value(2)),
        When(sibling, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if or_also is not None:
        required |= or_also
    found = products.filter(required).annotate(search_rank=rank, name_length=Length("name"))
    return Found(found, reading)


def ordering(found: Found) -> list[str]:
    """How a search's products are ordered: rank, then the closest name."""
    if found.reading.of_role(LINE, NAME):
        return ["-search_rank", "name_length"]
    return ["-search_rank"]


def _joined(name: str) -> str:
    return normalise(name).replace(" ", "")


def search_text(product: Product) -> str:
    """Every name `product` is found by, normalised: its brand's and line's names and
    spellings, its own name (also without spaces), its colourways and its style code."""
    parts = [product.name, _joined(product.name), product.colourway_he]
    parts += [product.colourway_en, product.style_code]
    if product.brand_id:
        brand = product.brand
        parts += [brand.name, _joined(brand.name), *spelling_list(brand.spellings)]
    if product.line_id and product.line is not None:
        line = product.line
        parts += [line.name, _joined(line.name), *spelling_list(line.spellings)]
    return " ".join(normalise(part) for part in parts if part)


def refresh_search_text(products: QuerySet[Product]) -> int:
    """Rewrite the search text of `products` (after their brand or line changed)."""
    changed = []
    for product in products.select_related("brand", "line"):
        text = search_text(product)
        if text != product.search_text:
            product.search_text = text
            changed.append(product)
    Product.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


# --- When nothing is found ----------------------------------------------------------------------


def closest_names(query: str, *, limit: int = 5) -> list[str]:
    """Names in the catalogue closest to what was typed, for "did you mean…" (brands and model
    lines before single products)."""
    table = lexicon()
    scores: dict[str, float] = {}
    words = [w for w in query_words(query) if normalise(w) not in STOP_WORDS and size_in(w) is None]
    for raw in [" ".join(words), *words]:
        if not raw:
            continue
        for i, score in table.scores(raw, cutoff=70).items():
            entry = table.entries[i]
            if entry.kind in (AUDIENCE, CATEGORY, COLOUR):  # categories are offered apart
                continue
            label = entry.label
            scores[label] = max(
                scores.get(label, 0), score + (2 if entry.kind in (BRAND, LINE) else 0)
            )
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [label for label, _score in ranked[:limit]]
