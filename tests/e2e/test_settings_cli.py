"""`intake-app settings export|import`, `init --municipality`, `--display-name` (subprocesses)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.e2e.test_vault_cli import (
    COUNSELOR,
    COUNSELOR_PASS,
    SUPERVISOR,
    SUPERVISOR_PASS,
    cli,
    files,
    vault,
)

__all__ = ["vault"]
WARABI = Path(__file__).resolve().parents[2] / "intake_app/resources/municipality/warabi.toml"


def export(data_dir: Path, *extra: str) -> object:
    return cli(
        data_dir,
        "settings",
        "export",
        "--user",
        SUPERVISOR,
        "--passphrase-stdin",
        *extra,
        stdin=SUPERVISOR_PASS,
    )


def import_(data_dir: Path, path: Path, user: str = SUPERVISOR, passphrase: str = SUPERVISOR_PASS):
    return cli(
        data_dir,
        "settings",
        "import",
        "--user",
        user,
        "--passphrase-stdin",
        str(path),
        stdin=passphrase,
    )


def test_export_to_stdout_and_to_a_private_file_then_import_round_trip(
    vault: Path, tmp_path: Path
) -> None:
    done = export(vault)
    assert done.returncode == 0, done.stderr
    data = tomllib.loads(done.stdout)
    assert data["id"] == "warabi" and data["centre"]["name"] == "蕨市配偶者暴力相談支援センター"
    out = tmp_path / "warabi-settings.toml"
    done = export(vault, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    assert tomllib.loads(out.read_text("utf-8")) == data
    again = import_(vault, out)
    assert again.returncode == 0, again.stderr
    assert "何も変更していません" in again.stderr
    edited = tmp_path / "edited.toml"
    edited.write_text(
        out.read_text("utf-8").replace('phone = ""', 'phone = "048-555-0100"', 1), "utf-8"
    )
    done = import_(vault, edited)
    assert done.returncode == 0, done.stderr
    assert "第2版" in done.stderr and "センターの電話番号" in done.stderr
    assert tomllib.loads(export(vault).stdout)["centre"]["phone"] == "048-555-0100"


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (lambda t: t.replace('id = "police"', 'id = "../../etc/passwd"', 1), "destinations[0].id"),
        (lambda t: t.replace("retention_years = 5", "retention_years = five"), "行目"),
        (lambda t: t.replace('phone = ""', 'phone = "abc"', 1), "centre.phone"),
    ],
)
def test_a_bad_file_is_refused_with_key_and_line_and_nothing_changes(
    vault: Path, tmp_path: Path, edit, needle: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(edit(WARABI.read_text("utf-8")), "utf-8")
    before = files(vault)
    done = import_(vault, bad)
    assert done.returncode == 1
    assert needle in done.stderr and "bad.toml" in done.stderr
    assert "何も変更していません" in done.stderr
    assert "Traceback" not in done.stderr
    assert files(vault) == before  # not even unlocked


def test_a_counselor_is_refused(vault: Path, tmp_path: Path) -> None:
    done = cli(
        vault, "settings", "export", "--user", COUNSELOR, "--passphrase-stdin", stdin=COUNSELOR_PASS
    )
    assert done.returncode == 1 and "管理者" in done.stderr and done.stdout == ""
    done = import_(vault, WARABI, COUNSELOR, COUNSELOR_PASS)
    assert done.returncode == 1 and "管理者" in done.stderr


def test_init_refuses_a_path_like_or_broken_municipality_before_anything(tmp_path: Path) -> None:
    for value, needle in (
        ("../../etc/passwd", "名前が正しくありません"),
        ("nowhere", "見つかりません"),
    ):
        data_dir = tmp_path / "d"
        done = cli(
            data_dir,
            "init",
            "--user",
            SUPERVISOR,
            "--municipality",
            value,
            "--passphrase-stdin",
            stdin=SUPERVISOR_PASS,
        )
        assert done.returncode == 1 and needle in done.stderr
        assert not data_dir.exists()
    broken = tmp_path / "city.toml"
    broken.write_text(
        WARABI.read_text("utf-8").replace('kind = "police"', 'kind = "navy"'), "utf-8"
    )
    done = cli(
        tmp_path / "d",
        "init",
        "--user",
        SUPERVISOR,
        "--municipality",
        str(broken),
        "--passphrase-stdin",
        stdin=SUPERVISOR_PASS,
    )
    assert done.returncode == 1
    assert "city.toml の「destinations[0].kind」" in done.stderr and "行目" in done.stderr
    assert not (tmp_path / "d").exists()


def test_init_and_add_user_take_display_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "d"
    done = cli(
        data_dir,
        "init",
        "--user",
        SUPERVISOR,
        "--display-name",
        "佐藤 一郎",
        "--municipality",
        str(WARABI),
        "--passphrase-stdin",
        stdin=SUPERVISOR_PASS,
    )
    assert done.returncode == 0, done.stderr
    assert "蕨市" in done.stderr and "氏名が未設定" not in done.stderr
    done = cli(
        data_dir,
        "add-user",
        "--user",
        SUPERVISOR,
        "--new-user",
        COUNSELOR,
        "--role",
        "counselor",
        "--display-name",
        "鈴木 花子",
        "--passphrase-stdin",
        stdin=f"{SUPERVISOR_PASS}\n{COUNSELOR_PASS}\n",
    )
    assert done.returncode == 0, done.stderr
    from intake_app.store import Vault

    monkeypatch.setenv("INTAKE_APP_TEST_FAST_KDF", "1")
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        names = {u.name: u.display_name for u in session.users.list()}
    assert names == {SUPERVISOR: "佐藤 一郎", COUNSELOR: "鈴木 花子"}
