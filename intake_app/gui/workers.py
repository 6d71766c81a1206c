"""Run a blocking call (the KDF) off the GUI thread and get the result back as a signal."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class Job(QObject):
    """One background call. ``done(result)`` or ``failed(exception)`` on the GUI thread."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._func = func
        self._args = args
        self._kwargs = kwargs
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="intake-kdf", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            result = self._func(*self._args, **self._kwargs)
        except BaseException as exc:  # handed to the GUI thread, which decides
            self.failed.emit(exc)
        else:
            self.done.emit(result)

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
