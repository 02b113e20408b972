"""Catalogue search as customers and salespeople type it: one module the storefront list, its
suggestions and the staff stock finder all call.

A query is read, not just matched. Its words are looked up in the catalogue's vocabulary (the
`Lexicon`: brand, model-line and category names with the spellings editors entered, the words
of every product name, and the audience words), each by its written form, by prefix and by how
it sounds (`catalog.spelling`), so "נייקי", "nikee" and "Nike" are the brand, "פגסוס" and
"pegasos" the Pegasus. Two or three words may be one name ("ultra boost", "ניו באלאנס") and one
word two ("kayano31"). A shoe size ("42", "40.5", "EU 42", "מידה 42") becomes a size to filter
by, not a word; a category or audience word ("ריצה", "running", "ילדים", "women") filters by
it. What is left (a colour, part of a style code) must appear in the product's search text,
or on PostgreSQL be close to one of its words (pg_trgm word similarity).

Ranking: the products matching every model word first (the shortest name first, so "Pegasus
41" before "Pegasus Trail 5"), then the other products of their model lines, then — when a
brand was named — the rest of that brand. A model named without a brand lists only the model
and its line; a brand lists only the brand.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from rapidfuzz import fuzz, process

from core.versions import CATALOG, Depends, cached

from .models import Brand, Category, Product, ProductLine, spelling_list
from .spelling import consonants, normalise, sound

BRAND, LINE, NAME, CATEGORY, AUDIENCE = "brand", "line", "name", "category", "audience"
# What a phrase that names several things is read as: a model before a category ("trail").
_ROLE_ORDER = [BRAND, LINE, NAME, CATEGORY, AUDIENCE]

# Words that say nothing about which shoe: dropped from a query.
STOP_WORDS = frozenset(
    normalise(word)
    for word in [
        "נעל",
        "נעלי",
        "נעליים",
        "נעלים",
        "סניקרס",
        "סניקרז",
        "ספורט",
        "של",
        "עבור",
        "בשביל",
        "את",
        "עם",
        "shoe",
        "shoes",
        "sneaker",
        "sneakers",
        "trainers",
        "the",
        "for",
        "of",
        "with",
        "and",
        "a",
    ]
)
# Words that announce a size: "EU 42", "מידה 42".
SIZE_WORDS = frozenset(
    normalise(word) for word in ["eu", "size", "sz", "מידה", "מידות", "מס", "מספר", "גודל"]
)
# Who the shoe is for, in both languages (`Product.Gender`); a man's or a woman's word also
# finds the unisex models.
AUDIENCE_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        [
            "נשים",
            "אישה",
            "אשה",
            "נשי",
            "נשית",
            "לנשים",
            "women",
            "womens",
            "woman",
            "ladies",
            "lady",
            "female",
        ],
        (Product.Gender.WOMEN, Product.Gender.UNISEX),
    ),
    **dict.fromkeys(
        ["גברים", "גבר", "גברי", "לגברים", "men", "mens", "man", "male"],
        (Product.Gender.MEN, Product.Gender.UNISEX),
    ),
    **dict.fromkeys(
        [
            "ילדים",
            "ילד",
            "ילדה",
            "ילדות",
            "לילדים",
            "נוער",
            "kids",
            "kid",
            "children",
            "child",
            "youth",
            "junior",
            "juniors",
        ],
        (Product.Gender.KIDS,),
    ),
}
# EU sizes the shop sells (children's 16 to men's 50), whole or half.
SIZE_RANGE = (Decimal("16"), Decimal("50"))
_SIZE = re.compile(r"(?:eu|מידה)?(\d{2}(?:\.5)?)")
_LETTERS_THEN_DIGITS = re.compile(r"(?<=[^\W\d]{3})(?=\d)")
# Hebrew words take their prepositions and article as a first letter ("לנשים", "בשחור").
_HEBREW_PREFIXES = "לבהוש"
# …and their plural or feminine endings ("לבנות", "שחורים").
_HEBREW_ENDINGS = ("יות", "ות", "ים", "ה")
# Part of the kept vocabulary's cache key: change it with the shape of `Lexicon` or `Entry`, so
# that a deploy never reads a vocabulary pickled by the code before it.
LEXICON_FORMAT = 3
_FUZZY = 80  # how close (0–100) a written form or a sound must be to count
_MULTI = 88  # for two or three words read as one name


@dataclass(frozen=True)
class Entry:
    """One name of something in the catalogue, as the lexicon looks it up."""

    kind: str
    ref: int | str | tuple[str, ...]  # a pk; a name's normalised text; genders
    label: str  # as "did you mean…" shows it
    text: str  # normalised, without spaces
    key: str  # how it sounds (`catalog.spelling.sound`)
    full: bool = True  # the whole name, rather than one of its words

    @property
    def digits(self) -> list[str]:
        return re.findall(r"\d+(?:\.\d)?", self.text)


@dataclass
class Lexicon:
    """Every name the search knows, indexed by written form, sound and consonants."""

    entries: list[Entry]
    # The numbers in the names of each model line's products and of each name word's
    # ("kayano" → {"31"}), so "קאיאנו 31" is the Kayano 31 and "pegasus 42" a size.
    numbers: dict[tuple[str, int | str], set[str]] = field(default_factory=dict)
    by_text: dict[str, list[int]] = field(default_factory=dict)
    by_consonants: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, entry in enumerate(self.entries):
            self.by_text.setdefault(entry.text, []).append(i)
            skeleton = consonants(entry.key)
            if len(skeleton) >= 3:
                self.by_consonants.setdefault(skeleton, []).append(i)
        self.texts = [entry.text for entry in self.entries]
        self.keys = [entry.key for entry in self.entries]
        self.skeletons = [consonants(entry.key) for entry in self.entries]

    def scores(self, raw: str, *, prefix_from: int = 3, cutoff: float = _FUZZY) -> dict[int, float]:
        """Each entry `raw` (one or more words as typed) may name, with how well (0–103).
        A name `raw` begins counts from `prefix_from` letters (2 for the word being typed)."""
        text = normalise(raw).replace(" ", "")
        key = sound(raw)
        if not text:
            return {}
        found: dict[int, float] = {}

        def note(i: int, score: float) -> None:
            if score > found.get(i, 0):
                found[i] = score

        for i in self.by_text.get(text, []):
            note(i, 100)
        digits = re.findall(r"\d+(?:\.\d)?", text)
        if len(text) >= prefix_from and not text.isdigit():
            skeleton = consonants(key) if prefix_from < 3 and len(consonants(key)) >= 2 else ""
            for i, other in enumerate(self.texts):
                if other.startswith(text) and other != text:
                    note(i, 90)
                elif digits and other.endswith(text) and len(text) >= 5:
                    note(i, 95)  # "kayano31" is the end of "gelkayano31"
                elif skeleton and self.skeletons[i].startswith(skeleton):
                    note(i, 84)  # "פגס", being typed, sounds like the start of "pegasus"
        if len(text) >= 4 and not text.isdigit():
            for _text, score, i in process.extract(
                text, self.texts, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                note(i, score)
            if len(consonants(key)) >= 2:
                for _key, score, i in process.extract(
                    key, self.keys, scorer=fuzz.ratio, score_cutoff=max(cutoff, 78), limit=None
                ):
                    note(i, score * 0.97)
                for i in self.by_consonants.get(consonants(key), []):
                    note(i, 86)
        elif key and len(text) >= 2:
            for i, other in enumerate(self.keys):
                if other == key:
                    note(i, 95)  # a short name said the same way ("און" is On)
        # A number in a name is never guessed: "pegasus 42" is not the Pegasus 41.
        return {
            i: score + (3 if self.entries[i].full else 0)
            for i, score in found.items()
            if self.entries[i].digits == digits
            or (score in (84, 90) and self.entries[i].digits[: len(digits)] == digits)
        }

    def best(self, raw: str, *, prefix_from: int = 3) -> list[tuple[Entry, float]]:
        """The entries `raw` names best (several when they tie), best first."""
        scores = self.scores(raw, prefix_from=prefix_from)
        if not scores:
            return []
        top = max(scores.values())
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        return [(self.entries[i], score) for i, score in ranked if score >= top - 2]


def _entries_for(kind: str, ref: int | str | tuple[str, ...], label: str, names: Iterable[str]):
    for name in names:
        text = normalise(name).replace(" ", "")
        if text:
            yield Entry(kind, ref, label, text, sound(name))


def build_lexicon() -> Lexicon:
    """The vocabulary of the whole catalogue: four queries."""
    entries: list[Entry] = []
    for brand in Brand.objects.only("pk", "name", "spellings"):
        entries += _entries_for(
            BRAND, brand.pk, brand.name, [brand.name, *spelling_list(brand.spellings)]
        )
    for line in ProductLine.objects.only("pk", "name", "spellings"):
        entries += _entries_for(
            LINE, line.pk, line.name, [line.name, *spelling_list(line.spellings)]
        )
    for category in Category.objects.all():
        names = [category.name_he, category.name_en, *spelling_list(category.spellings)]
        label = str(category.name)
        entries += _entries_for(CATEGORY, category.pk, label, names)
        for name in (category.name_he, category.name_en):
            if len(name.split()) > 1:
                for word in normalise(name).split():
                    if normalise(word) not in STOP_WORDS and len(word) > 2:
                        entries.append(
                            Entry(CATEGORY, category.pk, label, word, sound(word), False)
                        )
    for word, genders in AUDIENCE_WORDS.items():
        entries.append(Entry(AUDIENCE, genders, word, normalise(word), sound(word)))
    seen: set[str] = set()
    colours = Product.objects.order_by().values_list("colourway_he", "colourway_en").distinct()
    for colourway in {word for pair in colours for word in normalise(" ".join(pair)).split()}:
        # A colour's words ("שחור", "black"), so a misspelt or inflected one ("blak",
        # "שחורות") is still found in the products' search text.
        if len(colourway) > 2 and not any(ch.isdigit() for ch in colourway):
            seen.add(colourway)
            entries.append(Entry(NAME, colourway, colourway, colourway, sound(colourway), False))
    numbers: dict[tuple[str, int | str], set[str]] = {}
    named = Product.objects.order_by("name").values_list("name", "line_id").distinct()
    for name, line_id in named:
        in_name = set(re.findall(r"\d+(?:\.\d)?", normalise(name)))
        if line_id is not None:
            numbers.setdefault((LINE, line_id), set()).update(in_name)
        for word in normalise(name).split():
            numbers.setdefault((NAME, word), set()).update(in_name)
        joined = normalise(name).replace(" ", "")
        if joined not in seen:
            seen.add(joined)
            entries.append(Entry(NAME, joined, name, joined, sound(name)))
        for word in normalise(name).split():
            # A word of a name (not a lone number: "41" is a size as often as a model).
            if (
                word in seen
                or word == joined
                or (word.replace(".", "").isdigit() and len(word) < 3)
            ):
                continue
            if len(word) < 2:
                continue
            seen.add(word)
            entries.append(Entry(NAME, word, name, word, sound(word), full=False))
    return Lexicon(entries, numbers)


def lexicon() -> Lexicon:
    """The catalogue's vocabulary, built once per catalogue version (`core.versions`)."""

    def build(depends: Depends) -> Lexicon:
        depends.on(CATALOG)
        return build_lexicon()

    return cached(f"search:lexicon:{LEXICON_FORMAT}", build)


# --- Reading a query ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """Words of the query that named something: the role of what they named best, and every
    entry they may mean."""

    words: str
    role: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Reading:
    """What a query asks for."""

    query: str
    phrases: tuple[Phrase, ...] = ()
    leftovers: tuple[str, ...] = ()  # normalised words that named nothing
    size: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.phrases or self.leftovers or self.size is not None)

    def of_role(self, *roles: str) -> list[Phrase]:
        return [phrase for phrase in self.phrases if phrase.role in roles]

    @property
    def labels(self) -> list[str]:
        """What was understood, for "Results for …"."""
        return [phrase.entries[0].label for phrase in self.phrases]


def _words(query: str) -> list[str]:
    words: list[str] = []
    for word in re.split(r"[\s\-\u05be/,;]+", query.strip()[:100]):
        if word:
            words += [part for part in _LETTERS_THEN_DIGITS.split(word) if part]
    return words


def _size(word: str) -> Decimal | None:
    match = _SIZE.fullmatch(normalise(word).replace(",", "."))
    if match is None:
        return None
    try:
        size = Decimal(match.group(1))
    except InvalidOperation:
        return None
    return size if SIZE_RANGE[0] <= size <= SIZE_RANGE[1] else None


def _phrase(words: list[str], matches: list[tuple[Entry, float]]) -> Phrase:
    best = matches[0][1]
    entries = tuple(entry for entry, score in matches if score >= best - 2)
    role = min((entry.kind for entry in entries), key=_ROLE_ORDER.index)
    return Phrase(" ".join(words), role, entries)


def read(query: str, *, table: Lexicon | None = None) -> Reading:
    """What `query` asks for: its names (two or three words may be one), its size, and the
    words that named nothing. The last word may be the start of a name still being typed."""
    table = table or lexicon()
    words = [w for w in _words(query) if normalise(w) not in STOP_WORDS]
    phrases: list[Phrase] = []
    leftovers: list[str] = []
    size: Decimal | None = None
    i = 0
    while i < len(words):
        word = words[i]
        if normalise(word) in SIZE_WORDS and i + 1 < len(words) and _size(words[i + 1]):
            size, i = _size(words[i + 1]), i + 2
            continue
        taken = 0
        for length in (3, 2):
            group = words[i : i + length]
            if len(group) < length or any(normalise(w) in SIZE_WORDS for w in group):
                continue
            matches = [m for m in table.best(" ".join(group)) if m[1] >= _MULTI]
            if matches:
                phrases.append(_phrase(group, matches))
                taken = length
                break
        if taken:
            i += taken
            continue
        if phrases and _numbers_the_model(word, phrases[-1], table):
            number = normalise(word)
            entry = Entry(NAME, number, number, number, number, full=False)
            phrases.append(Phrase(word, NAME, (entry,)))
            i += 1
            continue
        if _size(word) is not None and not _is_model_number(word, table):
            size, i = _size(word), i + 1
            continue
        last = i == len(words) - 1
        matches = table.best(word, prefix_from=2 if last else 3)
        stripped = normalise(word)
        if not matches and stripped[:1] in _HEBREW_PREFIXES and len(stripped) > 3:
            matches = table.best(word[1:])
        for ending in _HEBREW_ENDINGS:
            if not matches and stripped.endswith(ending) and len(stripped) > len(ending) + 2:
                matches = table.best(stripped[: -len(ending)])
        if matches:
            phrases.append(_phrase([word], matches))
        elif normalise(word):
            leftovers.append(normalise(word))
        i += 1
    return Reading(query=query, phrases=tuple(phrases), leftovers=tuple(leftovers), size=size)


def _numbers_the_model(word: str, phrase: Phrase, table: Lexicon) -> bool:
    """Whether `word` is the number of the model `phrase` named ("קאיאנו 31")."""
    number = normalise(word)
    return phrase.role in (LINE, NAME) and any(
        number in table.numbers.get((entry.kind, entry.ref), ())  # type: ignore[arg-type]
        for entry in phrase.entries
    )


def _is_model_number(word: str, table: Lexicon) -> bool:
    """Whether a number is a whole model's name ("530"), rather than a size."""
    return any(table.entries[i].kind == NAME for i in table.by_text.get(normalise(word), []))


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
    for phrase in reading.of_role(BRAND, CATEGORY, AUDIENCE):
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
    words = [w for w in _words(query) if normalise(w) not in STOP_WORDS and _size(w) is None]
    for raw in [" ".join(words), *words]:
        if not raw:
            continue
        for i, score in table.scores(raw, cutoff=70).items():
            entry = table.entries[i]
            if entry.kind in (AUDIENCE, CATEGORY):  # the categories are offered apart
                continue
            label = entry.label
            scores[label] = max(
                scores.get(label, 0), score + (2 if entry.kind in (BRAND, LINE) else 0)
            )
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [label for label, _score in ranked[:limit]]
