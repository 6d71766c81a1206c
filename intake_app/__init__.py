"""Offline, encrypted consultation intake for spousal-violence support centres."""

__version__ = "0.1.0"
PRODUCT_NAME = "相談記録システム"
