"""Observed waits beside a forecast from a state, a rare selection and many variants (review
26b): a forecast's simulated waits count from the state's time, not the scenario's warm-up
(computed by hand); a selection with fewer than 20 waits a replication is compared with the
pooled simulated percentiles, and said so; every variant of a comparison is drawn in the
ECDF chart, however many."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import portsim
from portsim import scenario_from_dict
from portsim.cli import main
from portsim.report.observed import verdict
from portsim.report.observed_variants import variants_figure
from portsim.results.catalog import WAIT_MEAN, WAIT_P95
from portsim.results.observed import MIN_PER_REPLICATION, observed_waits

#: one counter of 60 s, a warm-up of 1 h, one traveller arriving at 01:30
HALL = """\
name: hall
horizon: 2h
warmup: 1h
replications: 2
seed: 1
flows:
  - name: f
    arrivals: {times: [5400]}
    route: [passport]
stages:
  - name: passport
    lanes: [{name: counters, count: 1, service: {dist: constant, value: 60s}}]
"""
#: at 00:30 five wait at the counter
STATE = """\
at: "00:30"
stages:
  passport:
    counters: {waiting: {f: 5}}
"""
OBSERVED = "wait_s\n" + "0\n60\n120\n180\n240\n" * 2


def _files(tmp_path: Path) -> tuple[str, str, str]:
    paths = []
    for name, text in (("hall.yaml", HALL), ("now.yaml", STATE), ("obs.csv", OBSERVED)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths[0], paths[1], paths[2]


def _run(*args: str) -> str:
    done = CliRunner().invoke(main, list(args))
    assert done.exit_code == 0, done.stderr
    return done.stdout


def test_a_forecast_s_waits_count_from_the_state_s_time(tmp_path: Path) -> None:
    """The five waiting at 00:30 start at 00:30, 00:31, …, 00:34: waits 0, 60, 120, 180,
    240 s; the 01:30 arrival waits 0. Each replication: [0, 0, 60, 120, 180, 240] (not the 1
    wait after the scenario's warm-up of 1 h): mean 100 s, 12 simulated waits. Against the
    observed 0 … 240 s twice: KS at 0, 1/5 against 2/6: 2/15; Wasserstein 60 × (2/15 + 1/10
    + 1/15 + 1/30) = 20 s. Six waits a replication, fewer than 20: the percentiles pooled;
    the pooled p95 of 0, 0, 0, 0, 60, 60, …, 240, 240 (index 10.45) is 240 s, the observed
    one (index 8.55) 240 s too: at the simulated value."""
    hall, state, waits = _files(tmp_path)
    out = _run("run", hall, "--from-state", state, "--observed", waits, "--quiet")
    section = out[out.index("Observed waits: every visit") :].splitlines()
    assert section[1] == (
        "The observed 95th-percentile wait (4.0 min) lies at the simulated value (4.0 min; of "
        "every replication's waits together)."
    )
    assert "- 10 observed waits (" in out
    assert "against 12 simulated waits over 2 replications: every visit" in out
    assert (
        "- A forecast from the state at 00:30: the simulated waits count from then (an "
        "observed traveller's wait before it is unknown), so the observed waits compare best "
        "if taken of those who arrived after 00:30"
    ) in out
    block = json.loads(_run("run", hall, "--from-state", state, "--observed", waits, "--quiet",
                            "--json", "-"))["observed_waits"]  # fmt: skip
    assert block["simulated_n"] == 12
    assert block["since_s"] == 1800.0
    assert block["ks"] == pytest.approx(2 / 15)
    assert block["wasserstein_s"] == pytest.approx(20.0)
    assert block["statistics"][WAIT_MEAN.name]["simulated"]["mean"] == pytest.approx(100.0)
    assert block["statistics"][WAIT_P95.name]["simulated"]["mean"] == pytest.approx(240.0)
    assert block["statistics"][WAIT_P95.name]["position"] == "at"
    compared = _run("compare", hall, "--from-state", state, "--observed", waits, "--quiet",
                    "--variant", "two:stages.passport.lanes.counters.count=2")  # fmt: skip
    table = compared[compared.index("Observed waits beside each variant") :].splitlines()
    base = next(line for line in table if line.startswith("base "))
    # the mean wait of 0, 0, 60, 120, 180, 240; the pooled p95 240 s; KS 2/15; 20 s
    assert base.split()[1:3] == ["100.0", "s"]
    assert base.split()[-3:] == ["0.133", "20.0", "s"]
    assert "4.0 min  at the simulated value" in base
    plain = _run("run", hall, "--observed", waits, "--quiet")
    assert "A forecast from the state" not in plain


def test_the_forecast_s_waits_in_python_per_replication() -> None:
    """The same in Python: each replication's waits are the six computed by hand."""
    import yaml  # noqa: PLC0415

    scenario = scenario_from_dict(yaml.safe_load(HALL))
    result = portsim.simulate(scenario, from_state=yaml.safe_load(STATE))
    held = portsim.with_observed_waits(result, [0, 60, 120, 180, 240] * 2)
    assert held.observed is not None
    assert [list(r) for r in held.observed.replications] == [[0, 0, 60, 120, 180, 240]] * 2
    assert held.observed.since == 1800.0


def test_a_rare_selection_is_compared_with_the_pooled_percentiles() -> None:
    """Three replications of 19 waits each (fewer than 20 on average): pooled. Replications
    0 … 18 s, 1 … 19 s, 2 … 20 s: pooled 57 waits, its p95 at index 53.2 of the sorted
    0, 1, 1, 2, 2, 2, 3, 3, 3, …, 18, 18, 18, 19, 19, 20: the 54th value 18 and the 55th 19:
    18.2 s; no interval, no replication's range; the mean stays per replication (9, 10,
    11: mean 10). With 20 waits a replication (0 … 19 s, …): per replication, p95 (index
    18.05) 18.05, 19.05, 20.05: their mean 19.05, with an interval."""
    assert MIN_PER_REPLICATION == 20
    rare = observed_waits([10.0] * 10, [np.arange(k, k + 19.0) for k in range(3)])
    assert rare.pooled
    rows = rare.rows()
    assert rows[0].simulated.mean == pytest.approx(10.0)
    assert not rows[0].pooled
    lead = rare.lead()
    assert lead.pooled
    assert lead.simulated.mean == pytest.approx(18.2)
    assert lead.simulated.interval is None
    assert math.isnan(lead.lowest)
    assert lead.json()["replications_range"] is None
    said = verdict(rare)
    assert any(p.startswith("19.0 simulated waits a replication on average, fewer than 20: ")
               for p in said.points)  # fmt: skip
    assert rare.json()["simulated_pooled"] is True
    common = observed_waits([10.0] * 10, [np.arange(k, k + 20.0) for k in range(3)])
    assert not common.pooled
    assert common.lead().simulated.mean == pytest.approx(19.05)
    assert common.lead().simulated.interval is not None
    assert "simulated_pooled" not in common.json()
    assert not any("fewer than 20" in p for p in verdict(common).points)


def test_every_variant_is_drawn_in_the_ecdf_chart() -> None:
    """Ten variants (more than the palette's eight colours): ten curves and the observed one,
    each variant's (colour, line style) its own."""
    import yaml  # noqa: PLC0415

    base = yaml.safe_load(HALL)
    items = []
    for k in range(10):
        lanes = [{"name": "counters", "count": 1,
                  "service": {"dist": "constant", "value": f"{30 + k}s"}}]  # fmt: skip
        items.append((f"v{k}", scenario_from_dict({**base, "warmup": 0,
                      "stages": [{"name": "passport", "lanes": lanes}],
                      "flows": [{"name": "f", "arrivals": {"times": [0] * 5},
                                 "route": ["passport"]}]})))  # fmt: skip
    comparison = portsim.compare(items, replications=1, seed=0)
    held = portsim.with_observed_waits(comparison, [0, 30, 60, 90, 120] * 2)
    figure = variants_figure(held)
    lines = figure.axes[0].get_lines()
    labels = [line.get_label() for line in lines]
    assert labels == [f"v{k}" for k in range(10)] + ["observed"]
    styles = {(str(line.get_color()), line.get_linestyle()) for line in lines[:10]}
    assert len(styles) == 10
