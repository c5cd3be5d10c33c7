"""The hall over a day as an animated GIF: the queues counted from the records are the
travellers who joined and had not started, the lanes open the engine's log; ``portsim
animate`` writes the GIF with one frame per step, after checking its path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from portsim import scenario_from_dict, simulate
from portsim.cli import main
from portsim.errors import UsageError
from portsim.report.animate import hall_frames, write_animation

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
