"""M/M/10 at load 0.9 with 200,000 travellers: portsim (the whole CLI process, records and all)
against an idiomatic hand-written SimPy model, and Ciw for reference (if installed).

Run: python benchmarks/mmc.py [--quick] [--travellers N]
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

from _harness import (
    HERE,
    QUICK,
    portsim_command,
    portsim_travellers,
    report,
    run_interleaved,
    run_process,
    say_quick,
    simple_travellers,
    travellers,
)

TRAVELLERS = travellers(200_000)
LANES = 10
MEAN = 45.0
RATE = 0.9 * LANES / MEAN

#: timed runs of each contender, in turns
REPEATS = 1 if QUICK else 5


def scenario() -> dict[str, Any]:
    """The M/M/10 queue as a scenario file's contents."""
    return {
        "name": "M/M/10 at 0.9",
        "horizon": TRAVELLERS / RATE,
        "flows": [{"name": "travellers", "arrivals": {"rate": RATE}, "route": ["check"]}],
        "stages": [
            {
                "name": "check",
                "lanes": [
                    {
                        "name": "counters",
                        "count": LANES,
                        "service": {"dist": "exponential", "mean": MEAN},
                    }
                ],
            }
        ],
    }


def main() -> None:
    say_quick()
    rows = run_interleaved(
        [
            ("portsim", portsim_command(scenario()), portsim_travellers),
            (
                "hand-written SimPy",
                [
                    sys.executable,
                    str(HERE / "handwritten_simpy.py"),
                    str(TRAVELLERS),
                    str(RATE),
                    f"{LANES}:{MEAN}",
                ],
                simple_travellers,
            ),
        ],
        REPEATS,
    )
    if importlib.util.find_spec("ciw") is not None:
        rows.append(
            run_process(
                "Ciw",
                [
                    sys.executable,
                    str(HERE / "ciw_mmc.py"),
                    str(TRAVELLERS),
                    str(RATE),
                    str(LANES),
                    str(MEAN),
                ],
                simple_travellers,
                repeats=1,
            )
        )
    print(
        f"M/M/{LANES} at load 0.9, {TRAVELLERS:,} travellers, one replication, "
        f"whole processes (median of {REPEATS}, taken in turns)"
    )
    report(rows, "hand-written SimPy")
    portsim_wait = rows[0].output["stages"]["check"]["wait_mean_s"]["mean"]
    print(
        f"mean wait: portsim {portsim_wait:.1f} s, hand-written "
        f"{rows[1].output['wait_mean_s']:.1f} s"
    )


if __name__ == "__main__":
    main()
