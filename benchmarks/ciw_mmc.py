"""The same M/M/c queue in Ciw, for reference. Needs the ``bench`` extra (``pip install
-e '.[bench]'``).

Usage: python ciw_mmc.py TRAVELLERS RATE LANES MEAN
Prints one line of JSON: {"travellers": n, "wait_mean_s": w}.
"""

from __future__ import annotations

import json
import sys

import ciw


def main() -> None:
    travellers, rate, lanes, mean = (
        int(sys.argv[1]),
        float(sys.argv[2]),
        int(sys.argv[3]),
        float(sys.argv[4]),
    )
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=rate)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / mean)],
        number_of_servers=[lanes],
    )
    ciw.seed(1)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(travellers / rate)
    records = simulation.get_all_records()
    waits = [r.waiting_time for r in records]
    print(json.dumps({"travellers": len(records), "wait_mean_s": sum(waits) / len(waits)}))


if __name__ == "__main__":
    main()
