"""Planning conditions: what a configuration must achieve, written the way a planner says it
(``--target`` on the command line, ``targets=`` in Python; a scenario's pledges are something
else: :class:`~portsim.scenario.targets.Target`).

Grammar (spaces are free; quote the whole condition on the command line)::

    TARGET  := [SUBJECT "."] METRIC OP VALUE [" each hour"]
    SUBJECT := "overall" | NAME | "flows." NAME | "stages." NAME | "directions." NAME
             | "stages." STAGE ".groups." GROUP | FLOW "." CLASS | "staff." POOL
    METRIC  := a metric of the run JSON (wait_mean_s, wait_p95_s, served, utilization, …;
               the "_s" may be left out: wait_p95) | "share_within(" DURATION ")"
    OP      := "<=" | ">="
    VALUE   := a number; a duration for a metric in seconds (30min, 90s, 1.5h; a bare
               number is seconds); a fraction or a percentage for a share (0.95, 95%)

A bare NAME is the flow, stage or direction of that name (write ``flows.NAME`` or
``stages.NAME`` when two share it); no subject is ``overall``. ``FLOW.CLASS`` is a class of
a flow, as a scenario's pledges name it (``visitors.eu``; ``coaches.passengers``: a vehicle
flow's passengers who alight). ``share_within(LIMIT)`` is
the share of travellers whose wait is at most LIMIT — a flow's travellers over their whole
route, the visits of a stage, or every counted traveller — measured exactly as a pledge of
the scenario is (:mod:`portsim.results.pledges`); the planner's condition adds such a pledge
to the scenario. The word ``pledges`` stands for every pledge the scenario declares, each
as a ``share_within`` condition.

``each hour`` makes the condition hold in every hour that has travellers (hourly values exist
for ``arrived``, ``served``, ``wait_mean_s``, ``wait_p95_s`` and ``share_within``, for the
overall, flows, directions and stages; and for a staff pool's ``officers_busy_mean``,
``officers_busy_max`` and ``officers_on_duty``). ``staff.POOL`` is a staff pool: a budget
such as ``staff.officers.officer_hours<=150``.

Examples: ``visitors.wait_p95<=30min``, ``residents.share_within(15min)>=0.98``,
``stages.exit.utilization<=85%``, ``overall.share_within(30min)>=95% each hour``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..errors import UsageError
from ..results.catalog import CATALOG, SHARE, Metric, metric
from ..results.rows import ALL_HOURS, MetricKey
from ..scenario.spec import PASSENGERS, Scenario
from ..scenario.targets import Target as Pledge
from ..units import duration_unit, format_in_unit, parse_duration

__all__ = [
    "Condition",
    "limit_text",
    "parse_condition",
    "parse_conditions",
    "pledge_condition",
    "with_pledges",
]

_PATTERN = re.compile(
    r"^\s*(?P<subject>.*?)\s*(?P<op><=|>=)\s*(?P<value>[^<>=]+?)\s*(?P<hourly>each\s+hour)?\s*$"
)
_SHARE = re.compile(r"^share_within\((?P<limit>[^()]+)\)$")
_LEVEL_OF = {"stages": "stage", "flows": "flow", "directions": "direction", "staff": "pool"}


@dataclass(frozen=True, slots=True)
class Condition:
    """A bound on one metric: ``key``'s value ``op`` ``value`` (seconds for waits, a
    fraction for shares), over the whole run or in every hour."""

    text: str
    level: str
    name: str
    group: str
    metric: str
    op: str
    value: float
    hourly: bool = False
    #: the pledge this condition adds to the scenario (``share_within``), if any
    pledge: Pledge | None = None

    def key(self, hour: int = ALL_HOURS) -> MetricKey:
        """The metric row this condition reads."""
        return (self.level, self.name, self.group, hour, self.metric)

    def meets(self, value: float) -> bool:
        """Whether a value satisfies the bound."""
        return value <= self.value if self.op == "<=" else value >= self.value

    @property
    def measure(self) -> Metric:
        """The catalog's entry of the metric bound."""
        return metric(self.metric)

    def show(self, value: float, like: float | None = None) -> str:
        """A value in this condition's unit: a duration (in the unit that reads best for
        ``like``, when given: an interval's bounds in their mean's unit), a percentage or a
        number."""
        if math.isnan(value):
            return "-"
        if self.measure.duration:
            reference = value if like is None or math.isnan(like) else like
            return format_in_unit(value, duration_unit(reference))
        if self.measure.fraction:
            return f"{value:.2%}"
        return f"{value:,.4g}"

    def per_hour(self) -> Condition:
        """The same bound, in every hour."""
        if not self.measure.exists(self.level, hour=True):
            raise UsageError(f"target {self.text!r}: {self.metric} has no hourly value")
        return replace(self, hourly=True)


def _class(flow: str, cls: str) -> tuple[str, str, str]:
    """A class of a flow (``visitors.eu``), or a vehicle flow's passengers who alight."""
    return ("passengers", flow, "") if cls == PASSENGERS else ("class", f"{flow}.{cls}", "")


def _subject(scenario: Scenario, text: str) -> tuple[str, str, str]:
    parts = text.split(".") if text else ["overall"]
    flows = {f.name for f in scenario.flows}
    classes = [name for f in scenario.flows for name in f.class_names()]
    stages = {s.name: s for s in scenario.all_stages()}
    directions = {f.direction for f in scenario.flows if f.direction}
    match parts:
        case ["overall"]:
            return "overall", "", ""
        case [plural, name] if plural in _LEVEL_OF:
            pools = {p.name for p in scenario.staff}
            known = {"flow": flows, "stage": set(stages), "direction": directions, "pool": pools}
            if name in known[_LEVEL_OF[plural]]:
                return _LEVEL_OF[plural], name, ""
            if f"{plural}.{name}" in classes:
                return _class(plural, name)
        case [flow, cls] if f"{flow}.{cls}" in classes:  # as pledges name it
            return _class(flow, cls)
        case ["flows", flow, "classes", cls] if f"{flow}.{cls}" in classes:  # the run JSON's
            return _class(flow, cls)
        case ["flows", flow, "passengers"] if f"{flow}.{PASSENGERS}" in classes:
            return _class(flow, PASSENGERS)
        case ["stages", stage, "groups", group] if stage in stages:
            if group in {g.name for g in stages[stage].lanes}:
                return "group", stage, group
        case [name]:
            found = [
                level
                for level, names in (("flow", flows), ("stage", stages), ("direction", directions))
                if name in names
            ]
            if len(found) == 1:
                return found[0], name, ""
            if found:
                raise UsageError(
                    f"{name!r} is a {' and a '.join(found)}: write flows.{name} or stages.{name}"
                )
    named = f"classes: {', '.join(classes)}; " if classes else ""
    staff = f"; staff pools: {', '.join(p.name for p in scenario.staff)}" if scenario.staff else ""
    raise UsageError(
        f"no flow, class, stage or direction called {text!r} (flows: "
        f"{', '.join(sorted(flows))}; {named}stages: {', '.join(stages)}{staff})"
    )


def _value(text: str, bound: Metric) -> float:
    """A bound on a metric as a number: seconds for a duration, a fraction for a share
    (a utilization, a pledge's share); finite and not negative."""
    fraction = bound.name if bound.fraction else None
    return _bound(text, seconds=bound.duration, fraction=fraction)


def _bound(text: str, *, seconds: bool = False, fraction: str | None = None) -> float:
    """A number a planner wrote: a duration (a bare number is seconds) if ``seconds``, a
    percentage or a number otherwise, at most 1 if it is a ``fraction`` (its name)."""
    text = text.strip()
    try:
        if seconds:
            value = parse_duration(float(text) if _is_float(text) else text)
        elif text.endswith("%"):
            value = float(text[:-1]) / 100
        else:
            value = float(text)
    except ValueError as error:
        raise UsageError(f"cannot read {text!r}: {error}") from None
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"the bound must be a finite number, not negative: {text!r}")
    if fraction and value > 1:
        raise UsageError(
            f"{fraction} is a fraction: write a number between 0 and 1 or a percentage "
            f"(0% to 100%), not {text}"
        )
    return value


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _metric(level: str, text: str) -> Metric:
    """The catalog's metric ``text`` names (the ``_s`` may be left out), if it exists at
    ``level`` over the whole run."""
    names = [m.name for m in CATALOG.values() if m.exists(level)]
    for name in (text, f"{text}_s"):
        if name in names:
            return CATALOG[name]
    raise UsageError(f"{text!r} is not a metric here (metrics: {', '.join(names)})")


def parse_condition(text: str, scenario: Scenario) -> Condition:
    """A condition from its text, its names checked against ``scenario``."""
    match = _PATTERN.match(text)
    if match is None:
        raise UsageError(
            f"target {text!r}: expected METRIC<=VALUE or METRIC>=VALUE, for example "
            "visitors.wait_p95<=30min or residents.share_within(15min)>=0.98"
        )
    subject, op, value = match["subject"], match["op"], match["value"]
    head, _, last = subject.rpartition(".")
    head = ".".join(part.strip() for part in head.split(".")) if head else ""
    try:
        share = _SHARE.match(last.strip())
        if share:
            condition = _share_condition(scenario, head, share["limit"], op=op, value=value)
            condition = replace(condition, text=text.strip())
            return condition.per_hour() if match["hourly"] else condition
        level, name, group = _subject(scenario, head)
        bound = _metric(level, last.strip())
        condition = Condition(
            text.strip(), level, name, group, bound.name, op, _value(value, bound)
        )
    except UsageError as error:
        raise UsageError(f"target {text!r}: {error}") from None
    return condition.per_hour() if match["hourly"] else condition


def _share_condition(
    scenario: Scenario, head: str, limit: str, *, op: str, value: str
) -> Condition:
    level, name, _group = _subject(scenario, head)
    if level not in {"overall", "flow", "class", "passengers", "stage"}:
        raise UsageError("share_within is measured for the overall, a flow, a class or a stage")
    within = _bound(limit, seconds=True)  # a bare number is seconds, as in any wait bound
    if within <= 0:
        raise UsageError("the limit of share_within must be positive")
    share = _value(value, SHARE)
    # who the pledge covers, as a scenario's pledge names it: a flow, flow.class, the overall
    subject = {"overall": "overall", "passengers": f"{name}.{PASSENGERS}"}.get(level, name)
    label = f"{subject}.share_within({limit_text(within)})"
    pledge = Pledge(
        name=label,
        flow=subject if level in {"flow", "class", "passengers"} else None,
        stage=name if level == "stage" else None,
        wait_within=within,
        share=share,
    )
    return Condition(label, "target", label, "", SHARE.name, op, share, pledge=pledge)


def limit_text(seconds: float) -> str:
    """A limit as a planner writes it, exactly: ``15min``, ``90s``, ``1.5h``."""
    for unit, size in (("h", 3600.0), ("min", 60.0)):
        if seconds >= size and (seconds / size) * 4 == int((seconds / size) * 4):
            return f"{seconds / size:g}{unit}"
    return f"{seconds!r}s"


def parse_conditions(
    texts: Sequence[str], scenario: Scenario, *, hourly: bool = False
) -> list[Condition]:
    """Conditions from their texts (``pledges`` expands to the scenario's own); with
    ``hourly`` every one holds in every hour."""
    out: list[Condition] = []
    for text in texts:
        if text.strip() == "pledges":
            if not scenario.targets:
                raise UsageError("target 'pledges': the scenario declares no pledges")
            out += [_from_pledge(p, scenario) for p in scenario.targets]
        else:
            out.append(parse_condition(text, scenario))
    if not out:
        raise UsageError("give at least one target, e.g. --target 'visitors.wait_p95<=30min'")
    return [t.per_hour() if hourly and not t.hourly else t for t in out]


def _from_pledge(pledge: Pledge, scenario: Scenario) -> Condition:
    subject = pledge.flow or (f"stages.{pledge.stage}" if pledge.stage else "overall")
    limit = limit_text(pledge.wait_within)
    return parse_condition(f"{subject}.share_within({limit})>={pledge.share!r}", scenario)


def pledge_condition(pledge: Pledge) -> Condition:
    """A pledge of the scenario as a condition on its own share (the run JSON's
    ``targets.NAME.share``), bound by its pledged share."""
    limit = limit_text(pledge.wait_within)
    text = f"{pledge.name} (share within {limit}>={pledge.share * 100:.4g}%)"
    return Condition(text, "target", pledge.name, "", SHARE.name, ">=", pledge.share)


def with_pledges(scenario: Scenario, conditions: Sequence[Condition]) -> Scenario:
    """The scenario with the pledges its ``share_within`` conditions measure (once each)."""
    have = {p.name for p in scenario.targets}
    added: list[Pledge] = []
    for condition in conditions:
        if condition.pledge is not None and condition.pledge.name not in have:
            have.add(condition.pledge.name)
            # the share bound is irrelevant to the measurement; keep the first condition's
            added.append(condition.pledge)
    return replace(scenario, targets=(*scenario.targets, *added)) if added else scenario
