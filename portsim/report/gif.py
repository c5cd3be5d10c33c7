"""An animated GIF written as its frames come, so that memory stays flat however many there
are: each frame is mapped to one palette, compared with the frame before, and only the
rectangle that changed is written, its unchanged pixels transparent (the frame before
shows through them, and runs of them compress to almost nothing: a clock in one corner and
a queue in the other cost little more than the two); a frame like the one before
lengthens it. One frame waits at a time, for its duration.

matplotlib's Pillow writer, and Pillow's ``save(append_images=…)``, hold every frame until
the end (a frame of 800 × 300 pixels is a megabyte in RGBA: a thousand frames, a gigabyte);
this writer uses Pillow's GIF encoder a frame at a time (``GifImagePlugin.getheader`` and
``getdata``, the helpers its plugin reference documents, as legacy, for writing a GIF piece
by piece).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from PIL.Image import Image as Frame

__all__ = ["PALETTE_SIZE", "GifStream"]

#: the GIF's trailer: the end of the file
_TRAILER = b";"
#: GIF durations are in hundredths of a second
_TICK_MS = 10
#: the palette's last index, kept for the pixels a frame leaves as they were
_CLEAR = 255
#: the colours a frame is mapped to (an HTML page's frames take as many: the same picture)
PALETTE_SIZE = _CLEAR


class GifStream:
    """Frames (RGB arrays of one size) written to ``path`` as they come, ``fps`` a second,
    looping; ``palette`` (an RGB array) shows every colour the frames will have (the first
    frame may lack some: a bar of zero length), and gives the GIF its 256 colours."""

    def __init__(self, path: str | Path, fps: int, palette: NDArray[np.uint8]) -> None:
        from PIL import Image  # noqa: PLC0415 - only when animating

        self._palette = Image.fromarray(palette).quantize(colors=PALETTE_SIZE)
        self._ms = max(_TICK_MS, round(1000 / fps / _TICK_MS) * _TICK_MS)
        self._file: IO[bytes] = Path(path).open("wb")  # noqa: SIM115 - closed by close()
        self._previous: NDArray[np.uint8] | None = None
        #: the frame waiting for its duration: its changed rectangle, where, how long
        #: and whether its unchanged pixels are transparent
        self._pending: tuple[Frame, tuple[int, int], int, bool] | None = None
        self.frames = 0  # frames given
        self.written = 0  # frames in the file (alike ones merged)

    def add(self, rgb: NDArray[np.uint8]) -> None:
        """One more frame."""
        from PIL import GifImagePlugin, Image  # noqa: PLC0415

        no_dither: Any = getattr(Image, "Dither", Image).NONE  # Pillow 8 has Image.NONE
        frame = Image.fromarray(rgb).quantize(palette=self._palette, dither=no_dither)
        indices = np.asarray(frame)
        self.frames += 1
        if self._previous is None:
            header, _ = GifImagePlugin.getheader(frame, info={"loop": 0, "duration": self._ms})
            self._file.write(b"".join(header))
            self._pending = (frame, (0, 0), self._ms, False)
        else:
            changed = indices != self._previous
            if not changed.any():
                assert self._pending is not None
                image, offset, ms, clear = self._pending
                self._pending = (image, offset, ms + self._ms, clear)
                return
            rows, columns = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(0))
            box = (int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1)
            self._flush()
            left, top, right, bottom = box
            window = indices[top:bottom, left:right].copy()
            window[~changed[top:bottom, left:right]] = _CLEAR
            image = Image.fromarray(window, mode="P")
            image.putpalette(frame.getpalette() or [])
            self._pending = (image, (left, top), self._ms, True)
        self._previous = indices

    def _flush(self) -> None:
        from PIL import GifImagePlugin  # noqa: PLC0415

        if self._pending is None:
            return
        image, offset, ms, clear = self._pending
        extra = {"transparency": _CLEAR, "disposal": 1} if clear else {}
        self._file.write(b"".join(GifImagePlugin.getdata(image, offset, duration=ms, **extra)))
        self._pending = None
        self.written += 1

    def close(self) -> None:
        """Write the last frame and the trailer."""
        if self._file.closed:
            return
        try:
            self._flush()
            self._file.write(_TRAILER)
        finally:
            self._file.close()

    def __enter__(self) -> GifStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
