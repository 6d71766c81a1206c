"""Hand-off benchmark: send and receive a case of 20 consultations, against saving one
intake in the same run.

    python bench/handoff.py [--rounds N] [--dir D]

Two vaults (Argon2id at the floor, which does not affect what is measured) exchange
cards; vault A holds one case of 20 consultations (the documents' fictitious case with
every text field filled). Each round times:

- ``save_intake_ms``: ``Records.save_intake`` of one follow-up intake (the reference);
- ``send_ms``: ``handoff.send_case`` with every optional field (read the case, build,
  sign, seal, write the file atomically, the audit entry);
- ``check_ms``: ``handoff.check_file`` on B (read, open, verify, check every field);
- ``accept_ms``: ``handoff.accept`` (checks again, then writes the new case).

The last line printed is one JSON object with the medians, p95s, the file size and
``ratio`` = (send + check + accept) / save_intake.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("INTAKE_APP_TEST_FAST_KDF", "1")

from intake_app.documents.samples import synthetic_case  # noqa: E402
from intake_app.domain.handoff_content import OPTIONAL_FIELDS  # noqa: E402
from intake_app.domain.model import Intake  # noqa: E402
from intake_app.domain.municipality import load_municipality  # noqa: E402
from intake_app.store import handoff, kdf  # noqa: E402
from intake_app.store.vault import Vault  # noqa: E402

PASSPHRASE = "bench passphrase 相談記録 2026"
CONSULTATIONS = 20


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def case_intakes(today: dt.date) -> list[Intake]:
    first, second = synthetic_case(today)
    out: list[Intake] = []
    for i in range(CONSULTATIONS):
        intake = Intake.from_dict((first if i == 0 else second).to_dict())
        day = today - dt.timedelta(days=7 * (CONSULTATIONS - i))
        intake.consultation.started_at = dt.datetime.combine(day, dt.time(10, 0))
        intake.consultation.content = f"見本の記述（{i + 1}回目の相談内容）" * 20
        out.append(intake)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="handoff-bench-", dir=args.dir))
    try:
        params = kdf.KdfParams(memory_kib=1024, iterations=1)
        for name in ("a", "b"):
            Vault.create(root / name, "bench", PASSPHRASE, kdf=params)
        a = Vault.open(root / "a", "bench", PASSPHRASE)
        b = Vault.open(root / "b", "bench", PASSPHRASE)
        municipality = load_municipality()
        cards = {}
        for name, session in (("a", a), ("b", b)):
            cards[name] = handoff.export_card(session, municipality, root / f"{name}.ihc")
        handoff.import_card(a, cards["b"].card, typed_fingerprint=cards["b"].fingerprint)
        handoff.import_card(b, cards["a"].card, typed_fingerprint=cards["a"].fingerprint)
        today = dt.date.today()
        intakes = case_intakes(today)
        saved = a.records.save_intake(intakes[0])
        for intake in intakes[1:]:
            a.records.save_intake(intake, case_id=saved.case_id)
        usb = root / "usb"
        usb.mkdir()
        timings: dict[str, list[float]] = {"save_intake": [], "send": [], "check": [], "accept": []}
        size = 0
        extra = list(OPTIONAL_FIELDS)
        for _ in range(args.rounds):
            # the reference: one intake saved (to a scratch case, so the sent case keeps 20)
            start = time.perf_counter()
            a.records.save_intake(Intake.from_dict(intakes[-1].to_dict()))
            timings["save_intake"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            sent = handoff.send_case(
                a,
                saved.case_id,
                to=cards["b"].fingerprint,
                consent=handoff.Consent("written", dt.datetime.now()),
                out=usb,
                municipality=municipality,
                extra_fields=extra,
            )
            timings["send"].append((time.perf_counter() - start) * 1000)
            size = sent.size
            start = time.perf_counter()
            checked = handoff.check_file(b, sent.path)
            timings["check"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            handoff.accept(b, checked)
            timings["accept"].append((time.perf_counter() - start) * 1000)
            assert len(checked.payload.content["consultations"]) == CONSULTATIONS
            sent.path.unlink()
        a.close()
        b.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    result: dict[str, object] = {"rounds": args.rounds, "consultations": CONSULTATIONS}
    for key, values in timings.items():
        result[f"{key}_ms"] = round(statistics.median(values), 2)
        result[f"{key}_p95_ms"] = round(p95(values), 2)
    total = statistics.median(
        [
            s + c + x
            for s, c, x in zip(timings["send"], timings["check"], timings["accept"], strict=True)
        ]
    )
    result["round_trip_ms"] = round(total, 2)
    result["ratio"] = round(total / statistics.median(timings["save_intake"]), 2)
    result["file_bytes"] = size
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
