"""Whether portsim runs in a Jupyter kernel, where standard error is the cell's output (a
progress bar is drawn there) and a result shows itself as HTML. It imports nothing: outside
a kernel the answer costs a dictionary lookup."""

from __future__ import annotations

import sys

__all__ = ["in_notebook"]


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (IPython's kernel app is running), where
    standard error is the cell's output, not a terminal."""
    if "ipykernel" not in sys.modules:  # never imported: not a kernel (and no import here)
        return False
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in shell.config
