"""The RFC 7946 checker itself must catch what it is meant to catch."""

from tests.rfc7946 import check_feature_collection

CW = [[10.0, 60.0], [10.0, 60.1], [10.1, 60.1], [10.1, 60.0], [10.0, 60.0]]
CCW = list(reversed(CW))


def _fc(geometry: dict, **extra: object) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
        **extra,
    }


def test_accepts_counter_clockwise_exterior() -> None:
    assert check_feature_collection(_fc({"type": "Polygon", "coordinates": [CCW]})) == []


def test_rejects_clockwise_exterior_crs_member_and_out_of_range() -> None:
    assert check_feature_collection(_fc({"type": "Polygon", "coordinates": [CW]}))
    assert check_feature_collection(_fc({"type": "Polygon", "coordinates": [CCW]}, crs={}))
    assert check_feature_collection(_fc({"type": "Point", "coordinates": [10.0, 95.0]}))
    unclosed = CCW[:-1]
    assert check_feature_collection(_fc({"type": "Polygon", "coordinates": [unclosed]}))
