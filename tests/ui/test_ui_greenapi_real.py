"""The Green-API wizard against Green-API as the real one is (issues 11 and 12), over loopback on a
fake clock: the instance's own apiUrl beside its ID and token (following the ID, editable,
https only, kept for re-pairing), pairing by a login code with a wrong code first, a failed
pairing that stays on "Pair", "Try again" after a wrong token going back to the instance page,
and a QR countdown that agrees with "a fresh QR every 5 s"."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import GreenApiDriver as Driver
from helpers import make_greenapi_wizard as make_wizard

from x2desk.core.clock import FakeClock
from x2desk.core.session.poller import ManualScheduler
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.context import AppContext
from x2desk.ui.greenapi.wizard import GreenApiWizard

PASSWORD = "cloud-pass-42"


@pytest.fixture
def wiz(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler
) -> Iterator[GreenApiWizard]:
    w = make_wizard(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual)
    w.start()
    yield w
    w.shutdown()


@pytest.fixture
def d(qtbot: Any, wiz: GreenApiWizard, manual: ManualScheduler) -> Driver:
    return Driver(qtbot, wiz, manual)


def record(id_instance: Any) -> Any:
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        return records.find("greenapi", str(id_instance))


def test_the_api_address_follows_the_id_until_edited_and_is_https_only(
    qtbot: Any, fake_clock: FakeClock, manual: ManualScheduler
) -> None:
    wiz = make_wizard(qtbot, AppContext(), fake_clock, manual)  # the public service
    wiz.start()
    d = Driver(qtbot, wiz, manual)
    page = wiz.instance
    d.type(page.id_edit, "3100123456")
    assert page.url_edit.text() == "https://3100.api.green-api.com"  # the instance's own host
    assert page.url_hint.text() == "OK: https://3100.api.green-api.com"
    d.type(page.id_edit, "7103000001")
    assert page.url_edit.text() == "https://7103.api.green-api.com"
    d.type(page.url_edit, "http://7103.api.green-api.com")
    assert "https" in page.url_hint.text() and page.url_hint.property("tone") == "hint-bad"
    d.type(page.token_edit, "a1" * 25)
    assert not wiz.frame.next_button.isEnabled()  # plain http to a remote host: refused
    d.type(page.url_edit, "https://7103.api.greenapi.com")
    d.type(page.id_edit, "7103000002")
    assert page.url_edit.text() == "https://7103.api.greenapi.com"  # edited: it stays
    assert wiz.frame.next_button.isEnabled()
    wiz.shutdown()


def test_the_address_is_used_kept_in_the_record_and_used_to_re_pair(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone, sandbox: Any
) -> None:
    info = phone.greenapi_instance()
    d.type(wiz.instance.id_edit, str(info["idInstance"]))
    assert wiz.instance.url_edit.text() == sandbox.url  # where x2desk was pointed at
    d.type(wiz.instance.token_edit, info["apiTokenInstance"])
    d.next()
    d.wait_page("greenapi_method")
    d.next()
    phone.scan(d.qr_payload())
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)
    saved = record(info["idInstance"])
    assert saved.api_base == sandbox.url
    phone.greenapi_control(info["idInstance"], state="notAuthorized")
    wiz.ctx.greenapi_url = "https://api.green-api.com"  # the settings say otherwise now
    wiz.start_repair(saved.id)
    d.until(lambda: d.page == "greenapi_qr", "re-pairing at the saved address", step_s=1)
    assert wiz.api_url == sandbox.url
    phone.scan(d.qr_payload())
    d.until(lambda: wiz.result.outcome == "paired", "re-paired", step_s=5)


def test_pairing_by_a_login_code_with_a_wrong_code_first(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    d.enter_instance(info, phone="+7 916 123-45-67")
    assert "+79161234567" in wiz.code.prompt.text()
    d.until(lambda: wiz.code.can_next() or not wiz.code.is_busy(), "the code page ready")
    d.type(wiz.code.edit, "00000")
    d.next()
    d.until(lambda: wiz.code.banner.tone == "error", "said the code is wrong")
    assert "code is wrong" in wiz.code.banner.text()
    assert d.page == "greenapi_code"
    d.shot("code-wrong")
    code = phone.greenapi_code(info["idInstance"], password=PASSWORD)
    d.type(wiz.code.edit, code)
    d.next()
    d.until(lambda: d.page == "greenapi_password", "asked for the cloud password", step_s=5)
    d.type(wiz.password.edit, PASSWORD)
    d.next()
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)
    assert "+79161234567" in wiz.result.headline.text()
    saved = record(info["idInstance"])
    assert saved.flow == "greenapi_code" and saved.details["phone"] == "+79161234567"
    assert not [r for r in phone.requests() if "/qr/" in r["path"]]  # no QR asked at all


def test_a_wrong_token_goes_back_to_the_instance_not_the_same_attempt(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    d.enter_instance(dict(info, apiTokenInstance="b" * 50))
    d.until(lambda: wiz.result.outcome == "failed", "failed")
    labels = wiz.frame._step_labels
    assert labels["Done"].property("current") is False  # a failure is not "Done"
    assert labels["Pair"].property("current") is True
    assert not wiz.result.retry_button.isVisible()  # the same wrong token would fail again
    assert wiz.result.fix_button.isVisible() and wiz.result.fix_button.property("primary")
    asked = len(phone.requests())
    wiz.restart()  # "Try again" (e.g. by its shortcut) goes to the values too
    assert d.page == "greenapi_instance"
    assert len(phone.requests()) == asked


def test_the_qr_countdown_agrees_with_a_fresh_qr_every_5_s(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    d.enter_instance(info)
    d.qr_payload()
    assert "every 5 s" in wiz.qr.instructions.text()
    assert "Telegram > Settings > Devices" in wiz.qr.instructions.text()
    seen = []
    for _ in range(12):  # the sandbox's QR stays the same for 20 s: asked again every 5 s
        d.run(1)
        wiz.tick()
        seen.append(wiz.qr.countdown.text())
    counts = [int(t.split()[-2]) for t in seen if t]
    assert counts and all(1 <= c <= 5 for c in counts)
    assert all("valid for" not in t for t in seen)
    drops = [a - b for a, b in itertools.pairwise(counts) if b < a]
    assert all(step == 1 for step in drops)  # it counts down by one, then starts again at 5


def test_a_refusal_other_than_a_wrong_password_is_explained_and_the_page_stays(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    d.enter_instance(info)
    phone.scan(d.qr_payload(), password=PASSWORD)
    d.until(lambda: d.page == "greenapi_password", "asked for the password", step_s=5)
    phone.greenapi_control(info["idInstance"], auth_fail=["connection_error"])
    d.type(wiz.password.edit, PASSWORD)
    d.next()
    d.until(lambda: wiz.password.banner.tone == "warning", "explained the refusal")
    assert "could not reach Telegram" in wiz.password.banner.text()
    assert d.page == "greenapi_password" and wiz.password.wrong_count == 0
    d.type(wiz.password.edit, "not-it")
    d.next()
    d.until(lambda: wiz.password.wrong_count == 1, "said the password is wrong")
    assert "password is wrong" in wiz.password.banner.text()
    d.type(wiz.password.edit, PASSWORD)
    d.next()
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)
