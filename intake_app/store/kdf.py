"""Argon2id key derivation for keyslots, calibrated on the installing PC.

Real vaults never go below ``FLOOR`` (m = 64 MiB, t = 3), and no slot goes above
``CEILING`` (m = 4 GiB, t = 64, p = 16): the parameters are read from the header before
anything in it can be authenticated, so an edited slot must not make the program
allocate or compute without bound. Tests may use weak
parameters only when the environment variable ``INTAKE_APP_TEST_FAST_KDF=1`` is
set in the process; without it, weak parameters are refused both when a slot is
written and when one is opened.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from argon2.exceptions import Argon2Error
from argon2.low_level import ARGON2_VERSION, Type, hash_secret_raw

from intake_app.store.errors import VaultCorrupted, VaultError

TEST_FAST_KDF_ENV = "INTAKE_APP_TEST_FAST_KDF"
TARGET_SECONDS = 0.5
MAX_MEMORY_KIB = 256 * 1024
KEY_LENGTH = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters stored in each slot (and bound into its associated data)."""

    memory_kib: int
    iterations: int
    parallelism: int = 1
    version: int = ARGON2_VERSION
    algorithm: str = "argon2id"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        if not isinstance(data, dict) or set(data) != _FIELDS:
            raise VaultCorrupted("利用者の登録の、パスフレーズを確かめる計算の設定が読めません。")
        numbers = [data["memory_kib"], data["iterations"], data["parallelism"], data["version"]]
        if not all(type(n) is int for n in numbers) or not isinstance(data["algorithm"], str):
            raise VaultCorrupted("利用者の登録の、パスフレーズを確かめる計算の設定が読めません。")
        params = cls(
            memory_kib=data["memory_kib"],
            iterations=data["iterations"],
            parallelism=data["parallelism"],
            version=data["version"],
            algorithm=data["algorithm"],
        )
        if params.algorithm != "argon2id" or params.version != ARGON2_VERSION:
            raise VaultCorrupted(
                "利用者の登録の、パスフレーズを確かめる計算の方式に対応していません。"
            )
        if not params.within_bounds():
            raise VaultCorrupted(OUT_OF_BOUNDS)
        return params

    def within_bounds(self) -> bool:
        """Argon2's own lower limits and the ``CEILING`` (checked before any derivation)."""
        return (
            1 <= self.parallelism <= CEILING.parallelism
            and 8 * self.parallelism <= self.memory_kib <= CEILING.memory_kib
            and 1 <= self.iterations <= CEILING.iterations
        )

    def meets_floor(self) -> bool:
        return self.memory_kib >= FLOOR.memory_kib and self.iterations >= FLOOR.iterations


_FIELDS = {"memory_kib", "iterations", "parallelism", "version", "algorithm"}
FLOOR = KdfParams(memory_kib=64 * 1024, iterations=3, parallelism=1)
# What calibration can never exceed by far (it stops at 256 MiB and a few passes);
# anything above is an edited or damaged slot, refused before the derivation runs.
CEILING = KdfParams(memory_kib=4 * 1024 * 1024, iterations=64, parallelism=16)
OUT_OF_BOUNDS = (
    "鍵ファイル（vault.keys）が壊れています（パスフレーズを確かめる計算の設定が範囲外です）。"
    "正しい鍵ファイルを戻すか、バックアップから復元してください。"
)
# Deliberately weak: for the test suite only, and only with INTAKE_APP_TEST_FAST_KDF=1.
TEST_FAST = KdfParams(memory_kib=256, iterations=1, parallelism=1)


class WeakKdf(VaultError):
    default_message = (
        "パスフレーズを確かめる計算の設定が安全基準（メモリ 64 MiB・3 回）を下回っています。"
    )


def fast_kdf_allowed() -> bool:
    return os.environ.get(TEST_FAST_KDF_ENV) == "1"


def require_floor(params: KdfParams) -> None:
    """Refuse parameters below the floor (unless the test switch is set) or above the
    ceiling."""
    if not params.within_bounds():
        raise VaultCorrupted(OUT_OF_BOUNDS)
    if not params.meets_floor() and not fast_kdf_allowed():
        raise WeakKdf()


def derive(passphrase: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Key-encryption key from a passphrase (already NFC-normalised and encoded).

    Parameters outside the bounds are refused before Argon2 runs; a derivation that
    still fails (memory the PC cannot give) is a ``VaultError`` with a Japanese message.
    """
    if not params.within_bounds():
        raise VaultCorrupted(OUT_OF_BOUNDS)
    try:
        return hash_secret_raw(
            secret=passphrase,
            salt=salt,
            time_cost=params.iterations,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
            hash_len=KEY_LENGTH,
            type=Type.ID,
            version=params.version,
        )
    except (Argon2Error, MemoryError) as exc:
        raise VaultError(
            "パスフレーズを確かめられませんでした（このPCのメモリが足りないか、"
            "利用者の登録の設定が壊れています）。"
        ) from exc


def _timed(params: KdfParams) -> float:
    start = time.perf_counter()
    derive(b"calibration passphrase", b"calibration-salt", params)
    return time.perf_counter() - start


def calibrate(
    target_s: float = TARGET_SECONDS,
    progress: Callable[[str], None] | None = None,
) -> KdfParams:
    """Parameters taking about ``target_s`` on this PC, never below ``FLOOR``.

    Memory grows first (up to 256 MiB, memory-hardness is what resists GPUs), then
    iterations. When the environment switch for tests is set, returns ``TEST_FAST``.
    """
    if fast_kdf_allowed():
        return TEST_FAST
    if progress:
        progress("パスフレーズを確かめる計算の強さを、このPCに合わせて調整しています…")
    base = FLOOR
    elapsed = min(_timed(base), _timed(base))  # the better of two: other programs add noise
    if elapsed >= target_s:
        return base
    scale = target_s / elapsed
    memory = min(MAX_MEMORY_KIB, int(base.memory_kib * scale) // 8192 * 8192)
    memory = max(memory, base.memory_kib)
    params = KdfParams(memory_kib=memory, iterations=base.iterations)
    elapsed = _timed(params)
    if elapsed < target_s * 0.8:
        iterations = max(base.iterations, round(params.iterations * target_s / elapsed))
        params = KdfParams(memory_kib=memory, iterations=iterations)
    return params
