"""Where an animation's frames go as they are drawn, one file format each, every one writing
a frame before the next is drawn (memory stays flat however many there are):

* ``.gif``: :class:`~.gif.GifStream`, Pillow's GIF encoder a frame at a time;
* ``.mp4``: matplotlib's :class:`~matplotlib.animation.FFMpegWriter`, each frame piped to
  ``ffmpeg`` as it is grabbed (H.264, ``yuv420p`` so that every player plays it); ffmpeg
  must be installed (:class:`FfmpegMissingError` otherwise);
* ``.html``: :class:`.html_movie.HtmlMovie`, a self-contained page with a player, each
  frame streamed into the file as a PNG (matplotlib's ``HTMLWriter`` keeps every frame in
  memory until the end, or writes them to a folder beside the page).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from ..errors import UsageError
from .gif import GifStream
from .hall_picture import HallPicture
from .html_movie import HtmlMovie

__all__ = ["FORMATS", "FfmpegMissingError", "FrameSink", "check_format", "open_sink"]

#: the formats, by suffix
FORMATS = (".gif", ".mp4", ".html")


class FfmpegMissingError(UsageError):
    """An MP4 was asked for where ffmpeg is not installed."""


class FrameSink(Protocol):
    """Frames go in as drawn (the picture as :meth:`HallPicture.show` left it), each with
    the clock it shows; ``close`` ends the file."""

    def add(self, picture: HallPicture, label: str) -> None: ...

    def close(self) -> None: ...


def check_format(path: str | Path) -> str:
    """The format of ``path`` by its suffix (``.gif``, ``.mp4`` or ``.html``), refusing any
    other, and an MP4 without ffmpeg (:class:`FfmpegMissingError`), before anything is drawn."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"{path}: write the animation as .gif, .mp4 or .html (the suffix says which)"
            + (f", not {suffix}" if suffix else "")
        )
    if suffix == ".mp4":
        from matplotlib.animation import FFMpegWriter  # noqa: PLC0415

        if not FFMpegWriter.isAvailable():
            raise FfmpegMissingError(
                f"{path}: an MP4 needs ffmpeg, which is not installed: install it "
                "(apt-get install ffmpeg, brew install ffmpeg), or write .gif or .html"
            )
    return suffix


class _Gif:
    def __init__(self, path: Path, fps: int, palette: NDArray[np.uint8]) -> None:
        self.stream = GifStream(path, fps, palette)

    def add(self, picture: HallPicture, label: str) -> None:
        self.stream.add(picture.rgb())

    def close(self) -> None:
        self.stream.close()


class _Mp4:
    """matplotlib's FFMpegWriter: each grab draws the figure and pipes it to ffmpeg."""

    def __init__(self, picture: HallPicture, path: Path, fps: int) -> None:
        from matplotlib.animation import FFMpegWriter  # noqa: PLC0415

        self.writer: Any = FFMpegWriter(
            fps=fps, codec="h264", extra_args=["-pix_fmt", "yuv420p"],
            metadata={"title": picture.model.name},
        )  # fmt: skip
        self.writer.setup(picture.figure, str(path), dpi=picture.figure.dpi)

    def add(self, picture: HallPicture, label: str) -> None:
        self.writer.grab_frame()  # draws the whole figure, as shown

    def close(self) -> None:
        self.writer.finish()


class _Html:
    def __init__(self, picture: HallPicture, path: Path, fps: int, palette: Any) -> None:
        self.movie = HtmlMovie(path, fps, palette, picture.model.name, picture.pixels)

    def add(self, picture: HallPicture, label: str) -> None:
        self.movie.add(picture.rgb(), label)

    def close(self) -> None:
        self.movie.close()


def open_sink(path: Path, picture: HallPicture, fps: int, palette: NDArray[np.uint8]) -> FrameSink:
    """A sink for ``path``'s format (see :func:`check_format`); ``palette`` shows every
    colour the frames will have (the GIF's and the HTML's PNGs' 256)."""
    suffix = check_format(path)
    if suffix == ".gif":
        return _Gif(path, fps, palette)
    if suffix == ".mp4":
        return _Mp4(picture, path, fps)
    return _Html(picture, path, fps, palette)
