"""Several real x2desk processes writing the same stores at once lose nothing (issue 17, item 1).

Each child starts, imports what it needs, then waits for one line on stdin, so all of them are
released at the same moment and their read-modify-writes overlap.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from x2desk.core.secret import Secret
from x2desk.core.store import EncryptedFileStore, load_settings, open_records

PROCESSES = 6
EACH = 5
PASSPHRASE = "tr0ub4dor&3-long"
FAST_N = 2**14


def run_together(script: str, args: list[list[str]], home: Path) -> list[str]:
    """Start one child per argument list, release them together; their stdout, all exit 0."""
    code = textwrap.dedent(script)
    env = dict(os.environ, X2DESK_HOME=str(home))
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code, *arg],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for arg in args
    ]
    for child in children:  # each waits on its stdin: release them all at once
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=90)
        assert child.returncode == 0, err[-2000:]
        outputs.append(out)
    return outputs


SAVE_SECRETS = """
    import sys
    from pathlib import Path
    from x2desk.core.secret import Secret
    from x2desk.core.store.encrypted_file import EncryptedFileStore

    path, who, each, passphrase, n = sys.argv[1:]
    sys.stdin.readline()
    store = EncryptedFileStore(Path(path), Secret(passphrase), scrypt_n=int(n))
    for i in range(int(each)):
        store.save(f"x2chat_bot:{who}{i}", Secret(f"secret-{who}-{i}"))
    print("saved")
"""


@pytest.mark.parametrize("existing", [True, False], ids=["existing-store", "new-store"])
def test_processes_saving_into_one_encrypted_file_keep_every_secret(
    tmp_path: Path, x2desk_home: Path, existing: bool
) -> None:
    path = tmp_path / "shared" / "credentials.x2k"
    if existing:
        EncryptedFileStore(path, Secret(PASSPHRASE), scrypt_n=FAST_N).save(
            "x2chat_bot:before", Secret("secret-before")
        )
    args = [[str(path), f"p{n}-", str(EACH), PASSPHRASE, str(FAST_N)] for n in range(PROCESSES)]
    assert run_together(SAVE_SECRETS, args, x2desk_home) == ["saved\n"] * PROCESSES
    store = EncryptedFileStore(path, Secret(PASSPHRASE), create=False)
    expected = {f"x2chat_bot:p{n}-{i}" for n in range(PROCESSES) for i in range(EACH)}
    if existing:
        expected.add("x2chat_bot:before")
    assert set(store.refs()) == expected
    for n in range(PROCESSES):
        assert store.load(f"x2chat_bot:p{n}-{EACH - 1}") == Secret(f"secret-p{n}--{EACH - 1}")


CHANGE_SETTINGS = """
    import sys
    from x2desk.core.store.settings import update_settings

    who = sys.argv[1]
    sys.stdin.readline()
    for i in range(4):
        update_settings(lambda s: s.api_bases.__setitem__(f"{who}{i}", "https://x2chat.com"))
    print("saved")
"""


def test_processes_changing_settings_keep_each_others_changes(x2desk_home: Path) -> None:
    args = [[f"p{n}-"] for n in range(PROCESSES)]
    run_together(CHANGE_SETTINGS, args, x2desk_home)
    bases = load_settings().api_bases
    assert set(bases) == {f"p{n}-{i}" for n in range(PROCESSES) for i in range(4)}


UPSERT_RECORDS = """
    import sys
    from x2desk.core.store.records import open_records

    who = sys.argv[1]
    sys.stdin.readline()
    with open_records() as records:
        for i in range(8):
            records.upsert("greenapi", f"{who}{i}", name=who, flow="pair", outcome="saved")
    print("saved")
"""


def test_processes_writing_records_all_land(x2desk_home: Path) -> None:
    args = [[f"p{n}-"] for n in range(PROCESSES)]
    run_together(UPSERT_RECORDS, args, x2desk_home)
    with open_records() as records:
        ids = {r.external_id for r in records.list()}
    assert ids == {f"p{n}-{i}" for n in range(PROCESSES) for i in range(8)}


def test_the_lock_file_is_private(tmp_path: Path) -> None:
    from x2desk.core.store.lock import LOCK_NAME, store_lock

    with store_lock(tmp_path / "data" / "settings.json"):
        pass
    mode = (tmp_path / "data" / LOCK_NAME).stat().st_mode & 0o777
    assert mode == 0o600


def test_a_lock_held_elsewhere_times_out_with_a_plain_message(tmp_path: Path) -> None:
    from x2desk.core.errors import StoreError
    from x2desk.core.store.lock import store_lock

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys
                from pathlib import Path
                from x2desk.core.store.lock import store_lock
                with store_lock(Path(sys.argv[1])):
                    print("held", flush=True)
                    sys.stdin.readline()
                """
            ),
            str(tmp_path / "settings.json"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with (
            pytest.raises(StoreError, match="Another x2desk is saving"),
            store_lock(tmp_path / "settings.json", timeout=0.05),
        ):
            pass
    finally:
        holder.communicate("done\n", timeout=30)
    with store_lock(tmp_path / "settings.json", timeout=0.05):  # free again
        pass


def test_the_thread_holding_the_lock_may_take_it_again(tmp_path: Path) -> None:
    from x2desk.core.store.lock import store_lock

    with (
        store_lock(tmp_path / "a"),
        store_lock(tmp_path / "b", timeout=0.05),
        open_records(tmp_path / "records.sqlite3") as records,
    ):
        assert records.upsert("greenapi", "1", name="nested").name == "nested"
