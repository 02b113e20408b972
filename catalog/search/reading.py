"""Reading a query: which names it gives (two or three words may be one), its size, and the
words that name nothing."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..spelling import normalise
from .vocabulary import (
    AUDIENCE,
    BRAND,
    CATEGORY,
    COLOUR,
    LINE,
    NAME,
    STOP_WORDS,
    Entry,
    Lexicon,
    lexicon,
)

# What a phrase that names several things is read as: a model before a category ("trail").
_ROLE_ORDER = [BRAND, LINE, NAME, CATEGORY, AUDIENCE, COLOUR]
# Words that announce a size: "EU 42", "מידה 42".
SIZE_WORDS = frozenset(
    normalise(word) for word in ["eu", "size", "sz", "מידה", "מידות", "מס", "מספר", "גודל"]
)
# EU sizes the shop sells (children's 16 to men's 50), whole or half.
SIZE_RANGE = (Decimal("16"), Decimal("50"))
_SIZE = re.compile(r"(?:eu|מידה)?(\d{2}(?:\.5)?)")
_LETTERS_THEN_DIGITS = re.compile(r"(?<=[^\W\d]{3})(?=\d)")
# Hebrew words take their prepositions and article as a first letter ("לנשים", "בשחור").
_HEBREW_PREFIXES = "לבהוש"
# …and their plural or feminine endings ("לבנות", "שחורים").
_HEBREW_ENDINGS = ("יות", "ות", "ים", "ה")
_MULTI = 88  # for two or three words read as one name


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


def query_words(query: str) -> list[str]:
    words: list[str] = []
    for word in re.split(r"[\s\-\u05be/,;]+", query.strip()[:100]):
        if word:
            words += [part for part in _LETTERS_THEN_DIGITS.split(word) if part]
    return words


def size_in(word: str) -> Decimal | None:
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
    words = [w for w in query_words(query) if normalise(w) not in STOP_WORDS]
    phrases: list[Phrase] = []
    leftovers: list[str] = []
    size: Decimal | None = None
    i = 0
    while i < len(words):
        word = words[i]
        if normalise(word) in SIZE_WORDS and i + 1 < len(words) and size_in(words[i + 1]):
            size, i = size_in(words[i + 1]), i + 2
            continue
        taken = 0
        for length in (3, 2):
            group = words[i : i + length]
            if len(group) < length or any(normalise(w) in SIZE_WORDS for w in group):
                continue
            matches = [m for m in table.best(" ".join(group)) if m[1] >= _MULTI]
            if matches and _closer_apart(group, matches[0][1], table):
                matches = []
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
        if size_in(word) is not None and not _is_model_number(word, table):
            size, i = size_in(word), i + 1
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


def _closer_apart(group: list[str], together: float, table: Lexicon) -> bool:
    """Whether the words of `group` each name something as written, while together they only
    come close to a name (a guess, under a prefix's score): "women running" is an audience and a
    category, not "onrunning"."""
    return together < 90 and all(
        any(score >= 100 for _entry, score in table.best(word)) for word in group
    )


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
