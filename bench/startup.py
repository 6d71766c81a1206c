"""Start-up benchmark of the desktop program.

    python bench/startup.py [--runs 5] [--count 100000] [--skip-home]

Prints progress lines, then as its last line one JSON object:
``unlock_screen_s`` (process start until the unlock screen is shown, median),
``bare_qt_s`` (a bare PySide6 window, same method), ``rss_mib`` (at the unlock
screen), ``home_after_unlock_ms`` (after the KDF, on a vault of ``--count``
synthetic consultations: building the main window and its home screen until shown).
The synthetic vault is kept in bench/out/ (git-ignored) and reused.
Targets (issue 4): unlock ≤ 3 × bare, ≤ 150 MiB, home ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
USER = "bench"
PASSPHRASE = "ベンチマーク用のパスフレーズです"


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["INTAKE_APP_TEST_FAST_KDF"] = "1"  # the bench vaults use weak KDF parameters
    env["PYTHONPATH"] = str(ROOT)
    return env


# --- children (one fresh process per measurement) ------------------------------------


def child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel("相談記録システム")
    label.show()

    def ready() -> None:
        print(f"READY {_rss_mib():.1f}", flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()


def child_unlock(data_dir: Path) -> None:
    from intake_app.gui.app import create_application

    app = create_application()
    from PySide6.QtCore import QTimer

    from intake_app.gui.shell import Shell
    from intake_app.store import InstanceLock, Vault

    lock = InstanceLock(data_dir).acquire()
    shell = Shell(data_dir, Vault)
    screen = shell.start()

    def ready() -> None:
        assert screen.isVisible()
        print(f"READY {_rss_mib():.1f}", flush=True)
        shell.lock.shutdown()
        lock.release()
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()


def child_home(data_dir: Path) -> None:
    from intake_app.gui.app import create_application

    app = create_application()
    import threading

    from intake_app.store import Vault

    opened: list[object] = []
    worker = threading.Thread(  # the KDF (not measured), in a thread as the unlock screen does
        target=lambda: opened.append(Vault.open(data_dir, USER, PASSPHRASE))
    )
    worker.start()
    from intake_app.gui.main_window import MainWindow  # the shell preloads it during the KDF

    worker.join()
    session: Any = opened[0]
    start = time.perf_counter()
    window = MainWindow(session)
    window.show()
    app.processEvents()
    elapsed_ms = (time.perf_counter() - start) * 1000
    rows = window.home.today_model.rowCount() + window.home.renewal_model.rowCount()
    print(f"READY {elapsed_ms:.1f} {rows}", flush=True)
    window.suspend()
    session.close()


# --- parent ----------------------------------------------------------------------------


def _run_child(*args: str) -> tuple[float, list[str]]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_child_env(),
        cwd=str(ROOT),
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("READY"):
            elapsed = time.perf_counter() - start
            proc.stdout.read()
            proc.wait(60)
            return elapsed, line.split()[1:]
    proc.wait(60)
    raise RuntimeError(f"child {args[0]} did not report (exit {proc.returncode})")


def _vault(name: str, count: int) -> Path:
    os.environ["INTAKE_APP_TEST_FAST_KDF"] = "1"
    sys.path.insert(0, str(ROOT))
    from intake_app.commands.demo import fill
    from intake_app.store import Vault

    data_dir = OUT / name
    done = data_dir / "complete"
    if done.exists():
        return data_dir
    if data_dir.exists():
        for path in sorted(data_dir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    OUT.mkdir(parents=True, exist_ok=True)
    Vault.create(data_dir, USER, PASSPHRASE)
    if count:
        print(f"building a vault of {count} synthetic consultations…", file=sys.stderr)
        start = time.perf_counter()
        session = Vault.open(data_dir, USER, PASSPHRASE)
        try:
            fill(session, count)
        finally:
            session.close()
        print(f"  built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    done.write_text("ok", encoding="ascii")
    return data_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--skip-home", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind = args.child[0]
        if kind == "bare":
            child_bare()
        elif kind == "unlock":
            child_unlock(Path(args.child[1]))
        elif kind == "home":
            child_home(Path(args.child[1]))
        return 0

    empty = _vault("empty", 0)
    bare, unlock, rss = [], [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        bare.append(_run_child("bare")[0])
        elapsed, fields = _run_child("unlock", str(empty))
        unlock.append(elapsed)
        rss.append(float(fields[0]))
    result: dict[str, object] = {
        "unlock_screen_s": round(statistics.median(unlock), 3),
        "bare_qt_s": round(statistics.median(bare), 3),
        "unlock_over_bare": round(statistics.median(unlock) / statistics.median(bare), 2),
        "rss_mib": round(statistics.median(rss), 1),
        "runs": args.runs,
        "qpa": _child_env()["QT_QPA_PLATFORM"],
    }
    print(f"unlock {unlock} bare {bare} rss {rss}", file=sys.stderr)
    if not args.skip_home:
        big = _vault(f"consultations-{args.count}", args.count)
        homes = []
        for _ in range(args.runs):
            _, fields = _run_child("home", str(big))
            homes.append(float(fields[0]))
        result["home_after_unlock_ms"] = round(statistics.median(homes), 1)
        result["home_consultations"] = args.count
        print(f"home {homes}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
