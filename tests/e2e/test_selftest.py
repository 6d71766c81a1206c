"""`intake-app self-test`: one full intake through the real code paths, exit 0 only if all held."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from intake_app.commands import selftest


def test_self_test_passes_and_leaves_nothing_behind(tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    env.pop("INTAKE_APP_TEST_FAST_KDF", None)  # the real key derivation, as installed
    result = subprocess.run(
        [sys.executable, "-m", "intake_app", "self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "自己診断: すべて成功しました"
    assert not [line for line in lines if line.startswith("NG")]
    for step in ("受付（全ステップ）と保存", "継続相談とリスクの再評価", "保管庫と監査ログの検証"):
        assert f"OK  {step}" in lines
    assert sum(line.startswith("OK  書類の作成") for line in lines) >= 8
    assert list(tmp_path.iterdir()) == [], "the temporary vault is deleted"


def test_self_test_fails_when_a_document_cannot_be_rendered(qapp, monkeypatch, tmp_path):
    from intake_app import documents

    def broken(*args, **kwargs):
        raise RuntimeError("renderer broken")

    monkeypatch.setattr(documents, "safety_plan", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    text = out.getvalue()
    assert "NG  書類の作成: くらしのメモ（安全計画）" in text
    assert text.splitlines()[-1].startswith("自己診断: 失敗")
    assert list(tmp_path.iterdir()) == [], "the vault is deleted even after a failure"
