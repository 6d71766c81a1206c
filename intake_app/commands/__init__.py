"""Subcommands of `intake-app`. Each module has ``register(subparsers)``.

A registered parser sets ``handler=callable(args) -> int`` with
``parser.set_defaults(handler=...)``.
"""

from intake_app.commands import (
    demo,
    documents,
    handoff,
    manual,
    rules,
    selftest,
    settings,
    stats,
    vault,
)

COMMAND_MODULES = (vault, demo, rules, documents, stats, settings, handoff, manual, selftest)
