"""Entry point for `python -m contractbook`."""

import sys

from contractbook.cli import main

sys.exit(main())
