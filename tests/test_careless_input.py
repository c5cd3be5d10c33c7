"""Careless scenario files: clock times, booleans, merge keys, implausible ranges, files that
are not files, alias bombs and typos. Each is answered in one line naming the file and the
field (exit 2), or accepted when it is valid YAML that means what it says."""

from __future__ import annotations

import copy
import os
import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from portsim import load_scenario, scenario_from_dict
from portsim.cli import main
from portsim.scenario.distributions import MAX_CV, MIN_CV, Gamma, LogNormal
from portsim.scenario.fields import MAX_DURATION
from portsim.scenario.load import MAX_FILE_BYTES
from portsim.scenario.yaml_io import MAX_DEPTH, load_yaml

from .test_errors import BASE

SCHEDULED = """\
name: clock times
horizon: 1d
flows:
  - name: a
    arrivals: {every: 10min, from: 6:30, to: "22:00"}
    route: [hall]
stages:
  - name: hall
    lanes:
      - name: counters
        schedule:
          - {from: "0:00", to: 06:00, count: 1}
          - {from: 6:30, to: 22:00, count: 3}
          - {from: "22:00", to: "24:00", count: 2}
        service: {dist: exponential, mean: 45s}
"""


def _file(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_line_error(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_clock_times_are_times_of_day_wherever_one_is_meant(tmp_path: Path) -> None:
    s = load_scenario(_file(tmp_path, SCHEDULED))
    entries = s.stage("hall").lanes[0].schedule
    assert entries is not None
    assert [(e.start, e.end) for e in entries] == [
        (0, 6 * 3600),
        (6.5 * 3600, 22 * 3600),
        (22 * 3600, 24 * 3600),
    ]
    arrivals = s.flows[0].arrivals
    assert (arrivals.start, arrivals.end) == (6.5 * 3600, 22 * 3600)  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["6:30", "'6:30'", "'06:30'", "06:30:00"])
def test_every_way_of_writing_half_past_six(tmp_path: Path, text: str) -> None:
    s = load_scenario(
        _file(tmp_path, SCHEDULED.replace("from: 6:30, to: 22:00", f"from: {text}, to: 22:00"))
    )
    entries = s.stage("hall").lanes[0].schedule
    assert entries is not None
    assert entries[1].start == 6.5 * 3600


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("horizon", "1:30", "clock time, not a duration"),
        ("warmup", "0:30", "clock time, not a duration"),
        ("replications", "1:30", "clock time: a number is meant"),
        ("seed", "010", "starts with a zero"),
        ("stages.exit_check.lanes.counters.count", "010", "starts with a zero"),
        ("stages.exit_check.lanes.counters.service.mean", "1:30", "clock time"),
        ("stages.exit_check.lanes.counters.schedule", "[{from: 6:30, to: 24:30, count: 1}]", ""),
    ],
)
def test_a_base_60_or_octal_number_is_never_taken_silently(
    tmp_path: Path, field: str, value: str, words: str
) -> None:
    file = _file(tmp_path, yaml.safe_dump(BASE, sort_keys=False))
    if field.endswith("schedule"):  # a schedule instead of the count
        line = _one_line_error(
            "validate",
            str(file),
            "--set",
            "stages.exit_check.lanes.counters.count=null",
            "--set",
            f"{field}={value}",
        )
        assert "24:30" in line
        assert "00:00 to 24:00" in line
        return
    line = _one_line_error("validate", str(file), "--set", f"{field}={value}")
    assert line.startswith(f"{file}: {field}")
    assert words in line


#: every field where a number is meant, as a --set path into BASE plus extras
NUMBER_FIELDS = [
    "horizon",
    "warmup",
    "replications",
    "seed",
    "flows.residents.arrivals.rate",
    "flows.visitors.arrivals.daily_total",
    "flows.visitors.arrivals.profile.3",
    "flows.residents.route.1.p",
    "stages.exit_check.lanes.counters.count",
    "stages.exit_check.lanes.counters.service.mean",
    "stages.exit_check.lanes.egates.service.value",
    "stages.secondary.lanes.officers.service.cv",
    "stages.exit_check.space",
]


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize("boolean", ["true", "false", "yes"])
def test_no_boolean_where_a_number_is_meant(tmp_path: Path, field: str, boolean: str) -> None:
    file = _file(tmp_path, yaml.safe_dump(BASE, sort_keys=False))
    line = _one_line_error("validate", str(file), "--set", f"{field}={boolean}")
    assert line.startswith(f"{file}: {field}: "), line
    assert "true" in line or "false" in line or "True" in line or "False" in line


def test_no_boolean_in_targets_figures_and_shuttles() -> None:
    data = copy.deepcopy(BASE)
    data["targets"] = [{"name": "t", "wait_within": "10min", "share": True}]
    with pytest.raises(Exception, match=r"targets\.t\.share: true is not a number"):
        scenario_from_dict(data)
    data = copy.deepcopy(BASE)
    data["reference"] = [
        {"figure": "f", "value": True, "source": "s", "compare_to": "overall.served"}
    ]
    with pytest.raises(Exception, match=r"reference\.0\.value: true is not a number"):
        scenario_from_dict(data)


MERGED = """\
name: merge keys
horizon: 2h
lane_defaults: &counter {count: 2, service: {dist: exponential, mean: 45s}}
flows:
  - {name: a, arrivals: {rate: 60/h}, route: [hall]}
stages:
  - name: hall
    lanes:
      - {<<: *counter, name: counters}
      - <<: *counter
        name: more
        count: 5
"""


def test_merge_keys_share_lane_definitions(tmp_path: Path) -> None:
    text = MERGED.replace("lane_defaults: &counter", "x-defaults: &counter")
    data = load_yaml(text)
    del data["x-defaults"]
    s = scenario_from_dict(data)
    counts = [g.count for g in s.stage("hall").lanes]
    assert counts == [2, 5]  # the key beside the merge overrides the merged one
    assert s.stage("hall").lanes[0].service == s.stage("hall").lanes[1].service


@pytest.mark.parametrize(
    "text",
    [
        "a: &d {x: 1}\nb: {<<: *d, y: 1, y: 2}\n",
        "a: {x: 1, x: 2}\nb: {<<: {z: 1}}\n",
        "a: &d {x: 1, x: 2}\nb: {<<: *d}\n",
    ],
    ids=["beside a merge", "elsewhere", "in the merged mapping"],
)
def test_duplicate_keys_are_still_refused_with_merge_keys(tmp_path: Path, text: str) -> None:
    line = _one_line_error("validate", str(_file(tmp_path, text)))
    assert "is given twice in the same mapping" in line


def test_an_unused_merge_mapping_is_an_unknown_field_named(tmp_path: Path) -> None:
    line = _one_line_error("validate", str(_file(tmp_path, MERGED)))
    assert "lane_defaults: unknown field" in line


@pytest.mark.parametrize("cv", [MIN_CV, 1e-3, 1.0, 10.0, MAX_CV])
@pytest.mark.parametrize("mean", [1e-3, 45.0, MAX_DURATION])
@pytest.mark.parametrize("kind", [Gamma, LogNormal])
def test_gamma_and_lognormal_sample_finitely_over_the_whole_cv_range(
    kind: type, cv: float, mean: float
) -> None:
    dist = kind(mean=mean, cv=cv)
    with np.errstate(all="raise"):
        draws = dist.sample(np.random.default_rng(1), 1000)
    assert np.all(np.isfinite(draws))
    assert np.all(draws >= 0)
    assert np.isfinite(dist.variance)


@pytest.mark.parametrize("cv", ["1e-170", "1e200", "0", "-1", ".nan", ".inf"])
def test_cv_out_of_range_is_refused(tmp_path: Path, cv: str) -> None:
    file = _file(tmp_path, yaml.safe_dump(BASE, sort_keys=False))
    line = _one_line_error(
        "validate", str(file), "--set", f"stages.secondary.lanes.officers.service.cv={cv}"
    )
    assert line.startswith(f"{file}: stages.secondary.lanes.officers.service.cv: ")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("stages.exit_check.lanes.counters.count", "1000000000000", "at most 10,000 lanes"),
        ("replications", "1000000000", "at most 10,000 replications"),
        ("horizon", "400d", "longer than a year"),
        ("stages.exit_check.lanes.counters.service.mean", "100000d", "more than ten years"),
    ],
)
def test_implausible_sizes_have_a_clear_bound(
    tmp_path: Path, field: str, value: str, words: str
) -> None:
    file = _file(tmp_path, yaml.safe_dump(BASE, sort_keys=False))
    line = _one_line_error("run", str(file), "--set", f"{field}={value}")
    assert line.startswith(f"{file}: {field}: ")
    assert words in line


def test_a_folder_a_pipe_and_a_device_are_not_scenario_files(tmp_path: Path) -> None:
    assert "is a folder" in _one_line_error("run", str(tmp_path))
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in _one_line_error("run", str(fifo))  # and no hang
    assert "not a regular file" in _one_line_error("validate", "/dev/zero")


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert "larger than 16 MiB" in _one_line_error("validate", str(big))


def _alias_bomb(levels: int = 9) -> str:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    previous = "a"
    for name in "bcdefghijk"[: levels - 1]:
        text += f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
        previous = name
    return text + f"name: bomb\nhorizon: *{previous}\nflows: []\n"


def test_an_alias_bomb_fails_fast_with_a_short_message(tmp_path: Path) -> None:
    started = time.perf_counter()
    line = _one_line_error("run", str(_file(tmp_path, _alias_bomb())))
    assert time.perf_counter() - started < 2
    assert "aliases" in line
    assert len(line) < 300


def test_a_small_alias_bomb_used_as_horizon_gives_a_short_message(tmp_path: Path) -> None:
    line = _one_line_error("run", str(_file(tmp_path, _alias_bomb(levels=5))))
    assert line.startswith(f"{tmp_path / 'scenario.yaml'}: ")
    assert len(line) < 300


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: &a [*a]\n", "contains itself"),
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", f"more than {MAX_DEPTH} levels"),
        ("- " * 100_000 + "x\n", f"more than {MAX_DEPTH} levels"),
    ],
    ids=["itself", "flow nesting", "block nesting"],
)
def test_self_reference_and_deep_nesting_are_refused(tmp_path: Path, text: str, words: str) -> None:
    assert words in _one_line_error("validate", str(_file(tmp_path, text)))


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("horizn", "8h", "horizn: unknown field (did you mean horizon?)"),
        (
            "flows.residents.rout",
            "[exit_check]",
            "flows.residents.rout: unknown field (did you mean route?)",
        ),
        (
            "stages.secondary.lanes.officers.service.meen",
            "5min",
            "stages.secondary.lanes.officers.service.meen: unknown field (did you mean mean?)",
        ),
        (
            "stages.exit_check.spce",
            "10",
            "stages.exit_check.spce: unknown field (did you mean space?)",
        ),
    ],
)
def test_an_unknown_field_is_named_with_the_closest_known_one(
    tmp_path: Path, path: str, value: str, expected: str
) -> None:
    file = _file(tmp_path, yaml.safe_dump(BASE, sort_keys=False))
    assert (
        _one_line_error("validate", str(file), "--set", f"{path}={value}") == f"{file}: {expected}"
    )


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "stages.exit_check.lanes.egates.service.mean",
            "12s",
            "stages.exit_check.lanes.egates.service.mean: unknown field for dist constant "
            "(fields here: value, dist)",
        ),
        (
            "stages.exit_check.lanes.counters.service.value",
            "45s",
            "stages.exit_check.lanes.counters.service.value: unknown field for dist "
            "exponential (fields here: mean, dist)",
        ),
        (
            "stages.exit_check.lanes.counters.service.cv",
            "0.4",
            "stages.exit_check.lanes.counters.service.cv: unknown field for dist exponential "
            "(fields here: mean, dist)",
        ),
        (
            "flows.residents.arrivals.every",
            "10min",
            "flows.residents.arrivals.every: unknown field for arrivals with 'rate' "
            "(fields here: rate, group)",
        ),
    ],
)
def test_a_field_of_another_kind_names_the_fields_of_this_kind(
    tmp_path: Path, path: str, value: str, expected: str
) -> None:
    """The field is known, but not to this dist (or this kind of arrivals): suggesting the
    field itself would not help; the fields this kind takes do."""
    file = _file(tmp_path, yaml.safe_dump(BASE, sort_keys=False))
    line = _one_line_error("validate", str(file), "--set", f"{path}={value}")
    assert line == f"{file}: {expected}"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("horizon", "horizn"), "horizn: unknown field (did you mean horizon?)"),
        (("rate", "rat"), "flows.residents.arrivals.rat: unknown field (did you mean rate?)"),
        (("mean", "meen"), "unknown field (did you mean mean?)"),
        (("from", "form"), "schedule.0.form: unknown field (did you mean from?)"),
    ],
)
def test_a_misspelt_required_field_names_the_misspelling_not_the_missing_field(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    text = yaml.safe_dump(BASE, sort_keys=False).replace(
        "count: 1\n", "schedule: [{from: 0h, to: 24h, count: 1}]\n"
    )
    wrong, written = edit
    text = text.replace(f"{wrong}:", f"{written}:", 1)
    line = _one_line_error("validate", str(_file(tmp_path, text)))
    assert expected in line
    assert "required field is missing" not in line


def test_the_guide_s_examples_of_clock_times_and_merge_keys_load() -> None:
    root = Path(__file__).resolve().parent.parent
    guide = (root / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    blocks = guide.split("```yaml\n")
    merge = next(b for b in blocks if "<<: *counter" in b).split("```")[0]
    clock = next(b for b in blocks if "from: 6:30" in b).split("```")[0]
    data = load_yaml(merge)
    lanes = data["stages"][0]["lanes"]
    assert [g["count"] for g in lanes] == [8, 4]
    arrivals = load_yaml(clock.split("...")[0])["arrivals"]
    schedule = load_yaml(clock.split("...")[1].strip().replace("schedule:", "schedule:", 1))
    s = scenario_from_dict(
        {
            "name": "readme",
            "horizon": "1d",
            "flows": [{"name": "a", "arrivals": arrivals, "route": ["hall"]}],
            "stages": [{"name": "hall", "lanes": [{**lanes[0], "count": None, **schedule}]}],
        }
    )
    entries = s.stage("hall").lanes[0].schedule
    assert entries is not None
    assert entries[1].start == 6.5 * 3600
    assert entries[1].end == 24 * 3600
