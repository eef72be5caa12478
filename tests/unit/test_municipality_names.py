"""Names from registers, written as people write them."""

from __future__ import annotations

import pytest

from statusmap.municipalities import tidy_name


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("KRISTIANSAND", "Kristiansand"),
        ("kristiansand", "Kristiansand"),
        ("BØ I TELEMARK", "Bø i Telemark"),
        ("NORD-AURDAL", "Nord-Aurdal"),
        ("AURSKOG-HØLAND", "Aurskog-Høland"),
        ("  Kristiansand \n", "Kristiansand"),
        # Written with care already: kept as it is, capitals and all.
        ("Guovdageaidnu - Kautokeino", "Guovdageaidnu - Kautokeino"),
        ("Porsanger - Porsángu - Porsanki", "Porsanger - Porsángu - Porsanki"),
        ("Bø i Telemark", "Bø i Telemark"),
    ],
)
def test_tidy_name(raw: str, written: str) -> None:
    assert tidy_name(raw) == written
