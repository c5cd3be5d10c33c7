"""``python -m portsim``: the same as the ``portsim`` command."""

from .cli import main

main()
