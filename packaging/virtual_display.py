"""A throw-away X server (Xvfb) for checking that Qt's X11 plugin opens real windows.

Used by ``tests/install/test_qt_system_libs.py`` and ``packaging/smoke_test.py``. Xvfb
picks a free display number itself (``-displayfd``) and listens on no TCP port.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

START_TIMEOUT_S = 20


def available() -> bool:
    return shutil.which("Xvfb") is not None


@contextmanager
def xvfb(size: str = "1366x768x24") -> Iterator[str]:
    """Run Xvfb while the block runs; yields its ``DISPLAY`` (``":N"``)."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        number = b""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not number.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_fd], [], [], remaining)[0]:
                break
            chunk = os.read(read_fd, 16)
            if not chunk:
                break
            number += chunk
        if not number.strip().isdigit():
            raise RuntimeError("Xvfb did not start")
        yield ":" + number.decode().strip()
    finally:
        os.close(read_fd)
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
