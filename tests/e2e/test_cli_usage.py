"""The command line speaks Japanese and UTF-8 whatever the system's code page."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run(args, stdin=b"", encoding=None):
    env = dict(os.environ)
    if encoding:
        env["PYTHONIOENCODING"] = encoding  # as on a Japanese Windows console (cp932)
    return subprocess.run(
        [sys.executable, "-m", "intake_app", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_a_missing_argument_is_explained_in_japanese(tmp_path):
    done = run(["--data-dir", str(tmp_path / "d"), "init"])
    assert done.returncode == 2
    err = done.stderr.decode("utf-8")
    assert "次の指定が必要です: --user" in err
    assert "required" not in err
    assert not (tmp_path / "d").exists()


def test_an_unknown_command_is_named(tmp_path):
    done = run(["--data-dir", str(tmp_path), "bogus"])
    assert done.returncode == 2
    assert "'bogus' は使えません" in done.stderr.decode("utf-8")


def test_japanese_json_round_trips_as_utf8_under_a_cp932_locale():
    request = {
        "answers": {"R01": True},
        "judgement": "urgent",
        "judgement_reason": "本人が強くおびえている",
    }
    done = run(["rules", "risk"], json.dumps(request, ensure_ascii=False).encode(), "cp932")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    out = json.loads(done.stdout.decode("utf-8"))
    assert out["final"] == "urgent"
    assert any("本人が強くおびえている" in reason for reason in out["reasons"])


def test_input_that_is_not_utf8_exits_2_with_a_message():
    bad = '{"answers": {}, "judgement": null, "judgement_reason": "あ"}'.encode("cp932")
    done = run(["rules", "risk"], bad)
    assert done.returncode == 2
    assert "UTF-8 ではありません" in done.stderr.decode("utf-8")
