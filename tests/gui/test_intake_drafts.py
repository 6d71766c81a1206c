"""Nothing typed is lost: a killed process leaves its encrypted draft behind."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from intake_app.gui.intake import IntakeWizard
from tests.gui.intake_helpers import FAST_KDF_ENV, municipality, open_session

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from tests.gui.intake_helpers import municipality, open_session, type_japanese
    from intake_app.gui.intake import IntakeWizard

    app = QApplication([])
    session = open_session(Path(sys.argv[1]))
    wizard = IntakeWizard(session, municipality(session))
    wizard.show()
    wizard.go_to(2)
    wizard.pages[2].name.setFocus()
    type_japanese(wizard.pages[2].name, "高橋 由美")
    wizard.go_to(4)
    type_japanese(wizard.pages[4].perp_name, "高橋 次郎")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and wizard.draft_id is None:
        app.processEvents()
        time.sleep(0.01)
    print("DRAFT", wizard.draft_id, flush=True)
    while True:  # typing on; the test kills us here
        app.processEvents()
        time.sleep(0.05)
    """
)


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv(FAST_KDF_ENV, "1")


def test_draft_survives_the_process_being_killed(qtbot, tmp_path):
    open_session(tmp_path).close()  # the vault exists before the counselor starts typing
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.getcwd())
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    ) as proc:
        try:
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, "the child never saved a draft"
            line = proc.stdout.readline().split()
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert line and line[0] == "DRAFT" and line[1] != "None", line
    draft_id = int(line[1])

    time.sleep(0.1)
    session = open_session(tmp_path, create=False)
    try:
        drafts = session.records.list_drafts()
        assert [d.id for d in drafts] == [draft_id], "the draft is offered after the restart"
        assert drafts[0].client_name == "高橋 由美"
        wizard = IntakeWizard(session, municipality(session), draft_id=draft_id)
        qtbot.addWidget(wizard)
        assert wizard.pages[2].name.text() == "高橋 由美"
        assert wizard.pages[4].perp_name.text() == "高橋 次郎"
        assert wizard.current_step() == 4
    finally:
        session.close()
