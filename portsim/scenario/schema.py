"""The JSON Schema of scenario files as they are written, for editors (``portsim schema``).

It comes from the same types that validate a file (pydantic's schema of
:class:`~portsim.scenario.spec.Scenario`), then says what pydantic cannot see: a duration is
a number of seconds *or* a string with a unit (``45s``, ``2.5min``), a rate a number per
second or ``1800/h``, a schedule's ``from`` and ``to`` times of day, a route step a bare
stage name or ``{stage, p}``. Field types carry a mark (:data:`~.fields.UNIT_KEY`) that this
module turns into those alternatives; descriptions in the planner's words are added from
:data:`FIELD_DOCS`. The schema is a description for editors: the loader remains the judge
(cross-field checks such as "a route names a stage that exists" are not in it).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from ..units import DURATION_PATTERN, RATE_PATTERN, TIME_PATTERN
from .fields import UNIT_KEY
from .spec import Scenario

__all__ = ["FIELD_DOCS", "SCHEMA_ID", "UNIT_KEY", "scenario_schema"]

SCHEMA_ID = "https://portsim.invalid/scenario.schema.json"
_BOUNDS = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}
_UNIT_TEXT = {
    "duration": "seconds, or a number with a unit: 45s, 2.5min, 8h, 1d",
    "time": "a clock time, 06:30 or 24:00, or a duration from 00:00 of day 1: 6.5h, 30h, 23400",
    "rate": "per second, or a number per unit: 1800/h, 30/min, 0.5/s, 40000/d",
    "figure": "a number as published, or a duration with a unit for a figure of time "
    "(25min, 37.2min: compared in seconds)",
}

#: descriptions of fields, by (definition, field), in the planner's words
FIELD_DOCS: dict[tuple[str, str], str] = {
    ("Scenario", "name"): "What the scenario is called; reports show it.",
    ("Scenario", "description"): "Free text about the scenario.",
    ("Scenario", "horizon"): "Simulated time from 00:00 of day 1 (default with a calendar: "
    "its days).",
    ("Scenario", "calendar"): "The days of the run, each of a named type: daily totals, "
    "profiles, schedules and opening hours may differ by day type.",
    ("Scenario", "hours"): "The port's opening hours, every day or by day type: who comes "
    "outside them waits for the opening; at the closing, those inside are cleared.",
    ("Stage", "hours"): "The stage's own opening hours, every day or by day type (default: "
    "the port's): who reaches it while it is closed waits before it for the opening; at the "
    "closing it takes nobody new and serves those already in its queue.",
    ("Calendar", "start"): "Day 1's date (YYYY-MM-DD), to label the days in reports.",
    ("Calendar", "days"): "Consecutive days from 00:00 of day 1: {type, repeat}.",
    ("CalendarDays", "type"): "The day type: a free name (normal, festival_eve ...).",
    ("CalendarDays", "repeat"): "This many days of the type in a row (default 1).",
    ("OpeningHours", "open"): "The time of day the port (or the stage) opens.",
    ("OpeningHours", "close"): "The time it closes; at or before 'open': past midnight "
    "(02:00 the next day). 00:00 to 24:00 is round the clock.",
    ("LaneGroup", "built"): "Lanes that exist: the most that can ever be open (the plan and "
    "the opening rule stay within it).",
    ("LaneGroup", "opening"): "Open more lanes than the plan when the queue reaches a line, "
    "up to built, and close them again below a lower one.",
    ("OpeningRule", "open_above"): "Open more lanes when a newcomer's expected wait passes it.",
    ("OpeningRule", "close_below"): "Close the lanes so opened when the expected wait falls "
    "below it.",
    ("OpeningRule", "queue_above"): "Or: open more lanes when more than this many wait.",
    ("OpeningRule", "queue_below"): "With queue_above: close them when fewer than this many wait.",
    ("OpeningRule", "step"): "Lanes opened (or closed) at once (default 1).",
    ("OpeningRule", "delay"): "Time staff take to come: lanes open this long after the line "
    "was passed (default 0).",
    ("OpeningRule", "emergency_above"): "Report each time the expected wait passes it (the "
    "emergency plan), and for how long.",
    ("Scenario", "warmup"): "Entities arriving before it are not counted (default 0).",
    ("Scenario", "replications"): "Independent runs to average (default 5); --replications "
    "overrides it.",
    ("Scenario", "seed"): "The seed of every random number (default 0); --seed overrides it.",
    ("Scenario", "flows"): "Who arrives: at least one flow.",
    ("Scenario", "stages"): "Inspection stops, each with its lane groups.",
    ("Scenario", "clearance"): "The clearance modes' parameters; routes name it as 'clearance'.",
    ("Scenario", "targets"): "Service pledges: a share of travellers within a wait.",
    ("Scenario", "reference"): "Published figures, reported beside the simulated ones.",
    ("Flow", "name"): "The flow's name, used by routes, lane groups and pledges.",
    ("Flow", "kind"): "passenger, car, coach or truck (default passenger).",
    ("Flow", "direction"): "A free label; flows sharing it are also reported together.",
    ("Flow", "arrivals"): "How the flow arrives: a rate, an hourly profile, a timetable, "
    "given times, or given times each with its load.",
    ("Flow", "route"): "The stages visited in order: a name, {stage, p} for a stage visited "
    "with probability p, {choose: [...]}, {alight: ROUTE} or {meet: passengers}.",
    ("Flow", "occupants"): "Persons in each vehicle, driver included (vehicles only; default one).",
    ("Flow", "classes"): "Shares of the flow, drawn per traveller; named flow.class elsewhere.",
    ("Flow", "exit_transfer"): "The walk or ride out after the last stop (a time "
    "distribution), counted in the time in port.",
    ("FlowClass", "name"): "The class's name (flow.class in serves, service_by_flow, targets).",
    ("FlowClass", "share"): "Its share of the flow (the shares add up to 1).",
    ("Flow", "priority"): "Served before a higher number, and before those with none, at "
    "every lane group; never interrupting a service; first come first served within a "
    "level (default: none).",
    ("FlowClass", "priority"): "The class's own priority (default: the flow's).",
    ("LaneGroup", "priority"): "At these lanes only: the priority of the flows and classes "
    "named ({crew: 0, coach.elderly: 1}), instead of their own.",
    ("Scenario", "routes"): "Named sub-routes, for passengers who alight from vehicles.",
    ("Choice", "choose"): "At most one of these stages, each with its probability.",
    ("Alight", "alight"): "The sub-route the vehicle's passengers follow.",
    ("Meet", "meet"): "passengers: wait here until the last passenger is back.",
    ("LaneGroup", "service_per_occupant"): "Added to the service once per occupant (vehicles).",
    ("Flow", "source"): "Where the numbers come from.",
    ("PoissonArrivals", "rate"): "Arrivals at random (Poisson) at this constant rate.",
    ("DailyProfileArrivals", "daily_total"): "Expected arrivals a day (or by day type of the "
    "calendar: {normal: 150000, festival_eve: 210000}).",
    ("DailyProfileArrivals", "profile"): "24 hourly weights from 00:00; the day repeats (or by "
    "day type: {default: [...], festival_eve: [...]}).",
    ("RegularArrivals", "every"): "One arrival every so often (no randomness).",
    ("RegularArrivals", "from"): "The first arrival (default 00:00 of day 1).",
    ("RegularArrivals", "to"): "No arrival at or after it (default: the horizon).",
    ("TimedArrivals", "times"): "Arrivals at exactly these times from 00:00 of day 1, in order.",
    ("LoadedArrivals", "times"): "A timetable with loads: each train (coach, ferry) with its "
    "time and what it brings, {at: 06:02, load: 612}, in order of time.",
    ("TimedLoad", "at"): "When it brings its load (from 00:00 of day 1; 06:02 is on day 1).",
    ("TimedLoad", "load"): "How many it brings at once, exactly (nothing is drawn).",
    **{
        (kind, "group"): "Each arrival brings a group of this many (a count distribution)."
        for kind in ("PoissonArrivals", "DailyProfileArrivals", "RegularArrivals", "TimedArrivals")
    },
    ("ConstantCount", "value"): "Always this many.",
    ("EmpiricalCount", "values"): "Each of these counts equally likely.",
    ("UniformCount", "low"): "The fewest ...",
    ("UniformCount", "high"): "... and the most, every whole number between equally likely.",
    ("RouteStep", "stage"): "A stage name, or 'clearance' for the chosen clearance mode.",
    ("RouteStep", "p"): "The probability of visiting it (default 1).",
    ("Stage", "name"): "The stage's name, used by routes.",
    ("Stage", "lanes"): "Lane groups; each keeps one queue (or one per lane).",
    ("Stage", "transfer"): "Time from this stage to the next one visited: a distribution or "
    "a shuttle.",
    ("Stage", "space"): "Travellers who fit in the waiting area; nobody is turned away, the "
    "report says when it was exceeded.",
    ("LaneGroup", "name"): "The lane group's name.",
    ("LaneGroup", "count"): "Lanes open all the time (or give a schedule).",
    ("LaneGroup", "schedule"): "Lanes open by time of day, repeating daily (or by day type "
    "of the calendar); uncovered hours have none.",
    ("LaneGroup", "queue"): "shared: one queue for all lanes; per_lane: a queue per lane, "
    "arrivals join the shortest.",
    ("LaneGroup", "service"): "The time a lane takes per traveller.",
    ("LaneGroup", "service_by_flow"): "Service times for the flows named, overriding service.",
    ("LaneGroup", "serves"): "The flows these lanes serve (default: all).",
    ("LaneGroup", "staff"): "The staff pool whose officers (or dual-facing counters) its "
    "open lanes take: a lane opens only when they are free (default: it draws on nobody); "
    "or a list of pools ([dual_counters, officers]): a lane opens only when every one can "
    "give, takes from all at once and gives all back at once.",
    ("LaneGroup", "staff_per_lane"): "Officers of its pool each open lane takes (default 1); "
    "with several pools, one number for each, or by pool ({officers: 2}; those not named "
    "take 1).",
    ("LaneGroup", "lend_below"): "With a pool that lends: a lane of this group may turn to "
    "a group of the pool whose rule asks while a newcomer here would wait less than this "
    "(default: its rule's close_below; neither: it never lends).",
    ("Scenario", "staff"): "Staff pools: officers, or dual-facing counters, shared by the "
    "lane groups that name them.",
    ("StaffPool", "name"): "The pool's name, which lane groups give as their staff.",
    ("StaffPool", "count"): "On duty all the time (or give a schedule).",
    ("StaffPool", "schedule"): "On duty by time of day, repeating daily (or by day type of "
    "the calendar); hours no entry covers: nobody.",
    ("StaffPool", "switch"): "The time one takes to move from one lane group to another (a "
    "counter turning to face the other side: closed meanwhile); default 0.",
    ("StaffPool", "lend"): "Whether a group whose opening rule asks for a lane while nobody "
    "is free may turn one of another group of the pool, below that group's lend_below line "
    "(a counter turning when the other side's queue grows).",
    ("StaffPool", "source"): "Where the numbers come from.",
    ("ScheduleEntry", "from"): "From this time of day ...",
    ("ScheduleEntry", "to"): "... until this one (excluded).",
    ("ScheduleEntry", "count"): "Lanes open meanwhile.",
    ("Target", "name"): "The pledge's name.",
    ("Target", "flow"): "The flow whose travellers it covers (total wait over the route).",
    ("Target", "stage"): "Or the stage whose visits it covers (the wait there).",
    ("Target", "wait_within"): "The pledged wait.",
    ("Target", "share"): "The share pledged to wait at most wait_within (0 to 1).",
    ("ReferenceFigure", "figure"): "What the published figure is.",
    ("ReferenceFigure", "value"): "Its value as published.",
    ("ReferenceFigure", "unit"): "Its unit, as published (default for a figure written as a "
    "duration: its unit, min for 25min); a unit of time (s, min, h) says the figure is a "
    "duration.",
    ("ReferenceFigure", "source"): "Where it was published.",
    ("ReferenceFigure", "compare_to"): "A metric path of the run JSON, or a list of them to "
    "add up (overall.served_per_day, stages.NAME.wait_mean_s, targets.NAME.share ...).",
    ("ReferenceFigure", "check"): "calibration (an input the scenario was built from) or "
    "validation (an outcome it must reproduce: a wait, a pledge met, a longest wait); guessed "
    "from the metric when left out.",
    ("ReferenceFigure", "low"): 'The least the publication allows ("more than 90 %": 0.9); '
    "without low and high the figure is the point value.",
    ("ReferenceFigure", "high"): 'The most the publication allows ("within the pledged 25 '
    'minutes": 25min).',
    ("ReferenceFigure", "confidence"): "H (government or peer-reviewed), M (reputable news) or "
    "L (secondary or derived).",
    ("ReferenceFigure", "note"): "How the figure was read, or what would have to be true for "
    "the scenario to reproduce it; shown beside the verdict.",
    ("Clearance", "mode"): "The mode that runs: separate, colocated or cooperative.",
    ("Shuttle", "every"): "Time between departures.",
    ("Shuttle", "seats"): "Seats per departure; who does not fit waits for the next.",
    ("Shuttle", "ride"): "Time the ride takes.",
    ("Shuttle", "first"): "The first departure (default 00:00).",
    ("OnDemandShuttle", "seats"): "Seats per bus; a bus leaves when they are all taken.",
    ("OnDemandShuttle", "ride"): "Time the ride takes.",
    ("OnDemandShuttle", "leaves"): "when_full: a bus leaves when full, or max_wait after its "
    "first passenger boarded, whichever comes first.",
    ("OnDemandShuttle", "max_wait"): "The longest a bus waits after its first passenger "
    "boarded (required: the day's last travellers would otherwise wait for ever).",
    ("OnDemandShuttle", "fleet"): "Buses that take turns (default: a bus is always at the "
    "stop); whoever comes while every bus is away waits for the next back.",
    ("OnDemandShuttle", "back"): "The way back of a fleet's bus (default: the ride); a bus "
    "that left is away for ride + back.",
}


def _bounds(node: dict[str, Any]) -> dict[str, Any]:
    """pydantic writes bounds it applies after a validator as ge/gt/le/lt: rename them."""
    return {_BOUNDS.get(k, k): v for k, v in node.items()}


def _with_unit(node: dict[str, Any]) -> dict[str, Any]:
    unit = node[UNIT_KEY]
    if unit == "route step":
        items = node["items"]
        name = {"type": "string", "minLength": 1, "description": "a stage always visited"}
        return {**node, "items": {"anyOf": [name, items]}}
    keep = {k: node[k] for k in ("default", "description", UNIT_KEY) if k in node}
    number = {k: v for k, v in node.items() if k not in keep and k != "title"}
    pattern = {"rate": RATE_PATTERN, "time": TIME_PATTERN}.get(unit, DURATION_PATTERN)
    text = {"type": "string", "pattern": pattern}
    described = keep.get("description") or _UNIT_TEXT[unit]
    walk = [_WALK] if unit == "duration" else []  # a duration may be a walk
    return {"anyOf": [number, text, _REFERENCE, *walk], **keep, "description": described}


#: a reference to a shared assumption, allowed wherever a number goes
_REFERENCE = {"$ref": "#/$defs/AssumptionReference"}
_REFERENCE_SCHEMA = {
    "type": "object",
    "description": "A shared assumption's value, from the file the scenario names at its top "
    "(assumptions: FILE); with 'of', a count: the value times it, rounded.",
    "properties": {
        "assumption": {"type": "string", "minLength": 1, "description": "Its name."},
        "of": {"type": "integer", "minimum": 0, "description": "A count to take the share of."},
    },
    "required": ["assumption"],
    "additionalProperties": False,
}
#: a walk: a distance at a walking speed, converted to seconds at load (scenario/walks.py)
_WALK = {"$ref": "#/$defs/Walk"}
_WALK_SCHEMA = {
    "type": "object",
    "description": "A walk's time: its distance (400m, 0.4km) over a walking speed in metres "
    "a second (a number, or a shared assumption's), converted to seconds at load.",
    "properties": {
        "walk": {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {
                    "type": "string",
                    "pattern": r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*(m|km)\s*$",
                },
            ],
            "description": "The distance: metres (400m, or a number), or kilometres (0.4km).",
        },
        "speed": {
            "anyOf": [{"type": "number", "exclusiveMinimum": 0}, _REFERENCE],
            "description": "The walking speed, metres a second.",
        },
    },
    "required": ["walk", "speed"],
    "additionalProperties": False,
}
_ASSUMPTIONS_FIELD = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"$ref": "#/$defs/UsedAssumption"}},
    ],
    "default": None,
    "description": "The file of shared assumptions the scenario references, relative to it "
    "(assumptions.yaml); a dumped scenario holds instead the record of those it used.",
}


def _or_reference(node: dict[str, Any]) -> dict[str, Any]:
    """A number, or a reference to a shared assumption (where a plain number goes)."""
    if node.get("type") not in {"number", "integer"}:
        return node
    keep: dict[str, Any] = {k: node[k] for k in ("default", "description") if k in node}
    number = {k: v for k, v in node.items() if k not in keep}
    return {"anyOf": [number, _REFERENCE], **keep}


def _walk(node: Any, definition: str = "") -> Any:
    """The schema node as files are written: units, bounds, no pydantic titles."""
    if isinstance(node, list):
        return [_walk(item, definition) for item in node]
    if not isinstance(node, dict):
        return node
    node = _bounds({k: v for k, v in node.items() if k != "title"})
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in {"properties", "$defs"}:
            out[key] = {
                name: _field(name, sub, definition) if key == "properties" else _walk(sub, name)
                for name, sub in value.items()
            }
        else:
            out[key] = _walk(value, definition)
    if UNIT_KEY in out:
        return _with_unit(out)
    if definition == "UsedAssumption":  # the record of values used: plain numbers
        return _dist_required(out)
    return _or_reference(_dist_required(out))


def _dist_required(node: dict[str, Any]) -> dict[str, Any]:
    """A distribution's ``dist`` has a default in Python, but a file must give it: it tells
    the distributions apart. Say so, first among the fields."""
    properties = node.get("properties", {})
    dist = properties.get("dist")
    if not (isinstance(dist, dict) and "const" in dist):
        return node
    dist.pop("default", None)
    dist["description"] = "Which distribution (always given)."
    node["properties"] = {"dist": dist} | {k: v for k, v in properties.items() if k != "dist"}
    node["required"] = ["dist", *node.get("required", [])]
    return node


#: fields whose default stands for "computed" (the horizon: the calendar's days)
_NO_DEFAULT = frozenset({("Scenario", "horizon")})


def _field(name: str, node: Any, definition: str) -> Any:
    walked = _walk(node, definition)
    if (definition, name) in _NO_DEFAULT and isinstance(walked, dict):
        walked.pop("default", None)
    doc = FIELD_DOCS.get((definition, name))
    if doc and isinstance(walked, dict):
        unit = walked.get(UNIT_KEY)
        walked["description"] = doc + (f" ({_UNIT_TEXT[unit]})" if unit in _UNIT_TEXT else "")
    return walked


#: fields optional in Python (None) that a file must give: the loader refuses them missing,
#: with a message of its own (a bus on demand without max_wait would never leave)
_LOADER_REQUIRED = (("OnDemandShuttle", "max_wait"),)


def _loader_required(defs: dict[str, Any]) -> None:
    """Mark :data:`_LOADER_REQUIRED` required: no ``null``, no default."""
    for definition, name in _LOADER_REQUIRED:
        node = defs[definition]
        field = node["properties"][name]
        options = [o for o in field.pop("anyOf") if o != {"type": "null"}]
        field.pop("default", None)
        (only,) = options
        node["properties"][name] = {
            **{k: v for k, v in only.items() if k != "description"},
            **field,
        }
        order = list(node["properties"])
        node["required"] = sorted({*node.get("required", []), name}, key=order.index)


@cache
def _schema() -> dict[str, Any]:
    raw = TypeAdapter(Scenario).json_schema(mode="validation")
    walked = _walk(raw, "Scenario")
    _loader_required(walked["$defs"])
    walked["properties"]["assumptions"] = _ASSUMPTIONS_FIELD
    walked["$defs"]["AssumptionReference"] = _REFERENCE_SCHEMA
    walked["$defs"]["Walk"] = _WALK_SCHEMA
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "portsim scenario",
        **{k: v for k, v in walked.items() if k != "description"},
        "description": "A portsim scenario file: who arrives, the stages they pass, the "
        "lanes that serve them, pledges and published figures. Durations are seconds or "
        "strings with a unit (45s, 2.5min, 8h, 1d); rates are per second or N/s, N/min, N/h, "
        "N/d.",
    }


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of scenario files, as a new dict."""
    import copy  # noqa: PLC0415

    return copy.deepcopy(_schema())
