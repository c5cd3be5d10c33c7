"""A tandem of M/M/c stages at load 0.9 each (exit check, customs, entry check; with
``--stages 4`` a quarantine check between the last two) with 200,000 travellers (or
``--travellers N``): portsim's whole CLI process against an idiomatic hand-written SimPy model.

Run: python benchmarks/tandem.py [--quick] [--travellers N] [--stages 3|4]
"""

from __future__ import annotations

import sys

from _harness import (
    ARGUMENTS,
    HERE,
    QUICK,
    portsim_command,
    portsim_travellers,
    report,
    run_interleaved,
    say_quick,
    simple_travellers,
    travellers,
)

TRAVELLERS = travellers(200_000)
STAGES = [("exit_check", 10, 45.0), ("customs", 4, 18.0), ("entry_check", 12, 54.0)]
if ARGUMENTS.get("stages", 3) == 4:
    STAGES.insert(2, ("quarantine", 6, 27.0))
elif ARGUMENTS.get("stages", 3) != 3:
    raise SystemExit("--stages takes 3 or 4")
RATE = 0.9 * STAGES[0][1] / STAGES[0][2]

#: timed runs of each contender, in turns
REPEATS = 1 if QUICK else 5


def main() -> None:
    say_quick()
    scenario = {
        "name": f"{len(STAGES)}-stage tandem",
        "horizon": TRAVELLERS / RATE,
        "flows": [
            {
                "name": "travellers",
                "arrivals": {"rate": RATE},
                "route": [name for name, _, _ in STAGES],
            }
        ],
        "stages": [
            {
                "name": name,
                "lanes": [
                    {
                        "name": "lanes",
                        "count": lanes,
                        "service": {"dist": "exponential", "mean": mean},
                    }
                ],
            }
            for name, lanes, mean in STAGES
        ],
    }
    rows = run_interleaved(
        [
            ("portsim", portsim_command(scenario), portsim_travellers),
            (
                "hand-written SimPy",
                [
                    sys.executable,
                    str(HERE / "handwritten_simpy.py"),
                    str(TRAVELLERS),
                    str(RATE),
                    *(f"{lanes}:{mean}" for _, lanes, mean in STAGES),
                ],
                simple_travellers,
            ),
        ],
        REPEATS,
    )
    print(
        f"{len(STAGES)}-stage tandem at load 0.9, {TRAVELLERS:,} travellers, one replication, "
        f"whole processes (median of {REPEATS}, taken in turns)"
    )
    report(rows, "hand-written SimPy")


if __name__ == "__main__":
    main()
