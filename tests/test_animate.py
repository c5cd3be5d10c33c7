"""The hall over a day as an animated GIF: the queues counted from the records are the
travellers who joined and had not started, the lanes open the engine's log; ``portsim
animate`` writes the GIF with one frame per step, after checking its path, saying first how
many frames, how long to draw them and how large the GIF (refusing past a cap), with
memory flat whatever the frames."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from portsim import scenario_from_dict, simulate
from portsim.cli import main
from portsim.errors import UsageError
from portsim.report.animate import animation_size, hall_frames, write_animation
from portsim.report.gif import GifStream

from .reporting import HALL

#: one traveller a minute, on the minute, at one lane that takes two: the queue grows by one
#: every two minutes; a second lane opens at 00:30
STEADY = {
    "name": "steady",
    "horizon": "1h",
    "replications": 1,
    "flows": [{"name": "a", "arrivals": {"every": "1min"}, "route": ["desk"]}],
    "stages": [
        {
            "name": "desk",
            "lanes": [
                {
                    "name": "lanes",
                    "schedule": [
                        {"from": "0h", "to": "0.5h", "count": 1},
                        {"from": "0.5h", "to": "24h", "count": 2},
                    ],
                    "service": {"dist": "constant", "value": "2min"},
                }
            ],
        }
    ],
}


def test_the_frames_count_who_joined_and_has_not_started() -> None:
    result = simulate(scenario_from_dict(STEADY))
    frames = hall_frames(result, step=300)
    assert frames.groups == ("desk / lanes",)
    assert list(frames.times) == [300.0 * k for k in range(13)]
    minutes = frames.times[:6] / 60  # one lane before 00:30
    joined, started = np.floor(minutes) + 1, np.floor(minutes / 2) + 1
    assert list(frames.waiting[0, :6]) == list(joined - started)
    assert frames.waiting[0, 6] == 31 - (16 + 1)  # at 00:30 the second lane takes one more
    assert list(frames.lanes[0]) == [1] * 6 + [2] * 7


def test_an_animation_has_a_frame_per_step(tmp_path: Path) -> None:
    result = simulate(scenario_from_dict(HALL), replications=1)
    path = write_animation(result, tmp_path / "hall.gif", step=1800)
    with Image.open(path) as image:
        assert image.format == "GIF"
        assert image.n_frames == 4 * 2 + 1  # 4 hours, a frame every half hour and the last
    with pytest.raises(UsageError, match="needs the per-entity records"):
        hall_frames(simulate(scenario_from_dict(HALL), replications=1, records=False))
    with pytest.raises(UsageError, match="replication 3: the run has 1"):
        hall_frames(result, replication=3)


def test_portsim_animate_writes_a_gif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("hall.yaml").write_text(yaml.safe_dump(HALL), encoding="utf-8")
    done = CliRunner().invoke(main, ["animate", "hall.yaml", "--step", "1h", "--set", "seed=2"])
    assert done.exit_code == 0, done.output
    assert done.stdout == "wrote hall.gif: the first replication, a frame every 60.0 min\n"
    with Image.open("hall.gif") as image:
        assert image.n_frames == 5
    for args, problem in (
        (["--out", "nowhere/hall.gif"], "nowhere/hall.gif: the folder nowhere does not exist"),
        (["--out", "hall.yaml"], "hall.yaml: is a scenario file of this run"),
        (["--step", "fast"], "--step: "),
        (["--step", "-5min"], "--step: the step between frames must be positive, not -5min"),
        (["--step", "0s"], "--step: the step between frames must be positive, not 0s"),
    ):
        done = CliRunner().invoke(main, ["animate", "hall.yaml", *args])
        assert done.exit_code == 2
        assert done.stderr.startswith(problem)
        assert done.stderr.count("\n") == 1


# -- the size said before drawing, a cap, and frames streamed (issue 23, item 5)


def _hall_file() -> Path:
    Path("hall.yaml").write_text(yaml.safe_dump(HALL), encoding="utf-8")
    return Path("hall.yaml")


def test_the_frames_time_and_size_are_said_before_drawing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    size = animation_size(4 * 3600, 3600, groups=3)
    assert size.frames == 5
    done = CliRunner().invoke(main, ["animate", str(_hall_file()), "--step", "1h"])
    assert done.exit_code == 0, done.output
    assert done.stderr == f"portsim: {size.note()}\n"
    assert size.note().startswith(
        "5 frames (one every 60.0 min over 4.00 h, playing 0.5 s at 10 a second): about 1.0 s to "
        "draw, a GIF of about "
    )
    quiet = CliRunner().invoke(main, ["animate", "hall.yaml", "--step", "1h", "-q"])
    assert quiet.exit_code == 0
    assert quiet.stderr == ""


def test_too_many_frames_are_refused_before_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["animate", str(_hall_file()), "--step", "1s"])
    assert done.exit_code == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(
        "--step 1s: 14,401 frames (one every 1.0 s over 4.00 h, playing 24.0 min at 10 a "
        "second): about "
    )
    assert done.stderr.endswith(
        ": more than 1,500; take a longer step (at least 9.6 s), or allow them all "
        "(--max-frames 14401)\n"
    )
    assert not Path("hall.gif").exists()
    few = ["animate", "hall.yaml", "--step", "10min", "-q", "--max-frames"]
    assert CliRunner().invoke(main, [*few, "24"]).exit_code == 2  # 25 frames
    assert CliRunner().invoke(main, [*few, "25"]).exit_code == 0
    with Image.open("hall.gif") as image:
        assert image.n_frames == 25


def test_a_streamed_gif_shows_each_frame_as_given(tmp_path: Path) -> None:
    """A box moving over a white ground, a frame twice in a row (merged into one that shows
    twice as long): each frame reads back as it was given."""
    frames = []
    for x in (0, 10, 10, 20, 60):
        rgb = np.full((40, 80, 3), 255, dtype=np.uint8)
        rgb[10:30, x : x + 15] = (0, 150, 120)
        rgb[0:5, 0:5] = (120, 120, 130)
        frames.append(rgb)
    with GifStream(tmp_path / "box.gif", 10, frames[-1]) as gif:
        for rgb in frames:
            gif.add(rgb)
    assert (gif.frames, gif.written) == (5, 4)
    with Image.open(tmp_path / "box.gif") as image:
        assert image.n_frames == 4
        shown = []
        for index in range(image.n_frames):
            image.seek(index)
            shown.append((np.asarray(image.convert("RGB")).copy(), image.info["duration"]))
    given = [frames[0], frames[1], frames[3], frames[4]]
    assert [duration for _, duration in shown] == [100, 200, 100, 100]
    for (rgb, _), expected in zip(shown, given, strict=True):
        assert np.array_equal(rgb, expected)


_PEAK = """
import resource, sys
from portsim import scenario_from_dict, simulate
from portsim.report.animate import write_animation
from tests.reporting import HALL
result = simulate(scenario_from_dict(HALL), replications=1)
frames = int(sys.argv[1])
write_animation(result, sys.argv[2], step=4 * 3600 / (frames - 1), max_frames=None)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_memory_does_not_grow_with_the_frames(tmp_path: Path) -> None:
    """Peak memory of a process drawing 20 frames and one drawing 200: matplotlib's Pillow
    writer kept every frame (a megabyte each at 800 × 300 pixels in RGBA: 180 MB more for
    200 frames); the stream keeps one."""
    root = Path(__file__).resolve().parent.parent
    peaks = []
    for frames in (20, 200):
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, str(frames), str(tmp_path / f"{frames}.gif")],
            capture_output=True, text=True, cwd=root, check=True,
        )  # fmt: skip
        peaks.append(int(done.stdout) / 1024)  # kB on Linux
    assert peaks[1] - peaks[0] < 30, peaks
