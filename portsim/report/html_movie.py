"""An animation as one self-contained HTML page a planner can open anywhere: each frame a
PNG (the GIF's palette of 255 colours: the same picture) inline in an ``<img>``, written to
the file as it comes, so that memory stays flat however many frames there are; a small
player after them (play and pause, a slider to any time, the speed), and the first frame
shown without any script.

matplotlib's own ``HTMLWriter`` keeps every frame in memory, base64-encoded, until it
writes the page (or writes them to a folder beside it: not one file); this writer streams.
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from .gif import PALETTE_SIZE

__all__ = ["HtmlMovie"]

_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1rem; color: #111827; }}
h1 {{ font-size: 1.2rem; margin: 0 0 .5rem; }}
#frames img {{ max-width: 100%; height: auto; display: block; }}
#frames img[hidden] {{ display: none; }}
.controls {{ display: flex; gap: .75rem; align-items: center; margin: .5rem 0; }}
.controls input[type=range] {{ flex: 1; }}
</style>
</head>
<body>
<h1>{title}</h1>
<div class="controls">
<button id="play" type="button">Play</button>
<input id="at" type="range" min="0" max="0" value="0" aria-label="frame">
<span id="clock"></span>
<label>speed <select id="speed">
<option value="0.5">½×</option><option value="1" selected>1×</option>
<option value="2">2×</option><option value="4">4×</option>
</select></label>
</div>
<div id="frames" data-fps="{fps}">
"""

_TAIL = """</div>
<script>
(function () {
  var frames = document.querySelectorAll("#frames img");
  var at = document.getElementById("at"), clock = document.getElementById("clock");
  var play = document.getElementById("play"), speed = document.getElementById("speed");
  var fps = Number(document.getElementById("frames").dataset.fps), shown = 0, timer = null;
  at.max = String(frames.length - 1);
  function show(k) {
    frames[shown].hidden = true;
    shown = k;
    frames[k].hidden = false;
    at.value = String(k);
    clock.textContent = frames[k].alt;
  }
  function stop() { clearInterval(timer); timer = null; play.textContent = "Play"; }
  function start() {
    if (shown === frames.length - 1) { show(0); }
    timer = setInterval(function () {
      if (shown === frames.length - 1) { stop(); } else { show(shown + 1); }
    }, 1000 / (fps * Number(speed.value)));
    play.textContent = "Pause";
  }
  play.addEventListener("click", function () { if (timer) { stop(); } else { start(); } });
  speed.addEventListener("change", function () { if (timer) { stop(); start(); } });
  at.addEventListener("input", function () { stop(); show(Number(at.value)); });
  show(0);
}());
</script>
</body>
</html>
"""


class HtmlMovie:
    """Frames (RGB arrays of one size, ``pixels`` wide and high) written to the page at
    ``path`` as they come, shown ``fps`` a second; ``palette`` (an RGB array) shows every
    colour the frames will have, as for :class:`~.gif.GifStream`."""

    def __init__(
        self,
        path: str | Path,
        fps: int,
        palette: NDArray[np.uint8],
        title: str,
        pixels: tuple[int, int],
    ) -> None:
        from PIL import Image  # noqa: PLC0415 - only when animating

        self._palette = Image.fromarray(palette).quantize(colors=PALETTE_SIZE)
        self._size = pixels
        self._file: IO[str] = Path(path).open("w", encoding="utf-8")  # noqa: SIM115 - close()
        self._file.write(_HEAD.format(title=escape(f"The hall: {title}"), fps=fps))
        self.frames = 0

    def add(self, rgb: NDArray[np.uint8], label: str) -> None:
        """One more frame, showing the clock ``label``."""
        from PIL import Image  # noqa: PLC0415

        no_dither: Any = getattr(Image, "Dither", Image).NONE
        frame = Image.fromarray(rgb).quantize(palette=self._palette, dither=no_dither)
        png = io.BytesIO()
        frame.save(png, format="PNG", compress_level=6)
        data = base64.b64encode(png.getvalue()).decode("ascii")
        hidden = " hidden" if self.frames else ""
        width, height = self._size
        self._file.write(
            f'<img src="data:image/png;base64,{data}" alt="{escape(label)}" width="{width}" '
            f'height="{height}"{hidden}>\n'
        )
        self.frames += 1

    def close(self) -> None:
        """Write the player and end the page."""
        if self._file.closed:
            return
        try:
            self._file.write(_TAIL)
        finally:
            self._file.close()
