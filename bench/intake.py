"""Intake wizard benchmark: step transitions and draft saves on a large vault.

    python bench/intake.py --count N [--dir D] [--keep] [--transitions T] [--saves S]

Builds a vault of N synthetic consultations (``demo.fill``, as ``demo-data`` does),
opens the real ``IntakeWizard`` on it (Qt offscreen), fills one intake through the
widgets, then measures:

- step_transition_ms: p95 of one step change (``go_to`` plus the event processing
  that lays out and paints the new page), over next/previous moves and jumps;
- draft_save_p95_ms: p95 of ``save_draft_now()`` after a change (reading every
  widget, the JSON form, and the encrypted UPDATE of the draft row).

Wall-clock figures depend on what else the machine runs; ``step_transition_cpu_p95_ms``
(this process's CPU time) and ``load_average`` are printed beside them.

The last line printed is one JSON object. Targets: step transition <= 50 ms,
draft save p95 <= 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from intake_app.commands.demo import fill  # noqa: E402
from intake_app.gui.intake import IntakeWizard  # noqa: E402
from intake_app.store import kdf  # noqa: E402
from intake_app.store.vault import Vault  # noqa: E402

PASSPHRASE = "bench passphrase 相談記録 2026"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _quiet(mode: QtMsgType, context: Any, message: str) -> None:
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def fill_wizard(w: IntakeWizard) -> None:
    p = w.pages
    p[0].safe_now.setValue(False)
    p[0].perpetrator_nearby.setValue(False)
    p[1].channel.setValue("visit")
    p[1].content.setPlainText("夫からの暴力について来所。" * 20)
    p[2].name.setText("試験 花子")
    p[2].kana.setText("しけん はなこ")
    w.go_to(3)
    for age in (4, 9):
        p[3].add_child.click()
        box = p[3].child_boxes[-1]
        box.age.setText(str(age))
        box.lives_with.setValue(True)
        box.witnessed.setValue(True)
    p[4].rel_type.setValue("legal_spouse")
    p[4].types["physical"].setValue("repeated")
    for item in ("R01", "R05", "R08", "R12"):
        p[5].items[item].setValue(True)
    p[8].cats["children"].setChecked(True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--dir", type=Path, default=None, help="reuse or keep the vault here")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--transitions", type=int, default=300)
    ap.add_argument("--saves", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    folder = args.dir or Path(tempfile.mkdtemp(prefix="intake-bench-"))
    build_s = 0.0
    if not Vault.exists(folder):
        t0 = time.perf_counter()
        Vault.create(folder, "bench", PASSPHRASE, kdf=kdf.FLOOR)
        session = Vault.open(folder, "bench", PASSPHRASE)
        fill(session, args.count, seed=args.seed)
        build_s = time.perf_counter() - t0
        print(f"built {args.count} consultations in {build_s:.1f} s", file=sys.stderr)
    else:
        session = Vault.open(folder, "bench", PASSPHRASE)
    try:
        qInstallMessageHandler(_quiet)
        app = QApplication.instance() or QApplication([])
        t0 = time.perf_counter()
        wizard = IntakeWizard(session, session.municipality)
        wizard.resize(1280, 900)
        wizard.show()
        app.processEvents()
        open_ms = (time.perf_counter() - t0) * 1000
        fill_wizard(wizard)
        app.processEvents()

        rng = random.Random(args.seed)
        transitions: list[float] = []
        transitions_cpu: list[float] = []
        current = wizard.current_step()
        for i in range(args.transitions):
            if i % 3 == 0:
                target = rng.randrange(11)
            else:
                target = min(10, current + 1) if current < 10 else 0
            if target == current:
                target = (current + 1) % 11
            t0, c0 = time.perf_counter(), time.process_time()
            wizard.go_to(target)
            app.processEvents()
            transitions.append((time.perf_counter() - t0) * 1000)
            transitions_cpu.append((time.process_time() - c0) * 1000)
            current = target

        saves: list[float] = []
        first_ms = 0.0
        name = wizard.pages[2].name
        for i in range(args.saves + 1):
            name.setText(f"試験 花子{i}")
            t0 = time.perf_counter()
            wizard.save_draft_now()
            elapsed = (time.perf_counter() - t0) * 1000
            if i == 0 and wizard.draft_id is not None and not saves and first_ms == 0.0:
                first_ms = elapsed  # the first one creates the row (audited)
                continue
            saves.append(elapsed)

        wizard.pages[3].notified_to.setEditText("子ども未来課")
        wizard.pages[3].notified_at.setText("2026-01-05 10:00")
        wizard.pages[3].method.setValue("電話")
        t0 = time.perf_counter()
        ok = wizard.save()
        save_ms = (time.perf_counter() - t0) * 1000
        if not ok:
            print("save failed: " + " / ".join(m for _s, m in wizard.problems()), file=sys.stderr)
        result = {
            "count": args.count,
            "build_s": round(build_s, 1),
            "wizard_open_ms": round(open_ms, 1),
            "step_transition_ms": round(p95(transitions), 2),
            "step_transition_median_ms": round(statistics.median(transitions), 2),
            "step_transition_max_ms": round(max(transitions), 2),
            "step_transition_cpu_p95_ms": round(p95(transitions_cpu), 2),
            "load_average": round(os.getloadavg()[0], 2),
            "draft_save_p95_ms": round(p95(saves), 2),
            "draft_save_median_ms": round(statistics.median(saves), 2),
            "draft_first_save_ms": round(first_ms, 2),
            "save_intake_ms": round(save_ms, 1),
            "saved": ok,
        }
        wizard.deleteLater()
        app.processEvents()
    finally:
        session.close()
        if args.dir is None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
