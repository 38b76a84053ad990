"""The explicit alternative to the OS keyring: secrets in a file encrypted with a passphrase.

The file (``credentials.x2k`` under the data folder by default) is JSON::

    {"format": "x2desk-credentials", "version": 1,
     "kdf": {"name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<base64>"},
     "cipher": "AES-256-GCM", "nonce": "<base64>", "data": "<base64>",
     "key_check": "<base64>", "header_sha256": "<hex>"}

The key comes from the passphrase through scrypt; ``data`` is AES-GCM over a JSON map
``{ref: secret}``, authenticated together with the header. ``key_check`` (an HMAC of a constant
under the key) tells a wrong passphrase from damaged data, and ``header_sha256`` a changed header
from a wrong passphrase; files written before they existed lack both and are read as before.
The passphrase is never stored: only the derived key stays in memory while the store is open.

Every change is a read-modify-write of the whole file under the inter-process store lock
(:mod:`.lock`), with a fresh nonce, written atomically (temp file in the same folder, chmod 600
before writing, fsync, replace), so two x2desk processes saving at once both keep their secret.
A file made with a lower scrypt cost than :data:`DEFAULT_SCRYPT_N` (or without the checks) is
re-wrapped, with a new salt, on its next successful unlock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
from pathlib import Path
from typing import Any

from x2desk.core.errors import InputError, StoreError, WrongPassphrase
from x2desk.core.secret import Secret
from x2desk.core.store.atomic import atomic_write
from x2desk.core.store.lock import store_lock
from x2desk.i18n import _

FORMAT = "x2desk-credentials"
VERSION = 1
CIPHER = "AES-256-GCM"
# The cost for new files, and the least an unlocked file is re-wrapped to (2^17 * r 8: 128 MiB).
DEFAULT_SCRYPT_N = 2**17
MIN_PASSPHRASE_LEN = 8
_SCRYPT_N_RANGE = (2**14, 2**20)  # refuse absurd costs read from a file
_KEY_CHECK_INFO = b"x2desk-credentials key check"

log = logging.getLogger(__name__)


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

    Opening an existing file checks the passphrase at once (:class:`WrongPassphrase`; a file whose
    header or data was changed is a :class:`StoreError` saying it is damaged). A missing file is
    created (empty) when ``create`` is true, else :class:`StoreError` says it is missing; when two
    processes create it at once, the second opens the first one's file. ``scrypt_n`` is the cost
    for a new file and the least an existing one is re-wrapped to (default
    :data:`DEFAULT_SCRYPT_N`).
    """

    def __init__(
        self,
        path: Path,
        passphrase: Secret,
        *,
        create: bool = True,
        scrypt_n: int | None = None,
    ) -> None:
        if not isinstance(passphrase, Secret):
            raise TypeError("the passphrase must be a Secret")
        self.path = Path(path)
        self.description = _("encrypted file {path}").format(path=_home_relative(self.path))
        target_n = scrypt_n or DEFAULT_SCRYPT_N
        with store_lock(self.path):
            if self.path.exists():
                self._unlock(passphrase, target_n)
                return
            if not create:
                raise StoreError(
                    _(
                        "The encrypted credentials file {path} is missing. Choose the encrypted "
                        "file store again (the secrets it held are gone) or switch to the system "
                        "keyring."
                    ).format(path=self.path)
                )
            if len(passphrase) < MIN_PASSPHRASE_LEN:
                raise InputError(
                    _(
                        "Choose a passphrase of at least {n} characters for the encrypted "
                        "credentials file."
                    ).format(n=MIN_PASSPHRASE_LEN)
                )
            self._new_key(passphrase, target_n)
            self._write({})

    # ---- CredentialStore ----

    def save(self, ref: str, secret: Secret) -> None:
        if not isinstance(secret, Secret):
            raise TypeError("save() takes a Secret")
        with store_lock(self.path):
            entries = self._load_all()
            entries[ref] = secret.reveal()
            self._write(entries)

    def load(self, ref: str) -> Secret | None:
        value = self._load_all().get(ref)
        return None if value is None else Secret(value)

    def delete(self, ref: str) -> None:
        with store_lock(self.path):
            entries = self._load_all()
            if entries.pop(ref, None) is not None:
                self._write(entries)

    def refs(self) -> list[str]:
        """The refs saved in the file (not the secrets)."""
        return sorted(self._load_all())

    @property
    def scrypt_n(self) -> int:
        """The scrypt cost the file is written with now."""
        return int(self._kdf["n"])

    # ---- internals ----

    def _unlock(self, passphrase: Secret, target_n: int) -> None:
        """Open the existing file (under the store lock); re-wrap it when it is below the cost
        or lacks the checks, so old files get the new protection on their next unlock."""
        header = self._read_header()
        kdf = header["kdf"]
        self._salt: bytes = kdf["salt"]
        self._kdf = {"name": "scrypt", "n": kdf["n"], "r": kdf["r"], "p": kdf["p"]}
        self._check_header(header)
        self._key = self._derive(passphrase, self._salt)
        entries = self._decrypt(header)  # proves the passphrase
        if kdf["n"] < target_n or header["key_check"] is None:
            self._new_key(passphrase, target_n)
            self._write(entries)
            log.info("credentials file re-wrapped (scrypt n=%d -> %d)", kdf["n"], target_n)

    def _new_key(self, passphrase: Secret, scrypt_n: int) -> None:
        self._salt = os.urandom(16)
        self._kdf = {"name": "scrypt", "n": scrypt_n, "r": 8, "p": 1}
        self._key = self._derive(passphrase, self._salt)

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

    def _key_check(self) -> bytes:
        return hmac.new(self._key, _KEY_CHECK_INFO, hashlib.sha256).digest()[:16]

    def _header_digest(self, key_check: bytes) -> str:
        """A plain checksum of the header and the key check: it needs no key, so a changed
        header is told from a wrong passphrase (the header itself is authenticated by AES-GCM)."""
        return hashlib.sha256(self._aad() + b"\n" + key_check).hexdigest()

    def _damaged(self, why: str) -> StoreError:
        return StoreError(
            _(
                "The encrypted credentials file {path} is damaged ({why}). Restore it from a "
                "backup, or delete it and connect your accounts again."
            ).format(path=self.path, why=why)
        )

    def _read_header(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise StoreError(
                _("Cannot read {path}: {strerror}.").format(path=self.path, strerror=exc.strerror)
            ) from None
        try:
            data = json.loads(raw)
        except ValueError:
            raise self._damaged("not valid JSON") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise self._damaged("not an x2desk credentials file")
        if data.get("version") != VERSION:
            raise StoreError(
                _(
                    "{path} was written by another version of x2desk (format version {version!r}); "
                    "update x2desk to open it."
                ).format(path=self.path, version=data.get("version"))
            )
        try:
            header = _parse_header(data)
        except (KeyError, ValueError, binascii.Error) as exc:
            why = str(exc) if isinstance(exc, ValueError) else "fields missing"
            raise self._damaged(why) from None
        return header

    def _check_header(self, header: dict[str, Any]) -> None:
        key_check, digest = header["key_check"], header["digest"]
        if (key_check is None) != (digest is None):
            raise self._damaged("one of its check fields is missing")
        if key_check is not None and not hmac.compare_digest(
            digest, self._header_digest(key_check)
        ):
            raise self._damaged("its header was changed")

    def _decrypt(self, header: dict[str, Any]) -> dict[str, str]:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key_check = header["key_check"]
        if key_check is not None and not hmac.compare_digest(key_check, self._key_check()):
            raise WrongPassphrase()
        try:
            plain = AESGCM(self._key).decrypt(header["nonce"], header["data"], self._aad())
        except InvalidTag:
            if key_check is not None:  # the key is right, so the data was changed
                raise self._damaged("its encrypted data was changed") from None
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
        kdf = header["kdf"]
        if kdf["salt"] != self._salt or kdf["n"] != self._kdf["n"]:
            raise StoreError(
                _(
                    "{path} was replaced by another program while x2desk had it open. Open it "
                    "again with its passphrase."
                ).format(path=self.path)
            )
        self._check_header(header)
        return self._decrypt(header)

    def _write(self, entries: dict[str, str]) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        plain = json.dumps(entries, sort_keys=True).encode("utf-8")
        sealed = AESGCM(self._key).encrypt(nonce, plain, self._aad())
        key_check = self._key_check()
        document = {
            "format": FORMAT,
            "version": VERSION,
            "kdf": dict(self._kdf, salt=_b64(self._salt)),
            "cipher": CIPHER,
            "nonce": _b64(nonce),
            "data": _b64(sealed),
            "key_check": _b64(key_check),
            "header_sha256": self._header_digest(key_check),
        }
        text = json.dumps(document, indent=1, sort_keys=True) + "\n"
        try:
            atomic_write(self.path, text.encode("utf-8"))
        except OSError as exc:
            raise StoreError(
                _("Cannot write {path}: {strerror}.").format(path=self.path, strerror=exc.strerror)
            ) from None


def _parse_header(data: dict[str, Any]) -> dict[str, Any]:
    """The file's fields, checked and decoded; ValueError (or KeyError) says what is wrong."""
    kdf = data.get("kdf")
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
    key_check = None if data.get("key_check") is None else _unb64(data["key_check"])
    digest = data.get("header_sha256")
    if digest is not None and not isinstance(digest, str):
        raise ValueError("bad header checksum")
    if key_check is not None and len(key_check) != 16:
        raise ValueError("bad key check")
    return {
        "kdf": {"n": n, "r": r, "p": p, "salt": salt},
        "nonce": nonce,
        "data": payload,
        "key_check": key_check,
        "digest": digest,
    }
