"""Errors of the vault and the records. Each is a ``UserError`` with a plain Japanese
``message`` for the user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from intake_app.domain.errors import UserError

if TYPE_CHECKING:
    from intake_app.domain.validation import FieldError


class VaultError(UserError):
    """A failure of the vault the user can act on; ``message`` is shown as is."""

    default_message = "保管庫の操作に失敗しました。"


class VaultNotFound(VaultError):
    default_message = "このデータフォルダには保管庫がありません。"


class VaultExists(VaultError):
    default_message = "このデータフォルダには既に保管庫があります。"


class WrongPassphrase(VaultError):
    default_message = (
        "利用者名またはパスフレーズが違います（鍵ファイルのこの利用者の登録が壊れている場合も"
        "あります）。"
    )


class Throttled(VaultError):
    """Too many failed unlocks: wait ``wait_s`` seconds before the next attempt."""

    def __init__(self, wait_s: float) -> None:
        self.wait_s = wait_s
        super().__init__(
            f"パスフレーズの誤りが続いたため、あと {int(wait_s + 0.999)} 秒待ってから"
            "もう一度試してください。"
        )


class VaultInUse(VaultError):
    default_message = "保管庫は別のプログラムが使用中です。"


class VaultTooNew(VaultError):
    default_message = (
        "この保管庫はより新しい版のプログラムで作られています。"
        "新しい版のプログラムで開いてください（保管庫は変更していません）。"
    )


class VaultCorrupted(VaultError):
    default_message = "保管庫のファイルが壊れているか、改ざんされています。"


class WritesStopped(VaultCorrupted):
    """The check after unlock found damage: the session refuses every read and write."""

    default_message = (
        "保管庫の検査で異常が見つかったため、これ以上壊さないよう保存と閲覧を止めています。"
        "入力中の内容は画面にだけ残っています。管理者（スーパーバイザー）に連絡して、"
        "バックアップから復元してください。"
    )


class DiskFull(VaultError):
    default_message = (
        "ディスクの空きが足りないため保存できませんでした。空きを作ってから保存し直してください。"
    )


class VaultIOError(VaultError):
    default_message = "保管庫のファイルを読み書きできませんでした。"


class PermissionDenied(VaultError):
    default_message = "この操作は管理者（スーパーバイザー）だけが行えます。"


class PassphrasePolicyError(VaultError):
    default_message = "このパスフレーズは使えません。"


class AccountError(VaultError):
    """A refused change of the user accounts (name taken, unknown user, last supervisor…)."""

    default_message = "利用者の操作に失敗しました。"


class RecordNotFound(UserError, LookupError):
    """A case, draft or follow-up id that does not exist; ``what`` names it in Japanese."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}が見つかりません")


class CaseStateError(UserError, ValueError):
    """A case change that does not fit (no reason given, closing a closed case…)."""


class InvalidIntake(UserError, ValueError):
    """An intake the domain's validation refuses; nothing was written.

    ``errors`` are the ``FieldError``s of ``domain.validation.validate_intake`` (the
    field path and its Japanese message); ``message`` names the first one.
    """

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        more = f"（ほかに {len(self.errors) - 1} か所）" if len(self.errors) > 1 else ""
        first = self.errors[0].message if self.errors else "入力内容を確かめてください"
        super().__init__(f"入力を直してから保存してください。{first}{more}")
