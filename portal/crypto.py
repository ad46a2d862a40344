"""Encryption primitives, all from libsodium through PyNaCl.

Two kinds of protection (docs/architecture.md, "Key model"):

* **Data at rest** — facts, messages and evidence — is encrypted with XChaCha20-Poly1305
  under the deployment's data key (`PORTAL_DATA_KEY`), which is configuration, never a
  database row. The associated data names the record and field, so a ciphertext moved to
  another row or column fails to open.
* **Sealed identities** use an envelope: the identity is encrypted under a fresh random
  key, and that key is sealed (X25519 sealed box) for each recipient's public key. The
  server holds only public keys and password-locked private keys, so it cannot open an
  identity by itself (docs/domain.md §7).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
)
from nacl.public import PrivateKey, PublicKey, SealedBox

_FORMAT_V1 = b"\x01"


class DecryptionError(Exception):
    """A ciphertext could not be opened: wrong key, wrong record, or tampered."""


@dataclass(frozen=True)
class DataCipher:
    """Authenticated encryption under the deployment data key."""

    key: bytes

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        """Encrypt `plaintext`, binding it to `context` (record and field)."""
        nonce = nacl.utils.random(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
        body = crypto_aead_xchacha20poly1305_ietf_encrypt(
            plaintext, context.encode(), nonce, self.key
        )
        return _FORMAT_V1 + nonce + body

    def decrypt(self, blob: bytes, context: str) -> bytes:
        """Decrypt a value made by `encrypt` with the same `context`."""
        if not blob or blob[:1] != _FORMAT_V1:
            raise DecryptionError("unknown ciphertext format")
        n = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
        nonce, body = blob[1 : 1 + n], blob[1 + n :]
        try:
            return crypto_aead_xchacha20poly1305_ietf_decrypt(
                body, context.encode(), nonce, self.key
            )
        except nacl.exceptions.CryptoError as exc:
            raise DecryptionError("ciphertext does not open under this key") from exc

    def encrypt_text(self, text: str, context: str) -> bytes:
        """Encrypt a string as UTF-8."""
        return self.encrypt(text.encode("utf-8"), context)

    def decrypt_text(self, blob: bytes, context: str) -> str:
        """Decrypt a string made by `encrypt_text`."""
        return self.decrypt(blob, context).decode("utf-8")


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost for deriving a key from a password (libsodium units)."""

    opslimit: int
    memlimit: int


# libsodium's "moderate" profile: about 0.5 s and 256 MiB, paid once per unlock.
KDF_DEFAULT = KdfParams(
    nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE
)
# The smallest cost libsodium allows; for tests only.
KDF_CHEAPEST = KdfParams(nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN)


@dataclass(frozen=True)
class LockedPrivateKey:
    """A private key encrypted under a password-derived key, with what is needed to unlock it."""

    ciphertext: bytes
    salt: bytes
    opslimit: int
    memlimit: int


def generate_keypair() -> tuple[bytes, bytes]:
    """Return a new X25519 key pair as (public, private) raw bytes."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def lock_private_key(private_key: bytes, password: str, params: KdfParams) -> LockedPrivateKey:
    """Encrypt `private_key` under a key derived from `password` with Argon2id."""
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    kek = nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        password.encode("utf-8"),
        salt,
        opslimit=params.opslimit,
        memlimit=params.memlimit,
    )
    ciphertext = bytes(nacl.secret.SecretBox(kek).encrypt(private_key))
    return LockedPrivateKey(ciphertext, salt, params.opslimit, params.memlimit)


def unlock_private_key(locked: LockedPrivateKey, password: str) -> bytes:
    """Return the private key in `locked`, or raise DecryptionError for a wrong password."""
    kek = nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        password.encode("utf-8"),
        locked.salt,
        opslimit=locked.opslimit,
        memlimit=locked.memlimit,
    )
    try:
        return nacl.secret.SecretBox(kek).decrypt(locked.ciphertext)
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError("wrong password") from exc


def new_envelope_key() -> bytes:
    """Return a fresh random key for one sealed envelope."""
    return nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)


def envelope_encrypt(envelope_key: bytes, plaintext: bytes) -> bytes:
    """Encrypt `plaintext` under an envelope key."""
    return bytes(nacl.secret.SecretBox(envelope_key).encrypt(plaintext))


def envelope_decrypt(envelope_key: bytes, ciphertext: bytes) -> bytes:
    """Decrypt an envelope body, or raise DecryptionError."""
    try:
        return nacl.secret.SecretBox(envelope_key).decrypt(ciphertext)
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError("envelope does not open under this key") from exc


def seal_to(public_key: bytes, secret: bytes) -> bytes:
    """Seal `secret` so that only the holder of the matching private key can open it."""
    return bytes(SealedBox(PublicKey(public_key)).encrypt(secret))


def unseal(private_key: bytes, sealed: bytes) -> bytes:
    """Open a value sealed with `seal_to`, or raise DecryptionError."""
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(sealed)
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError("not sealed for this key") from exc


def fingerprint(public_key: bytes) -> str:
    """Return a short, readable fingerprint of a public key for operators."""
    digest = hashlib.sha256(public_key).hexdigest()[:20].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))
