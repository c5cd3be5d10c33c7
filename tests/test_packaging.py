"""Which portsim the tests import, and what its distribution ships.

CI runs the suite twice: from the checkout (the README's editable install), then from a copy
of the tests with no source tree beside them, against the built wheel installed in a fresh
environment, with ``PORTSIM_TEST_INSTALLED=1``. There ``import portsim`` must find the
wheel's files in site-packages, not a checkout that happens to be on ``sys.path``.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sysconfig
from importlib import metadata
from pathlib import Path

import portsim

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ("scenario", "model", "engine", "results", "run", "planning", "report")


def _installed() -> bool:
    return os.environ.get("PORTSIM_TEST_INSTALLED", "") not in ("", "0")


def test_portsim_is_imported_from_where_the_run_says() -> None:
    package = Path(portsim.__file__).resolve().parent
    if _installed():
        assert package == Path(sysconfig.get_paths()["purelib"]).resolve() / "portsim"
        assert not (ROOT / "portsim").exists(), "the tests run beside a source tree"
        # an installed wheel, not an editable install pointing back at a checkout
        direct_url = json.loads(
            metadata.distribution("portsim").read_text("direct_url.json") or "{}"
        )
        assert not direct_url.get("dir_info", {}).get("editable", False)
    else:
        assert package == ROOT / "portsim"


def test_every_module_comes_from_the_same_place() -> None:
    """All subpackages are there and none is found elsewhere (a wheel that missed one would
    fail here, or fall back to a stray copy)."""
    package = Path(portsim.__file__).resolve().parent
    found = {m.name for m in pkgutil.iter_modules(portsim.__path__) if m.ispkg}
    assert set(SUBPACKAGES) <= found
    for info in pkgutil.walk_packages(portsim.__path__, "portsim."):
        if info.name == "portsim.__main__":  # importing it runs the command line
            continue
        module = importlib.import_module(info.name)
        assert module.__file__ is not None
        assert Path(module.__file__).resolve().is_relative_to(package), info.name


def test_scipy_is_for_the_tests_and_fitting_only() -> None:
    """A run computes its own Student-t quantile (``portsim/results/statistics.py``): scipy,
    the tests' reference and what ``portsim fit`` fits with, is in the ``test`` and ``fit``
    extras, not among the runtime dependencies."""
    scipy = [r for r in metadata.requires("portsim") or () if r.startswith("scipy")]
    assert scipy
    assert all('extra == "test"' in r or 'extra == "fit"' in r for r in scipy), scipy


def test_the_package_is_typed_licensed_and_versioned_once() -> None:
    package = Path(portsim.__file__).resolve().parent
    assert (package / "py.typed").is_file()
    assert portsim.__version__ == metadata.version("portsim")
    meta = metadata.metadata("portsim")
    assert meta["License-Expression"] == "MIT"
    if _installed():
        # the wheel's own record of its files: py.typed, every subpackage, the licence
        files = {str(f).replace("\\", "/") for f in metadata.files("portsim") or ()}
        assert "portsim/py.typed" in files
        for sub in SUBPACKAGES:
            assert f"portsim/{sub}/__init__.py" in files, sub
        assert "portsim/report/planning/__init__.py" in files
        assert any(f.endswith("LICENSE") and ".dist-info/" in f for f in files)
