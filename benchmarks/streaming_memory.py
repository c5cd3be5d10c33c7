"""Memory without records: the Shenzhen-scale day of ``shenzhen_day.py`` run for one day
and for seven (about 489,000 and 3.4 million travellers), each as a whole CLI process with
``--no-records``: peak resident memory and their ratio. Target: the week within 1.2× of
the day (the streaming tallies grow with the horizon only by their hourly rows).

Run: python benchmarks/streaming_memory.py [--quick]

Quick (``--quick``): the scenario at a thousandth of its travellers (``shenzhen_day.py``).
"""

from __future__ import annotations

from _harness import Timing, portsim_command, portsim_travellers, run_process, say_quick
from shenzhen_day import scenario

TARGET = 1.2


def streamed(horizon: str) -> Timing:
    """One replication of the Shenzhen-scale scenario over ``horizon``, without records."""
    command = [*portsim_command(scenario(horizon)), "--no-records"]
    return run_process("portsim", command, portsim_travellers, repeats=1)


def main() -> None:
    say_quick()
    day, week = streamed("1d"), streamed("7d")
    print("Shenzhen-scale scenario, one replication, portsim run --no-records, whole process")
    for label, row in (("1 day", day), ("7 days", week)):
        print(
            f"{label:<7} travellers {row.travellers:>10,.0f}  wall {row.seconds:>6.1f} s  "
            f"{row.per_second:>7,.0f} travellers/s  peak memory {row.peak_mb:>5.0f} MB"
        )
    ratio = week.peak_mb / day.peak_mb
    verdict = "within" if ratio <= TARGET else "over"
    print(f"peak 7 days / 1 day: {ratio:.2f} ({verdict} the target {TARGET})")


if __name__ == "__main__":
    main()
