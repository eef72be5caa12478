"""A draft made from reports takes the kind most of them report; a tie goes to the more serious
kind, and "my water is fine" names a draft only when every report says so."""

from __future__ import annotations

from statusmap.models import ReportKind as K
from statusmap.reports.staff_actions import leading_kind


def test_the_most_reported_kind_leads() -> None:
    assert leading_kind([K.SEWER, K.SEWER, K.NO_WATER]) is K.SEWER


def test_a_tie_goes_to_the_more_serious_kind_whatever_the_order() -> None:
    assert leading_kind([K.DISCOLOURED_WATER, K.NO_WATER]) is K.NO_WATER
    assert leading_kind([K.NO_WATER, K.DISCOLOURED_WATER]) is K.NO_WATER


def test_water_ok_leads_only_alone() -> None:
    assert leading_kind([K.WATER_OK, K.WATER_OK, K.LOW_PRESSURE]) is K.LOW_PRESSURE
    assert leading_kind([K.WATER_OK]) is K.WATER_OK
