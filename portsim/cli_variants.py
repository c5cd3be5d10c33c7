"""``portsim compare``'s variants from its options: files, modes or ``--variant`` texts."""

from __future__ import annotations

from pathlib import Path

from .cli_assume import assumed_names
from .cli_common import load_checked
from .errors import ScenarioError
from .planning.vary import RUN_FIELDS, run_fields_problem
from .run.compare import MIN_VARIANTS
from .scenario import MODES, Scenario
from .scenario.assume import ASSUMED
from .scenario.overrides import SET

__all__ = ["compare_items"]


def compare_items(
    files: tuple[Path, ...],
    modes: str | None,
    variants: tuple[str, ...],
    overrides: tuple[str, ...],
) -> list[tuple[str, Scenario]]:
    """The named scenarios ``portsim compare`` runs: several files, one file's clearance
    modes, or one file and its variants (after the file as it is, called ``base``). Raises
    :class:`ScenarioError` naming the file and the option."""
    if len(files) > 1:
        if modes or variants:
            raise ScenarioError("", "--modes and --variant take one file")
        return [(file.stem, load_checked(file, overrides)) for file in files]
    file = files[0]
    items: list[tuple[str, Scenario]] = []
    if modes:
        if load_checked(file, overrides).clearance is None:
            raise ScenarioError("clearance", "--modes needs a clearance block", str(file))
        for mode in (m.strip() for m in modes.split(",")):
            if mode not in MODES:
                raise ScenarioError(
                    "--modes", f"unknown mode {mode!r} (modes: {', '.join(MODES)})", str(file)
                )
            items.append((mode, load_checked(file, (*overrides, f"clearance.mode={mode}"))))
    for text in variants:
        name, sep, assignments = text.partition(":")
        if not sep or not name.strip():
            raise ScenarioError("--variant", f"expected NAME:PATH=VALUE, got {text!r}", str(file))
        sets = tuple(a.strip() for a in assignments.split(";") if a.strip())
        _check_variant(name.strip(), sets, file)
        if not items:
            items.append(("base", load_checked(file, overrides)))
        items.append((name.strip(), _variant(file, overrides, name.strip(), sets)))
    if len(items) < MIN_VARIANTS:
        raise ScenarioError("", "give two files or more, --modes, or --variant", str(file))
    names = [name for name, _ in items]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ScenarioError("", f"duplicate variant name {duplicates[0]!r}", str(file))
    return items


def _variant(file: Path, overrides: tuple[str, ...], name: str, sets: tuple[str, ...]) -> Scenario:
    """The file with ``--set``'s overrides (loaded already, as the base) and a variant's
    assignments; a problem of the variant names it, not ``--set``. An ``--assume`` name the
    base uses (it was checked there) and the variant no longer does is no slip: a variant
    that replaces the field with a number runs without it."""
    own = {a.partition("=")[0].strip().removeprefix(f"{ASSUMED}.") for a in sets}
    try:
        return load_checked(file, (*overrides, *sets), assumed_names() - own)
    except ScenarioError as error:
        if error.path.startswith(f"{SET} "):  # a path the variant gave that leads nowhere
            path = f"--variant {error.path.removeprefix(f'{SET} ')}"
            raise ScenarioError(path, error.problem, error.file) from None
        problem = f"{error.problem} (in the variant {name!r})"
        raise ScenarioError(error.path, problem, error.file) from None


def _check_variant(name: str, sets: tuple[str, ...], file: Path) -> None:
    """A variant changes something, and not what every variant shares (seed, replications)."""
    if not sets:
        raise ScenarioError("--variant", f"variant {name!r} changes nothing", str(file))
    for assignment in sets:
        if assignment.partition("=")[0].strip() in RUN_FIELDS:
            raise ScenarioError("--variant", run_fields_problem(name, "variant"), str(file))
