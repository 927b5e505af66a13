"""``python -m queuemath``: the command line (see :mod:`queuemath.cli`)."""
import sys

from .cli import main

sys.exit(main())
