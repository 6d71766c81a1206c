"""Measuring printed pages (tests and bench/printing.py): the local CUPS test queues,
text placement read back with poppler, and an edge-sharpness figure.

The CUPS queues are made by ``tests/printing/setup_cups.sh``; every helper that needs
them returns a reason to skip instead of failing when they are not there.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PDF_QUEUE = "intake-test-pdf"
OFFICE_QUEUE = "intake-test-office"
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")

GET_JOB = """{
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes all
}
"""


def _run(args: list[str], timeout: float = 20) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def cups_skip_reason(queue: str) -> str | None:
    """None when ``queue`` is a local cups-pdf queue we can print to and read back."""
    for tool in ("lp", "lpstat", "ipptool", "pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            return f"{tool} not installed (tests/printing/setup_cups.sh sets CUPS up)"
    try:
        if "is running" not in _run(["lpstat", "-r"]).stdout:
            return "the CUPS scheduler is not running"
        device = _run(["lpstat", "-v", queue]).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"lpstat failed: {exc}"
    try:
        conf = Path("/etc/cups/cupsd.conf").read_text(encoding="utf-8", errors="replace")
    except OSError:
        conf = ""
    if re.search(r"(?im)^\s*PreserveJobHistory\s+(no|off|false|0)\s*$", conf):
        return "CUPS keeps no job history here, so finished jobs cannot be read back"
    if "cups-pdf:/" not in device:
        return f"no cups-pdf queue {queue} (tests/printing/setup_cups.sh adds it)"
    if not output_dirs():
        return "cups-pdf has no output folder we can read"
    return None


def output_dirs() -> list[Path]:
    """Where cups-pdf writes for this user (its ``Out`` setting, then the usual places)."""
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or "root"
    home = str(Path.home())
    found: list[Path] = []
    try:
        for line in CUPS_PDF_CONF.read_text(encoding="utf-8").splitlines():
            if line.startswith("Out "):
                out = line[4:].strip().replace("${USER}", user).replace("${HOME}", home)
                found.append(Path(out))
    except OSError:
        pass
    found += [Path("/var/spool/cups-pdf") / user, Path(home) / "PDF"]
    return [p for p in found if p.is_dir()]


def job_number(job_id: str) -> int:
    return int(job_id.rsplit("-", 1)[1])


def wait_for_output(job_id: str, timeout: float = 60) -> Path:
    """The PDF cups-pdf wrote for ``job_id`` (``queue-N``), once the job has completed."""
    number = job_number(job_id)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for folder in output_dirs():
            hits = glob.glob(str(folder / f"*job_{number}.pdf"))
            if hits:
                path = Path(hits[0])
                if job_state(job_id) in ("completed", "aborted", "canceled"):
                    return path
        time.sleep(0.2)
    raise TimeoutError(f"no output for job {job_id}")


def job_attributes(job_id: str) -> dict[str, str]:
    """The job's IPP attributes as CUPS keeps them (ipptool Get-Job-Attributes)."""
    queue = job_id.rsplit("-", 1)[0]
    with tempfile.NamedTemporaryFile("w", suffix=".test", delete=False) as f:
        f.write(GET_JOB)
        test = f.name
    try:
        user = os.environ.get("USER") or "root"
        out = _run(
            [
                "ipptool",
                "-tv",
                "-d",
                f"job={job_number(job_id)}",
                "-d",
                f"user={user}",
                f"ipp://localhost/printers/{queue}",
                test,
            ]
        ).stdout
    finally:
        os.unlink(test)
    attrs: dict[str, str] = {}
    for line in out.splitlines():
        m = re.match(r"\s+([a-z0-9-]+) \([^)]*\) = (.*)$", line)
        if m:
            attrs[m.group(1)] = m.group(2)
    return attrs


def job_state(job_id: str) -> str:
    return job_attributes(job_id).get("job-state", "")


def completed_job_names() -> list[str]:
    """``lpstat -W completed -o`` rows (the job history a user of the PC can list)."""
    return _run(["lpstat", "-W", "completed", "-o"]).stdout.splitlines()


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        return self.y1 - self.y0


def words(pdf: Path | bytes, page: int = 1) -> list[Word]:
    """Every word of ``page`` with its box in points (pdftotext -bbox)."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        timeout=60,
        check=True,
    )
    found = []
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    for m in re.finditer(pattern, done.stdout.decode("utf-8")):
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
        found.append(Word(m.group(5), x0, y0, x1, y1))
    return found


def placement(original: list[Word], printed: list[Word]) -> tuple[float, float, float]:
    """(scale, dx, dy) of the printed words against the original, in points.

    Words are matched by their exact text (in reading order where a text repeats); the scale is
    the median width ratio and the offsets the median shift of the left edge and of
    the vertical centre (a print system that re-embeds fonts changes their ascent, so
    word heights are not compared).
    """

    def by_text(ws: list[Word]) -> dict[str, list[Word]]:
        seen: dict[str, list[Word]] = {}
        for w in sorted(ws, key=lambda w: (round(w.y0), w.x0)):
            seen.setdefault(w.text, []).append(w)
        return seen

    o, p = by_text(original), by_text(printed)
    pairs = [
        (a, b)
        for t in o.keys() & p.keys()
        if len(o[t]) == len(p[t]) and len(t) >= 2
        for a, b in zip(o[t], p[t], strict=True)
        if a.x1 - a.x0 > 5
    ]
    if not pairs:
        raise AssertionError("no word of the original was found on the printed page")

    def median(values: list[float]) -> float:
        values = sorted(values)
        return values[len(values) // 2]

    scale = median([(b.x1 - b.x0) / (a.x1 - a.x0) for a, b in pairs])
    dx = median([b.x0 - a.x0 for a, b in pairs])
    dy = median([(b.y0 + b.y1) / 2 - (a.y0 + a.y1) / 2 for a, b in pairs])
    return scale, dx, dy


def render_gray(pdf: Path | bytes, page: int = 1, dpi: int = 600) -> tuple[int, int, bytes]:
    """(width, height, pixels) of ``page`` rendered by pdftoppm as 8-bit grey."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    done = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-"],
        input=data,
        capture_output=True,
        timeout=120,
        check=True,
    )
    raw = done.stdout
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", raw)
    assert m, "pdftoppm did not give a PGM"
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, raw[m.end() : m.end() + w * h]


_CLASS = bytes(b"b"[0] if v < 64 else (b"g"[0] if v < 192 else b"w"[0]) for v in range(256))


def edge_ratio(pdf: Path | bytes, page: int = 1, dpi: int = 600) -> float:
    """Grey pixels (64-191) per black pixel (< 64) at ``dpi``: soft edges raise it.

    Crisp text rendered from vectors has a thin antialiased rim (about 0.3); a page
    sent as a low-resolution JPEG has wide grey, stair-stepped edges (about 1.5).
    """
    _w, _h, pixels = render_gray(pdf, page, dpi)
    classes = pixels.translate(_CLASS)
    black = classes.count(b"b")
    return classes.count(b"g") / black if black else float("inf")


def ink_box(pdf: Path | bytes, page: int = 1, dpi: int = 72) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the ink in pixels at ``dpi`` (grey < 200)."""
    w, h, pixels = render_gray(pdf, page, dpi)
    ink = re.compile(rb"[\x00-\xc7]")
    top = bottom = -1
    left, right = w, -1
    for y in range(h):
        row = pixels[y * w : (y + 1) * w]
        first = ink.search(row)
        if first is None:
            continue
        top = y if top < 0 else top
        bottom = y
        left = min(left, first.start())
        last = ink.search(row[::-1])
        right = max(right, w - 1 - (last.start() if last else 0))
    return left, top, right, bottom
