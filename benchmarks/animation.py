"""``portsim animate`` as a user runs it, in each format (GIF, HTML, and MP4 where ffmpeg is
installed): the small hall over six hours drawn as 2, 100 and 1,000 frames (and a hall of
nine lane groups as 100), each a whole CLI process: wall time, the drawing's share of it
(the wall less the 2-frame run's: reading, simulating and starting up), peak resident
memory, the file's size, and what the command estimated beforehand. Target: the peak of
1,000 frames within 1.2× of 100 frames' (the frames are streamed to the file, none kept);
the estimates within a factor of 3.

Run: python benchmarks/animation.py [--quick]

Quick (``--quick``): a tenth of the travellers, the small hall as 2, 4 and 8 frames and the
wide one as 4, no separate 2-frame run before each hall.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from _harness import QUICK, say_quick

from portsim import scenario_from_dict
from portsim.report.animate import animation_size

TARGET = 1.2
HORIZON = 6 * 3600.0
#: frames drawn of the small hall (the peaks of the last two compared), and of the wide one
SMALL_FRAMES, WIDE_FRAMES = ((2, 4, 8), (4,)) if QUICK else ((2, 100, 1000), (100,))
#: arrivals an hour of the two flows
RESIDENTS, VISITORS = ("36/h", "20/h") if QUICK else ("360/h", "200/h")

HALL: dict[str, Any] = {
    "name": "Small hall, six hours",
    "horizon": "6h",
    "warmup": "30min",
    "replications": 1,
    "seed": 11,
    "flows": [
        {
            "name": "residents",
            "arrivals": {"rate": RESIDENTS},
            "route": ["passport", {"stage": "customs", "p": 0.1}],
        },
        {"name": "visitors", "arrivals": {"rate": VISITORS}, "route": ["passport"]},
    ],
    "stages": [
        {
            "name": "passport",
            "lanes": [
                {"name": "counters", "count": 4, "service": {"dist": "exponential", "mean": "40s"}},
                {
                    "name": "egates",
                    "count": 2,
                    "service": {"dist": "lognormal", "mean": "15s", "cv": 0.4},
                    "serves": ["residents"],
                },
            ],
        },
        {
            "name": "customs",
            "lanes": [
                {"name": "officers", "count": 1, "service": {"dist": "exponential", "mean": "3min"}}
            ],
        },
    ],
}


def wide_hall() -> dict[str, Any]:
    """The same demand over nine lane groups: a taller frame."""
    data = yaml.safe_load(yaml.safe_dump(HALL))
    data["name"] = "Wide hall, six hours"
    data["stages"][0]["lanes"] += [
        {"name": f"desk{i}", "count": 1, "service": {"dist": "exponential", "mean": "60s"}}
        for i in range(6)
    ]
    return data


def animate(scenario: dict[str, Any], frames: int, suffix: str) -> tuple[float, float, int]:
    """Wall seconds, peak MB and the file's bytes of ``portsim animate`` drawing ``frames``
    in the format of ``suffix``."""
    folder = Path(tempfile.mkdtemp())
    file, gif = folder / "hall.yaml", folder / f"hall{suffix}"
    file.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    step = f"{HORIZON / (frames - 1)!r}s"
    command = [sys.executable, "-m", "portsim", "animate", str(file), "--step", step]
    command += ["--out", str(gif), "--max-frames", str(frames), "-q"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    return wall, usage.ru_maxrss / 1024, gif.stat().st_size


def main() -> None:
    say_quick()
    print("portsim animate, whole process; the estimate is what the command says first")
    peaks = {}
    suffixes = [".gif", ".html"] + ([".mp4"] if shutil.which("ffmpeg") else [])
    for suffix in suffixes:
        for label, scenario, wide in (
            ("small hall", HALL, False),
            ("wide hall", wide_hall(), True),
        ):
            base = 0.0 if QUICK else animate(scenario, 2, suffix)[0]
            for frames in WIDE_FRAMES if wide else SMALL_FRAMES:
                wall, peak, size = animate(scenario, frames, suffix)
                estimate = animation_size(
                    scenario_from_dict(scenario), HORIZON / (frames - 1), suffix=suffix
                )
                drawing = max(0.0, wall - base)
                peaks[suffix, label, frames] = peak
                print(
                    f"{suffix:5} {label} {frames:>5} frames: wall {wall:5.1f} s (drawing about "
                    f"{drawing:5.1f} s, {1000 * drawing / frames:4.1f} ms a frame; estimated "
                    f"{estimate.seconds:5.1f} s)  peak {peak:4.0f} MB  file "
                    f"{size / 1e3:7.0f} kB (estimated {estimate.bytes / 1e3:7.0f} kB)"
                )
        many, fewer = SMALL_FRAMES[-1], SMALL_FRAMES[-2]
        ratio = peaks[suffix, "small hall", many] / peaks[suffix, "small hall", fewer]
        verdict = "within" if ratio <= TARGET else "over"
        print(
            f"{suffix} peak {many:,} frames / {fewer:,} frames: {ratio:.2f} ({verdict} the "
            f"target {TARGET})"
        )


if __name__ == "__main__":
    main()
