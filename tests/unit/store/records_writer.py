"""A writer process for the kill -9 test: saves intakes and drafts until it is killed.

    python -m tests.unit.store.records_writer DATA_DIR SEED [lazy-header]

After each save has returned (committed), it prints one acknowledgement line and
flushes: ``S <consultation_id> <case_id>`` for an intake, ``D <draft_id> <version>``
for a draft update. The parent kills it at a random moment and checks that every
acknowledged save is in the vault. ``lazy-header`` runs it as the program was before
the commit counter (the header written at most every 2 s), for negative controls.
"""

from __future__ import annotations

import sys
from pathlib import Path

from intake_app.store.synthetic import generate
from tests.unit.store.records_support import open_vault


def lazy_header() -> None:
    """The header after a commit at most every 2 s, as before the commit counter."""
    import time

    from intake_app.store.session import Session

    def after_commit(self: Session, kind: str) -> None:
        if time.monotonic() - self._header_saved_at < 2.0:
            self._header_dirty = True
            return
        self._save_header(quiet=True)

    Session._after_commit = after_commit  # type: ignore[method-assign]


def main() -> int:
    data_dir = Path(sys.argv[1])
    seed = int(sys.argv[2])
    if sys.argv[3:] == ["lazy-header"]:
        lazy_header()
    session = open_vault(data_dir)
    records = session.records
    draft_id = records.save_draft({"version": 0}, step=0)
    print(f"D {draft_id} 0", flush=True)
    case_id: int | None = None
    for n, item in enumerate(generate(10_000, seed=seed, min_gap=1), start=1):
        saved = records.save_intake(item.intake, case_id=case_id if n % 3 == 0 else None)
        case_id = saved.case_id
        print(f"S {saved.consultation_id} {saved.case_id}", flush=True)
        records.save_draft(
            {"version": n, "pad": "x" * (n % 7) * 500}, step=n % 10, draft_id=draft_id
        )
        print(f"D {draft_id} {n}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
