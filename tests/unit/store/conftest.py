"""Fixtures shared by the store tests."""

from tests.unit.store.handoff_support import world  # noqa: F401 - the hand-off tests' two centres
