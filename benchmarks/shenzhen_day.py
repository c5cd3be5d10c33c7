"""A Shenzhen-scale day end to end: 489,000 travellers (the documents' 2008 daily average
over all Shenzhen ports, 000_079b4a5e5431ce08.txt) through three stages with a daily profile,
one replication, the whole CLI process: wall time and peak memory. Target: under 10 s per
replication on a 2-core machine.

Run: python benchmarks/shenzhen_day.py [--quick]
"""

from __future__ import annotations

from typing import Any

from _harness import QUICK, portsim_command, portsim_travellers, run_process, say_quick

#: travellers a day of the two flows (a thousandth when quick)
RESIDENTS, VISITORS = (300, 189) if QUICK else (300_000, 189_000)
PROFILE = [1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 7, 6, 6, 6, 6, 7, 8, 8, 7, 5, 4, 3, 2, 1]


def scenario(horizon: str = "24h") -> dict[str, Any]:
    """The Shenzhen-scale day, run for ``horizon`` (its daily profile repeats every day)."""
    return {
        "name": "Shenzhen-scale day",
        "horizon": horizon,
        "flows": [
            {
                "name": "residents",
                "arrivals": {"daily_total": RESIDENTS, "profile": PROFILE},
                "route": ["exit_check", {"stage": "customs", "p": 0.01}, "entry_check"],
            },
            {
                "name": "visitors",
                "arrivals": {"daily_total": VISITORS, "profile": PROFILE},
                "route": ["exit_check", {"stage": "customs", "p": 0.01}, "entry_check"],
            },
        ],
        "stages": [
            {
                "name": "exit_check",
                "lanes": [
                    {
                        "name": "egates",
                        "count": 60,
                        "service": {"dist": "lognormal", "mean": "12s", "cv": 0.4},
                        "serves": ["residents"],
                    },
                    {
                        "name": "counters",
                        "count": 200,
                        "service": {"dist": "exponential", "mean": "45s"},
                    },
                ],
                "transfer": {"dist": "uniform", "low": "2min", "high": "5min"},
            },
            {
                "name": "customs",
                "lanes": [
                    {
                        "name": "officers",
                        "count": 60,
                        "service": {"dist": "gamma", "mean": "6min", "cv": 0.5},
                    }
                ],
            },
            {
                "name": "entry_check",
                "lanes": [
                    {
                        "name": "egates",
                        "count": 60,
                        "service": {"dist": "lognormal", "mean": "10s", "cv": 0.4},
                        "serves": ["residents"],
                    },
                    {
                        "name": "counters",
                        "count": 200,
                        "service": {"dist": "exponential", "mean": "45s"},
                    },
                ],
            },
        ],
    }


def main() -> None:
    say_quick()
    row = run_process("portsim", portsim_command(scenario()), portsim_travellers)
    print(
        f"Shenzhen-scale day: {RESIDENTS + VISITORS:,} travellers expected, three stages, "
        f"one replication, whole CLI process (median of {1 if QUICK else 3})"
    )
    print(
        f"travellers {row.travellers:,.0f}  wall {row.seconds:.2f} s  "
        f"{row.per_second:,.0f} travellers/s  peak memory {row.peak_mb:.0f} MB"
    )
    print("warnings:", row.output["warnings"] or "none")


if __name__ == "__main__":
    main()
