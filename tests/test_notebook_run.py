"""The notebook of ``docs/notebooks`` runs as a planner runs it: executed cell by cell by
nbclient in a Jupyter kernel of this very interpreter (ipykernel, from the test extra), every
cell without error, each result shown as HTML with its answer, each ``.plot()`` as PNG
images (no ``%matplotlib inline``), the progress bar drawn below its cell. The notebook is
kept in git without outputs; it is executed in memory and nothing is written beside it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

nbclient = pytest.importorskip("nbclient", reason="pip install 'portsim[test]'")
nbformat = pytest.importorskip("nbformat", reason="pip install 'portsim[test]'")
pytest.importorskip("ipykernel", reason="pip install 'portsim[test]'")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "first-steps.ipynb"
#: the results the notebook shows by name at the end of a cell, with its answer's words
SHOWN = {
    "result": "pledge",
    "sweep": "every target: the smallest is",
    "plan": "Cheapest configuration meeting every target",
    "capacity": "Every target is met up to",
    "sensitivity": "it depends most on",
}
KERNEL = "portsim-test"


def _kernel(folder: Path) -> None:
    """A kernelspec that starts this interpreter (not whatever ``python3`` a machine's
    Jupyter knows), found first through ``JUPYTER_PATH``."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "portsim tests", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")


def _outputs(cell: Any) -> set[str]:
    """The kinds of output a cell gave: its MIME types and ``stream:NAME``."""
    kinds = set()
    for output in cell.outputs:
        if output.output_type == "stream":
            kinds.add(f"stream:{output.name}")
        kinds |= set(output.get("data", {}))
    return kinds


def _html(cell: Any) -> str:
    return "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)


def test_the_committed_notebook_has_no_outputs() -> None:
    """Built, not committed: the notebook in git holds the cells only."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.slow  # about ten seconds: a kernel starts, then every cell runs
@pytest.mark.timeout(300)
def test_the_notebook_runs_and_shows_every_result_and_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kernel(tmp_path)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    source = str(ROOT)  # the kernel imports this portsim, even from a source tree
    paths = [source, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.executable)"))
    client = nbclient.NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=240,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on error
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(o.output_type != "error" for c in cells for o in c.outputs)
    assert cells[-1].outputs[0].text.strip() == sys.executable
    plots = [c for c in cells if ".plot(" in c.source.splitlines()[-1]]
    assert len(plots) >= 5
    for cell in plots:
        assert "image/png" in _outputs(cell), cell.source
    several = [c for c in plots if c.source.strip().endswith(".plot()")]
    assert all(sum("image/png" in o.get("data", {}) for o in c.outputs) >= 1 for c in several)
    run_plots = next(c for c in several if c.source.strip() == "result.plot()")
    assert sum("image/png" in o.get("data", {}) for o in run_plots.outputs) >= 4
    shown = {c.source.splitlines()[-1].strip(): c for c in cells}
    for name, words in SHOWN.items():
        assert "text/html" in _outputs(shown[name]), name
        assert words in _html(shown[name]), name
    frames = [c for c in cells if "to_pandas()" in c.source]
    assert frames
    assert all("text/html" in _outputs(c) for c in frames)
    progress = next(c for c in cells if "the bar below the cell" in c.source)
    if "application/vnd.jupyter.widget-view+json" in _outputs(progress):
        return  # ipywidgets installed: tqdm's widget, whose text lives in the widget's state
    err = "".join(o.text for o in progress.outputs if o.get("name") == "stderr")
    assert "3/3" in err  # without ipywidgets: tqdm's text bar below the cell
    assert "replication" in err
