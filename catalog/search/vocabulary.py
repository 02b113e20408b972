"""The catalogue's vocabulary: every name the search knows (brands, model lines, categories
with their spellings, product-name and colour words, audience words), looked up by written form,
prefix, typo and sound; built once per catalogue version."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from core.versions import CATALOG, Depends, cached

from ..models import Brand, Category, Product, ProductLine, spelling_list
from ..spelling import consonants, normalise, sound

BRAND, LINE, NAME, CATEGORY, AUDIENCE = "brand", "line", "name", "category", "audience"
COLOUR = "colour"

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
# Part of the kept vocabulary's cache key: change it with the shape of `Lexicon` or `Entry`, so
# that a deploy never reads a vocabulary pickled by the code before it.
LEXICON_FORMAT = 7
_TYPED_START = 78  # the start of a name by its consonants, for the word being typed
_FUZZY = 80  # how close (0–100) a written form or a sound must be to count


def _is_hebrew(text: str) -> bool:
    return any("\u05d0" <= ch <= "\u05ea" for ch in text)


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
        self.hebrew = [_is_hebrew(entry.text) for entry in self.entries]

    def scores(self, raw: str, *, prefix_from: int = 3, cutoff: float = _FUZZY) -> dict[int, float]:
        """Each entry `raw` (one or more words as typed) may name, with how well (0–103).
        A name `raw` begins counts from `prefix_from` letters (2 for the word being typed)."""
        text = normalise(raw).replace(" ", "")
        key = sound(raw)
        hebrew = _is_hebrew(text)
        skeleton_of_key = consonants(key)
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
                    # "פגס", being typed, sounds like the start of "pegasus": the weakest match
                    # that counts, which anything closer outranks ("gali" is the brand גלי).
                    note(i, _TYPED_START)
        if len(text) >= 4 and not text.isdigit():
            for _text, score, i in process.extract(
                text, self.texts, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                note(i, score)
            if len(consonants(key)) >= 2:
                for other_key, score, i in process.extract(
                    key, self.keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
                ):
                    if min(len(key), len(other_key)) <= 5 and self.skeletons[i] != skeleton_of_key:
                        # In a short word one consonant more is another word: "הליכה" is
                        # not "Hoka", "forum" not "pure"; "gali" is "גלי".
                        continue
                    # Sound bridges the two scripts; within one, the written form says more
                    # ("gali" is not "gel").
                    note(i, score * (0.97 if self.hebrew[i] != hebrew else 0.9))
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
            if (score >= cutoff or score == _TYPED_START)
            and (
                self.entries[i].digits == digits
                or (score in (_TYPED_START, 90) and self.entries[i].digits[: len(digits)] == digits)
            )
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
            entries.append(Entry(COLOUR, colourway, colourway, colourway, sound(colourway), False))
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
