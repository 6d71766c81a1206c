"""The two reviewed constructions a hand-off package is made of, and nothing else.

- Encryption: libsodium's sealed box (``crypto_box_seal``: an ephemeral X25519 key,
  XSalsa20-Poly1305, the nonce derived from both public keys) to the receiving
  centre's X25519 key, through PyNaCl. Only the holder of that centre's private key
  opens it; any change to the sealed bytes makes opening fail.
- Signature: Ed25519 (the vault's signing key, ``cryptography``) over the payload
  before it is sealed. The payload names the sender and the receiver, so a receiver
  cannot re-seal a package to a third centre as if it had been sent there.

The sealed plaintext is padded with libsodium's ISO/IEC 7816-4 padding to a multiple
of ``PAD_BLOCK``, so a file's size says little about how much it holds.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.bindings import crypto_box_SEALBYTES, sodium_pad, sodium_unpad
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from intake_app.domain.handoff_format import KEY_BYTES, PAD_BLOCK, HandoffError

SEAL_OVERHEAD = crypto_box_SEALBYTES


def new_box_key() -> tuple[bytes, bytes]:
    """A new X25519 key pair: ``(private, public)``, 32 bytes each."""
    key = PrivateKey.generate()
    return bytes(key), bytes(key.public_key)


def box_public_of(private: bytes) -> bytes:
    return bytes(PrivateKey(private).public_key)


def seal(receiver_public: bytes, plain: bytes) -> bytes:
    """Pad, then seal to ``receiver_public``."""
    return bytes(SealedBox(PublicKey(receiver_public)).encrypt(sodium_pad(plain, PAD_BLOCK)))


def unseal(private: bytes, sealed: bytes) -> bytes:
    """Open and unpad; any failure is ``HandoffError("tampered")``.

    The caller has already checked that the package is addressed to this key, so a
    box that does not open was changed (or made for this key by someone else and
    then damaged): both are refused the same way.
    """
    if len(sealed) < SEAL_OVERHEAD:
        raise HandoffError("tampered")
    try:
        padded = SealedBox(PrivateKey(private)).decrypt(sealed)
        return bytes(sodium_unpad(padded, PAD_BLOCK))
    except (CryptoError, ValueError) as exc:
        raise HandoffError("tampered") from exc


def sign(signer: Ed25519PrivateKey, message: bytes) -> bytes:
    return signer.sign(message)


def verify(signing_public: bytes, signature: bytes, message: bytes) -> bool:
    if len(signing_public) != KEY_BYTES:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(signing_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
