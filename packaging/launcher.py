"""Entry script of the frozen build: the same `intake-app` entry point as the wheel."""

import sys

from intake_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
