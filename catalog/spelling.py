"""How a name is written and how it sounds, so that "נייקי", "Nike" and "nikee" meet.

`normalise` folds what people type differently for the same word: case, Hebrew points
(niqqud), final letters (ך→כ, ם→מ, ן→נ, ף→פ, ץ→צ), geresh and gershayim, apostrophes, and
hyphens or the maqaf between words. `sound` reduces a word, Hebrew or Latin, to a rough key of
how it is said: consonants folded into classes (v/w/b, f/p/ph, k/c/q/ck, s/sh/ס/ש, g/j/ג/ג׳,
ts/tz/ch/צ/צ׳) and every run of vowels (a, e, i, o, u, y and the Hebrew vowel letters א, ע,
י and a ו inside a word) written as one "a". Hebrew spelling of a foreign name leaves most
vowels out, so keys are compared by similarity (`catalog.search`), not for equality;
`consonants` is the key without its vowels.

No maintained library turns Hebrew letters into Latin sounds for matching names, hence these
tables; tests/catalog/test_spelling.py holds the brand and model names they are tried on.
"""

import re
import unicodedata

_FINALS = str.maketrans({"ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ"})
# Geresh, gershayim and every apostrophe or quotation mark people type for them.
_MARKS = "'\u2019\u2018\u05f3\u05f4\"\u201c\u201d`´"
_DASHES = "-\u05be\u2010\u2011\u2012\u2013\u2014_/.,;:!?()[]{}+&*#@%|\\<>=~^"
_WORD_BREAKS = str.maketrans(dict.fromkeys(_DASHES, " "))


def _strip_points(text: str) -> str:
    # Hebrew points and cantillation marks are combining characters (U+0591–U+05C7).
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not _is_point(ch))


def _is_point(ch: str) -> bool:
    return "\u0591" <= ch <= "\u05c7" and ch not in "\u05be\u05c0\u05c3\u05c6"


def normalise(text: str) -> str:
    """`text` as search compares it: lower case, no points, no final letters, no geresh or
    apostrophes, punctuation and hyphens as spaces, single spaces. A dot between digits stays
    ("40.5", "3.0")."""
    text = _strip_points(text).lower().translate(_FINALS)
    text = re.sub(f"[{re.escape(_MARKS)}]", "", text)
    text = re.sub(r"(?<=\d)[.,](?=\d)", "\x00", text)
    text = text.translate(_WORD_BREAKS).replace("\x00", ".")
    return " ".join(text.split())


# --- Sounds -----------------------------------------------------------------------------------

VOWEL = "a"

_HEBREW_GERESH = {"ג": "g", "צ": "c", "ז": "g", "ת": "t", "ד": "d"}
_HEBREW = {
    "ב": "b",
    "ג": "g",
    "ד": "d",
    "ז": "z",
    "ח": "h",
    "ט": "t",
    "ת": "t",
    "כ": "k",
    "ק": "k",
    "ל": "l",
    "מ": "m",
    "נ": "n",
    "ס": "s",
    "ש": "s",
    "פ": "p",
    "צ": "c",
    "ר": "r",
    "א": VOWEL,
    "ע": VOWEL,
    "י": VOWEL,
}
_LATIN_DIGRAPHS = [
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "c"),
    ("ph", "p"),
    ("th", "t"),
    ("ck", "k"),
    ("kh", "h"),
    ("gh", "g"),
    ("ts", "c"),
    ("tz", "c"),
    ("qu", "k"),
]
_LATIN = {
    "b": "b",
    "v": "b",
    "f": "p",
    "p": "p",
    "k": "k",
    "q": "k",
    "g": "g",
    "j": "g",
    "x": "ks",
    "z": "z",
    "s": "s",
    "d": "d",
    "t": "t",
    "l": "l",
    "m": "m",
    "n": "n",
    "r": "r",
    "h": "h",
}
_LATIN_VOWELS = set("aeiouy")


def _hebrew_word(word: str) -> str:
    out: list[str] = []
    n = len(word)
    i = 0
    while i < n:
        ch = word[i]
        if i + 1 < n and word[i + 1] in _MARKS and ch in _HEBREW_GERESH:
            out.append(_HEBREW_GERESH[ch])
            i += 2
            continue
        if ch == "ו":
            doubled = i + 1 < n and word[i + 1] == "ו"
            if doubled or i == 0:
                out.append("b")  # וו, or ו opening a word, is a v
                i += 2 if doubled else 1
                continue
            out.append(VOWEL)
        elif ch == "ה":
            # A ה is heard at a word's start or before a vowel letter; elsewhere ("הוקה",
            # "נובהבלאסט") it writes a vowel.
            heard = i == 0 or (i + 1 < n and word[i + 1] in "אויע")
            out.append("h" if heard else VOWEL)
        elif ch in _HEBREW:
            out.append(_HEBREW[ch])
        elif ch.isdigit() or ch == ".":
            out.append(ch)
        i += 1
    return "".join(out)


def _latin_word(word: str) -> str:
    for pair, sound in _LATIN_DIGRAPHS:
        word = word.replace(pair, sound.upper())  # upper case: already a sound
    out: list[str] = []
    for i, ch in enumerate(word):
        after = word[i + 1] if i + 1 < len(word) else ""
        if ch.isupper():
            out.append(ch.lower())
        elif ch == "c":
            out.append("s" if after in ("e", "i", "y") else "k")
        elif ch == "w":
            out.append("b" if after in _LATIN_VOWELS else VOWEL)
        elif ch in _LATIN_VOWELS:
            out.append(VOWEL)
        elif ch in _LATIN:
            out.append(_LATIN[ch])
        elif ch.isdigit() or ch == ".":
            out.append(ch)
    return "".join(out)


def _is_hebrew(word: str) -> bool:
    return any("\u05d0" <= ch <= "\u05ea" for ch in word)


def sound(text: str) -> str:
    """How `text` (Hebrew or Latin, one word or several) sounds, as a key: consonant classes
    with each run of vowels as one "a", words run together ("ניו באלאנס" → "nabalans", as
    "New Balance" → "nabalansa"). Marks (geresh) are read before they are dropped."""
    text = _strip_points(text).lower().translate(_FINALS)
    text = text.translate(_WORD_BREAKS)
    keys = []
    for word in text.split():
        if _is_hebrew(word):
            keys.append(_hebrew_word(word))
        else:
            keys.append(_latin_word(re.sub(f"[{re.escape(_MARKS)}]", "", word)))
    # Runs of the same sound are one sound ("ll", "ss", "ייי"), across words too.
    return re.sub(r"(.)\1+", r"\1", "".join(keys))


def consonants(key: str) -> str:
    """A sound key without its vowels: "pagasas" → "pgss"."""
    return key.replace(VOWEL, "")
