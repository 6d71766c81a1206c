"""Passphrase policy: length after NFC, a short list of common passphrases; no composition rules."""

from __future__ import annotations

import re
import unicodedata

from intake_app.store.errors import AccountError, PassphrasePolicyError

MIN_LENGTH = 12
MAX_LENGTH = 1024

# Passphrases people actually pick when asked for "12 characters". Compared after NFC,
# case-folding and removing spaces, so "Password 1234" is refused as well.
COMMON_PASSPHRASES = frozenset(
    {
        "password1234",
        "password12345",
        "password123456",
        "passw0rd1234",
        "123456789012",
        "1234567890123",
        "12345678901234",
        "qwertyuiopas",
        "qwerty123456",
        "abcdefghijkl",
        "abcdefg12345",
        "abc123456789",
        "iloveyou1234",
        "letmein12345",
        "welcome12345",
        "000000000000",
        "111111111111",
        "aaaaaaaaaaaa",
        "administrator",
        "admin1234567",
        "changeme1234",
        "passwordpassword",
        "correcthorsebatterystaple",
        "ilovejapan12",
        "sakura123456",
        "warabi123456",
        "warabishi1234",
        "soudan123456",
        "dvsoudan1234",
        "パスワードパスワード",
        "あいうえおかきくけこさし",
        "あいうえおかきくけこさしす",
        "さくらさくらさくらさくら",
    }
)


def normalize(passphrase: str) -> str:
    """NFC, so the same passphrase typed with another input method gives the same bytes."""
    return unicodedata.normalize("NFC", passphrase)


def check_passphrase(passphrase: str) -> str:
    """Return the NFC form, or raise ``PassphrasePolicyError`` with a Japanese reason."""
    text = normalize(passphrase)
    if len(text) < MIN_LENGTH:
        raise PassphrasePolicyError(
            f"パスフレーズは {MIN_LENGTH} 文字以上にしてください（現在 {len(text)} 文字）。"
        )
    if len(text) > MAX_LENGTH:
        raise PassphrasePolicyError(f"パスフレーズは {MAX_LENGTH} 文字以下にしてください。")
    folded = re.sub(r"\s+", "", text.casefold())
    if folded in COMMON_PASSPHRASES or len(set(folded)) <= 2:
        raise PassphrasePolicyError(
            "よく使われるパスフレーズのため使えません。推測されにくい言葉を組み合わせてください。"
        )
    return text


_NAME_RE = re.compile(r"^[^\s\x00-\x1f\x7f#][^\s\x00-\x1f\x7f]{0,63}$")


MAX_DISPLAY_NAME = 40
_DISPLAY_BAD = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def check_display_name(text: str, *, required: bool = True) -> str:
    """A user's 氏名 as papers print it (山田 花子): NFC, trimmed, at most 40 characters,
    one line. ``required``: an empty name is refused."""
    value = normalize(text or "").strip()
    if not value:
        if required:
            raise AccountError("氏名を入力してください（書類に印刷されます）。")
        return ""
    if _DISPLAY_BAD.search(value) or len(value) > MAX_DISPLAY_NAME:
        raise AccountError(
            f"氏名は改行や制御文字を含まない{MAX_DISPLAY_NAME}文字以内にしてください。"
        )
    return value


def check_user_name(name: str) -> str:
    """A login name: NFC, 1-64 characters, no spaces or control characters."""
    text = normalize(name).strip()
    if not _NAME_RE.match(text):
        raise AccountError(
            "利用者名は空白を含まない 1〜64 文字にしてください（先頭に # は使えません）。"
        )
    return text
