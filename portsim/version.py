"""portsim's version, read from the installed package's metadata: ``portsim.__version__``,
and the version a report says made it."""

from __future__ import annotations

__all__ = ["package_version"]


def package_version() -> str:
    """The installed package's version, or ``0+unknown`` in a source tree that was never
    installed. :mod:`importlib.metadata` is imported on the first call: importing it costs
    more than the rest of a short run's start-up."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("portsim")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"
