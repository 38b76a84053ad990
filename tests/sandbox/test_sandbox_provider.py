"""The sandbox's connections provider (API.md section 3) and its phone, over real HTTP."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from x2desk.core.clock import FakeClock
from x2desk.sandbox.phone import PhoneError, QrRefused, SandboxPhone
from x2desk.sandbox.server import SandboxServer

BOT_TOKEN = "123456789:" + "A" * 35


class Provider:
    """Raw HTTP to the provider: under ``/v2/companies/{company}`` when a company is given."""

    def __init__(self, url: str, key: str, company: int | None = None) -> None:
        base = f"{url}/v2" + (f"/companies/{company}" if company is not None else "")
        self.client = httpx.Client(base_url=base, headers={"X-Api-Key": key})

    @classmethod
    def of(cls, url: str, phone: SandboxPhone, **key: Any) -> Provider:
        """A new key's first company."""
        account = phone.provider_account(**key)
        return cls(url, account["api_key"], account["companies"][0]["id"])

    def post(self, path: str, **body: Any) -> httpx.Response:
        return self.client.post(path, json=body)

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def patch(self, path: str, **body: Any) -> httpx.Response:
        return self.client.patch(path, json=body)


@pytest.fixture
def api(sandbox: SandboxServer, phone: SandboxPhone) -> Iterator[Provider]:
    provider = Provider.of(sandbox.url, phone)
    yield provider
    provider.client.close()


def qr_session(api: Provider, **extra: Any) -> dict[str, Any]:
    response = api.post("/telegram/init", auth_type="qr", **extra)
    assert response.status_code == 200
    return dict(response.json())


# ---- auth --------------------------------------------------------------------------------------


def test_keys_401_and_403(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    assert httpx.get(f"{sandbox.url}/v2/connections/").status_code == 401
    wrong = Provider(sandbox.url, "nope").get("/connections/")
    assert wrong.status_code == 401 and wrong.json()["error"] == "UNAUTHORIZED"
    no_scope = Provider(sandbox.url, phone.provider_key(scope=False)).get("/connections/")
    assert no_scope.status_code == 403 and no_scope.json()["error"] == "SCOPE_MISSING"
    with pytest.raises(PhoneError):
        phone.provider_key(unpaid_types=["fax"])


# ---- Telegram by QR ----------------------------------------------------------------------------


def test_qr_login_rotates_every_30s_and_scan_authenticates(
    api: Provider, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    session = qr_session(api)
    assert session["status"] == "waiting_for_qr"
    url = session["qr_login"]["url"]
    assert re.fullmatch(r"tg://login\?token=[A-Za-z0-9_-]+", url)
    token = url.split("=", 1)[1]
    base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert session["qr_login"]["expires"] == fake_clock.time() + 30
    poll = api.post("/telegram/login", session_id=session["session_id"]).json()
    assert poll["qr_login"]["url"] == url
    fake_clock.advance(30)
    poll = api.post("/telegram/login", session_id=session["session_id"]).json()
    new_url = poll["qr_login"]["url"]
    assert new_url != url and poll["qr_login"]["expires"] == fake_clock.time() + 30
    with pytest.raises(QrRefused) as info:
        phone.scan(url)
    assert info.value.status == 409 and "expired" in info.value.message
    assert phone.scan(new_url)["status"] == "authenticated"
    poll = api.post("/telegram/login", session_id=session["session_id"]).json()
    assert poll == {"session_id": session["session_id"], "status": "authenticated"}
    with pytest.raises(QrRefused):
        phone.scan(new_url)  # used


def test_qr_login_with_2fa_password(api: Provider, phone: SandboxPhone) -> None:
    session = qr_session(api)
    sid = session["session_id"]
    assert phone.scan(session["qr_login"]["url"], password="hunter22")["status"] == (
        "waiting_for_password"
    )
    poll = api.post("/telegram/login", session_id=sid).json()
    assert poll["status"] == "waiting_for_password" and "qr_login" not in poll
    wrong = api.post("/telegram/login", session_id=sid, password="nope")
    assert wrong.status_code == 400 and wrong.json()["error"] == "PASSWORD_INVALID"
    assert api.post("/telegram/login", session_id=sid).json()["status"] == "waiting_for_password"
    right = api.post("/telegram/login", session_id=sid, password="hunter22")
    assert right.json()["status"] == "authenticated"
    created = api.post(
        "/connections/", name="Sales TG", type="telegram", params={"session_id": sid}
    )
    assert created.status_code == 200
    connection = created.json()["connection"]
    assert created.json()["success"] is True
    assert connection["type"] == "telegram" and connection["status"] == "active"
    again = api.post("/connections/", name="Dup", type="telegram", params={"session_id": sid})
    assert again.status_code == 400


def test_unknown_qr_is_400(phone: SandboxPhone) -> None:
    with pytest.raises(PhoneError) as info:
        phone.scan("tg://login?token=made-up")
    assert info.value.status == 400 and info.value.error == "UNKNOWN_QR"


def test_session_expires_after_10_minutes(api: Provider, fake_clock: FakeClock) -> None:
    sid = qr_session(api)["session_id"]
    fake_clock.advance(599)
    assert api.post("/telegram/login", session_id=sid).status_code == 200
    fake_clock.advance(1)
    gone = api.post("/telegram/login", session_id=sid)
    assert gone.status_code == 404 and gone.json()["error"] == "SESSION_NOT_FOUND"
    assert api.post("/telegram/login", session_id="nope").status_code == 404


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"auth_type": "sms"}, "AUTH_TYPE_INVALID"),
        ({"auth_type": "code"}, "PHONE_INVALID"),
        ({"auth_type": "code", "phone": "8 900 123"}, "PHONE_INVALID"),
        ({"auth_type": "qr", "connection_id": 999}, "CONNECTION_INVALID"),
    ],
)
def test_telegram_init_bad_input(api: Provider, body: dict[str, Any], error: str) -> None:
    response = api.post("/telegram/init", **body)
    assert response.status_code == 400 and response.json()["error"] == error


# ---- Telegram by code, MAX -----------------------------------------------------------------------


def test_telegram_code_login_wrong_code_then_2fa(api: Provider, phone: SandboxPhone) -> None:
    session = api.post("/telegram/init", auth_type="code", phone="+447700900123").json()
    assert session["status"] == "waiting_for_code" and "qr_login" not in session
    sid = session["session_id"]
    code = phone.code(sid, password="pw-2fa")
    assert re.fullmatch(r"\d{5}", code)
    wrong = api.post("/telegram/login", session_id=sid, code="00000" if code != "00000" else "1")
    assert wrong.status_code == 400 and wrong.json()["error"] == "CODE_INVALID"
    early = api.post("/telegram/login", session_id=sid, password="pw-2fa")
    assert early.status_code == 400 and early.json()["error"] == "PASSWORD_NOT_EXPECTED"
    step = api.post("/telegram/login", session_id=sid, code=code).json()
    assert step["status"] == "waiting_for_password"
    assert api.post("/telegram/login", session_id=sid, code=code).status_code == 400
    done = api.post("/telegram/login", session_id=sid, password="pw-2fa").json()
    assert done["status"] == "authenticated"


def test_max_personal_login_and_connection(api: Provider, phone: SandboxPhone) -> None:
    assert api.post("/max_personal/init", phone="123").json()["error"] == "PHONE_INVALID"
    session = api.post("/max_personal/init", phone="+79001234567").json()
    sid = session["session_id"]
    assert session["status"] == "waiting_for_code"
    assert api.post("/max_personal/login", session_id=sid).status_code == 400
    bad = api.post("/max_personal/login", session_id=sid, code="abc")
    assert bad.json()["error"] == "CODE_INVALID"
    ok = api.post("/max_personal/login", session_id=sid, code=phone.code(sid)).json()
    assert ok["status"] == "authenticated"
    # a MAX session cannot be used on the Telegram endpoints
    assert api.post("/telegram/login", session_id=sid).status_code == 404
    wrong_type = api.post("/connections/", name="x", type="telegram", params={"session_id": sid})
    assert wrong_type.status_code == 400
    made = api.post("/connections/", name="MAX", type="max_personal", params={"session_id": sid})
    assert made.json()["connection"]["type"] == "max_personal"
    with pytest.raises(PhoneError) as info:
        phone.code("nope")
    assert info.value.status == 404


def test_reauthorisation_makes_no_new_connection(api: Provider, phone: SandboxPhone) -> None:
    first = qr_session(api)
    phone.scan(first["qr_login"]["url"])
    params = {"session_id": first["session_id"]}
    conn = api.post("/connections/", name="TG", type="telegram", params=params).json()
    conn_id = conn["connection"]["id"]
    phone.set_connection_status(conn_id, "unauthorized")
    assert api.get(f"/connections/{conn_id}").json()["status"] == "unauthorized"
    again = qr_session(api, connection_id=conn_id)
    assert again["connection_id"] == conn_id
    phone.scan(again["qr_login"]["url"])
    done = api.post("/telegram/login", session_id=again["session_id"]).json()
    assert done["status"] == "authenticated" and done["connection_id"] == conn_id
    assert api.get(f"/connections/{conn_id}").json()["status"] == "active"
    assert api.get("/connections/").json()["count"] == 1
    extra = api.post(
        "/connections/", name="x", type="telegram", params={"session_id": again["session_id"]}
    )
    assert extra.status_code == 400 and extra.json()["error"] == "SESSION_IS_REAUTH"


# ---- connections ---------------------------------------------------------------------------------


def test_connections_list_get_create_patch(api: Provider) -> None:
    assert api.get("/connections/").json() == {"count": 0, "connections": []}
    bot = api.post("/connections/", name="Bot", type="telegram_bot", params={"token": BOT_TOKEN})
    assert bot.status_code == 200
    shown = bot.json()["connection"]
    assert shown["status"] == "active" and BOT_TOKEN not in str(shown)
    ok = api.post("/connections/", name="OK", type="odnoklassniki", params={"api_key": "k" * 20})
    ok_id = ok.json()["connection"]["id"]
    listed = api.get("/connections/").json()
    assert listed["count"] == 2 and [c["name"] for c in listed["connections"]] == ["Bot", "OK"]
    assert api.get(f"/connections/{ok_id}").json()["type"] == "odnoklassniki"
    assert api.get("/connections/999").status_code == 404
    patched = api.patch(f"/connections/{ok_id}", params={"api_key": "new-key-123456"})
    assert patched.status_code == 200 and patched.json()["success"] is True
    assert api.patch(f"/connections/{ok_id}", params={}).status_code == 400
    not_editable = api.patch(f"/connections/{shown['id']}", params={"api_key": "x"})
    assert not_editable.status_code == 409 and not_editable.json()["error"] == "NOT_EDITABLE"
    assert api.patch("/connections/999", params={"api_key": "x"}).status_code == 404
    assert api.client.delete(f"/connections/{ok_id}").status_code == 405


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"name": "", "type": "telegram_bot", "params": {"token": BOT_TOKEN}}, "NAME_INVALID"),
        ({"name": "x", "type": "fax", "params": {}}, "TYPE_INVALID"),
        ({"name": "x", "type": "telegram_bot", "params": {"token": "12:sh rt"}}, "TOKEN_INVALID"),
        ({"name": "x", "type": "odnoklassniki", "params": {}}, "API_KEY_INVALID"),
        ({"name": "x", "type": "telegram", "params": {"session_id": "nope"}}, "SESSION_INVALID"),
        ({"name": "x", "type": "whatsapp", "params": []}, "PARAMS_INVALID"),
    ],
)
def test_create_bad_input(api: Provider, body: dict[str, Any], error: str) -> None:
    response = api.post("/connections/", **body)
    assert response.status_code == 400 and response.json()["error"] == error


def test_unauthenticated_session_cannot_make_a_connection(api: Provider) -> None:
    sid = qr_session(api)["session_id"]
    made = api.post("/connections/", name="x", type="telegram", params={"session_id": sid})
    assert made.status_code == 400 and made.json()["error"] == "SESSION_NOT_AUTHENTICATED"


def test_unpaid_type_is_402(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    api = Provider.of(sandbox.url, phone, unpaid_types=["whatsapp"])
    unpaid = api.post("/connections/", name="WA", type="whatsapp", params={})
    assert unpaid.status_code == 402 and unpaid.json()["error"] == "SUBSCRIPTION_REQUIRED"
    assert api.post("/connections/", name="B", type="telegram_bot", params={"token": BOT_TOKEN})


def test_bad_json_is_400(sandbox: SandboxServer, api: Provider) -> None:
    response = api.client.post("/telegram/init", content=b"{")
    assert response.status_code == 400 and response.json()["error"] == "BAD_REQUEST"


# ---- WhatsApp ------------------------------------------------------------------------------------


def test_whatsapp_qr_rotates_loading_then_authorized(
    sandbox: SandboxServer, api: Provider, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    made = api.post("/connections/", name="WA", type="whatsapp", params={}).json()["connection"]
    assert made["status"] == "waiting"
    assert made["params"]["qr_url"] == f"{sandbox.url}/_sandbox/whatsapp/{made['id']}"
    page = httpx.get(made["params"]["qr_url"])
    assert page.status_code == 200 and "data:image/png;base64," in page.text
    status_path = f"/connections/{made['id']}/whatsapp/status"
    first = api.get(status_path).json()
    assert first["status"] == "qr" and first["qr"] and first["expires"] == fake_clock.time() + 30
    fake_clock.advance(30)
    second = api.get(status_path).json()
    assert second["qr"] != first["qr"]
    with pytest.raises(QrRefused):
        phone.scan(first["qr"])
    assert phone.scan(second["qr"])["scanned"] == "whatsapp"
    assert api.get(status_path).json() == {"status": "loading"}
    fake_clock.advance(2)
    assert api.get(status_path).json() == {"status": "authorized"}
    assert api.get(f"/connections/{made['id']}").json()["status"] == "active"
    # a new QR cycle after the phone unlinks it
    phone.set_connection_status(made["id"], "unauthorized")
    assert api.get(status_path).json()["status"] == "qr"


def test_whatsapp_status_of_other_type_is_400(api: Provider) -> None:
    bot = api.post("/connections/", name="B", type="telegram_bot", params={"token": BOT_TOKEN})
    response = api.get(f"/connections/{bot.json()['connection']['id']}/whatsapp/status")
    assert response.status_code == 400 and response.json()["error"] == "NOT_WHATSAPP"
    assert api.get("/connections/77/whatsapp/status").status_code == 404


# ---- companies (the real v2 API scopes everything by company) ---------------------------------


def test_old_unscoped_paths_are_404_and_companies_are_listed(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    account = phone.provider_account(companies=["Shop", "Cafe"])
    bare = Provider(sandbox.url, account["api_key"])
    for path in ("/connections/", "/telegram/init"):
        assert bare.get(path).status_code == 404 or bare.post(path).status_code == 404
    assert bare.post("/telegram/init", auth_type="qr").status_code == 404
    listed = bare.get("/companies/?limit=100&offset=0").json()
    assert listed["count"] == 2 and [c["name"] for c in listed["companies"]] == ["Shop", "Cafe"]
    one_page = bare.get("/companies/?limit=1&offset=1").json()
    assert one_page == {"count": 2, "companies": [listed["companies"][1]]}
    assert bare.get("/companies/?limit=x").status_code == 400


def test_a_company_sees_only_its_own_connections_and_sessions(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    account = phone.provider_account(companies=2)
    assert [c["name"] for c in account["companies"]] == ["Company 1", "Company 2"]
    shop, cafe = (Provider(sandbox.url, account["api_key"], c["id"]) for c in account["companies"])
    made = shop.post("/connections/", name="B", type="telegram_bot", params={"token": BOT_TOKEN})
    conn_id = made.json()["connection"]["id"]
    assert cafe.get("/connections/").json() == {"count": 0, "connections": []}
    assert cafe.get(f"/connections/{conn_id}").status_code == 404
    sid = shop.post("/telegram/init", auth_type="qr").json()["session_id"]
    assert cafe.post("/telegram/login", session_id=sid).status_code == 404
    other = phone.provider_account(companies=1)["companies"][0]["id"]  # another key's own
    foreign = Provider(sandbox.url, account["api_key"], other)
    refused = foreign.get("/connections/")
    assert refused.status_code == 404 and refused.json()["error"] == "COMPANY_NOT_FOUND"


def test_connections_are_paged(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    api = Provider.of(sandbox.url, phone)
    for n in range(5):
        api.post("/connections/", name=f"B{n}", type="telegram_bot", params={"token": BOT_TOKEN})
    page = api.get("/connections/?limit=2&offset=3").json()
    assert page["count"] == 5 and [c["name"] for c in page["connections"]] == ["B3", "B4"]
    assert len(api.get("/connections/").json()["connections"]) == 5  # default page: 20


def test_a_type_outside_the_subscription_is_made_but_not_active(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    api = Provider.of(sandbox.url, phone, inactive_types=["telegram_bot"])
    made = api.post("/connections/", name="B", type="telegram_bot", params={"token": BOT_TOKEN})
    assert made.status_code == 200 and made.json()["connection"]["status"] == "waiting"


def test_keys_from_the_dashboard_share_the_account_s_company(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    first, second = phone.provider_account(), phone.provider_account()
    assert first["companies"] == second["companies"] == [{"id": 1, "name": "Sandbox company"}]
    made = Provider(sandbox.url, first["api_key"], 1).post(
        "/connections/", name="B", type="telegram_bot", params={"token": BOT_TOKEN}
    )
    listed = Provider(sandbox.url, second["api_key"], 1).get("/connections/").json()
    assert [c["id"] for c in listed["connections"]] == [made.json()["connection"]["id"]]
