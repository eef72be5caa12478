"""Norwegian alphabetical order (Z, Æ, Ø, Å), for lists of streets and other names."""

from __future__ import annotations

import unicodedata

# Letters that sort as other letters in Norwegian: Ä as Æ, Ö as Ø, Ü as Y (as in CLDR's
# Norwegian collation), and letters that do not decompose into a base letter and an accent.
_SORTS_AS = {
    "ä": "æ",
    "ö": "ø",
    "ő": "ø",
    "ü": "y",
    "ű": "y",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ŧ": "t",
    "ŋ": "n",
    "œ": "oe",
    "ł": "l",
}
# The last three letters of the alphabet, kept whole (decomposed, Å would sort as A).
_LAST_LETTERS = "æøå"
_Z = ord("z")


def sort_key(text: str) -> tuple[tuple[int, ...], str]:
    """A key for sorted() in Norwegian order: case and accents aside, and Æ, Ø, Å after Z."""
    letters = (_base(char) for char in unicodedata.normalize("NFC", text.casefold()))
    # Equal letters (Storgata, storgata, Stórgata) fall back on the text itself, so the order
    # never depends on the order the names came in.
    return tuple(_weight(char) for char in "".join(letters)), text


def _base(char: str) -> str:
    """The letter(s) a character sorts as: accents dropped, except where Norwegian keeps them."""
    if char in _LAST_LETTERS:
        return char
    if char in _SORTS_AS:
        return _SORTS_AS[char]
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Ǿ decomposes to Ø and an accent: look the base up again. A lone accent sorts as nothing.
    return _SORTS_AS.get(base, base)


def _weight(char: str) -> int:
    """Code point order, with Æ, Ø, Å moved to just after Z and everything above shifted up."""
    if char in _LAST_LETTERS:
        return _Z + 1 + _LAST_LETTERS.index(char)
    code = ord(char)
    return code + len(_LAST_LETTERS) if code > _Z else code


# How searches spell the Norwegian letters when they compare names: as people without them type.
_SEARCH_SPELLING = {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "u"}


def search_form(text: str) -> str:
    """A name as searches compare it: case, accents, spacing and the spelling of Æ, Ø, Å aside.

    'Bjørnstjerne Bjørnsons gate', 'BJØRNSTJERNE bjørnsons GATE' and 'bjoernstjerne bjoernsons
    gate' have one search form; so have 'Åsveien', 'ÅSVEIEN' and 'aasveien'.
    """
    folded = unicodedata.normalize("NFC", text.casefold())
    spelled = "".join(_SEARCH_SPELLING.get(char, char) for char in folded)
    decomposed = unicodedata.normalize("NFD", spelled)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.split())
