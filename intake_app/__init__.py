"""Offline, encrypted consultation intake for spousal-violence support centres."""

import logging

__version__ = "0.1.0"
PRODUCT_NAME = "相談記録システム"

# The program's log goes to the data folder's log file (the GUI) or nowhere: never
# Python's last-resort handler, which would print English lines on a command's stderr.
logging.getLogger(__name__).addHandler(logging.NullHandler())
