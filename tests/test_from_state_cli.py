"""``--from-state`` on the command line: every bad state is answered in one line naming the
state file and the field (exit 2) before anything runs; a good one forecasts, alone and in
a comparison of variants that share the state and their random numbers."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from portsim.cli import main

SCENARIO = """\
name: two stages
horizon: 18h
replications: 2
calendar: {start: 2026-02-10, days: [{type: weekday}]}
flows:
  - name: visitors
    classes: [{name: elderly, share: 0.1}, {name: other, share: 0.9}]
    arrivals: {rate: 100/h}
    route: [security, passport]
  - name: cars
    kind: car
    occupants: {dist: constant, value: 2}
    arrivals: {rate: 10/h}
    route: [passport]
  - name: crew
    arrivals: {rate: 5/h}
    route: [passport]
stages:
  - name: security
    lanes: [{name: scanners, count: 2, service: {dist: constant, value: 30}, serves: [visitors]}]
  - name: passport
    lanes:
      - {name: counters, count: 3, service: {dist: exponential, mean: 45s}}
      - {name: egates, count: 2, service: {dist: exponential, mean: 15s}, serves: [cars]}
"""

AT = '{at: "14:00", stages: {passport: {counters: %s}}}'

BAD = [
    ('{at: "25:00"}', "at: '25:00' is not a clock time: the day runs from 00:00 to 24:00"),
    ('{at: "20:00"}', "at: 20:00 of day 1 is not before the end of the run (18:00 of day 1)"),
    (
        '{at: "14:00", day: 2}',
        "day: 14:00 of day 2 is not before the end of the run (18:00 of day 1)",
    ),
    (
        '{at: "14:00", date: 2026-02-11}',
        "date: 2026-02-11 is not a day of the run (the calendar gives its dates)",
    ),
    ('{at: "14:00", date: 2026-02-10, day: 1}', "date: give day or date, not both"),
    ('{at: "14:00", date: "10 Feb"}', "date: '10 Feb' is not a date: write YYYY-MM-DD"),
    ("{stages: {}}", "at: required field is missing"),
    ("[1, 2]", "a state must be a mapping with at least 'at' (a clock time)"),
    (
        '{at: "14:00", stages: {hall: {}}}',
        "stages.hall: no such stage (stages: security, passport)",
    ),
    (
        '{at: "14:00", stages: {passport: {booths: {}}}}',
        "stages.passport.booths: no such lane group at passport (counters, egates)",
    ),
    (
        AT % "{open: 6}",
        "stages.passport.counters.open: 6 lanes open, but the group has 3 (its built, or the "
        "most its plan opens)",
    ),
    (AT % "{open: -1}", "stages.passport.counters.open: must be greater than or equal to 0"),
    (
        AT % "{waiting: {visitors.elderly: -3}}",
        "stages.passport.counters.waiting.visitors.elderly: must be greater than or equal to 0",
    ),
    (
        AT % "{waiting: {visitors.other: 2.5}}",
        "stages.passport.counters.waiting.visitors.other: must be a valid integer, not 2.5",
    ),
    (
        AT % "{waiting: {visitors: 3}}",
        "stages.passport.counters.waiting.visitors: visitors has classes: name one "
        "(visitors.elderly, visitors.other)",
    ),
    (
        AT % "{waiting: {tourists: 3}}",
        "stages.passport.counters.waiting.tourists: no such flow or class (flows and classes: "
        "visitors.elderly, visitors.other, cars, crew)",
    ),
    (
        AT % "{waiting: {cars: {count: 3, occupants: [2, 2]}}}",
        "stages.passport.counters.waiting.cars: the vehicles' numbers disagree (occupants 2, "
        "count 3)",
    ),
    (
        AT % "{waiting: {crew: {count: 3}}}",
        "stages.passport.counters.waiting.crew: crew travel on foot: give a count, not "
        "vehicles' details",
    ),
    (
        '{at: "14:00", stages: {passport: {egates: {waiting: {crew: 3}}}}}',
        "stages.passport.egates.waiting.crew: egates at passport does not serve crew",
    ),
    (
        '{at: "14:00", stages: {security: {scanners: {waiting: {crew: 3}}}}}',
        "stages.security.scanners.waiting.crew: the route of crew does not visit security",
    ),
    (
        AT % "{open: 1, in_service: {crew: 2}}",
        "stages.passport.counters.in_service: 2 travellers in service, but 1 lane open",
    ),
    (
        AT % "{in_service: {crew: 4}}",
        "stages.passport.counters.in_service: 4 travellers in service, but 3 lanes open (as "
        "planned: give open)",
    ),
    (
        AT % "{in_service: {crew: [-5]}}",
        "stages.passport.counters.in_service.crew.0: must be greater than or equal to 0",
    ),
    (
        AT % "{waiting: {crew: 60000, visitors.other: 40001}}",
        "stages.passport.counters.waiting: 100,001 waiting: more than 100,000 at one lane group "
        "is implausible (a typing slip?)",
    ),
    (
        AT % "{queue: 5}",
        "stages.passport.counters.queue: unknown field (fields here: open, waiting, in_service)",
    ),
]


def _files(tmp_path: Path, state: str, scenario: str = SCENARIO) -> tuple[str, str]:
    file, state_file = tmp_path / "port.yaml", tmp_path / "now.yaml"
    file.write_text(scenario, encoding="utf-8")
    state_file.write_text(state + "\n", encoding="utf-8")
    return str(file), str(state_file)


POOLED = """\
name: pool forecast
horizon: 2h
staff:
  - {name: officers, count: 2}
flows:
  - {name: a, arrivals: {times: [5400]}, route: [A]}
  - {name: b, arrivals: {times: [5400]}, route: [B]}
stages:
  - name: A
    lanes: [{name: desks, staff: officers, count: 2, service: {dist: constant, value: 60s}%s}]
  - name: B
    lanes: [{name: desks, staff: officers, count: 2, service: {dist: constant, value: 60s}}]
"""


POOL_PROBLEMS = [
    (
        "{A: {desks: {in_service: {a: [30s, 30s]}, waiting: {a: 4}}}}",
        "stages.A.desks.open: 2 travellers in service at a lane group of staff pool officers: "
        "give open (the lanes whose officers serve them)",
    ),
    (
        "{A: {desks: {open: 2}}, B: {desks: {open: 1}}}",
        "stages.B.desks.open: the open lanes need 3 officers of staff pool officers (2 lanes × 1 "
        "at A.desks, 1 lane × 1 at B.desks), but it has 2 on duty at 01:00",
    ),
]


@pytest.mark.parametrize("queue", ["", ", queue: per_lane"])
@pytest.mark.parametrize(("observed", "problem"), POOL_PROBLEMS)
def test_a_careless_state_at_a_staff_pool_is_refused_in_one_line(
    tmp_path: Path, queue: str, observed: str, problem: str
) -> None:
    """Travellers in service at a group of a pool without its open (once a crash: 2 in
    service, the pool opening 1 lane; or two served at once on one desk with per-lane
    queues), open lanes that need more officers than are on duty: one line before the run,
    in every variant."""
    state = '{at: "01:00", stages: ' + observed + "}"
    file, state_file = _files(tmp_path, state, POOLED % queue)
    for command in (["run", file], ["compare", file, "--variant", "more:staff.officers.count=4"]):
        result = CliRunner().invoke(main, [*command, "--from-state", state_file, "-q", "-r", "1"])
        assert result.exit_code == 2, result.output
        assert result.stderr == f"{state_file}: {problem}\n"
        assert result.stdout == ""


@pytest.mark.parametrize("queue", ["", ", queue: per_lane"])
@pytest.mark.parametrize(
    "observed",
    ["{in_service: {a: [30s, 30s]}, open: 2, waiting: {a: 4}}", "{open: 2}", "{waiting: {a: 1}}"],
)
def test_a_state_at_a_group_of_a_staff_pool_forecasts(
    tmp_path: Path, queue: str, observed: str
) -> None:
    """A state at a group of a pool: the pool's officers go to the state's open lanes, the
    rest to the waiting groups; run and compare forecast."""
    state = '{at: "01:00", stages: {A: {desks: ' + observed + "}}}"
    file, state_file = _files(tmp_path, state, POOLED % queue)
    for command in (["run", file], ["compare", file, "--variant", "more:staff.officers.count=4"]):
        result = CliRunner().invoke(main, [*command, "--from-state", state_file, "-q", "-r", "1"])
        assert result.exit_code == 0, result.output
        assert "Forecast from the state observed at 01:00" in result.stdout


@pytest.mark.parametrize(("state", "problem"), BAD)
def test_a_bad_state_is_one_line_naming_the_state_file(
    tmp_path: Path, state: str, problem: str
) -> None:
    file, state_file = _files(tmp_path, state)
    for command in (
        ["run", file],
        ["compare", file, "--variant", "more:stages.passport.lanes.counters.count=4"],
    ):
        result = CliRunner().invoke(main, [*command, "--from-state", state_file, "-q"])
        assert result.exit_code == 2
        assert result.stderr == f"{state_file}: {problem}\n"
        assert result.stdout == ""


def test_a_date_needs_a_calendar_start(tmp_path: Path) -> None:
    file, state_file = _files(
        tmp_path, '{at: "14:00", date: 2026-02-10}', SCENARIO.replace("start: 2026-02-10, ", "")
    )
    result = CliRunner().invoke(main, ["run", file, "--from-state", state_file])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{state_file}: date: the scenario's calendar has no start date: give the day (1 is "
        "the first)\n"
    )


def test_a_missing_state_file_and_lanes_open_behind_closed_doors(tmp_path: Path) -> None:
    file, state_file = _files(tmp_path, '{at: "14:00"}')
    result = CliRunner().invoke(main, ["run", file, "--from-state", str(tmp_path / "no.yaml")])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"{tmp_path / 'no.yaml'}: cannot read the file: No such file or directory\n"
    )
    hours = SCENARIO.replace("horizon: 18h", 'horizon: 18h\nhours: {open: "06:00", close: "17:00"}')
    file, state_file = _files(tmp_path, (AT % "{open: 3}").replace("14:00", "17:30"), hours)
    result = CliRunner().invoke(main, ["run", file, "--from-state", state_file])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{state_file}: stages.passport.counters.open: the port is closed at 17:30 and the "
        "state has nobody inside: its lanes are shut (it does not open again in the run): give "
        "open 0, or leave it out\n"
    )
    file, state_file = _files(tmp_path, AT % "{open: 3, waiting: {crew: 5}}", hours)
    result = CliRunner().invoke(main, ["run", file, "--from-state", state_file, "-q"])
    assert result.exit_code == 0, result.output


def test_a_store_is_reported_without_a_state(tmp_path: Path) -> None:
    store = tmp_path / "runs.db"
    store.write_bytes(b"")
    result = CliRunner().invoke(main, ["report", str(store), "--from-state", "now.yaml"])
    assert result.exit_code == 2
    assert result.stderr == f"{store}: --from-state: a results store is reported as it was run\n"


def test_a_forecast_and_a_comparison_from_the_same_state(tmp_path: Path) -> None:
    state = (
        '{at: "14:00", date: 2026-02-10, stages: {passport: {counters: '
        "{open: 2, waiting: {crew: 30, visitors.other: 20}, in_service: {crew: [10, 20]}}}}}"
    )
    file, state_file = _files(tmp_path, state)
    run = CliRunner().invoke(main, ["run", file, "--from-state", state_file, "--json", "-"])
    assert run.exit_code == 0, run.stderr
    facts = json.loads(run.stdout)
    assert facts["warmup_s"] == 14 * 3600
    overall = facts["overall"]
    assert overall["served"]["mean"] + overall["unfinished"]["mean"] >= 52  # the observed
    text = CliRunner().invoke(main, ["run", file, "--from-state", state_file, "-q"]).stdout
    assert "Forecast from the state observed at 14:00 (52 travellers waiting or in service)" in text
    assert "day 1 14:00" in text  # a calendar: the worst hours, from the state's on
    assert "day 1 13:00" not in text
    compared = CliRunner().invoke(
        main,
        [
            "compare",
            file,
            "--from-state",
            state_file,
            "--variant",
            "four more:stages.passport.lanes.counters.count=7",
            "-q",
        ],
    )
    assert compared.exit_code == 0, compared.stderr
    assert compared.stdout.startswith("Forecast from the state observed at 14:00")
    # the trap: the state's 2 open hide the constant count of each variant, said before
    hides = (
        "warning: {}: stages.passport.counters: the state has 2 open and the plan ({}) does not "
        "change from 14:00 on, so 2 stay open all the rest of the run; to open {} from 14:00, "
        "give the plan as a schedule that changes at 14:00, or leave open out of the state"
    )
    warned = compared.stderr.splitlines()
    assert hides.format("base", 3, 3) in warned
    assert hides.format("four more", 7, 7) in warned


class _Facts(HTMLParser):
    """The reproducibility facts of an HTML report: ``<dt>`` → ``<dd>``, and the answer's
    points."""

    def __init__(self) -> None:
        super().__init__()
        self.facts: dict[str, str] = {}
        self.texts: list[str] = []
        self._tag = ""
        self._term = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._tag == "dt":
            self._term = data
        elif self._tag == "dd" and self._term:
            self.facts[self._term] = data
            self._term = ""


def test_the_html_report_says_where_the_forecast_starts(tmp_path: Path) -> None:
    state = '{at: "14:00", stages: {passport: {counters: {open: 3, waiting: {crew: 40}}}}}'
    file, state_file = _files(tmp_path, state.replace("\n", " "))
    page = tmp_path / "forecast.html"
    done = CliRunner().invoke(
        main, ["report", file, "--from-state", state_file, "--html", str(page), "-q"]
    )
    assert done.exit_code == 0, done.stderr
    assert done.stdout.splitlines()[1] == (
        "- Forecast from the state observed at 14:00 (40 travellers waiting or in service) "
        "to 18:00; everything is counted from then on."
    )
    parser = _Facts()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.facts["forecast from"].startswith("Forecast from the state observed at 14:00")
    assert parser.facts["warm-up"] == "14.00 h"
    # the hour-by-hour table starts at the state's hour: the hours before were not simulated
    hours = [t for t in parser.texts if re.fullmatch(r"\d\d:\d\d–\d\d:\d\d", t)]
    assert hours == ["14:00–15:00", "15:00–16:00", "16:00–17:00", "17:00–18:00"]


def test_a_forecast_streams_the_same_counts(tmp_path: Path) -> None:
    """``--no-records`` (streaming statistics) counts the observed travellers, and their
    waits, as the records do."""
    state = '{at: "14:00", stages: {passport: {counters: {waiting: {crew: 25}}}}}'
    file, state_file = _files(tmp_path, state)
    runs = [
        json.loads(
            CliRunner()
            .invoke(main, ["run", file, "--from-state", state_file, "--json", "-", *more])
            .stdout
        )
        for more in ([], ["--no-records"])
    ]
    for metric in ("served", "unfinished"):
        assert runs[0]["overall"][metric] == runs[1]["overall"][metric]
    for metric in ("wait_mean_s", "wait_max_s", "system_time_mean_s"):  # sums in another order
        streamed, recorded = runs[1]["overall"][metric], runs[0]["overall"][metric]
        assert streamed["mean"] == pytest.approx(recorded["mean"], rel=1e-9), metric


def test_compare_names_the_variant_a_state_does_not_fit(tmp_path: Path) -> None:
    """The base fits the state (3 officers, 3 lanes open); a variant with 2 officers does
    not: the one line says which variant, as a variant's scenario problems do."""
    (tmp_path / "pool.yaml").write_text(
        "name: pool\nhorizon: 3h\nreplications: 2\n"
        "flows:\n  - {name: f, arrivals: {rate: 60/h}, route: [passport]}\n"
        "staff:\n  - {name: officers, count: 3}\n"
        "stages:\n  - name: passport\n    lanes:\n"
        "      - {name: A, count: 3, service: {dist: constant, value: 60s}, staff: officers}\n",
        encoding="utf-8",
    )
    (tmp_path / "now.yaml").write_text(
        'at: "01:00"\nstages: {passport: {A: {open: 3, waiting: {f: 2}}}}\n', encoding="utf-8"
    )
    args = ["compare", str(tmp_path / "pool.yaml"), "--from-state", str(tmp_path / "now.yaml")]
    result = CliRunner().invoke(main, [*args, "--variant", "two:staff.officers.count=2"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"{tmp_path / 'now.yaml'}: stages.passport.A.open: the open lanes need 3 officers of "
        "staff pool officers (3 lanes × 1 at passport.A), but it has 2 on duty at 01:00 (in the "
        "variant 'two')"
    )
    assert (
        CliRunner()
        .invoke(main, [*args, "--variant", "four:staff.officers.count=4", "-q"])
        .exit_code
        == 0
    )


def test_a_folder_given_as_the_state_is_said_to_be_no_state_file(tmp_path: Path) -> None:
    """The one line names the state file's kind, not a scenario's."""
    scenario = str(Path(__file__).resolve().parent.parent / "examples" / "afternoon_hall.yaml")
    result = CliRunner().invoke(main, ["run", scenario, "--from-state", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip() == f"{tmp_path}: is a folder, not a state file"
