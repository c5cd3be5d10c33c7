"""The metric catalog: every metric of the run JSON, once.

Each :class:`Metric` says what a planner needs to read it and what the code needs to handle
it: its name in the JSON and the metric rows, its unit, the words a report prints, the
values it can take (``low``, ``high``: no interval is ever printed beyond them), whether
lower is better, the levels where it exists over the whole run, by hour and by day, the
feature of the scenario it needs (opening hours, an emergency line, a declared space,
passengers who alight), and the half-width below which an interval is precise enough
whatever its relative width (``floor``: a 0.2 s wait known to ±47 % is known well enough).

Everything else derives from here: the run JSON's blocks (:mod:`.summary`), the metric
paths a reference figure, a planning condition or ``--vary`` may name
(:func:`~portsim.results.scopes.metric_paths`), the report's labels and units, the
intervals' bounds (:mod:`.statistics`). No module but this one and the JSON view spells a
metric's name; ``tests/test_catalog.py`` fails when a run reports a metric this catalog does
not list, or lists one a run never reports.
"""

from __future__ import annotations

from .metric import ENTITY_LEVELS, LEVELS, Metric, Unit

__all__ = [
    "ARRIVED",
    "CATALOG",
    "CENSORED_WAIT_MAX",
    "CENSORED_WAIT_MEAN",
    "DAY_PREFIX",
    "EMERGENCIES",
    "EMERGENCY_TIME",
    "ENTITY_LEVELS",
    "FIRST_OVER_SPACE",
    "JUDGED_ON",
    "LANES_OPEN_MAX",
    "LANES_OPEN_MEAN",
    "LANE_HOURS",
    "LEVELS",
    "NO_VISIT",
    "OFFICERS_BUSY_MAX",
    "OFFICERS_BUSY_MEAN",
    "OFFICERS_ON_DUTY",
    "OFFICER_HOURS",
    "OFFICER_HOURS_ON_DUTY",
    "PERCENTILES",
    "QUEUE_MAX",
    "QUEUE_MEAN",
    "SERVED",
    "SERVED_PER_DAY",
    "SHARE",
    "SHUTTLE_AT_STOP",
    "SHUTTLE_CENSORED_WAIT_MAX",
    "SHUTTLE_CENSORED_WAIT_MEAN",
    "SHUTTLE_DEPARTURES",
    "SHUTTLE_LEFT_FULL",
    "SHUTTLE_LOAD_MEAN",
    "SHUTTLE_QUEUE_MAX",
    "SHUTTLE_QUEUE_MEAN",
    "SHUTTLE_WAIT_MEAN",
    "TIME_IN_PORT",
    "TIME_OVER_SPACE",
    "UNFINISHED",
    "UTILIZATION",
    "VEHICLE_DWELL_MAX",
    "VEHICLE_DWELL_MEAN",
    "WAITING_OUTSIDE",
    "WAIT_FOR_OPENING_MAX",
    "WAIT_FOR_OPENING_MEAN",
    "WAIT_FOR_VEHICLE_MAX",
    "WAIT_FOR_VEHICLE_MEAN",
    "WAIT_MAX",
    "WAIT_MEAN",
    "WAIT_P50",
    "WAIT_P90",
    "WAIT_P95",
    "WAIT_P99",
    "WAIT_PERCENTILES",
    "Metric",
    "Unit",
    "difference_bounds",
    "metric",
    "row_metric",
]

#: the wait percentiles the run reports
PERCENTILES: tuple[int, ...] = (50, 90, 95, 99)
#: the prefix of a daily row's metric (``day_wait_p95_s``: the row's hour field is the day)
DAY_PREFIX = "day_"

_COUNTS = frozenset({"persons", "vehicles"})
_VISITS = frozenset({"stage", "group"})
_EVERYONE = ENTITY_LEVELS | _COUNTS
_ALL = _EVERYONE | _VISITS
_HOURLY = ENTITY_LEVELS | {"stage"}
_DAILY = (ENTITY_LEVELS - {"passengers"}) | {"stage"}


def _wait(
    name: str, words: str, meaning: str, *, hourly: bool = False, daily: bool = False
) -> Metric:
    """A wait of every block, with its hours and days where asked."""
    return Metric(
        name,
        "seconds",
        words,
        meaning,
        levels=_ALL,
        hourly=_HOURLY if hourly else frozenset(),
        daily=_DAILY if daily else frozenset(),
        better="lower",
        floor=15.0,
    )


_SERVED_MEANING = (
    "travellers who finished their route after a check (at a stage or lane group: visits "
    "whose service ended), by the end of the run"
)
SERVED = Metric(
    "served", "count", "served", _SERVED_MEANING, levels=_ALL, hourly=_HOURLY, daily=_DAILY,
    floor=1.0, demand=True,
)  # fmt: skip
ARRIVED = Metric(
    "arrived", "count", "arrived", "travellers who arrived (at a stage: who joined its queue)",
    hourly=_HOURLY, daily=_DAILY, floor=1.0, demand=True,
)  # fmt: skip
UNFINISHED = Metric(
    "unfinished", "count", "unfinished",
    "travellers not through the port at the end of the run (waiting outside for it to open "
    "included), or stage visits not served",
    levels=_ALL, better="lower", floor=1.0, demand=True,
)  # fmt: skip
NO_VISIT = Metric(
    "no_visit", "count", "no stage",
    "travellers whose route skipped every stage: they pass no check and are in no wait",
    levels=_EVERYONE, floor=1.0, demand=True,
)  # fmt: skip
SERVED_PER_DAY = Metric(
    "served_per_day", "per_day", "served a day", "travellers served, scaled to one day",
    levels=_EVERYONE, floor=1.0, demand=True,
)  # fmt: skip
WAIT_MEAN = _wait(
    "wait_mean_s", "mean wait",
    "the mean queue time (service start − queue join), over a route's stages for travellers",
    hourly=True, daily=True,
)  # fmt: skip
WAIT_PERCENTILES: tuple[Metric, ...] = tuple(
    _wait(
        f"wait_p{q}_s",
        "median wait" if q == 50 else f"{q}th-percentile wait",  # noqa: PLR2004 - the median
        f"the wait that {q} % of travellers did not exceed",
        hourly=q == 95,  # noqa: PLR2004 - the percentile reported by hour and day
        daily=q == 95,  # noqa: PLR2004
    )
    for q in PERCENTILES
)
WAIT_P50, WAIT_P90, WAIT_P95, WAIT_P99 = WAIT_PERCENTILES
WAIT_MAX = _wait("wait_max_s", "longest wait", "the longest queue time", daily=True)
CENSORED_WAIT_MEAN = Metric(
    "censored_wait_mean_s", "seconds", "wait so far (mean)",
    "the time waited so far by those still in port at the end of the run (not those waiting "
    "outside for an opening, who have queued nowhere yet): a lower bound",
    levels=ENTITY_LEVELS | _VISITS, better="lower", floor=15.0,
)  # fmt: skip
CENSORED_WAIT_MAX = Metric(
    "censored_wait_max_s", "seconds", "wait so far (longest)",
    "the longest time waited so far by those still in port at the end of the run (not those "
    "waiting outside for an opening)",
    levels=ENTITY_LEVELS | _VISITS, better="lower", floor=15.0,
)  # fmt: skip
TIME_IN_PORT = Metric(
    "system_time_mean_s", "seconds", "time in port",
    "the mean time from arrival to leaving the port: the wait for an opening, queues, "
    "checks, walks and rides",
    levels=ENTITY_LEVELS, better="lower", floor=15.0,
)  # fmt: skip
WAIT_FOR_OPENING_MEAN = Metric(
    "wait_for_opening_mean_s", "seconds", "wait for the opening",
    "the mean time waited outside for the port (or a stage) to open, apart from queues",
    levels=ENTITY_LEVELS, daily=ENTITY_LEVELS - {"passengers"}, better="lower",
    needs="hours", floor=15.0,
)  # fmt: skip
WAIT_FOR_OPENING_MAX = Metric(
    "wait_for_opening_max_s", "seconds", "longest wait for the opening",
    "the longest time waited outside for the port (or a stage) to open",
    levels=ENTITY_LEVELS, better="lower", needs="hours", floor=15.0,
)  # fmt: skip
WAITING_OUTSIDE = Metric(
    "waiting_outside", "count", "waiting outside",
    "travellers waiting at the end of the run for the port (or a stage) to open: not yet in "
    "its queues, so not in the waits so far",
    levels=ENTITY_LEVELS, better="lower", needs="hours", floor=1.0,
)  # fmt: skip
VEHICLE_DWELL_MEAN = Metric(
    "vehicle_dwell_mean_s", "seconds", "vehicle dwell",
    "the mean time a vehicle waited at the meeting point for its passengers",
    levels=frozenset({"flow"}), better="lower", needs="alight", floor=15.0,
)  # fmt: skip
VEHICLE_DWELL_MAX = Metric(
    "vehicle_dwell_max_s", "seconds", "longest vehicle dwell",
    "the longest time a vehicle waited at the meeting point for its passengers",
    levels=frozenset({"flow"}), better="lower", needs="alight", floor=15.0,
)  # fmt: skip
WAIT_FOR_VEHICLE_MEAN = Metric(
    "wait_for_vehicle_mean_s", "seconds", "wait for the vehicle",
    "the mean time passengers waited at the meeting point for their vehicle",
    levels=frozenset({"passengers"}), better="lower", floor=15.0,
)  # fmt: skip
WAIT_FOR_VEHICLE_MAX = Metric(
    "wait_for_vehicle_max_s", "seconds", "longest wait for the vehicle",
    "the longest time passengers waited at the meeting point for their vehicle",
    levels=frozenset({"passengers"}), better="lower", floor=15.0,
)  # fmt: skip
UTILIZATION = Metric(
    "utilization", "fraction", "busy",
    "busy lane-time over staffed lane-time after the warm-up",
    levels=_VISITS, high=1.0, floor=0.005,
)  # fmt: skip
QUEUE_MEAN = Metric(
    "queue_mean", "people", "mean queue",
    "the time-weighted mean number waiting at the stage",
    levels=frozenset({"stage"}), better="lower", floor=1.0, digits=1,
)  # fmt: skip
QUEUE_MAX = Metric(
    "queue_max", "people", "longest queue", "the most waiting at once",
    levels=_VISITS, better="lower", floor=1.0,
)  # fmt: skip
LANE_HOURS = Metric(
    "lane_hours", "lane-hours", "lane-hours",
    "staffed lane-hours after the warm-up: open lanes, and lanes finishing a traveller "
    "after they closed (the staff cost)",
    levels=_VISITS, daily=frozenset({"group"}), floor=1.0,
)  # fmt: skip
LANES_OPEN_MEAN = Metric(
    "lanes_open_mean", "lanes", "lanes open", "the mean number of lanes open after the warm-up",
    levels=frozenset({"group"}), floor=0.1, digits=1,
)  # fmt: skip
LANES_OPEN_MAX = Metric(
    "lanes_open_max", "lanes", "most lanes open", "the most lanes open at once that day",
    daily=frozenset({"group"}), floor=0.5,
)  # fmt: skip
TIME_OVER_SPACE = Metric(
    "time_over_space_s", "seconds", "time over the space",
    "how long more waited at the stage than its declared space holds",
    levels=frozenset({"stage"}), better="lower", needs="space", floor=15.0,
)  # fmt: skip
FIRST_OVER_SPACE = Metric(
    "first_over_space_s", "clock", "first over the space",
    "when the queue first outgrew the stage's declared space",
    levels=frozenset({"stage"}), needs="space", floor=60.0,
)  # fmt: skip
EMERGENCIES = Metric(
    "emergencies", "count", "emergencies",
    "how many times the expected wait passed the emergency line (begun after the warm-up)",
    levels=frozenset({"group"}), daily=frozenset({"group"}), better="lower",
    needs="emergency", floor=0.5, digits=1,
)  # fmt: skip
EMERGENCY_TIME = Metric(
    "emergency_time_s", "seconds", "time in emergency",
    "how long the expected wait stayed past the emergency line",
    levels=frozenset({"group"}), daily=frozenset({"group"}), better="lower",
    needs="emergency", floor=60.0,
)  # fmt: skip
SHUTTLE_DEPARTURES = Metric(
    "shuttle_departures", "count", "shuttle departures",
    "how many buses left the stage's stop (a shuttle that leaves when full or after its "
    "wait; after the warm-up)",
    levels=frozenset({"stage"}), needs="shuttle", floor=0.5,
)  # fmt: skip
SHUTTLE_LEFT_FULL = Metric(
    "shuttle_left_full", "count", "left full",
    "how many of those buses left full (the others left after their wait)",
    levels=frozenset({"stage"}), needs="shuttle", floor=0.5,
)  # fmt: skip
SHUTTLE_LOAD_MEAN = Metric(
    "shuttle_load_mean", "count", "mean load",
    "passengers aboard a departing bus, on average",
    levels=frozenset({"stage"}), needs="shuttle", floor=0.5, digits=1,
)  # fmt: skip
SHUTTLE_WAIT_MEAN = Metric(
    "shuttle_wait_mean_s", "seconds", "mean wait for the bus to leave",
    "the time a passenger spent at the stop until the bus left, on average (in the time in "
    "port, not in the queue waits)",
    levels=frozenset({"stage"}), better="lower", needs="shuttle", floor=15.0,
)  # fmt: skip
_POOL = frozenset({"pool"})
OFFICER_HOURS = Metric(
    "officer_hours", "officer-hours", "officer-hours committed",
    "officer-hours committed after the warm-up: officers on an open lane, finishing a "
    "traveller on a closing lane, or moving between lane groups (the staff the lanes used)",
    levels=_POOL, daily=_POOL, floor=1.0, digits=1, ceiling="officer_hours_on_duty",
)  # fmt: skip
OFFICER_HOURS_ON_DUTY = Metric(
    "officer_hours_on_duty", "officer-hours", "officer-hours on duty",
    "officer-hours on duty after the warm-up, committed or not (the roster's cost)",
    levels=_POOL, daily=_POOL, floor=1.0, digits=1,
)  # fmt: skip
OFFICERS_ON_DUTY = Metric(
    "officers_on_duty", "officers", "officers on duty",
    "the most officers of the pool on duty at once (after the warm-up; in an hour: that hour)",
    levels=_POOL, hourly=_POOL, floor=0.5,
)  # fmt: skip
OFFICERS_BUSY_MEAN = Metric(
    "officers_busy_mean", "officers", "officers committed",
    "the time-weighted mean number of officers committed (after the warm-up; in an hour: "
    "that hour): on an open lane (serving or idle), finishing a traveller, or moving between "
    "lane groups",
    levels=_POOL, hourly=_POOL, floor=0.1, digits=1, ceiling="officers_on_duty",
)  # fmt: skip
OFFICERS_BUSY_MAX = Metric(
    "officers_busy_max", "officers", "most officers committed",
    "the most officers committed at once (on an open lane, finishing a traveller, or moving; "
    "after the warm-up; in an hour: that hour)",
    levels=_POOL, hourly=_POOL, floor=0.5, ceiling="officers_on_duty",
)  # fmt: skip
SHUTTLE_QUEUE_MEAN = Metric(
    "shuttle_queue_mean", "people", "mean at the stop",
    "the time-weighted mean number at the bus stop (queuing, or aboard the bus there), "
    "waiting for a bus to leave",
    levels=frozenset({"stage"}), better="lower", needs="shuttle", floor=1.0, digits=1,
)  # fmt: skip
SHUTTLE_QUEUE_MAX = Metric(
    "shuttle_queue_max", "people", "most at the stop",
    "the most at the bus stop at once (queuing, or aboard the bus there)",
    levels=frozenset({"stage"}), better="lower", needs="shuttle", floor=1.0,
)  # fmt: skip
SHUTTLE_AT_STOP = Metric(
    "shuttle_at_stop", "count", "still at the stop",
    "travellers still at the bus stop at the end of the run (in the unfinished)",
    levels=frozenset({"stage"}), better="lower", needs="shuttle", floor=1.0,
)  # fmt: skip
SHUTTLE_CENSORED_WAIT_MEAN = Metric(
    "shuttle_censored_wait_mean_s", "seconds", "wait for the bus so far (mean)",
    "the time waited so far at the bus stop by those still there at the end of the run: a "
    "lower bound (the mean wait for the bus is over those who left)",
    levels=frozenset({"stage"}), better="lower", needs="shuttle", floor=15.0,
)  # fmt: skip
SHUTTLE_CENSORED_WAIT_MAX = Metric(
    "shuttle_censored_wait_max_s", "seconds", "wait for the bus so far (longest)",
    "the longest time waited so far at the bus stop by those still there at the end of the "
    "run",
    levels=frozenset({"stage"}), better="lower", needs="shuttle", floor=15.0,
)  # fmt: skip
SHARE = Metric(
    "share", "fraction", "share within the pledged wait",
    "the share of travellers whose wait was within a pledge's limit",
    levels=frozenset({"target"}), hourly=frozenset({"target"}), daily=frozenset({"target"}),
    better="higher", high=1.0, floor=0.005,
)  # fmt: skip

#: every metric, in the order the run JSON gives them
CATALOG: dict[str, Metric] = {
    m.name: m
    for m in (
        SERVED,
        ARRIVED,
        UNFINISHED,
        NO_VISIT,
        WAIT_MEAN,
        *WAIT_PERCENTILES,
        WAIT_MAX,
        CENSORED_WAIT_MEAN,
        CENSORED_WAIT_MAX,
        TIME_IN_PORT,
        SERVED_PER_DAY,
        WAIT_FOR_OPENING_MEAN,
        WAIT_FOR_OPENING_MAX,
        WAITING_OUTSIDE,
        VEHICLE_DWELL_MEAN,
        VEHICLE_DWELL_MAX,
        WAIT_FOR_VEHICLE_MEAN,
        WAIT_FOR_VEHICLE_MAX,
        UTILIZATION,
        QUEUE_MEAN,
        QUEUE_MAX,
        LANE_HOURS,
        LANES_OPEN_MEAN,
        LANES_OPEN_MAX,
        TIME_OVER_SPACE,
        FIRST_OVER_SPACE,
        EMERGENCIES,
        EMERGENCY_TIME,
        SHUTTLE_DEPARTURES,
        SHUTTLE_LEFT_FULL,
        SHUTTLE_LOAD_MEAN,
        SHUTTLE_WAIT_MEAN,
        OFFICER_HOURS,
        OFFICER_HOURS_ON_DUTY,
        OFFICERS_ON_DUTY,
        OFFICERS_BUSY_MEAN,
        OFFICERS_BUSY_MAX,
        SHUTTLE_QUEUE_MEAN,
        SHUTTLE_QUEUE_MAX,
        SHUTTLE_AT_STOP,
        SHUTTLE_CENSORED_WAIT_MEAN,
        SHUTTLE_CENSORED_WAIT_MAX,
        SHARE,
    )
}


def metric(name: str | Metric) -> Metric:
    """The metric called ``name`` (``wait_p95_s``; the ``_s`` may be left out:
    ``wait_p95``), or a :class:`KeyError` naming the metrics there are."""
    if isinstance(name, Metric):
        return name
    for candidate in (name, f"{name}_s"):
        if candidate in CATALOG:
            return CATALOG[candidate]
    raise KeyError(f"{name!r} is not a metric (metrics: {', '.join(CATALOG)})")


def row_metric(name: str) -> tuple[Metric, bool]:
    """The metric of a metric row's name and whether the row is a day's (``day_…``)."""
    if name.startswith(DAY_PREFIX) and name not in CATALOG:
        return CATALOG[name.removeprefix(DAY_PREFIX)], True
    return CATALOG[name], False


def difference_bounds(m: Metric) -> tuple[float, float]:
    """The values a difference of two of ``m``'s values can take: a share's in [-1, 1], a
    wait's anything (a difference keeps its sign)."""
    span = m.high - m.low
    return -span, span


#: what a comparison leads with, most important first: when its variants differ in their
#: routes or clearance mode (stops added or removed, walks and rides changed), or a bus on
#: demand leaves a stage, the time in port, which holds what a stop costs beside its queue
#: (and the wait for the bus); otherwise the waits
JUDGED_ON: dict[str, tuple[Metric, ...]] = {
    "routes": (TIME_IN_PORT, WAIT_MEAN, WAIT_P95),
    "lanes": (WAIT_MEAN, WAIT_P95, TIME_IN_PORT),
}
