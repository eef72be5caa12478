"""Norwegian alphabetical order of street names: ... Z, Æ, Ø, Å, with case and accents aside."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from statusmap.norwegian import sort_key


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=sort_key)


def test_ae_oe_aa_come_after_z_in_that_order() -> None:
    streets = ["Åsengata", "Østre Aker vei", "Ærfuglveien", "Zetlitz' gate", "Abbediengen"]
    assert _sorted(streets) == [
        "Abbediengen",
        "Zetlitz' gate",
        "Ærfuglveien",
        "Østre Aker vei",
        "Åsengata",
    ]
    assert sorted(streets) != _sorted(streets), "code point order puts Å before Æ and Ø"


def test_the_letters_inside_a_name_follow_the_same_order() -> None:
    streets = ["Bygdøy allé", "Bygdøy kappellvei", "Bygdøynesveien", "Bygdå", "Bygdeveien"]
    assert _sorted(streets) == [
        "Bygdeveien",
        "Bygdøy allé",
        "Bygdøy kappellvei",
        "Bygdøynesveien",
        "Bygdå",
    ]


def test_case_does_not_matter() -> None:
    streets = ["Storgata", "aker brygge", "Akersgata", "østre gate", "Øvre Slottsgate", "bryggen"]
    assert _sorted(streets) == [
        "aker brygge",
        "Akersgata",
        "bryggen",
        "Storgata",
        "østre gate",
        "Øvre Slottsgate",
    ]


def test_a_umlaut_sorts_as_ae_and_o_umlaut_as_oe() -> None:
    streets = ["Bøkeveien", "Bärumsveien", "Bzzveien", "Bærumsveien", "Böhmers gate", "Båtstøgata"]
    assert _sorted(streets) == [
        "Bzzveien",
        "Bärumsveien",  # as Bærumsveien; the tie goes by the text itself
        "Bærumsveien",
        "Böhmers gate",  # as Bøhmers, before Bøkeveien
        "Bøkeveien",
        "Båtstøgata",
    ]


def test_accented_letters_sort_as_their_base_letter() -> None:
    streets = ["Eugenies gate", "Élvegata", "Ekebergveien", "Èze vei", "Ênga", "Egedes gate"]
    assert _sorted(streets) == [
        "Egedes gate",
        "Ekebergveien",
        "Élvegata",
        "Ênga",
        "Eugenies gate",
        "Èze vei",
    ]
    assert sort_key("René Ørns vei")[0] == sort_key("Rene Ørns vei")[0]


def test_u_umlaut_sorts_as_y() -> None:
    streets = ["Myrveien", "Müllers gate", "Munkegata", "Mylnegata", "Møllergata"]
    assert _sorted(streets) == ["Munkegata", "Müllers gate", "Mylnegata", "Myrveien", "Møllergata"]


def test_sami_letters_sort_with_their_base_letter() -> None:
    streets = ["Čáhcegeaidnu", "Cirkusveien", "Đuolbmávuohppi", "Dalveien", "Eanangeaidnu"]
    assert _sorted(streets) == [
        "Čáhcegeaidnu",
        "Cirkusveien",
        "Dalveien",
        "Đuolbmávuohppi",
        "Eanangeaidnu",
    ]


def test_composed_and_decomposed_spellings_sort_alike() -> None:
    composed, decomposed = "Åsveien", "A\u030asveien"  # as some GIS exports write it
    assert sort_key(composed)[0] == sort_key(decomposed)[0]
    assert _sorted([decomposed, "Zinkgata", "Øvregata"]) == ["Zinkgata", "Øvregata", decomposed]


def test_ties_are_broken_by_the_text_itself() -> None:
    names = ["storgata", "Stórgata", "Storgata", "STORGATA"]
    expected = ["STORGATA", "Storgata", "Stórgata", "storgata"]
    assert _sorted(names) == _sorted(list(reversed(names))) == expected


@given(st.lists(st.text(max_size=12), max_size=8))
def test_the_order_never_depends_on_the_input_order(names: list[str]) -> None:
    assert _sorted(names) == _sorted(list(reversed(names)))


@given(st.text(max_size=12), st.text(max_size=12))
def test_only_equal_texts_have_equal_keys(a: str, b: str) -> None:
    assert (sort_key(a) == sort_key(b)) == (a == b)
    assert (sort_key(a) == sort_key(a.swapcase())) == (a == a.swapcase())


def test_usable_without_flask() -> None:
    code = "import sys, statusmap.norwegian; print('flask' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
