"""``--assume NAME=VALUE``: another value for a shared assumption, for this command's run, on
every command that loads a scenario (``run``, ``report``, ``compare``, ``validate``,
``show``, ``sweep``, ``plan``, ``capacity``, ``fit``, ``animate``).

The option keeps its values in the command's context; :func:`assumed_overrides` gives them
to the loading of every scenario the command makes (as the overrides
``assumption.NAME=VALUE``, :mod:`portsim.scenario.assume`), so that a comparison's variants
and a sweep's configurations all take them. A name the file of assumptions lacks, a value
that cannot be read, a scenario without shared assumptions: one line, exit code 2, before
anything runs. A value outside the file's range is taken, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from .errors import ScenarioError
from .scenario import Scenario
from .scenario.assume import ASSUMED, outside_range

__all__ = [
    "ASSUME",
    "assume_option",
    "assumed_names",
    "assumed_overrides",
    "said_as_assumed",
    "warn_outside",
]

#: the option
ASSUME = "--assume"
_META = "portsim.assume"
_SAID = "portsim.assume.said"


def _keep(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    ctx.meta[_META] = tuple(value)


def assume_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--assume NAME=VALUE`` (repeatable), kept for :func:`assumed_overrides`."""
    return click.option(
        ASSUME,
        "assume",
        multiple=True,
        metavar="NAME=VALUE",
        expose_value=False,
        callback=_keep,
        help="Give a shared assumption another value for this run, written as its file "
        "writes it: land_counter_time=30s, staffed_share=0.9 (repeatable; a value outside "
        "its range is taken, with a warning).",
    )(function)


def _given() -> tuple[str, ...]:
    ctx = click.get_current_context(silent=True)
    return () if ctx is None else tuple(ctx.meta.get(_META, ()))


def assumed_overrides() -> tuple[str, ...]:
    """The command's ``--assume`` values as overrides ``assumption.NAME=VALUE``; a text
    that is not ``NAME=VALUE`` is a :class:`ScenarioError` naming the option."""
    out = []
    for text in _given():
        name, sep, value = text.partition("=")
        if not sep or not name.strip() or "." in name or not value.strip():
            raise ScenarioError(
                f"{ASSUME} {text}", "expected NAME=VALUE, for example land_counter_time=30s"
            )
        out.append(f"{ASSUMED}.{name.strip()}={value}")
    return tuple(out)


def assumed_names() -> frozenset[str]:
    """The names the command's ``--assume`` gives a value."""
    return frozenset(t.partition("=")[0].strip() for t in _given())


def said_as_assumed(error: ScenarioError) -> ScenarioError:
    """A problem of an ``--assume`` value said at the option (``--assume NAME: problem``)
    rather than at the override it became."""
    names = assumed_names()
    for prefix in (f"{ASSUMED}.", f"--set {ASSUMED}."):
        name = error.path.removeprefix(prefix)
        if error.path.startswith(prefix) and name in names:
            return ScenarioError(f"{ASSUME} {name}", error.problem, error.file)
    return error


def warn_outside(scenario: Scenario, file: Path) -> None:
    """Say once a command each assumption given a value outside its range."""
    ctx = click.get_current_context(silent=True)
    said: set[str] = set() if ctx is None else ctx.meta.setdefault(_SAID, set())
    for warning in outside_range(a for a in scenario.assumptions or () if a.overridden):
        if warning not in said:
            said.add(warning)
            click.echo(f"warning: {file}: {warning}", err=True)


def with_assumed(overrides: Sequence[str]) -> tuple[str, ...]:
    """``--assume``'s overrides, then the command's own (a later one wins)."""
    return (*assumed_overrides(), *overrides)
