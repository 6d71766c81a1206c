"""Subcommands of `intake-app`. Each module has ``register(subparsers)``.

A registered parser sets ``handler=callable(args) -> int`` with
``parser.set_defaults(handler=...)``.
"""

from intake_app.commands import demo, documents, handoff, rules, selftest, stats, vault

COMMAND_MODULES = (vault, demo, rules, documents, stats, handoff, selftest)
