"""`python -m intake_app` runs the same entry point as `intake-app`."""

import sys

from intake_app.cli import main

sys.exit(main())
