"""The hall over a day as an animation (``portsim animate``): each stage a box in route order
with its lane groups' queues (a dot a traveller, a bar with the number past
:data:`~.hall_layout.MAX_DOTS`) and lanes (busy, idle, closed, finishing), the flows as
arrows from the entrances, the clock and the day in the top band; from one replication's
records (:mod:`.hall_state` says what each frame shows, :mod:`.hall_layout` where things
go, :mod:`.hall_picture` draws them).

The file's suffix picks the format (:mod:`.movie`): ``.gif``, ``.mp4`` (matplotlib's
``FFMpegWriter``; ffmpeg must be installed) or ``.html`` (a self-contained page with a
player, frames streamed into it by :mod:`.html_movie`). How many frames, how long drawing
them takes and how large the file will be are said before anything is drawn
(:func:`animation_size`), and more than :data:`MAX_FRAMES` frames or
:data:`MAX_MEGABYTES` are refused unless asked for: a day at a frame a second is 86,401
frames, hours to draw and a file nobody watches. The frames are drawn over a background
drawn once and written as they come, so memory stays flat however many there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import UsageError
from ..model.compile import compile_scenario
from ..model.model import Model
from ..run.simulate import SimulationResult
from ..scenario.spec import Scenario
from ..units import MINUTE, format_duration
from .hall_layout import hall_layout
from .hall_picture import HallPicture, clock_words, picture_pixels
from .hall_state import frame_count, hall_frames
from .movie import check_format, open_sink

__all__ = [
    "DEFAULT_FPS",
    "DEFAULT_STEP",
    "MAX_FRAMES",
    "MAX_MEGABYTES",
    "AnimationSize",
    "FormatCost",
    "animation_size",
    "frame_count",
    "write_animation",
]

#: simulated time between two frames
DEFAULT_STEP = 10 * MINUTE
#: frames shown per second
DEFAULT_FPS = 10
#: the most frames drawn unless more are asked for: a day at a frame a minute (1,441), two
#: and a half minutes at 10 frames a second
MAX_FRAMES = 1_500
#: the largest file written unless a larger one is asked for (megabytes, estimated)
MAX_MEGABYTES = 100.0


@dataclass(frozen=True, slots=True)
class FormatCost:
    """What a frame of a million pixels costs in a format, as measured
    (``benchmarks/animation.py``): seconds to draw and write it, the file's bytes for the
    first frame and for each other."""

    seconds: float
    first: float
    each: float


#: measured on the small hall of the tests (0.2 megapixels), the Huanggang port (0.9) and
#: the twenty Shenzhen halls (1.8), a frame every 10 minutes over a day, on one core: an
#: MP4 draws each frame whole (FFMpegWriter's grab), the others only what changed; a GIF
#: writes only the pixels that changed, an MP4 is H.264, an HTML page a PNG per frame
COSTS = {
    ".gif": FormatCost(seconds=0.06, first=40_000, each=4_500),
    ".mp4": FormatCost(seconds=0.2, first=20_000, each=2_500),
    ".html": FormatCost(seconds=0.055, first=45_000, each=45_000),
}
#: seconds to lay out and draw the background, whatever the frames
SETUP_SECONDS = 0.5
#: what each format is called in a sentence
NAMES = {".gif": "a GIF", ".mp4": "an MP4", ".html": "an HTML page"}


@dataclass(frozen=True, slots=True)
class AnimationSize:
    """An animation before it is drawn: its frames, their pixels, the seconds to draw them
    and the file's bytes in ``suffix``'s format (estimates), and how long it plays."""

    frames: int
    step: float
    horizon: float
    fps: int
    pixels: tuple[int, int]
    suffix: str
    seconds: float
    bytes: float

    def note(self) -> str:
        """What to say before drawing."""
        plays = format_duration(self.frames / self.fps)
        return (
            f"{self.frames:,} frames of {self.pixels[0]} × {self.pixels[1]} pixels (one every "
            f"{format_duration(self.step)} over {format_duration(self.horizon)}, playing "
            f"{plays} at {self.fps} a second): about {format_duration(max(1.0, self.seconds))} "
            f"to draw, {NAMES[self.suffix]} of about {_megabytes(self.bytes)}"
        )

    def check(self, max_frames: int | None, max_megabytes: float | None = None) -> None:
        """Refuse more than ``max_frames`` frames or a file past ``max_megabytes`` (None:
        no cap), saying what to do."""
        if max_frames is not None and self.frames > max_frames:
            fewer = self.horizon / max(1, max_frames - 1)
            raise UsageError(
                f"{self.note()}: more than {max_frames:,} frames; take a longer step (at least "
                f"{format_duration(fewer)}), or allow them all (--max-frames {self.frames})"
            )
        if max_megabytes is not None and self.bytes > max_megabytes * 1e6:
            each = self.bytes / self.frames
            fewer = self.horizon / max(1.0, max_megabytes * 1e6 / each - 1)
            smaller = [NAMES[s][NAMES[s].index(" ") + 1 :] for s in (".mp4", ".gif")]
            raise UsageError(
                f"{self.note()}: more than {max_megabytes:g} MB; take a longer step (at least "
                f"{format_duration(fewer)}), write a smaller format ({' or '.join(smaller)}), "
                f"or allow it (--max-mb {_whole_megabytes(self.bytes)})"
            )


def _megabytes(size: float) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"  # noqa: PLR2004


def _whole_megabytes(size: float) -> int:
    return int(size // 1e6) + 1


def animation_size(
    scenario: Scenario | Model,
    step: float = DEFAULT_STEP,
    fps: int = DEFAULT_FPS,
    suffix: str = ".gif",
) -> AnimationSize:
    """The frames of an animation of ``scenario`` (or its compiled model), a frame every
    ``step`` seconds, with its pixels, the time to draw them and the size of the file in
    the format of ``suffix`` (estimates; nothing is run or drawn)."""
    model = scenario if isinstance(scenario, Model) else compile_scenario(scenario)
    frames = frame_count(model.horizon, step)
    pixels = picture_pixels(hall_layout(model))
    megapixels = pixels[0] * pixels[1] / 1e6
    cost = COSTS[suffix]
    size = megapixels * (cost.first + cost.each * (frames - 1))
    seconds = SETUP_SECONDS + frames * megapixels * cost.seconds
    return AnimationSize(frames, step, model.horizon, fps, pixels, suffix, seconds, size)


def write_animation(
    result: SimulationResult,
    path: str | Path,
    *,
    replication: int = 0,
    step: float = DEFAULT_STEP,
    fps: int = DEFAULT_FPS,
    max_frames: int | None = MAX_FRAMES,
    max_megabytes: float | None = MAX_MEGABYTES,
) -> Path:
    """Write the hall over the day as an animation in the format of ``path``'s suffix
    (``.gif``, ``.mp4`` or ``.html``): a frame every ``step`` seconds of simulated time,
    ``fps`` frames a second. More than ``max_frames`` frames or a file estimated past
    ``max_megabytes`` are refused (:class:`UsageError`; None: no cap), as are another
    suffix and an MP4 without ffmpeg. The frames are written as they are drawn."""
    path = Path(path)
    suffix = check_format(path)
    animation_size(result.model, step, fps, suffix).check(max_frames, max_megabytes)
    frames = hall_frames(result, replication, step)
    picture = HallPicture(result.model, hall_layout(result.model), frames.most_waiting())
    busiest = int(np.sum([g.waiting for g in frames.groups], axis=0).argmax())
    palette = picture.palette(frames.times[busiest], frames.state(busiest))
    path.parent.mkdir(parents=True, exist_ok=True)
    sink = open_sink(path, picture, fps, palette)
    try:
        for k, t in enumerate(frames.times):
            picture.show(t, frames.state(k))
            hour, day = clock_words(result.model, t)
            sink.add(picture, f"{hour} · {day}" if day else hour)
    finally:
        sink.close()
    return path
