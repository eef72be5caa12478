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
