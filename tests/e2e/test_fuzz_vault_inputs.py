"""security.md test 13 for the vault's entry points: hostile bytes in ``vault.keys`` and
``vault.db``, hostile passphrase input on standard input, hostile municipality files.
Every run ends in one Japanese sentence (exit 1 or 2) or succeeds; never a traceback,
never the last-resort sentence of ``cli.main`` (that would be a defect reached).

The commands run in this process through ``intake_app.cli.main`` (hundreds of runs);
the rules JSON, hand-off packages and cards have their own fuzz tests.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from intake_app import cli
from intake_app.domain.errors import UserError
from intake_app.store import Vault, kdf
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    make_vault,
)

RUNS = 60


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A vault with a supervisor, a counselor and a few records, closed cleanly."""
    folder = tmp_path_factory.mktemp("pristine")
    mp = pytest.MonkeyPatch()
    mp.setenv(FAST_ENV, "1")
    try:
        make_vault(folder)
        with Vault.open(folder, SUPERVISOR, SUPERVISOR_PASS) as session:
            session.records.save_draft({"step": 2}, step=2)
            session.audit("print")
        yield folder
    finally:
        mp.undo()


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: bytes,
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = cli.main(argv)
    return code, capsys.readouterr().err


def one_sentence(code: int, stderr: str) -> None:
    """Success, or exit 1/2 ending in exactly one ``エラー:`` line; no traceback."""
    assert "Traceback" not in stderr, stderr
    assert cli.UNEXPECTED.split("（")[0] not in stderr, stderr
    if code == 0:
        return
    assert code in (1, 2), (code, stderr)
    errors = [line for line in stderr.splitlines() if line.startswith("エラー: ")]
    assert len(errors) == 1, stderr
    assert stderr.splitlines()[-1] == errors[0]
    assert not any(word in errors[0] for word in ("Error", "error", "sqlite", "Exception"))


def fresh(pristine: Path, tmp_path: Path, n: int) -> Path:
    target = tmp_path / f"v{n}"
    shutil.copytree(pristine, target)
    return target


# --- vault.keys -----------------------------------------------------------------------


def _json_mutations(rng: random.Random, keys: dict[str, Any]) -> Iterator[bytes]:
    hostile: list[Any] = [
        float("nan"),
        float("inf"),
        -1,
        2**70,
        "9" * 5000,
        "",
        "x" * 100_000,
        [],
        {},
        None,
        True,
        1.5,
    ]
    paths: list[tuple[str, ...]] = [
        ("generation",),
        ("commits", "n"),
        ("commits", "writes"),
        ("verified", "seq"),
        ("audit_head", "seq"),
        ("audit_head", "mac"),
        ("throttle", "users"),
        ("throttle", "base", "commit"),
        ("throttle", "mac"),
        ("slots",),
        ("mac",),
        ("signature",),
        ("vault_id",),
        ("format_version",),
    ]
    for path in paths:
        for value in rng.sample(hostile, 4):
            data = json.loads(json.dumps(keys))
            node = data
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
            yield json.dumps(data, allow_nan=True).encode()
    for name in ("memory_kib", "iterations", "parallelism", "version"):
        for value in (0, -5, 2**32 - 1, 2**63, "64", 3.0, float("nan")):
            data = json.loads(json.dumps(keys))
            data["slots"][0]["kdf"][name] = value
            yield json.dumps(data, allow_nan=True).encode()
    for top in list(keys):
        data = json.loads(json.dumps(keys))
        del data[top]
        yield json.dumps(data).encode()
    yield b"[" * 100_000 + b"]" * 100_000
    yield b'{"format": "intake-app-vault-keys", "format_version": 3, "x": ' + b"1" * 5000 + b"}"


def _byte_mutations(rng: random.Random, raw: bytes) -> Iterator[bytes]:
    for _ in range(RUNS):
        data = bytearray(raw)
        kind = rng.randrange(4)
        if kind == 0:
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data = data[: rng.randrange(len(data))]
        elif kind == 2:
            pos = rng.randrange(len(data))
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
        else:
            data = bytearray(rng.randbytes(rng.randint(0, 4000)))
        yield bytes(data)


def test_hostile_vault_keys(
    pristine: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(1413)
    raw = (pristine / "vault.keys").read_bytes()
    keys = json.loads(raw)
    cases = [*_json_mutations(rng, keys), *_byte_mutations(rng, raw)]
    commands: list[tuple[list[str], bytes]] = [
        (["verify", "--user", SUPERVISOR, "--passphrase-stdin"], SUPERVISOR_PASS.encode()),
        (["verify", "--user", COUNSELOR, "--passphrase-stdin", "--json"], COUNSELOR_PASS.encode()),
        (["prune-copies", "--user", SUPERVISOR, "--passphrase-stdin"], b"wrong passphrase\n"),
    ]
    refused = 0
    for n, mutated in enumerate(cases):
        folder = fresh(pristine, tmp_path, n)
        (folder / "vault.keys").write_bytes(mutated)
        argv, stdin = commands[n % len(commands)]
        code, err = run(capsys, monkeypatch, ["--data-dir", str(folder), *argv], stdin)
        one_sentence(code, err)
        refused += code != 0
        # the program itself (the unlock screen's call) refuses the same way
        try:
            Vault.open(folder, SUPERVISOR, SUPERVISOR_PASS, background=True).close()
        except UserError as exc:
            assert exc.message.endswith("。"), exc.message
        shutil.rmtree(folder)
    assert refused > len(cases) // 2


# --- vault.db -----------------------------------------------------------------------


def test_hostile_vault_db(
    pristine: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(1414)
    raw = (pristine / "vault.db").read_bytes()
    pages = len(raw) // 4096
    cases: list[Callable[[bytearray], bytearray]] = [
        lambda d: (d.__setitem__(12680, d[12680] ^ 0x26), d)[1],  # the byte of issue 14
        lambda d: d[:0],
        lambda d: d[:100],
        lambda d: d[: 4096 * (pages // 2)],
        lambda d: d + b"\0" * 1000,
    ]
    for _ in range(RUNS):
        offset = rng.randrange(len(raw))
        bit = 1 << rng.randrange(8)
        cases.append(lambda d, o=offset, b=bit: (d.__setitem__(o, d[o] ^ b), d)[1])
    for _ in range(6):
        page = rng.randrange(pages)
        cases.append(lambda d, p=page: d[: p * 4096] + bytes(4096) + d[(p + 1) * 4096 :])
    problems = 0
    for n, mutate in enumerate(cases):
        folder = fresh(pristine, tmp_path, n)
        (folder / "vault.db").write_bytes(bytes(mutate(bytearray(raw))))
        code, err = run(
            capsys,
            monkeypatch,
            ["--data-dir", str(folder), "verify", "--user", SUPERVISOR, "--passphrase-stdin"],
            SUPERVISOR_PASS.encode(),
        )
        one_sentence(code, err)
        problems += code != 0
        try:
            session = Vault.open(folder, COUNSELOR, COUNSELOR_PASS, background=True)
        except UserError as exc:
            assert exc.message.endswith("。"), exc.message
        else:
            status = session.wait_check(30)
            assert status is not None and status.state in ("ok", "problem")
            session.close()
        shutil.rmtree(folder)
    assert problems > len(cases) // 2


# --- passphrases on standard input ------------------------------------------------------


@pytest.mark.parametrize(
    "stdin",
    [
        b"\xff\xfe\xfd\n",
        b"\xe3\x81\n",  # a Japanese character cut in half
        b"",
        b"\n",
        b"\r\n",
        b"\0" * 20 + b"\n",
        b"a" * 5_000_000,
        b"a" * 5_000 + b"\n",
        b"pass\rphrase with a bare CR and no end",
        ("あ" * 2000 + "\n").encode(),
        b"\x1b[31mred\x1b[0m passphrase\n",  # a valid new passphrase for init
    ],
    ids=lambda b: repr(b[:12]),
)
def test_hostile_passphrase_input(
    pristine: Path,
    tmp_path: Path,
    stdin: bytes,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = fresh(pristine, tmp_path, 0)
    new = tmp_path / "new"
    for argv in (
        ["--data-dir", str(folder), "verify", "--user", SUPERVISOR, "--passphrase-stdin"],
        ["--data-dir", str(folder), "passwd", "--user", COUNSELOR, "--passphrase-stdin"],
        ["--data-dir", str(folder), "recover", "--user", COUNSELOR, "--passphrase-stdin"],
        ["--data-dir", str(new), "init", "--user", "sato", "--passphrase-stdin"],
        [
            "--data-dir",
            str(folder),
            "add-user",
            "--user",
            SUPERVISOR,
            "--new-user",
            "kato",
            "--role",
            "counselor",
            "--passphrase-stdin",
        ],
    ):
        code, err = run(capsys, monkeypatch, argv, stdin + stdin)
        one_sentence(code, err)
        if "init" not in argv:  # init may take it as a new passphrase; the others know theirs
            assert code != 0


# --- municipality files ------------------------------------------------------------------


def test_hostile_municipality_files(tmp_path: Path) -> None:
    """The municipality loader refuses any broken file with ``ConfigError`` (one Japanese
    sentence naming key and line); nothing else ever escapes it."""
    from intake_app.domain.municipality import load_municipality
    from intake_app.paths import resource

    raw = resource("municipality", "warabi.toml").read_bytes()
    rng = random.Random(1415)
    mutations: list[bytes] = [
        b"",
        b"\xff\xfe",
        b"[" * 10_000,
        b"id = " + b"9" * 5000,
        b"id = 1e99999",
        b"id = nan",
        raw.replace(b"warabi", b"../../etc/passwd", 1),
        raw + b"\n[[destinations]]\nid = 3\n",
    ]
    for _ in range(RUNS):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 5)):
            pos = rng.randrange(len(data))
            if rng.random() < 0.5:
                data[pos] ^= 1 << rng.randrange(8)
            else:
                del data[pos : pos + rng.randint(1, 30)]
        mutations.append(bytes(data))
    refused = 0
    for n, data in enumerate(mutations):
        path = tmp_path / f"m{n}.toml"
        path.write_bytes(data)
        try:
            load_municipality(path)
        except UserError as exc:
            refused += 1
            assert exc.message and "Traceback" not in exc.message
    assert refused > len(mutations) // 2


def test_kdf_parameters_beyond_the_ceiling_never_reach_argon2(pristine: Path) -> None:
    params = kdf.KdfParams(memory_kib=2**32 - 1, iterations=3)
    assert not params.within_bounds()
    with pytest.raises(UserError):
        kdf.derive(b"x", b"0123456789abcdef", params)
