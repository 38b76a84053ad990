"""Two `x2desk redeem` processes at once lose no secret (issue 17 item 1): their redeems are
answered at the same moment, so both save into the encrypted file at once; with an existing
store, and with a new one both processes create."""

from __future__ import annotations

from pathlib import Path

import pytest
from concurrent_redeem import hold_redeems_in_pairs, prepare_folder, redeem_pair

from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer


@pytest.mark.parametrize("existing", [True, False], ids=["existing-store", "new-store"])
def test_two_redeems_at_once_both_keep_their_secret(
    sandbox: SandboxServer, phone: SandboxPhone, tmp_path: Path, existing: bool
) -> None:
    hold_redeems_in_pairs(sandbox)
    env = prepare_folder(tmp_path / "home", existing)
    assert redeem_pair(sandbox, phone, env) == []
