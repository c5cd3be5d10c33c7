"""An idiomatic hand-written SimPy model of a tandem of M/M/c stages, the baseline portsim is
timed against: ``random.Random`` draws, one process per traveller, ``with resource.request()``,
no records beyond a running sum of waits.

Usage: python handwritten_simpy.py TRAVELLERS RATE LANES:MEAN [LANES:MEAN ...]
Prints one line of JSON: {"travellers": n, "wait_mean_s": w}.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Generator
from typing import Any

import simpy


def main() -> None:
    travellers = int(sys.argv[1])
    rate = float(sys.argv[2])
    stages = [(int(lanes), float(mean)) for lanes, mean in (a.split(":") for a in sys.argv[3:])]
    rng = random.Random(1)
    env = simpy.Environment()
    resources = [(simpy.Resource(env, capacity=lanes), mean) for lanes, mean in stages]
    total_wait = [0.0]
    done = [0]

    def traveller() -> Generator[Any, Any, None]:
        for resource, mean in resources:
            joined = env.now
            with resource.request() as request:
                yield request
                total_wait[0] += env.now - joined
                yield env.timeout(rng.expovariate(1.0 / mean))
        done[0] += 1

    def source() -> Generator[Any, Any, None]:
        for _ in range(travellers):
            yield env.timeout(rng.expovariate(rate))
            env.process(traveller())

    env.process(source())
    env.run()
    print(json.dumps({"travellers": done[0], "wait_mean_s": total_wait[0] / done[0] / len(stages)}))


if __name__ == "__main__":
    main()
