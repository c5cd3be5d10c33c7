"""The hall over a day as an animated GIF: for each lane group, the travellers waiting in its
queue and the lanes open, frame by frame, from one replication's records (``portsim
animate``).

The queue of a lane group at time t counts the visits that joined it at or before t and had
not started service (:attr:`~portsim.Records.visit_join`, ``visit_start``); the lanes open
are the engine's own log (``lanes_open`` in the run JSON). A frame is drawn every ``step``
seconds of simulated time.

How long the drawing takes and how large the GIF is are said before it starts
(:func:`animation_size`), and more than :data:`MAX_FRAMES` frames are refused unless asked
for: a day at a frame a second is 86,401 frames, hours to draw and a GIF nobody watches. The
frames are drawn over a background drawn once (only the bars and the clock change) and
written as they come (:mod:`.gif`), so memory stays flat however many there are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..errors import UsageError
from ..run.simulate import SimulationResult
from ..units import MINUTE, format_duration
from .charts import GREY, PALETTE, new_figure
from .gif import GifStream
from .tables import clock

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DEFAULT_STEP",
    "MAX_FRAMES",
    "AnimationSize",
    "HallFrames",
    "animation_size",
    "frame_count",
    "hall_frames",
    "write_animation",
]

#: simulated time between two frames
DEFAULT_STEP = 10 * MINUTE
#: frames shown per second of the GIF
DEFAULT_FPS = 10
#: the most frames drawn unless more are asked for: a day at a frame a minute (1,441), two
#: and a half minutes of GIF at 10 frames a second
MAX_FRAMES = 1_500
#: the GIF is drawn at this share of the charts' resolution
SCALE = 0.8
#: measured (benchmarks/animation.py, the small hall at 800 × 300 pixels: 8-10 ms a frame,
#: 16 kB for the first frame and 0.5-1.2 kB for each other, the more the longer the step):
#: seconds to draw and write a frame of a million pixels, the GIF's bytes a frame takes per
#: million pixels (a frame writes only what changed: the bars and the clock), the first's
SECONDS_PER_MEGAPIXEL = 0.04
BYTES_PER_MEGAPIXEL = 4_000
FIRST_FRAME_BYTES_PER_MEGAPIXEL = 65_000


def frame_count(horizon: float, step: float) -> int:
    """Frames of a run of ``horizon`` seconds, one every ``step`` from 0 to the horizon."""
    if not step > 0:
        raise UsageError("the step between frames must be positive")
    return math.floor(horizon / step + 0.5) + 1


def _pixels(groups: int) -> float:
    """Pixels of a frame showing ``groups`` lane groups (the figure's size and dpi)."""
    from .charts import DPI, WIDTH  # noqa: PLC0415

    height = 1.2 + _panel_height(groups)
    return WIDTH * height * (DPI * SCALE) ** 2


def _panel_height(groups: int) -> float:
    return max(2.5, 0.45 * groups + 1.2)


@dataclass(frozen=True, slots=True)
class AnimationSize:
    """An animation before it is drawn: its frames, the seconds to draw them and the GIF's
    bytes (estimates), and how long it plays."""

    frames: int
    step: float
    horizon: float
    fps: int
    seconds: float
    bytes: float

    def note(self) -> str:
        """What to say before drawing."""
        plays = format_duration(self.frames / self.fps)
        return (
            f"{self.frames:,} frames (one every {format_duration(self.step)} over "
            f"{format_duration(self.horizon)}, playing {plays} at {self.fps} a second): about "
            f"{format_duration(max(1.0, self.seconds))} to draw, a GIF of about "
            f"{_megabytes(self.bytes)}"
        )

    def check(self, max_frames: int | None) -> None:
        """Refuse more than ``max_frames`` frames (None: no cap), saying what to do."""
        if max_frames is None or self.frames <= max_frames:
            return
        fewer = self.horizon / max(1, max_frames - 1)
        raise UsageError(
            f"{self.note()}: more than {max_frames:,}; take a longer step (at least "
            f"{format_duration(fewer)}), or allow them all (--max-frames {self.frames})"
        )


def _megabytes(size: float) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"  # noqa: PLR2004


def animation_size(
    horizon: float, step: float, groups: int, fps: int = DEFAULT_FPS
) -> AnimationSize:
    """The frames of an animation of ``groups`` lane groups over ``horizon`` seconds, a
    frame every ``step``, with the time to draw them and the GIF's size (estimates)."""
    frames = frame_count(horizon, step)
    megapixels = _pixels(groups) / 1e6
    size = megapixels * (FIRST_FRAME_BYTES_PER_MEGAPIXEL + BYTES_PER_MEGAPIXEL * (frames - 1))
    return AnimationSize(
        frames, step, horizon, fps, frames * megapixels * SECONDS_PER_MEGAPIXEL, size
    )


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
    records, model = result.records[replication], result.model
    times = step * np.arange(frame_count(model.horizon, step), dtype=float)
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
        panel_height=_panel_height(len(frames.groups)),
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
    max_frames: int | None = MAX_FRAMES,
) -> Path:
    """Write the hall over the day as an animated GIF: a frame every ``step`` seconds of
    simulated time, ``fps`` frames a second; more than ``max_frames`` frames are refused
    (:class:`UsageError`; None: no cap). The frames are written as they are drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415

    frames = hall_frames(result, replication, step)
    animation_size(result.model.horizon, step, len(frames.groups), fps).check(max_frames)
    figure, queue, open_ = _frame_axes(frames, result.scenario.name)
    figure.set_dpi(figure.dpi * SCALE)
    canvas: Any = FigureCanvasAgg(figure)  # Agg: it keeps a background to draw frames over
    rows = np.arange(len(frames.groups))
    colours = [PALETTE[i % len(PALETTE)] for i in rows]
    bars = queue.barh(rows, frames.waiting.max(axis=1), color=colours)
    lanes = open_.barh(rows, frames.lanes.max(axis=1), color=GREY, alpha=0.6)
    clock_text = queue.text(
        0.98, 0.04, _clock(frames.times[0], result), transform=queue.transAxes, ha="right",
        fontsize=16, fontweight="bold",
    )  # fmt: skip
    canvas.draw()  # lays the figure out, every bar at its longest: every colour to come
    palette = _rgb(canvas)
    figure.set_layout_engine("none")  # the layout stays as the first frame's
    changing = [*bars, *lanes, clock_text]
    for artist in changing:
        artist.set_animated(True)
    canvas.draw()  # the background: everything but what changes
    background = canvas.copy_from_bbox(figure.bbox)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with GifStream(path, fps, palette) as gif:
        for k, t in enumerate(frames.times):
            for bar, value in zip(bars, frames.waiting[:, k], strict=True):
                bar.set_width(value)
            for bar, value in zip(lanes, frames.lanes[:, k], strict=True):
                bar.set_width(value)
            clock_text.set_text(_clock(t, result))
            canvas.restore_region(background)
            for artist in changing:
                figure.draw_artist(artist)
            gif.add(_rgb(canvas))
    return path


def _rgb(canvas: Any) -> NDArray[np.uint8]:
    """The canvas as it is drawn, RGB (a copy: the canvas draws the next frame over it)."""
    return np.array(np.asarray(canvas.buffer_rgba())[:, :, :3])
