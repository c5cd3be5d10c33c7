"""The hour and day of a time: ``floor_quotient`` is ``np.floor_divide`` to the last bit (the
metric rows' hours and days must not move), at and beside every boundary, in chunks and in
place."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portsim.results.daily import day_index
from portsim.results.waits import _QUOTIENT_CHUNK, floor_quotient, hour_index
from portsim.units import DAY, HOUR, MINUTE


def _reference(times: np.ndarray, unit: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.floor_divide(times, unit)


def _same(got: np.ndarray, expected: np.ndarray) -> bool:
    return bool(np.all((got == expected) | (np.isnan(got) & np.isnan(expected))))


@pytest.mark.parametrize("unit", [HOUR, DAY, 15 * MINUTE])
@pytest.mark.parametrize("scratch", [False, True])
def test_at_and_beside_every_boundary(unit: float, scratch: bool) -> None:
    whole = np.arange(0, 200_000, dtype=np.float64) * unit  # past a chunk, far into a run
    times = np.concatenate(
        [whole, np.nextafter(whole, -np.inf), np.nextafter(whole, np.inf), [np.nan, 0.0]]
    )
    assert len(times) > _QUOTIENT_CHUNK
    expected = _reference(times, unit)
    given_times = times.copy()
    got = floor_quotient(given_times, unit, scratch=scratch)
    assert _same(got, expected)
    assert (got is given_times) == scratch
    if not scratch:  # the times are left as they were
        assert _same(given_times, times)


@given(
    st.lists(
        st.floats(min_value=0, max_value=1e10, allow_nan=False, allow_infinity=False),
        max_size=50,
    ),
    st.sampled_from([HOUR, DAY, 15 * MINUTE, 7.0, 1.0]),
)
def test_any_times(values: list[float], unit: float) -> None:
    times = np.asarray(values, dtype=np.float64)
    assert _same(floor_quotient(times, unit), _reference(times, unit))


def test_the_horizon_and_a_time_to_come_fall_in_the_last_hour_and_day() -> None:
    times = np.array([0.0, HOUR - 1e-9, HOUR, 5 * HOUR, np.nan, np.inf, 1e12])
    assert hour_index(times.copy(), 5).tolist() == [0, 0, 1, 4, 4, 4, 4]
    assert day_index(times.copy(), 1).tolist() == [0, 0, 0, 0, 0, 0, 0]
    assert day_index(np.array([DAY - 1e-9, DAY, np.nan]), 3).tolist() == [0, 1, 2]


@pytest.mark.parametrize("unit", [0.1, 1 / 3, 3.7, 0.0, -HOUR])
def test_a_unit_that_is_not_a_whole_number_of_seconds_is_refused(unit: float) -> None:
    # floor(0.5 / 0.1) is 5 where floor_divide gives 4: the mending needs an exact product
    with pytest.raises(ValueError, match="a whole number of seconds"):
        floor_quotient(np.array([0.5]), unit)
