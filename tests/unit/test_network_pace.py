"""The pace of reports: ten reports in six minutes fit a break that reaches many households, ten
in three hours one that reaches few; without a time on every report the pace says nothing."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import numpy as np

from statusmap.network.pace import pace_log_likelihood
from statusmap.network.reports import Report

START = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
# Expected reports per hour under three hypotheses: a small break, a large one, and no break.
TOTALS = np.array([5.0, 150.0, 0.5])


def _reports(count: int, over: timedelta) -> list[Report]:
    step = over / (count - 1)
    return [Report("low_pressure", 0.0, 0.0, START + i * step) for i in range(count)]


def test_quick_reports_favour_the_large_break() -> None:
    ll = pace_log_likelihood(TOTALS, _reports(10, timedelta(minutes=6)))
    assert ll[1] > ll[0] + 5 > ll[2] + 5


def test_slow_reports_favour_the_small_break() -> None:
    ll = pace_log_likelihood(TOTALS, _reports(10, timedelta(hours=3)))
    assert ll[0] > ll[1] + 5


def test_a_rate_within_the_readiness_prior_is_not_told_apart() -> None:
    """Twice the expected rate is within the unknown readiness to report (1/4 to 4 times)."""
    ll = pace_log_likelihood(np.array([10.0, 20.0]), _reports(10, timedelta(minutes=54)))
    assert abs(ll[0] - ll[1]) < 1.0


def test_without_a_time_on_every_report_the_pace_is_silent() -> None:
    reports = _reports(10, timedelta(minutes=6))
    reports[3] = Report("no_water", 1.0, 1.0, None)
    assert not pace_log_likelihood(TOTALS, reports).any()
    assert not pace_log_likelihood(TOTALS, reports[:1]).any()


def test_reports_all_stamped_with_one_time_say_nothing_of_the_pace() -> None:
    stamped = [Report("no_water", float(i), 0.0, START) for i in range(10)]
    assert not pace_log_likelihood(TOTALS, stamped).any()


def test_leak_seen_reports_do_not_count_towards_the_pace() -> None:
    quick = _reports(3, timedelta(minutes=2))
    seen_later = [Report("leak_seen", 0.0, 0.0, START + timedelta(hours=5))]
    assert np.allclose(
        pace_log_likelihood(TOTALS, quick + seen_later), pace_log_likelihood(TOTALS, quick)
    )
