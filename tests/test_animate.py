"""The hall over a day, animated: what a frame shows (each group's queue counted from the
records, its lanes busy, idle, closed or finishing) equals hand arithmetic on deterministic
runs, and the picture draws exactly that; ``portsim animate`` writes a GIF, an MP4 or an
HTML page by the suffix, one frame per step, after checking its path and format, saying
first how many frames, how long to draw them and how large the file (refusing past a cap in
frames or megabytes), with memory flat whatever the frames. The layout, the picture's
geometry, is tested in tests/test_hall_layout.py."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import sys
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from matplotlib.animation import FFMpegWriter
from matplotlib.colors import to_rgba
from PIL import Image

from portsim import load_scenario, scenario_from_dict, simulate
from portsim.cli import main
from portsim.errors import UsageError
from portsim.model.compile import compile_scenario
from portsim.model.model import Model
from portsim.report.animate import animation_size, write_animation
from portsim.report.gif import GifStream
from portsim.report.hall_layout import hall_layout
from portsim.report.hall_picture import COLOURS, HallPicture, clock_words
from portsim.report.hall_state import BUSY, CLOSED, FINISHING, IDLE, GroupState, hall_frames
from portsim.report.movie import FORMATS

from .browser import chromium_path, open_page
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
    assert [(g.stage, g.name, g.lanes) for g in frames.groups] == [("desk", "lanes", 2)]
    assert list(frames.times) == [300.0 * k for k in range(13)]
    group = frames.groups[0]
    minutes = frames.times[:6] / 60  # one lane before 00:30
    joined, started = np.floor(minutes) + 1, np.floor(minutes / 2) + 1
    assert list(group.waiting[:6]) == list(joined - started)
    assert group.waiting[6] == 31 - (16 + 1)  # at 00:30 the second lane takes one more
    assert list(group.open) == [1] * 6 + [2] * 7
    # lane 0 serves without a break (a service every two minutes, the queue never empty);
    # lane 1 is closed until 00:30, then serves without a break too
    assert [frames.state(k)[0].lanes for k in (1, 5, 6, 9)] == [
        (BUSY, CLOSED),
        (BUSY, CLOSED),
        (BUSY, BUSY),
        (BUSY, BUSY),
    ]
    # from 00:30, two lanes of two minutes serve one a minute: the queue holds at 14-15
    # (00:35: 36 joined; lane 0 started 15 before 00:30 and 3 since, lane 1 3)
    assert frames.state(7)[0].waiting == 36 - (15 + 3 + 3)


#: one traveller every five minutes from 00:00, served in seven minutes, two lanes until
#: 00:20 and one after: lane 0 serves 00:00-00:07, lane 1 00:05-00:12, lane 0 00:10-00:17,
#: lane 1 00:15-00:22 (closed at 00:20, it finishes its traveller), lane 0 00:20-00:27,
#: then the one lane takes them in turn: starts at 00:27, 00:34, 00:41, 00:48, 00:55
SHIFT = {
    "name": "shift",
    "horizon": "1h",
    "replications": 1,
    "flows": [{"name": "a", "arrivals": {"every": "5min"}, "route": ["desk"]}],
    "stages": [
        {
            "name": "desk",
            "lanes": [
                {
                    "name": "lanes",
                    "schedule": [
                        {"from": "0h", "to": "20min", "count": 2},
                        {"from": "20min", "to": "24h", "count": 1},
                    ],
                    "service": {"dist": "constant", "value": "7min"},
                }
            ],
        }
    ],
}


@pytest.mark.parametrize(
    ("minute", "waiting", "lanes"),
    [
        (3, 0, (BUSY, IDLE)),  # lane 0 since 00:00, lane 1 waits for 00:05
        (6, 0, (BUSY, BUSY)),
        (8, 0, (IDLE, BUSY)),  # lane 0 done at 00:07
        (13, 0, (BUSY, IDLE)),  # lane 1 done at 00:12, lane 0 since 00:10
        (21, 0, (BUSY, FINISHING)),  # lane 1 closed at 00:20, serving to 00:22
        (23, 0, (BUSY, CLOSED)),
        (26, 1, (BUSY, CLOSED)),  # 00:25 waits for 00:27
        (33, 1, (BUSY, CLOSED)),  # 00:30 waits for 00:34
        (50, 2, (BUSY, CLOSED)),  # 11 joined (00:00-00:50), 9 started (to 00:48)
        (56, 2, (BUSY, CLOSED)),  # 12 joined (to 00:55), 10 started (the tenth at 00:55)
    ],
)
def test_a_frame_shows_each_lane_as_the_records_say(
    minute: int, waiting: int, lanes: tuple[str, ...]
) -> None:
    frames = hall_frames(simulate(scenario_from_dict(SHIFT)), step=60)
    state = frames.state(minute)[0]
    assert frames.times[minute] == minute * 60
    assert (state.stage, state.group, state.waiting, state.lanes) == (
        "desk",
        "lanes",
        waiting,
        lanes,
    )
    assert state.open == 2 - (minute >= 20)


def test_the_picture_draws_the_state(tmp_path: Path) -> None:
    """The squares' colours are the lanes' states, the queue shows a dot a traveller and
    the number, the clock the frame's time; past 20 waiting the dots give way to a bar."""
    result = simulate(scenario_from_dict(SHIFT))
    frames = hall_frames(result, step=60)
    picture = HallPicture(result.model, hall_layout(result.model), frames.most_waiting())
    (group,) = picture.groups
    for minute in (21, 50):
        (state,) = frames.state(minute)
        picture.show(frames.times[minute], (state,))
        faces = [tuple(c) for c in group.squares.get_facecolors()]
        assert faces == [to_rgba(COLOURS[lane][0]) for lane in state.lanes]
        assert sum(group.dots.get_facecolors()[:, 3] > 0) == state.waiting
        assert group.count.get_text() == (str(state.waiting) if state.waiting else "")
        assert picture.clock.get_text() == f"00:{minute}"
        assert group.words.get_text() == f"{state.open} of 2 open, {state.count(BUSY)} serving"
    long = frames.state(50)[0].__class__("desk", "lanes", 35, (BUSY, CLOSED))
    picture.show(3000.0, (long,))
    assert sum(group.dots.get_facecolors()[:, 3] > 0) == 0
    assert group.queue_bar.get_width() > 0
    assert group.count.get_text() == "35"


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
    size = animation_size(scenario_from_dict(HALL), 3600)
    assert (size.frames, size.pixels) == (5, (880, 256))
    done = CliRunner().invoke(main, ["animate", str(_hall_file()), "--step", "1h"])
    assert done.exit_code == 0, done.output
    assert done.stderr == f"portsim: {size.note()}\n"
    assert size.note().startswith(
        "5 frames of 880 × 256 pixels (one every 60.0 min over 4.00 h, playing 0.5 s at 10 a "
        "second): about 1.0 s to draw, a GIF of about "
    )
    # each format its own estimate: an MP4 the smallest, an HTML page of PNGs the largest
    sizes = {s: animation_size(scenario_from_dict(HALL), 600, suffix=s) for s in FORMATS}
    assert sizes[".mp4"].bytes < sizes[".gif"].bytes < sizes[".html"].bytes
    assert (
        sizes[".html"].note().endswith(f"an HTML page of about {sizes['.html'].bytes / 1e3:.0f} kB")
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
        "--step 1s: 14,401 frames of 880 × 256 pixels (one every 1.0 s over 4.00 h, playing "
        "24.0 min at 10 a second): about "
    )
    assert done.stderr.endswith(
        ": more than 1,500 frames; take a longer step (at least 9.6 s), or allow them all "
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
from portsim import load_scenario, scenario_from_dict, simulate
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


def test_a_file_too_large_is_refused_before_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cap in megabytes, on the estimate of the format asked for: the same frames pass as
    a GIF and are refused as an HTML page of PNGs, saying the step that fits, the smaller
    formats and the option that allows it."""
    monkeypatch.chdir(tmp_path)
    _hall_file()
    html = animation_size(scenario_from_dict(HALL), 60, suffix=".html")
    gif = animation_size(scenario_from_dict(HALL), 60, suffix=".gif")
    cap = (gif.bytes + html.bytes) / 2 / 1e6
    args = ["animate", "hall.yaml", "--step", "1min", "--max-mb", f"{cap:.3f}", "-q"]
    done = CliRunner().invoke(main, [*args, "--out", "hall.html"])
    assert done.exit_code == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"--step 1min: {html.note()}: more than {float(f'{cap:.3f}'):g} MB; take a longer step "
        f"(at least {done.stderr.split('at least ')[1].split(')')[0]}), write a smaller "
        f"format (MP4 or GIF), or allow it (--max-mb {int(html.bytes // 1e6) + 1})\n"
    )
    fits = float(done.stderr.split("at least ")[1].split(" s)")[0])
    assert animation_size(scenario_from_dict(HALL), fits, suffix=".html").bytes < cap * 1.01e6
    assert not Path("hall.html").exists()
    assert CliRunner().invoke(main, [*args, "--out", "hall.gif"]).exit_code == 0
    with pytest.raises(UsageError, match=r"more than 0\.01 MB"):
        write_animation(
            simulate(scenario_from_dict(STEADY)), tmp_path / "x.html", max_megabytes=0.01
        )


def test_the_suffix_picks_the_format_and_any_other_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _hall_file()
    for out, problem in (
        ("hall.avi", "hall.avi: write the animation as .gif, .mp4 or .html (the suffix says "
         "which), not .avi"),
        ("hall", "hall: write the animation as .gif, .mp4 or .html (the suffix says which)"),
    ):  # fmt: skip
        done = CliRunner().invoke(main, ["animate", "hall.yaml", "--out", out])
        assert (done.exit_code, done.stdout, done.stderr) == (2, "", problem + "\n")
    with pytest.raises(UsageError, match=r"not \.png"):
        write_animation(simulate(scenario_from_dict(STEADY)), tmp_path / "x.png")


def test_an_mp4_without_ffmpeg_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(FFMpegWriter, "isAvailable", classmethod(lambda cls: False))
    _hall_file()
    done = CliRunner().invoke(main, ["animate", "hall.yaml", "--out", "hall.mp4"])
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        "hall.mp4: an MP4 needs ffmpeg, which is not installed: install it (apt-get install "
        "ffmpeg, brew install ffmpeg), or write .gif or .html\n"
    )
    assert list(tmp_path.iterdir()) == [tmp_path / "hall.yaml"]


# -- the formats


class _Page(HTMLParser):
    """The frames of an animation's page: each <img>'s attributes; and its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.scripts = 0
        self.controls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag == "script":
            self.scripts += 1
        elif tag in {"button", "input", "select"}:
            self.controls.append(tag)


def test_an_html_page_holds_every_frame_and_a_player(tmp_path: Path) -> None:
    result = simulate(scenario_from_dict(STEADY))
    path = write_animation(result, tmp_path / "steady.html", step=600)
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    assert [image["alt"] for image in page.images] == [f"00:{m:02d}" for m in range(0, 60, 10)] + [
        "01:00"
    ]
    assert ["hidden" in image for image in page.images] == [False] + [True] * 6
    assert page.scripts == 1
    assert page.controls == ["button", "input", "select"]
    size = animation_size(result.model, 600, suffix=".html").pixels
    gif = write_animation(result, tmp_path / "steady.gif", step=600)
    with Image.open(gif) as image:
        image.seek(3)
        shown = np.asarray(image.convert("RGB"))
    for index, image in enumerate(page.images):
        source = str(image["src"])
        assert source.startswith("data:image/png;base64,")
        png = Image.open(io.BytesIO(base64.b64decode(source.split(",", 1)[1])))
        assert png.size == size == (int(str(image["width"])), int(str(image["height"])))
        if index == 3:  # the same picture as the GIF's
            assert np.array_equal(np.asarray(png.convert("RGB")), shown)


NEEDS_FFMPEG = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg is not installed (apt-get install ffmpeg; .ci/run installs it)",
)


@NEEDS_FFMPEG
def test_an_mp4_has_a_frame_per_step_and_shows_the_hall(tmp_path: Path) -> None:
    result = simulate(scenario_from_dict(STEADY))
    path = write_animation(result, tmp_path / "steady.mp4", step=600)
    assert path.read_bytes()[4:8] == b"ftyp"
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=codec_name,width,height,nb_read_frames", "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    (stream,) = json.loads(probe.stdout)["streams"]
    width, height = animation_size(result.model, 600, suffix=".mp4").pixels
    assert stream == {
        "codec_name": "h264", "width": width, "height": height, "nb_read_frames": "7"
    }  # fmt: skip
    # the fourth frame, decoded, is the GIF's fourth (H.264 blurs colours a little)
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-vf", r"select=eq(n\,3)", "-vframes", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    decoded = np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3).astype(int)
    with Image.open(write_animation(result, tmp_path / "steady.gif", step=600)) as image:
        image.seek(3)
        shown = np.asarray(image.convert("RGB")).astype(int)
    assert np.mean(np.abs(decoded - shown)) < 3


def _peak(path: Path, frames: int) -> float:
    """Python's peak memory (MB, tracemalloc) writing ``frames`` frames of the steady hour."""
    result = simulate(scenario_from_dict(STEADY))
    tracemalloc.start()
    try:
        write_animation(result, path, step=3600 / (frames - 1), max_frames=None)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "suffix", [".gif", ".html", pytest.param(".mp4", marks=[NEEDS_FFMPEG, pytest.mark.slow])]
)
def test_memory_is_flat_in_every_format(tmp_path: Path, suffix: str) -> None:
    """10 frames and 60 frames peak alike in Python's memory: a frame is 0.6 MB in RGB (50
    more kept: 30 MB more), and none is kept (the MP4's frames go down ffmpeg's pipe; its
    own memory is ffmpeg's)."""
    few, many = _peak(tmp_path / f"few{suffix}", 10), _peak(tmp_path / f"many{suffix}", 60)
    assert many - few < 2, (few, many)


@pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed")
def test_the_html_page_plays_in_a_browser(tmp_path: Path) -> None:
    """Headless Chromium: the first frame shows at 00:00, the slider moves to any frame,
    the play button plays to the end, no console error; the screenshot is kept beside
    the page (tests/test_animate.py's folder in tmp) for a person to look at."""
    result = simulate(scenario_from_dict(HALL), replications=1)
    path = write_animation(result, tmp_path / "hall.html", step=1800, fps=50)
    page = open_page(path)
    try:
        shown = "[...document.querySelectorAll('#frames img')].filter(i => !i.hidden)"
        assert page.evaluate(f"{shown}.map(i => i.alt).join()") == "00:00 · warm-up"
        assert page.evaluate(f"{shown}[0].naturalWidth") > 0
        page.evaluate(
            "(() => { const at = document.getElementById('at'); at.value = '5'; "
            "at.dispatchEvent(new Event('input')); })()"
        )
        assert page.evaluate(f"{shown}.map(i => i.alt).join()") == "02:30"
        assert page.evaluate("document.getElementById('clock').textContent") == "02:30"
        page.screenshot(tmp_path / "hall.png")
        page.evaluate("document.getElementById('play').click()")
        time.sleep(1.0)  # 9 frames at 50 a second: done in 0.2 s
        assert page.evaluate(f"{shown}.map(i => i.alt).join()") == "04:00"
        assert page.console_errors() == []
    finally:
        page.close()
    with Image.open(tmp_path / "hall.png") as shot:
        assert shot.size[0] == 1200


def test_the_clock_says_the_day_and_with_a_calendar_its_date() -> None:
    root = Path(__file__).resolve().parent.parent / "scenarios"
    festival = compile_scenario(load_scenario(root / "spring_festival_2008.yaml"))
    assert clock_words(festival, 2 * 86400 + 10.5 * 3600) == (
        "10:30", "Fri 2008-02-08 · day 3 · holiday"
    )  # fmt: skip
    day = compile_scenario(load_scenario(root / "huanggang_land_port_2019.yaml"))  # 25 h
    assert clock_words(day, 9 * 3600) == ("09:00", "day 1")
    assert clock_words(day, 24.5 * 3600) == ("00:30", "day 2")
    hall = compile_scenario(scenario_from_dict(HALL))  # 4 h, 30 min of warm-up
    assert [clock_words(hall, t) for t in (0, 1800, 3600)] == [
        ("00:00", "warm-up"), ("00:30", ""), ("01:00", "")
    ]  # fmt: skip


def _waiting(model: Model, *waiting: int) -> tuple[GroupState, ...]:
    """Each lane group of ``model`` with ``waiting`` in its queue, every lane serving."""
    return tuple(
        GroupState(model.stages[g.stage].name, g.name, n, (BUSY,) * g.lanes)
        for g, n in zip(model.groups, waiting, strict=True)
    )


def test_every_queue_bar_has_one_scale_and_its_count_stays_in_its_box() -> None:
    """A bar's length means the same in every group and every frame: the longest queue of
    any group over the animation is the longest bar, 662 waiting is 662/1,491 of it; the
    count after a bar (12,345 too) stays inside its stage's box, clear of the bar."""
    model = compile_scenario(scenario_from_dict(HALL))
    layout = hall_layout(model)
    others = [40] * (len(model.groups) - 2)
    picture = HallPicture(model, layout, np.array([1491, 662, *others]))

    def bars(*waiting: int) -> list[float]:
        picture.show(0.0, _waiting(model, *waiting))
        return [g.queue_bar.get_width() for g in picture.groups]

    first = bars(1491, 662, *others)
    assert first[1] / first[0] == pytest.approx(662 / 1491)
    assert first[2] / first[0] == pytest.approx(40 / 1491)
    later = bars(662, 1491, *[0 for _ in others])  # a later frame: the same scale
    assert later[:2] == pytest.approx(first[1::-1])
    for most in (1491, 12_345):
        picture = HallPicture(model, layout, np.array([most] * len(model.groups)))
        picture.show(0.0, _waiting(model, *[most] * len(model.groups)))
        renderer = picture.canvas.get_renderer()
        to_pixels = picture.ax.transData.transform
        for g in picture.groups:
            assert g.count.get_text() == f"{most:,}"
            box = next(s.box for s in layout.stages if g.rows in s.groups)
            (left, bottom), (right, top) = to_pixels(
                [(box.x, box.y + box.height), (box.x + box.width, box.y)]
            )
            label = g.count.get_window_extent(renderer)
            assert left < label.x0 < label.x1 < right
            assert bottom < label.y0 < label.y1 < top
            assert g.queue_bar.get_window_extent(renderer).x1 < label.x0  # clear of the bar
