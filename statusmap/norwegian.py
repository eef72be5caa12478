"""Norwegian names: alphabetical order (Z, Æ, Ø, Å) and search keys of street names."""

from __future__ import annotations

import re
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


# Street words written several ways (definite and indefinite, bokmål and nynorsk, the usual
# abbreviations), each folded to one form, so that "Kirkevn." finds "Kirkevegen" and "storgt."
# finds "Storgata". Longest first: "veien" must win over "vei".
_STREET_WORDS = sorted(
    (
        (variant, canonical)
        for canonical, variants in {
            "gate": ("gata", "gaten", "gate", "gt"),
            "vei": ("veien", "vegen", "vei", "veg", "vn"),
            "alle": ("alleen", "alle"),
            "plass": ("plassen", "plass"),
        }.items()
        for variant in variants
    ),
    key=lambda pair: -len(pair[0]),
)
# A street word ends a compound ("Kirke|vegen") only after a stem this long: "Havn" stays a havn.
_MIN_STEM = 3
_WORDS = re.compile(r"[0-9a-zæøå]+")


def name_key(text: str) -> str:
    """A key equal for the ways people write one name: case, accents (not Æ, Ø, Å), aa for å,
    punctuation and spaces aside ("Nils-Collett Vogts vei" = "nils collett vogts vei")."""
    return "".join(_words(text))


def street_key(street: str) -> str:
    """The search key of a street name: name_key with each street word in one form, so that
    "Storgata", "storgt." and "Storgaten" have one key, as do "Kirkeveien" and "Kirkevn."."""
    return "".join(_one_form(word) for word in _words(street))


def street_key_prefixes(partial: str) -> list[str]:
    """The keys a street being typed may begin: its own key and, where its last word ends in a
    street word cut short ("Kirkevege"), the key with that word in full ("kirkevei")."""
    words = _words(partial)
    if not words:
        return []
    before, last = "".join(_one_form(word) for word in words[:-1]), words[-1]
    prefixes = [before + _one_form(last)]
    for variant, canonical in _STREET_WORDS:
        for cut in range(2, len(variant)):
            stem = last[: len(last) - cut]
            if last.endswith(variant[:cut]) and (not stem or len(stem) >= _MIN_STEM):
                prefixes.append(before + stem + canonical)
    return list(dict.fromkeys(prefixes))


def _words(text: str) -> list[str]:
    """The words of a name, lower case, accents dropped as sort_key does, aa as å."""
    folded = "".join(_base(char) for char in unicodedata.normalize("NFC", text.casefold()))
    return _WORDS.findall(folded.replace("'", "").replace("’", "").replace("aa", "å"))


def _one_form(word: str) -> str:
    """A word ending in a street word, with that ending in its one form."""
    for variant, canonical in _STREET_WORDS:
        if word.endswith(variant):
            stem = word[: len(word) - len(variant)]
            if not stem or len(stem) >= _MIN_STEM:
                return stem + canonical
    return word
