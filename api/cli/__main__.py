"""``python -m api.cli`` is the ``onceonly`` command."""

import sys

from api.cli import main

sys.exit(main())
