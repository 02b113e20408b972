"""Catalogue search as customers and salespeople type it: the one search the storefront list, its
suggestions and the staff stock finder all call (`find`, `read`, `closest_names`).

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

from .products import Found, closest_names, find, ordering, refresh_search_text, search_text
from .reading import Phrase, Reading, read
from .vocabulary import (
    AUDIENCE,
    BRAND,
    CATEGORY,
    LINE,
    NAME,
    Entry,
    Lexicon,
    build_lexicon,
    lexicon,
)

__all__ = [
    "AUDIENCE",
    "BRAND",
    "CATEGORY",
    "LINE",
    "NAME",
    "Entry",
    "Found",
    "Lexicon",
    "Phrase",
    "Reading",
    "build_lexicon",
    "closest_names",
    "find",
    "lexicon",
    "ordering",
    "read",
    "refresh_search_text",
    "search_text",
]
