"""Start here to weigh clearance modes: separate checks, co-located checks and cooperative
inspection with one release, on the same travellers.

Loads scenarios/hall_modes.yaml, makes a busier variant with an override (as `--set` does
on the command line), compares the three modes on it with common random numbers, and prints
what each mode changes against separate checks, with 95 % intervals.

Run:  python examples/compare_modes.py [--replications N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import portsim

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "hall_modes.yaml"
MODES = ("separate", "colocated", "cooperative")


def minutes(stat: portsim.Stat) -> str:
    """A paired difference in minutes with its 95 % interval."""
    text = f"{stat.mean / 60:+6.2f} min"
    if stat.interval is not None:
        low, high = stat.interval
        text += f"  [{low / 60:+.2f}, {high / 60:+.2f}]"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=5)
    args = parser.parse_args()

    # a holiday-peak variant: 30 % more mainland visitors than the file's average day
    busier = "flows.mainland_visitors.arrivals.daily_total=65000"
    variants = [
        (mode, portsim.load_scenario(SCENARIO, [busier, f"clearance.mode={mode}"]))
        for mode in MODES
    ]
    # the routes differ (one stop or two), so the comparison is judged on the time in port
    comparison = portsim.compare(variants, replications=args.replications)
    everyone = portsim.Scope("overall")

    print(f"{variants[0][1].name}, with {busier}")
    print(f"{comparison.replications} replications, seed {comparison.seed}")
    print(f"judged on: {', '.join(m.words for m in comparison.judged_on)}\n")
    for mode in MODES:
        summary = comparison.results[mode].summary
        in_port = summary.stat(everyone, "system_time_mean_s").mean
        p95 = summary.stat(everyone, "wait_p95_s").mean
        print(f"{mode:<12} time in port {in_port / 60:5.2f} min, wait p95 {p95:6.1f} s")
    print("\nAgainst separate checks (paired by replication, 95 % interval):")
    for mode in MODES[1:]:
        diff = comparison.differences[f"{mode} - separate"]
        print(f"{mode:<12} time in port {minutes(diff.stat(everyone, 'system_time_mean_s'))}")
        print(f"{'':<12} mean wait    {minutes(diff.stat(everyone, 'wait_mean_s'))}")
    for mode in MODES:
        for pledge in comparison.results[mode].summary.pledges:
            print(
                f"{mode:<12} {pledge.name}: {pledge.share.mean:.1%} "
                f"(pledge {pledge.pledged:.0%}) -> {pledge.verdict}"
            )


if __name__ == "__main__":
    main()
