"""The whole hand-off between two data folders, as IT staff run it (subprocesses)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.test_vault_cli import SUPERVISOR, SUPERVISOR_PASS, cli, files

FINGERPRINT = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$")
CASE_NUMBER = re.compile(r"^\d{4}-\d{4}$")


def run(data_dir: Path, *args: str) -> tuple[int, str, str]:
    done = cli(data_dir, *args, "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    return done.returncode, done.stdout, done.stderr


def vault_files(data_dir: Path) -> dict[str, str]:
    return {k: v for k, v in files(data_dir).items() if k.startswith("vault.")}


def test_round_trip_between_two_data_folders(tmp_path: Path) -> None:
    a, b, usb = tmp_path / "a", tmp_path / "b", tmp_path / "usb"
    usb.mkdir()
    for folder in (a, b):
        done = cli(
            folder, "init", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS
        )
        assert done.returncode == 0, done.stderr
    code, _, err = run(a, "demo-data", "--count", "4", "--seed", "3")
    assert code == 0, err

    # cards: the fingerprint is the last line of standard output
    prints = {}
    for name, folder in (("a", a), ("b", b)):
        code, out, err = run(folder, "handoff", "export-card", "--out", str(usb / f"{name}.ihc"))
        assert code == 0, err
        prints[name] = out.strip().splitlines()[-1]
        assert FINGERPRINT.match(prints[name]), out
    assert prints["a"] != prints["b"]

    # a wrong fingerprint is refused before the unlock: nothing in the vault changes
    before = vault_files(b)
    code, _, err = run(
        b, "handoff", "import-card", str(usb / "a.ihc"), "--fingerprint", prints["b"]
    )
    assert code == 1 and "確認番号が公開カードと一致しない" in err
    assert vault_files(b) == before
    code, _, err = run(
        b, "handoff", "import-card", str(usb / "a.ihc"), "--fingerprint", prints["a"].lower()
    )
    assert code == 0, err
    code, _, err = run(
        a, "handoff", "import-card", str(usb / "b.ihc"), "--fingerprint", prints["b"]
    )
    assert code == 0, err

    code, out, err = run(a, "cases", "--json")
    assert code == 0, err
    cases = json.loads(out)
    assert cases and all(CASE_NUMBER.match(c["case_number"]) for c in cases)
    assert {c["status"] for c in cases} <= {"open", "closed"}
    number = cases[0]["case_number"]

    # send: consent given, the file encrypted for B alone
    package = usb / "transfer.ihp"
    code, out, err = run(
        a, "handoff", "send", "--case", number, "--to", prints["b"],
        "--consent-method", "written", "--consent-at", "2026-11-25T10:30", "--out", str(package),
    )  # fmt: skip
    assert code == 0, err
    assert out.strip().splitlines()[-1] == str(package) and package.exists()
    assert "だけが開けます" in err

    # A cannot open what it sent to B; its files stay as they were
    before_a = vault_files(a)
    code, _, err = run(a, "handoff", "receive", str(package), "--accept")
    assert code == 1 and "別のセンター宛て" in err
    assert vault_files(a) == before_a

    # a damaged copy is refused, B unchanged
    damaged = usb / "damaged.ihp"
    data = bytearray(package.read_bytes())
    data[-10] ^= 0x40
    damaged.write_bytes(bytes(data))
    before = vault_files(b)
    code, _, err = run(b, "handoff", "receive", str(damaged), "--accept")
    assert code == 1 and "改ざん" in err
    assert vault_files(b) == before

    # accepted: the new case number on standard output
    code, out, err = run(b, "handoff", "receive", str(package), "--accept")
    assert code == 0, err
    new_number = out.strip().splitlines()[-1]
    assert CASE_NUMBER.match(new_number)
    code, out, _ = run(b, "cases", "--json")
    assert json.loads(out) == [{"case_number": new_number, "status": "open", "handed_over": True}]

    # the same file again: refused, B unchanged
    before = vault_files(b)
    code, _, err = run(b, "handoff", "receive", str(package), "--decline")
    assert code == 1 and "受け取り済み" in err
    assert vault_files(b) == before

    # declining a second package records only that
    second = usb / "second.ihp"
    code, _, err = run(
        a, "handoff", "send", "--case", cases[-1]["case_number"], "--to", prints["b"],
        "--consent-method", "verbal", "--consent-at", "2026-11-25T11:00", "--out", str(second),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(b, "handoff", "receive", str(second), "--decline")
    assert code == 0 and out == "" and "辞退しました" in err
    code, out, _ = run(b, "cases", "--json")
    assert len(json.loads(out)) == 1


def test_usage_errors(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    done = cli(folder, "init", "--user", SUPERVISOR, "--passphrase-stdin", stdin=SUPERVISOR_PASS)
    assert done.returncode == 0
    (tmp_path / "p.ihp").write_bytes(b"x")
    code, _, err = run(
        folder, "handoff", "receive", str(tmp_path / "p.ihp"), "--accept", "--decline"
    )
    assert code == 2 and "エラー" in err
    code, _, err = run(
        folder, "handoff", "send", "--case", "2026-0001", "--to", "nonsense",
        "--consent-method", "verbal", "--consent-at", "2026-11-25T10:30",
        "--out", str(tmp_path / "x.ihp"),
    )  # fmt: skip
    assert code == 2 and "確認番号の形" in err
    code, _, err = run(
        folder, "handoff", "send", "--case", "2026-0001", "--to", "A" * 32,
        "--consent-method", "verbal", "--consent-at", "yesterday",
        "--out", str(tmp_path / "x.ihp"),
    )  # fmt: skip
    assert code == 2 and "同意の日時" in err
    before = vault_files(folder)
    code, _, err = run(folder, "handoff", "receive", str(tmp_path / "p.ihp"), "--accept")
    assert code == 1 and "引継ぎファイルではありません" in err
    assert vault_files(folder) == before
