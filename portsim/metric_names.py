"""The names of the metrics in the run JSON, per level: what ``reference.compare_to`` and
``compare`` may address. The summary produces exactly these."""

from __future__ import annotations

PERCENTILES: tuple[int, ...] = (50, 90, 95, 99)

WAIT_METRICS: tuple[str, ...] = (
    "wait_mean_s",
    *(f"wait_p{q}_s" for q in PERCENTILES),
    "wait_max_s",
)
#: the time waited so far by whoever is still queued (visits) or in port (entities) at the
#: horizon: lower bounds on waits the run does not see end
CENSORED_METRICS: tuple[str, ...] = ("censored_wait_mean_s", "censored_wait_max_s")
ENTITY_METRICS: tuple[str, ...] = (
    "served",
    "unfinished",
    "no_visit",
    *WAIT_METRICS,
    *CENSORED_METRICS,
    "system_time_mean_s",
)
OVERALL_METRICS: tuple[str, ...] = (*ENTITY_METRICS, "served_per_day")
FLOW_METRICS: tuple[str, ...] = (*ENTITY_METRICS, "served_per_day")
VISIT_METRICS: tuple[str, ...] = ("served", "unfinished", *WAIT_METRICS, *CENSORED_METRICS)
STAGE_METRICS: tuple[str, ...] = (
    *VISIT_METRICS,
    "utilization",
    "queue_mean",
    "queue_max",
    "lane_hours",
)
SPACE_METRICS: tuple[str, ...] = ("time_over_space_s", "first_over_space_s")
GROUP_METRICS: tuple[str, ...] = (
    *VISIT_METRICS,
    "utilization",
    "queue_max",
    "lanes_open_mean",
    "lane_hours",
)
#: a lane group whose opening rule has an emergency line
EMERGENCY_METRICS: tuple[str, ...] = ("emergencies", "emergency_time_s")
#: entity blocks (overall, flows, classes, passengers, directions) of a port with hours
OPENING_METRICS: tuple[str, ...] = ("wait_for_opening_mean_s", "wait_for_opening_max_s")
#: each entry of an entity block's ``daily`` list (with opening hours, also
#: ``wait_for_opening_mean_s``)
DAILY_METRICS: tuple[str, ...] = ("arrived", "served", "wait_mean_s", "wait_p95_s", "wait_max_s")
#: each entry of a lane group's ``daily`` list (with an emergency line, also
#: ``EMERGENCY_METRICS``: those that started that day, the time in emergency that day)
GROUP_DAILY_METRICS: tuple[str, ...] = ("lane_hours", "lanes_open_max")
CLASS_METRICS: tuple[str, ...] = FLOW_METRICS
#: persons (on foot, or aboard a vehicle through its queues) and vehicles
COUNT_METRICS: tuple[str, ...] = (
    "served",
    "unfinished",
    "no_visit",
    *WAIT_METRICS,
    "served_per_day",
)
#: a vehicle flow whose passengers alight: how long its vehicles waited for them
DWELL_METRICS: tuple[str, ...] = ("vehicle_dwell_mean_s", "vehicle_dwell_max_s")
#: its passengers: how long they waited for their vehicle
MEET_METRICS: tuple[str, ...] = ("wait_for_vehicle_mean_s", "wait_for_vehicle_max_s")

#: metrics that count demand (a documented figure of these calibrates the scenario); the
#: others are outcomes (a documented figure of these validates it)
DEMAND_METRICS: frozenset[str] = frozenset(
    {"served", "unfinished", "no_visit", "served_per_day", "arrived"}
)
