"""The explicit alternative to the OS keyring: secrets in a file encrypted with a passphrase.

The file (``credentials.x2k`` under the data folder by default) is JSON::

    {"format": "x2desk-credentials", "version": 1,
     "kdf": {"name": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": "<base64>"},
     "cipher": "AES-256-GCM", "nonce": "<base64>", "data": "<base64>"}

The key comes from the passphrase through scrypt; ``data`` is AES-GCM over a JSON map
``{ref: secret}``, authenticated together with the header. The passphrase is never stored: only
the derived key stays in memory while the store is open. Every save writes a fresh nonce and the
whole file atomically (temp file in the same folder, chmod 600 before writing, fsync, replace).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
from pathlib import Path
from typing import Any

from x2desk.core.errors import InputError, StoreError, WrongPassphrase
from x2desk.core.secret import Secret
from x2desk.core.store.atomic import atomic_write

FORMAT = "x2desk-credentials"
VERSION = 1
CIPHER = "AES-256-GCM"
DEFAULT_SCRYPT_N = 2**15
MIN_PASSPHRASE_LEN = 8
_SCRYPT_N_RANGE = (2**14, 2**20)  # refuse absurd costs read from a file


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _home_relative(path: Path) -> str:
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError):
        return str(path)


class EncryptedFileStore:
    """A :class:`~x2desk.core.store.credentials.CredentialStore` in a passphrase-protected file.

    Opening an existing file checks the passphrase at once (:class:`WrongPassphrase`). A missing
    file is created (empty) when ``create`` is true, else :class:`StoreError` says it is missing.
    """

    def __init__(
        self,
        path: Path,
        passphrase: Secret,
        *,
        create: bool = True,
        scrypt_n: int = DEFAULT_SCRYPT_N,
    ) -> None:
        if not isinstance(passphrase, Secret):
            raise TypeError("the passphrase must be a Secret")
        self.path = Path(path)
        self.description = f"encrypted file {_home_relative(self.path)}"
        self._lock = threading.Lock()
        if self.path.exists():
            header = self._read_header()
            kdf = header["kdf"]
            self._salt: bytes = kdf["salt"]
            self._kdf = {"name": "scrypt", "n": kdf["n"], "r": kdf["r"], "p": kdf["p"]}
            self._key = self._derive(passphrase, self._salt)
            self._decrypt(header)  # proves the passphrase
            return
        if not create:
            raise StoreError(
                f"The encrypted credentials file {self.path} is missing. Choose the encrypted "
                "file store again (the secrets it held are gone) or switch to the system keyring."
            )
        if len(passphrase) < MIN_PASSPHRASE_LEN:
            raise InputError(
                f"Choose a passphrase of at least {MIN_PASSPHRASE_LEN} characters for the "
                "encrypted credentials file."
            )
        self._salt = os.urandom(16)
        self._kdf = {"name": "scrypt", "n": scrypt_n, "r": 8, "p": 1}
        self._key = self._derive(passphrase, self._salt)
        self._write({})

    # ---- CredentialStore ----

    def save(self, ref: str, secret: Secret) -> None:
        if not isinstance(secret, Secret):
            raise TypeError("save() takes a Secret")
        with self._lock:
            entries = self._load_all()
            entries[ref] = secret.reveal()
            self._write(entries)

    def load(self, ref: str) -> Secret | None:
        with self._lock:
            value = self._load_all().get(ref)
        return None if value is None else Secret(value)

    def delete(self, ref: str) -> None:
        with self._lock:
            entries = self._load_all()
            if entries.pop(ref, None) is not None:
                self._write(entries)

    def refs(self) -> list[str]:
        """The refs saved in the file (not the secrets)."""
        with self._lock:
            return sorted(self._load_all())

    # ---- internals ----

    def _derive(self, passphrase: Secret, salt: bytes) -> bytes:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        kdf = Scrypt(salt=salt, length=32, n=self._kdf["n"], r=self._kdf["r"], p=self._kdf["p"])
        return kdf.derive(passphrase.reveal().encode("utf-8"))

    def _aad(self) -> bytes:
        header = {
            "format": FORMAT,
            "version": VERSION,
            "kdf": dict(self._kdf, salt=_b64(self._salt)),
            "cipher": CIPHER,
        }
        return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def _damaged(self, why: str) -> StoreError:
        return StoreError(
            f"The encrypted credentials file {self.path} is damaged ({why}). Restore it from a "
            "backup, or delete it and connect your accounts again."
        )

    def _read_header(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise StoreError(f"Cannot read {self.path}: {exc.strerror}.") from None
        try:
            data = json.loads(raw)
        except ValueError:
            raise self._damaged("not valid JSON") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise self._damaged("not an x2desk credentials file")
        if data.get("version") != VERSION:
            raise StoreError(
                f"{self.path} was written by another version of x2desk (format version "
                f"{data.get('version')!r}); update x2desk to open it."
            )
        kdf = data.get("kdf")
        try:
            if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
                raise ValueError("unknown key derivation")
            n, r, p = kdf["n"], kdf["r"], kdf["p"]
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, r, p)):
                raise ValueError("bad key derivation parameters")
            if not (_SCRYPT_N_RANGE[0] <= n <= _SCRYPT_N_RANGE[1]) or n & (n - 1):
                raise ValueError("bad key derivation cost")
            if not (1 <= r <= 16 and 1 <= p <= 4):
                raise ValueError("bad key derivation parameters")
            salt = _unb64(kdf["salt"])
            nonce = _unb64(data.get("nonce"))
            payload = _unb64(data.get("data"))
            if data.get("cipher") != CIPHER or len(nonce) != 12 or len(salt) < 16:
                raise ValueError("unknown cipher")
        except (KeyError, ValueError, binascii.Error) as exc:
            why = str(exc) if isinstance(exc, ValueError) else "fields missing"
            raise self._damaged(why) from None
        return {"kdf": {"n": n, "r": r, "p": p, "salt": salt}, "nonce": nonce, "data": payload}

    def _decrypt(self, header: dict[str, Any]) -> dict[str, str]:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            plain = AESGCM(self._key).decrypt(header["nonce"], header["data"], self._aad())
        except InvalidTag:
            raise WrongPassphrase() from None
        try:
            entries = json.loads(plain)
        except ValueError:
            raise self._damaged("the decrypted content is not valid") from None
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in entries.items()
        ):
            raise self._damaged("the decrypted content is not valid")
        return entries

    def _load_all(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        header = self._read_header()
        if header["kdf"]["salt"] != self._salt:
            raise StoreError(
                f"{self.path} was replaced by another program while x2desk had it open. "
                "Open it again with its passphrase."
            )
        return self._decrypt(header)

    def _write(self, entries: dict[str, str]) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        plain = json.dumps(entries, sort_keys=True).encode("utf-8")
        sealed = AESGCM(self._key).encrypt(nonce, plain, self._aad())
        document = {
            "format": FORMAT,
            "version": VERSION,
            "kdf": dict(self._kdf, salt=_b64(self._salt)),
            "cipher": CIPHER,
            "nonce": _b64(nonce),
            "data": _b64(sealed),
        }
        text = json.dumps(document, indent=1, sort_keys=True) + "\n"
        try:
            atomic_write(self.path, text.encode("utf-8"))
        except OSError as exc:
            raise StoreError(f"Cannot write {self.path}: {exc.strerror}.") from None
