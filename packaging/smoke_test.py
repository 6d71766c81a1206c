"""Smoke test of the built package in dist/intake-app (``make package-test``).

Checks, against the built program and never the source tree's Python:
  1. layout: the package's data (intake_app/resources/) sits at its package-relative
     place inside the bundle's internal folder, file for file the same as in the
     source tree, and nothing is left at the old places beside the package;
  2. trimming: no unused Qt module, plugin or translation crept back, and the
     unpacked size stays within the target;
  3. ``intake-app --version`` names the source tree's version;
  4. ``intake-app self-test`` (architecture.md contract) exits 0 and leaves nothing
     in the temporary folder;
  5. the GUI starts offscreen on an empty data folder and quits by itself
     (INTAKE_APP_SMOKE_QUIT_MS), with no traceback, no Qt plugin error and no error
     in the program's log;
  6. the administration commands work: ``init`` then ``verify`` on a new data
     folder, and the GUI opens that vault's unlock screen and quits the same way;
     on POSIX the data folder and every file in it stay owner-only;
  7. on Linux, the X11 plugin needs nothing from the system but the C library, libxcb
     and the GL/EGL driver libraries (the rest is in the bundle), and with Xvfb the GUI
     starts through it (xcb) and quits the same way;
  8. on Linux with strace, no GUI or self-test run opens a network socket (anything
     but AF_UNIX); a control run that does open one proves the check can fail.
Every run happens in a throw-away HOME/TMPDIR/data folder. Exit status 0 only if
every check passed; each failure is named.

    python packaging/smoke_test.py [--dist DIR] [--max-mb 200] [--skip-gui]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import virtual_display

ROOT = Path(__file__).resolve().parent.parent
NAME = "intake-app"
IS_WINDOWS = sys.platform == "win32"
# Must match DATA_DIRS and SKIP_NAMES in packaging/intake_app.spec.
DATA_DIRS = ("intake_app/resources",)
# Where data lay before it moved into the package; a build must not ship them.
OLD_DATA_DIRS = ("resources", "db", "ui")
SKIP_NAMES = {"__pycache__", ".DS_Store", "Thumbs.db"}
SMOKE_QUIT_MS = 3000
SELF_TEST_TIMEOUT_S = 900
GUI_TIMEOUT_S = 120

# Patterns (on the path inside the bundle) that must not appear: Qt modules the
# program does not use, network-facing plugins, Python bindings for Qt Network.
FORBIDDEN = [
    r"Qt6?WebEngine",
    r"Qt6?Qml",
    r"Qt6?Quick",
    r"Qt6?Multimedia",
    r"Qt63D|Qt3D",
    r"Qt6?Designer",
    r"Qt6?Help",
    r"Qt6?Sql",
    r"Qt6?Test",
    r"PySide6[/\\]QtNetwork\.",
    r"plugins[/\\](tls|networkinformation|sqldrivers|qmltooling|generic)[/\\]",
    r"plugins[/\\]platforms[/\\](lib)?qvnc",
    r"(^|[/\\])(tkinter|_tkinter|pytest|hypothesis|pypdf)([/\\.]|$)",
]


# What the bundled X11 plugin may take from the system (PyInstaller leaves these out on
# purpose: they belong to the C library and the graphics driver); everything else it
# needs must be in the bundle, so a PC without libxcb-icccm4 & co still opens windows.
X11_PLUGINS = (
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-egl-integration.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
)
X11_FROM_SYSTEM = re.compile(
    r"^(linux-vdso|ld-linux[-\w]*|lib(c|m|dl|pthread|rt|resolv)|libxcb|"
    r"lib(EGL|GL|GLX|GLdispatch|OpenGL))\.so(\.\d+)*$"
)

STRACE_CALLS = "socket,connect,bind,sendto,sendmsg"
# A socket of any family but AF_UNIX/AF_LOCAL, or a connect/bind/send to such an address.
NETWORK_CALL = re.compile(
    r"socket\((?!AF_UNIX|AF_LOCAL)AF_\w+|sa_family=(?!AF_UNIX|AF_LOCAL)AF_\w+"
)


class Tracer:
    """Runs commands under strace to catch network sockets (Linux; else a no-op)."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.strace = shutil.which("strace") if sys.platform.startswith("linux") else None
        self.reason = "strace not available" if self.strace is None else ""
        self.count = 0
        if self.strace is not None and not self._control_caught():
            self.reason = "strace cannot trace here (control run not caught)"
            self.strace = None

    def _control_caught(self) -> bool:
        code = "import socket; s = socket.socket(); s.close()"
        try:
            lines = self.run([sys.executable, "-c", code], dict(os.environ), 60)[1]
        except CheckFailed:
            return False
        return bool(lines)

    def run(
        self, cmd: list[str], env: dict[str, str], timeout: float
    ) -> tuple[subprocess.CompletedProcess[str], list[str]]:
        """Run ``cmd``; return its result and the network calls it made."""
        if self.strace is None:
            return run(cmd, env, timeout), []
        self.count += 1
        trace = self.scratch / f"trace-{self.count}.txt"
        traced = [self.strace, "-f", "-qq", "-e", f"trace={STRACE_CALLS}", "-o", str(trace)]
        result = run(traced + cmd, env, timeout)
        text = trace.read_text(encoding="utf-8", errors="replace") if trace.exists() else ""
        return result, [line for line in text.splitlines() if NETWORK_CALL.search(line)]


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def run(self, title: str, check: Callable[[], str | None]) -> None:
        started = time.monotonic()
        try:
            detail = check()
        except CheckFailed as exc:
            self.failures.append(f"{title}: {exc}")
            print(f"FAIL  {title}: {exc}", flush=True)
            return
        took = time.monotonic() - started
        print(f"ok    {title} ({took:.1f} s){': ' + detail if detail else ''}", flush=True)


class CheckFailed(Exception):
    pass


def source_files(rel_dir: str) -> dict[str, int]:
    """Relative path -> size of the files the spec bundles from ROOT/rel_dir."""
    base = ROOT / rel_dir
    out = {}
    for path in base.rglob("*"):
        if not path.is_file() or SKIP_NAMES.intersection(path.parts) or path.name.startswith("."):
            continue
        out[path.relative_to(ROOT).as_posix()] = path.stat().st_size
    return out


def bundle_files(internal: Path, rel_dir: str) -> dict[str, int]:
    base = internal / rel_dir
    if not base.is_dir():
        return {}
    return {
        p.relative_to(internal).as_posix(): p.stat().st_size for p in base.rglob("*") if p.is_file()
    }


def walk_files(folder: Path) -> Iterator[Path]:
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            yield Path(dirpath, name)


def open_to_others(data: Path) -> list[str]:
    """POSIX: the data folder and what the program wrote in it, if group or others can read."""
    if os.name != "posix" or not data.exists():
        return []
    paths = [data, *data.rglob("*")]
    return [
        f"{p.relative_to(data.parent).as_posix()} {p.stat().st_mode & 0o777:o}"
        for p in paths
        if not p.is_symlink() and p.stat().st_mode & 0o077
    ]


def sandbox_env(base: Path) -> dict[str, str]:
    """An environment whose home, temp and data folders are all inside ``base``."""
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("INTAKE_APP_", "XDG_", "PYTHON")) or key in {"VIRTUAL_ENV"}:
            del env[key]
    home, tmp, data = base / "home", base / "tmp", base / "data"
    for folder in (home, tmp):  # the data folder is the program's to create
        folder.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        TMPDIR=str(tmp),
        TEMP=str(tmp),
        TMP=str(tmp),
        XDG_RUNTIME_DIR=str(tmp),
        INTAKE_APP_DATA_DIR=str(data),
        QT_QPA_PLATFORM="offscreen",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
    )
    return env


def run(
    cmd: list[str], env: dict[str, str], timeout: float, stdin_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            cmd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            input=stdin_text,
            stdin=subprocess.DEVNULL if stdin_text is None else None,
        )
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"{timeout:.0f} 秒以内に終了しませんでした: {' '.join(cmd)}") from exc


def tail(text: str, lines: int = 15) -> str:
    return "\n        ".join(text.strip().splitlines()[-lines:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke test of the built package")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--max-mb", type=float, default=200.0)
    parser.add_argument("--skip-gui", action="store_true")
    args = parser.parse_args(argv)

    bundle = args.dist / NAME
    internal = bundle / "_internal"
    exe_suffix = ".exe" if IS_WINDOWS else ""
    # On Windows the GUI executable is windowed; the console twin prints.
    cli_exe = bundle / f"{NAME}{'-cli' if IS_WINDOWS else ''}{exe_suffix}"
    gui_exe = bundle / f"{NAME}{exe_suffix}"
    if not cli_exe.is_file() or not internal.is_dir():
        print(f"FAIL  no built program at {cli_exe}: run `make package` first", file=sys.stderr)
        return 1

    checks = Checks()
    scratch = Path(tempfile.mkdtemp(prefix="intake-app-smoke-"))
    tracer = Tracer(scratch)

    def network_note() -> str:
        if tracer.strace is None:
            return f"; network not traced ({tracer.reason})"
        return "; no network socket (strace)"

    def layout() -> str:
        problems = []
        count = 0
        for rel in DATA_DIRS:
            want, have = source_files(rel), bundle_files(internal, rel)
            count += len(want)
            missing = sorted(set(want) - set(have))
            extra = sorted(set(have) - set(want))
            differ = sorted(k for k in set(want) & set(have) if want[k] != have[k])
            if missing:
                problems.append(f"missing {missing[:5]}")
            if extra:
                problems.append(f"not in the source tree {extra[:5]}")
            if differ:
                problems.append(f"different size {differ[:5]}")
        font = "intake_app/resources/fonts/ipaexg.ttf"
        if not (internal / font).is_file():
            problems.append(f"the bundled font _internal/{font} is missing")
        stale = [name for name in OLD_DATA_DIRS if (internal / name).exists()]
        if stale:
            problems.append(f"data left outside the package: {stale}")
        if problems:
            raise CheckFailed("; ".join(problems))
        return f"{count} data files in {internal.name}/intake_app/resources/"

    def trimmed() -> str:
        bad = []
        ja_only = []
        size = 0
        for path in walk_files(bundle):
            rel = path.relative_to(bundle).as_posix()
            if not path.is_symlink():
                size += path.stat().st_size
            if any(re.search(p, rel) for p in FORBIDDEN):
                bad.append(rel)
            if "/translations/" in rel and rel.endswith(".qm") and not rel.endswith("_ja.qm"):
                ja_only.append(rel)
        if bad:
            raise CheckFailed(f"unused Qt or development parts in the bundle: {bad[:8]}")
        if ja_only:
            raise CheckFailed(f"non-Japanese Qt translations in the bundle: {ja_only[:5]}")
        size_mb = size / 1_000_000
        if size_mb > args.max_mb:
            raise CheckFailed(f"{size_mb:.1f} MB unpacked, above the {args.max_mb:.0f} MB target")
        return f"{size_mb:.1f} MB unpacked"

    def x11_libraries() -> str:
        plugins = [internal / rel for rel in X11_PLUGINS if (internal / rel).is_file()]
        if not plugins:
            raise CheckFailed("the X11 plugin (platforms/libqxcb.so) is not in the bundle")
        env = dict(os.environ, LD_LIBRARY_PATH=str(internal), LC_ALL="C")
        from_system: set[str] = set()
        for plugin in plugins:
            out = run(["ldd", str(plugin)], env, 60).stdout
            for line in out.splitlines():
                name, _, where = line.strip().partition(" => ")
                where = where or name
                if "not found" in where or not where.startswith(str(internal)):
                    soname = Path(name.split()[0]).name
                    from_system.add(soname + (" (not found)" if "not found" in where else ""))
        unexpected = sorted(n for n in from_system if not X11_FROM_SYSTEM.match(n))
        if unexpected:
            raise CheckFailed(f"the X11 plugin would take these from the system: {unexpected}")
        return "from the system only: " + " ".join(sorted(from_system))

    def version() -> str:
        init = (ROOT / "intake_app" / "__init__.py").read_text(encoding="utf-8")
        match = re.search(r'__version__\s*=\s*"([^"]+)"', init)
        expected = match.group(1) if match else "?"
        result = run([str(cli_exe), "--version"], sandbox_env(scratch / "version"), 60)
        out = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or out != f"{NAME} {expected}":
            raise CheckFailed(f"exit {result.returncode}, printed {out!r}, expected {expected}")
        return out

    def self_test() -> str:
        base = scratch / "self-test"
        env = sandbox_env(base)
        cmd = [str(cli_exe), "--data-dir", str(base / "data"), "self-test"]
        result, network = tracer.run(cmd, env, SELF_TEST_TIMEOUT_S)
        if result.returncode == 2 and "self-test" in result.stderr and "choice" in result.stderr:
            raise CheckFailed("this build has no `self-test` command yet (intake_app/commands)")
        if result.returncode != 0:
            raise CheckFailed(
                f"exit {result.returncode}\n        {tail(result.stdout + result.stderr)}"
            )
        leftovers = [p.relative_to(base).as_posix() for p in walk_files(base / "tmp")]
        if leftovers:
            raise CheckFailed(f"left files in the temporary folder: {leftovers[:5]}")
        if network:
            raise CheckFailed(f"opened a network socket: {network[:3]}")
        last = result.stdout.strip().splitlines()[-1:] or [""]
        return last[0] + network_note()

    def gui(base: Path | None = None, display: str = "") -> str:
        base = base or scratch / "gui"
        env = sandbox_env(base)
        env["INTAKE_APP_SMOKE_QUIT_MS"] = str(SMOKE_QUIT_MS)
        if display:  # the X11 plugin on a real (virtual) X server
            env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display)
            env.pop("WAYLAND_DISPLAY", None)
        data = base / "data"
        try:
            result, network = tracer.run(
                [str(gui_exe), "--data-dir", str(data)], env, GUI_TIMEOUT_S
            )
        except CheckFailed as exc:
            raise CheckFailed(
                f"{exc} (does intake_app/gui/app.py honour INTAKE_APP_SMOKE_QUIT_MS?)"
            ) from exc
        output = result.stdout + result.stderr
        errors = [
            line
            for line in output.splitlines()
            if "Traceback" in line
            or "Could not load the Qt platform plugin" in line
            or "Cannot load library" in line
            or "Failed to execute script" in line
            or "is needed to load the Qt xcb platform plugin" in line
        ]
        if result.returncode != 0 or errors:
            raise CheckFailed(f"exit {result.returncode}\n        {tail(output)}")
        logged = [
            f"{log.name}: {line}"
            for log in data.glob("*.log")
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if " ERROR " in line or " CRITICAL " in line
        ]
        if logged:
            raise CheckFailed(f"the program logged errors: {logged[:5]}")
        loose = open_to_others(data)
        if loose:
            raise CheckFailed(f"data readable by others: {loose}")
        if network:
            raise CheckFailed(f"opened a network socket: {network[:3]}")
        where = f"on X11 ({display}, xcb)" if display else "offscreen"
        return f"started {where} and quit by itself after {SMOKE_QUIT_MS} ms" + network_note()

    def admin_and_unlock() -> str:
        base = scratch / "admin"
        env = sandbox_env(base)
        data = base / "data"
        # A throw-away vault in a temporary folder, deleted at the end.
        secret = "smoke test passphrase 2026\n"  # noqa: S105
        for args in (["init", "--user", "smoke"], ["verify", "--user", "smoke"]):
            cmd = [str(cli_exe), "--data-dir", str(data), *args, "--passphrase-stdin"]
            result = run(cmd, env, SELF_TEST_TIMEOUT_S, stdin_text=secret)
            if result.returncode != 0:
                raise CheckFailed(
                    f"`{args[0]}` exit {result.returncode}\n        "
                    f"{tail(result.stdout + result.stderr)}"
                )
        loose = open_to_others(data)
        if loose:
            raise CheckFailed(f"data readable by others: {loose}")
        return "init, verify; " + gui(base).replace("started", "unlock screen started")

    checks.run("layout: data inside the package", layout)
    checks.run("trimmed Qt, size", trimmed)
    if sys.platform.startswith("linux") and shutil.which("ldd"):
        checks.run("X11 libraries in the bundle", x11_libraries)
    checks.run("--version", version)
    checks.run("self-test", self_test)
    if args.skip_gui:
        print("skip  GUI (--skip-gui)")
    else:
        checks.run("GUI offscreen start and quit (setup wizard)", gui)
        checks.run("administration commands, GUI on an existing vault", admin_and_unlock)
        if sys.platform.startswith("linux") and virtual_display.available():

            def x11() -> str:
                with virtual_display.xvfb() as display:
                    return gui(scratch / "x11", display)

            checks.run("GUI on X11 under Xvfb (setup wizard)", x11)
        elif sys.platform.startswith("linux"):
            print("skip  GUI on X11 (Xvfb is not installed)")

    shutil.rmtree(scratch, ignore_errors=True)
    if checks.failures:
        print(f"\n{len(checks.failures)} check(s) failed:", file=sys.stderr)
        for failure in checks.failures:
            print(f"  - {failure.splitlines()[0]}", file=sys.stderr)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
