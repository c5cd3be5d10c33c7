"""The text of a fit, as ``portsim fit`` prints it: the families ranked, the counts per
direction and day type, a timetable's arrivals, and observed waits beside simulated ones;
each ends with the YAML to paste into a scenario file (the waits: with the distances)."""

from __future__ import annotations

from ..fit.bootstrap import rejects
from ..fit.counts import CountsFit
from ..fit.times import EMPIRICAL, TimesFit, resolution_words
from ..fit.timetable import TimetableFit
from ..fit.waits import WaitsComparison
from ..units import counted, format_duration

__all__ = ["format_counts", "format_times", "format_timetable", "format_waits"]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(row) for row in rows)]


def format_times(fit: TimesFit) -> str:
    """The families ranked by AIC with their mean, cv, KS distance and bootstrap p-value,
    the empirical distribution last, the choice and its YAML."""
    best = fit.ranking[0].aic
    rows = [
        [
            fit.family,
            f"{fit.aic:,.1f}",
            f"{fit.aic - best:.1f}",
            format_duration(fit.mean),
            f"{fit.cv:.3f}",
            f"{fit.ks:.3f}",
            f"{p:.3f}",
            "rejected" if rejects(p) else "fits",
        ]
        for fit, p in ((f, fit.p_values[f.family]) for f in fit.ranking)
    ]
    rows.append([EMPIRICAL, "-", "-", format_duration(float(fit.sample.mean())),
                 f"{fit.sample.std() / fit.sample.mean():.3f}", "0", "-", "-"])  # fmt: skip
    header = ["family", "AIC", "ΔAIC", "mean", "cv", "KS", "p", "at 5 %"]
    lines = [
        f"{fit.source}: {counted(fit.size, 'time')}, from {format_duration(fit.sample[0])} "
        f"to {format_duration(fit.sample[-1])}",
        "",
        *_table(header, rows),
        "",
        f"p: the KS distance's parametric bootstrap, {counted(fit.rounds, 'sample')} refitted "
        f"(seed {fit.seed}{resolution_words(fit.resolution)}); at or under 0.05, the family "
        "is rejected",
        "ΔAIC: the AIC above the best; under 2, as good as the best",
        f"chosen: {fit.chosen}",
        *(f"note: {note}" for note in fit.notes),
        "",
        fit.yaml().rstrip(),
    ]
    return "\n".join(lines)


def format_counts(fit: CountsFit) -> str:
    """Per direction and day type, the days counted and the daily total; then the YAML."""
    rows = []
    for direction in fit.directions:
        for day_type, days in direction.days.items():
            peak = max(range(24), key=lambda h: direction.profile[day_type][h])
            rows.append([
                direction.direction or "-",
                day_type,
                str(days),
                f"{direction.daily_total[day_type]:,.1f}",
                f"{peak:02d}:00",
            ])  # fmt: skip
    lines = [
        f"{fit.source}: {fit.first_date} to {fit.last_date}",
        "",
        *_table(["direction", "day type", "days", "daily total", "busiest hour"], rows),
    ]
    for direction in fit.directions:
        if direction.missing_hours:
            who = f"{direction.direction}: " if direction.direction else ""
            lines.append(f"note: {who}{counted(direction.missing_hours, 'hour')} not in the "
                         "file, counted as zero")  # fmt: skip
    lines += ["", fit.yaml().rstrip()]
    return "\n".join(lines)


def format_timetable(fit: TimetableFit) -> str:
    """The trains and their passengers; then the YAML."""
    lines = [
        f"{fit.source}: {counted(len(fit.trains), 'train')}, {fit.passengers:,} passengers, "
        "each train's load at its time",
        *(f"note: {note}" for note in fit.notes()),
        "",
        fit.yaml().rstrip(),
    ]
    return "\n".join(lines)


def format_waits(comparison: WaitsComparison) -> str:
    """The observed and simulated waits' percentiles side by side, and the distances."""
    rows = [
        [f"p{q}", format_duration(o), format_duration(s), format_duration(s - o)]
        for q, (o, s) in comparison.quantiles().items()
    ]
    means = float(comparison.observed.mean()), float(comparison.simulated.mean())
    rows.insert(0, ["mean", *(format_duration(m) for m in means),
                    format_duration(means[1] - means[0])])  # fmt: skip
    where = comparison.compared
    lines = [
        f"{comparison.source}: {counted(len(comparison.observed), 'observed wait')} against "
        f"{counted(len(comparison.simulated), 'simulated wait')} ({where or 'every visit'})",
        "",
        *_table(["", "observed", "simulated", "simulated − observed"], rows),
        "",
        f"Kolmogorov–Smirnov distance: {comparison.ks:.3f} (the largest gap between the two "
        "shares who waited at most so long; 0: the same)",
        f"Wasserstein distance: {format_duration(comparison.wasserstein)} (how far the waits "
        "would have to move, on average, to match)",
    ]
    if comparison.unserved:
        lines.append(f"note: {counted(comparison.unserved, 'simulated visit')} not served by "
                     "the horizon, left out")  # fmt: skip
    return "\n".join(lines)
