"""The hall over a day as an animated GIF: for each lane group, the travellers waiting in its
queue and the lanes open, frame by frame, from one replication's records (``portsim
animate``; matplotlib's animation writer with Pillow).

The queue of a lane group at time t counts the visits that joined it at or before t and had
not started service (:attr:`~portsim.Records.visit_join`, ``visit_start``); the lanes open
are the engine's own log (``lanes_open`` in the run JSON). A frame is drawn every ``step``
seconds of simulated time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..errors import UsageError
from ..run.simulate import SimulationResult
from ..units import MINUTE
from .charts import GREY, PALETTE, new_figure
from .tables import clock

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["DEFAULT_STEP", "HallFrames", "hall_frames", "write_animation"]

#: simulated time between two frames
DEFAULT_STEP = 10 * MINUTE
#: frames shown per second of the GIF
DEFAULT_FPS = 10


@dataclass(frozen=True, slots=True)
class HallFrames:
    """What each frame shows: the times, the lane groups (``stage / group``), and for each
    group (row) and time (column) the travellers waiting and the lanes open."""

    times: NDArray[np.float64]
    groups: tuple[str, ...]
    waiting: NDArray[np.int64]
    lanes: NDArray[np.int64]


def _open_at(log: list[list[float]], times: NDArray[np.float64]) -> NDArray[np.int64]:
    at = np.array([t for t, _ in log], dtype=float)
    counts = np.array([n for _, n in log], dtype=np.int64)
    index = np.searchsorted(at, times, side="right") - 1
    return np.where(index >= 0, counts[np.clip(index, 0, None)], 0)


def hall_frames(
    result: SimulationResult, replication: int = 0, step: float = DEFAULT_STEP
) -> HallFrames:
    """The frames of one replication (it must have been run with records)."""
    if not result.records:
        raise UsageError("an animation needs the per-entity records: run without --no-records")
    if not 0 <= replication < len(result.records):
        raise UsageError(f"replication {replication}: the run has {len(result.records)}")
    if step <= 0:
        raise UsageError("the step between frames must be positive")
    records, model = result.records[replication], result.model
    times = np.arange(0.0, model.horizon + step / 2, step)
    waiting, lanes, names = [], [], []
    for group in model.groups:
        stage = model.stages[group.stage].name
        mine = records.visit_group == group.index
        joined = np.sort(records.visit_join[mine])
        started = np.sort(np.nan_to_num(records.visit_start[mine], nan=np.inf))
        waiting.append(
            np.searchsorted(joined, times, side="right")
            - np.searchsorted(started, times, side="right")
        )
        log = result.summary["stages"][stage]["groups"][group.name].get("lanes_open", [])
        lanes.append(_open_at(log[replication], times) if log else np.zeros(len(times), int))
        names.append(f"{stage} / {group.name}")
    return HallFrames(times, tuple(names), np.array(waiting), np.array(lanes))


def _frame_axes(frames: HallFrames, title: str) -> tuple[Figure, Axes, Axes]:
    figure, (queue, open_) = new_figure(
        "The hall over the day", title, panels=2, columns=2,
        panel_height=max(2.5, 0.45 * len(frames.groups) + 1.2),
    )  # fmt: skip
    rows = np.arange(len(frames.groups))
    for ax, most, label in (
        (queue, frames.waiting.max(), "waiting (travellers or vehicles)"),
        (open_, frames.lanes.max(), "lanes open"),
    ):
        ax.set_yticks(rows, frames.groups)
        ax.invert_yaxis()
        ax.set_xlim(0, max(1, int(most) * 1.1))
        ax.set_xlabel(label)
        ax.grid(True, axis="x", color="#e5e7eb")
        ax.grid(False, axis="y")
    queue.set_title("queue per lane group", loc="left", fontsize=11)
    open_.set_title("lanes open", loc="left", fontsize=11)
    open_.set_yticklabels([])
    return figure, queue, open_


def _clock(t: float, result: SimulationResult) -> str:
    return clock(t) + (" (warm-up)" if t < result.model.warmup else "")


def write_animation(
    result: SimulationResult,
    path: str | Path,
    *,
    replication: int = 0,
    step: float = DEFAULT_STEP,
    fps: int = DEFAULT_FPS,
) -> Path:
    """Write the hall over the day as an animated GIF: a frame every ``step`` seconds of
    simulated time, ``fps`` frames a second."""
    from matplotlib.animation import PillowWriter  # noqa: PLC0415 - only when animating

    frames = hall_frames(result, replication, step)
    figure, queue, open_ = _frame_axes(frames, result.scenario.name)
    rows = np.arange(len(frames.groups))
    colours = [PALETTE[i % len(PALETTE)] for i in rows]
    bars = queue.barh(rows, frames.waiting[:, 0], color=colours)
    lanes = open_.barh(rows, frames.lanes[:, 0], color=GREY, alpha=0.6)
    clock_text = queue.text(
        0.98, 0.04, _clock(frames.times[0], result), transform=queue.transAxes, ha="right",
        fontsize=16, fontweight="bold",
    )  # fmt: skip
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = PillowWriter(fps=fps)
    with writer.saving(figure, str(path), dpi=figure.dpi * 0.8):
        writer.grab_frame()  # the first frame lays the figure out; the others keep it
        figure.set_layout_engine("none")
        for k, t in enumerate(frames.times[1:], start=1):
            for bar, value in zip(bars, frames.waiting[:, k], strict=True):
                bar.set_width(value)
            for bar, value in zip(lanes, frames.lanes[:, k], strict=True):
                bar.set_width(value)
            clock_text.set_text(_clock(t, result))
            writer.grab_frame()
    return path
