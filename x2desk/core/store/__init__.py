"""Where x2desk keeps what it must remember.

- :mod:`.credentials`: secrets, in the OS keyring or the encrypted file the user chose.
- :mod:`.encrypted_file`: that passphrase-protected file.
- :mod:`.records`: non-secret connection records and their history (SQLite).
- :mod:`.settings`: non-secret preferences (JSON).
- :mod:`.journal`: intents written before a redeem or a create goes out; :mod:`.audit` reads
  them with the records and the credentials (unfinished requests, orphans).
- :mod:`.lock`: the one inter-process lock every store write holds; :mod:`.database`: the
  SQLite plumbing the records and the journal share.
"""

from x2desk.core.store.credentials import (
    SERVICE,
    CredentialStore,
    KeyringStore,
    keyring_status,
    open_credential_store,
    secret_ref,
    use_encrypted_file,
    use_keyring,
)
from x2desk.core.store.encrypted_file import EncryptedFileStore
from x2desk.core.store.records import HistoryEvent, Record, RecordStore, open_records
from x2desk.core.store.settings import Settings, load_settings, save_settings, update_settings

__all__ = [
    "SERVICE",
    "CredentialStore",
    "EncryptedFileStore",
    "HistoryEvent",
    "KeyringStore",
    "Record",
    "RecordStore",
    "Settings",
    "keyring_status",
    "load_settings",
    "open_credential_store",
    "open_records",
    "save_settings",
    "secret_ref",
    "update_settings",
    "use_encrypted_file",
    "use_keyring",
]
